"""PDF output: real XeLaTeX through latexmk, with the guards of DESIGN.md (Security):
no file outside the temporary folder is read or written, no shell command runs, a
document that loops is stopped, and errors are the relevant lines of the log."""

import tempfile
from pathlib import Path

import pytest
from click.testing import CliRunner

import derive
from conftest import ROOT, pdf_text, require_tex
from derive.output import pdf
from derive.cli import main
from derive.errors import PdfError

SEED004 = ROOT / "examples" / "seed004_221_network.toml"


def document(body):
    return "\\documentclass{article}\n\\begin{document}\n" + body + "\n\\end{document}\n"


@pytest.fixture
def secret():
    # a short absolute path, so that a title holding it fits on the page
    with tempfile.NamedTemporaryFile("w", prefix="s", suffix=".tex", dir="/tmp", encoding="utf-8") as handle:
        handle.write("SECRET-4f1c")
        handle.flush()
        yield Path(handle.name)


def test_reads_no_file_outside_its_folder(secret):
    require_tex()
    with pytest.raises(PdfError) as err:
        pdf.compile_tex(document(f"\\input{{{secret}}}"))
    assert "SECRET" not in str(err.value)
    assert str(err.value).startswith("XeLaTeX failed:\n  ! LaTeX Error: File `" + str(secret))


def test_reads_no_file_above_its_folder():
    require_tex()
    with pytest.raises(PdfError, match="not found"):
        pdf.compile_tex(document("\\input{../../../../../../etc/passwd}"))


def test_writes_no_file_outside_its_folder(tmp_path):
    require_tex()
    target = tmp_path / "written.txt"
    with pytest.raises(PdfError, match="I can't write on file"):
        pdf.compile_tex(document(f"\\newwrite\\out\\immediate\\openout\\out={target}\\immediate\\write\\out{{x}}"))
    assert not target.exists()


def test_runs_no_shell_command(tmp_path):
    require_tex()
    target = tmp_path / "ran"
    data = pdf.compile_tex(document(f"\\immediate\\write18{{touch {target}}}text"))
    assert data.startswith(b"%PDF")
    assert not target.exists()


def test_leaves_no_temporary_folder(tmp_path, monkeypatch):
    require_tex()
    # a temporary folder of this test's own, so that no other compile running meanwhile counts
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    pdf.compile_tex(document("text"))
    with pytest.raises(PdfError):
        pdf.compile_tex(document("\\undefinedcommand"))
    assert list(tmp_path.iterdir()) == []


def test_a_loop_is_stopped():
    require_tex()
    with pytest.raises(PdfError, match=r"^XeLaTeX did not finish within 3 s and was stopped$"):
        pdf.compile_tex(document("\\loop\\iftrue\\repeat"), timeout=3)


def test_error_is_the_relevant_lines_of_the_log():
    require_tex()
    with pytest.raises(PdfError) as err:
        pdf.compile_tex(document("line one\n\\frobnicate"))
    assert str(err.value) == "XeLaTeX failed:\n  ./doc.tex:4: Undefined control sequence.\n  l.4 \\frobnicate"


def test_excerpt_of_a_log():
    log = ("This is XeTeX\n(./doc.tex\n! Missing $ inserted.\n<inserted text> \n                $\n"
           "l.7 a_\n     b\nHere is how much of TeX's memory you used:\n 5 strings\n")
    assert pdf.excerpt(log) == "  ! Missing $ inserted.\n  <inserted text>\n                  $\n  l.7 a_"
    missing_font = "! Package fontspec Error: The font \"NanumMyeongjo\" cannot be found.\n\nl.3 \\begin{document}"
    assert pdf.excerpt(missing_font).endswith(
        "(a font is missing; on Debian or Ubuntu: apt-get install texlive-xetex latexmk texlive-lang-korean fonts-nanum)")


def test_missing_tex_is_one_line_and_exit_1(monkeypatch, tmp_path):
    monkeypatch.setattr(pdf, "available", lambda: False)
    out = tmp_path / "out.pdf"
    for args in (["solve", str(SEED004), "-f", "pdf", "-o", str(out)], ["worksheet", str(SEED004), "-o", str(out)]):
        result = CliRunner().invoke(main, args)
        assert result.exit_code == 1, result.output
        assert result.output.strip().splitlines()[-1] == (
            "Error: PDF output needs XeLaTeX and latexmk, which are not installed; on Debian or Ubuntu: "
            "apt-get install texlive-xetex latexmk texlive-lang-korean fonts-nanum")
        assert not list(tmp_path.iterdir())


def test_solve_pdf(tmp_path):
    require_tex()
    out = tmp_path / "solution.pdf"
    result = CliRunner().invoke(main, ["solve", str(SEED004), "-f", "pdf", "-o", str(out)])
    assert result.exit_code == 0, result.output
    text = pdf_text(out)
    for words in ("2-2-1 신경망, 한 단계", "주어진 값", "순전파", "역전파: 연쇄 법칙으로 기울기 계산", "가중치 업데이트"):
        assert words in text
    for number in ("0.5523", "0.04219", "−0.02032", "0.302", "0.5198"):
        assert number in text
    assert [p.name for p in tmp_path.iterdir()] == ["solution.pdf"]


def test_solve_pdf_needs_a_file():
    result = CliRunner().invoke(main, ["solve", str(SEED004), "-f", "pdf"])
    assert result.exit_code == 2
    assert result.output == "Error: -f pdf needs a file to write: give -o FILE.pdf\n"


def test_hostile_title_prints_literally(spec_file, secret):
    require_tex()
    title = f"100% \\input{{{secret}}} ^^5cinput{{{secret}}} $x$ & #1 _a ~b {{c}}"
    spec = spec_file(f"title = '''{title}'''\n"
                     '[graph]\nequations = ["q = x + y", "f = q * z"]\nvalues = { x = -2, y = 5, z = -4 }\n')
    text = pdf_text(pdf.compile_tex(derive.solve(spec).to_latex(lang="en")))
    assert title in " ".join(text.split())
    assert "SECRET" not in text
