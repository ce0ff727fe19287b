"""Worksheets: a problem sheet with blanks and its answer key, from one source; a class
set of variants in one PDF or one file each; real PDFs read back with pdftotext."""

import re

import pytest
from click.testing import CliRunner

import derive
from conftest import ROOT, pdf_text, require_tex
from derive.output import pdf
from derive.engine import variants
from derive.views import worksheet
from derive.cli import main
from derive.numbers import plain_decimal

SEED004 = ROOT / "examples" / "seed004_221_network.toml"
SEED001 = ROOT / "examples" / "seed001_graph_xyz.toml"


def seed004_sheet(lang="en"):
    checked, graph = derive.build(SEED004)
    return worksheet.sheet(derive.derivation(checked, graph, steps=1), derive.Options(lang=lang))


def answers(sheet):
    return [(q.prompt, [(b.lhs, b.answer) for b in q.blanks]) for q in sheet.questions]


def test_seed004_blanks_and_answers():
    sheet = seed004_sheet()
    assert answers(sheet) == [
        ("Compute the forward pass.",
         [("z_{1}", "0.2100"), ("z_{2}", "0.1900"), ("a_{1}", "0.5523"), ("a_{2}", "0.5474"), (r"\hat{y}", "0.4946")]),
        ("Compute the loss.", [("L", "0.04219")]),
        ("Compute the gradient of the loss with respect to every parameter by the chain rule.",
         [(rf"\frac{{\partial L}}{{\partial w_{{{k}}}}}", v) for k, v in
          [(5, "-0.2269"), (6, "-0.2249"), (1, "-0.02032"), (2, "-0.02544"), (3, "-0.01219"), (4, "-0.01527")]]),
        ("Update every parameter by gradient descent with learning rate 0.1.",
         [(f"{{w_{{{k}}}}}'", v) for k, v in
          [(1, "0.3020"), (2, "0.2025"), (3, "0.2012"), (4, "0.3015"), (5, "0.4227"), (6, "0.5225")]]),
        ("Compute the forward pass again with the updated parameters: the new prediction and loss.",
         [(r"{\hat{y}}'", "0.5198"), ("{L}'", "0.03247")]),
    ]
    assert [q.points for q in sheet.questions] == [5, 1, 6, 6, 2]
    assert sheet.rules == "Write every answer to 4 significant digits. Total: 20 points."
    assert [(l.lhs, l.parts) for b in sheet.model for l in b.lines] == [
        ("z_{1}", ("w_{1} x_{1} + w_{3} x_{2}",)), ("z_{2}", ("w_{2} x_{1} + w_{4} x_{2}",)),
        ("a_{1}", (r"\sigma\left(z_{1}\right)",)), ("a_{2}", (r"\sigma\left(z_{2}\right)",)),
        (r"\hat{y}", ("w_{5} a_{1} + w_{6} a_{2}",)), ("L", (r"\left(y_{1} - \hat{y}\right)^{2}",))]
    assert sheet.label == ""


def test_korean_sheet_words():
    sheet = seed004_sheet("ko")
    assert [q.prompt for q in sheet.questions] == [
        "순전파를 계산하시오.", "손실을 계산하시오.", "연쇄 법칙으로 각 파라미터에 대한 손실의 기울기를 구하시오.",
        "학습률 0.1로 경사 하강법에 따라 각 파라미터를 업데이트하시오.",
        "업데이트된 파라미터로 순전파를 다시 계산하여 새 예측값과 손실을 구하시오."]
    assert sheet.rules == "답은 모두 유효숫자 4자리로 쓰시오. 총점: 20점."


def test_graph_sheet_asks_the_output_in_the_forward_pass():
    checked, graph = derive.build(SEED001)
    sheet = worksheet.sheet(derive.derivation(checked, graph), derive.Options(lang="en"))
    assert answers(sheet) == [
        ("Compute the forward pass.", [("q", "3.000"), ("f", "-12.00")]),
        ("Compute the gradient of the output with respect to every variable by the chain rule.",
         [(r"\frac{\partial f}{\partial x}", "-4.000"), (r"\frac{\partial f}{\partial y}", "-4.000"),
          (r"\frac{\partial f}{\partial z}", "3.000")]),
    ]


def test_a_worksheet_asks_one_step(spec_file):
    text = SEED004.read_text(encoding="utf-8").replace("steps = 1", "steps = 5")
    [(_, sheet, key)] = derive.worksheets(spec_file(text))
    [(_, one_sheet, one_key)] = derive.worksheets(SEED004)
    assert (sheet, key) == (one_sheet, one_key)


def run(*args):
    return CliRunner().invoke(main, [str(a) for a in args])


def test_sheet_and_key_from_one_source(tmp_path):
    result = run("worksheet", SEED004, "-f", "tex", "-o", tmp_path / "sheet.tex")
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in tmp_path.iterdir()) == ["sheet-key.tex", "sheet.tex"]
    sheet = (tmp_path / "sheet.tex").read_text(encoding="utf-8")
    key = (tmp_path / "sheet-key.tex").read_text(encoding="utf-8")
    # the key is the sheet with \printanswers and a heading in place of the name line
    header = ("\\noindent 이름: \\makebox[5cm]{\\hrulefill}\\hfill 학번: \\makebox[3cm]{\\hrulefill}\\hfill "
              "점수: \\fbox{\\rule{0pt}{1.2em}\\makebox[2.5em]{}}\\,/\\,20")
    assert key.replace("\\printanswers\n", "").replace("{\\Large\\bfseries 정답 및 풀이}", header) == sheet
    assert "\\documentclass[11pt,a4paper]{exam}" in sheet
    assert sheet == (ROOT / "outputs" / "seed004_221_network" / "worksheet.ko.tex").read_text(encoding="utf-8")


def test_key_path_and_extension(tmp_path):
    result = run("worksheet", SEED004, "-f", "tex", "-o", tmp_path / "sheet", "--key", tmp_path / "answers.tex",
                 "--lang", "en")
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in tmp_path.iterdir()) == ["answers.tex", "sheet.tex"]


def test_same_seed_gives_byte_identical_tex(tmp_path):
    for name, seed in (("a", 3), ("b", 3), ("c", 4)):
        assert run("worksheet", SEED004, "-f", "tex", "--variants", 5, "--seed", seed,
                   "-o", tmp_path / f"{name}.tex").exit_code == 0
    read = {p.name: p.read_bytes() for p in tmp_path.iterdir()}
    assert read["a.tex"] == read["b.tex"] and read["a-key.tex"] == read["b-key.tex"]
    assert read["a.tex"] != read["c.tex"]
    sheet = read["a.tex"].decode()
    labels = re.findall(r"\\renewcommand\{\\variantlabel\}\{(.*)\}", sheet)
    assert labels == [f"변형 {k} (시드 3)" for k in range(1, 6)]
    assert re.findall(r"\\renewcommand\{\\variantlabel\}\{(.*)\}", read["a-key.tex"].decode()) == labels
    # five different sets of givens
    givens = re.findall(r"\\subsection\*\{주어진 값\}(.*?)\\subsection", sheet, re.S)
    assert len(set(givens)) == 5


def test_one_file_per_variant(tmp_path):
    folder = tmp_path / "class"
    result = run("worksheet", SEED004, "-f", "tex", "--variants", 12, "--seed", 3, "-o", f"{folder}/")
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in folder.iterdir()) == sorted(
        [f"variant-{k:02d}.tex" for k in range(1, 13)] + [f"variant-{k:02d}-key.tex" for k in range(1, 13)])
    combined = tmp_path / "all.tex"
    assert run("worksheet", SEED004, "-f", "tex", "--variants", 12, "--seed", 3, "-o", combined).exit_code == 0
    seventh = (folder / "variant-07.tex").read_text(encoding="utf-8")
    assert "\\renewcommand{\\variantlabel}{변형 7 (시드 3)}" in seventh
    body = seventh.split("\\begin{document}\n")[1].split("\\end{document}")[0]
    assert body in combined.read_text(encoding="utf-8")


@pytest.mark.parametrize("args, message", [
    (["--variants", "3"], "has no [randomize] table to draw variants from"),
    (["--variants", "0"], "Invalid value for '--variants'"),
    (["--key", "k.pdf", "-o", "folder/"], "--key names one file; with -o folder/ every key goes into that folder"),
    (["-o", "missing/deeper/"], "missing/deeper/: the folder missing does not exist"),
    (["-o", "missing/sheet.pdf"], "missing/sheet.pdf: the folder missing does not exist"),
])
def test_bad_worksheet_commands(args, message, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    spec = SEED004.read_text(encoding="utf-8").split("# `derive worksheet")[0]
    (tmp_path / "spec.toml").write_text(spec, encoding="utf-8")
    if "-o" not in args:
        args = args + ["-o", "sheet.pdf"]
    result = run("worksheet", "spec.toml", *args)
    assert result.exit_code == 2
    assert message in result.output
    assert "Traceback" not in result.output
    assert sorted(p.name for p in tmp_path.iterdir()) == ["spec.toml"]


def test_nothing_is_written_when_one_document_fails(tmp_path, monkeypatch):
    real = pdf.compile_tex

    def failing(tex):
        if "\\printanswers" in tex:
            raise pdf.PdfError("XeLaTeX failed:\n  ./doc.tex:1: Undefined control sequence.")
        return real(tex) if pdf.available() else b"%PDF-1.5"

    monkeypatch.setattr(pdf, "compile_tex", failing)
    monkeypatch.setattr(pdf, "available", lambda: True)
    result = run("worksheet", SEED004, "-o", tmp_path / "sheet.pdf")
    assert result.exit_code == 1
    assert result.output.endswith("Error: XeLaTeX failed:\n  ./doc.tex:1: Undefined control sequence.\n")
    assert list(tmp_path.iterdir()) == []


def _shown(tex):
    """A value's LaTeX as pdftotext reads the PDF: a real minus sign."""
    return tex.replace("-", "\N{MINUS SIGN}")


@pytest.mark.parametrize("lang", ["en", "ko"])
def test_sheet_shows_the_givens_and_no_answer_key_shows_all(lang, tmp_path):
    require_tex()
    result = run("worksheet", SEED004, "--lang", lang, "-o", tmp_path / "sheet.pdf")
    assert result.exit_code == 0, result.output
    sheet, key = pdf_text(tmp_path / "sheet.pdf"), pdf_text(tmp_path / "sheet-key.pdf")
    words = {"en": ["Given values", "The model", "Compute the forward pass.", "(5 points)"],
             "ko": ["주어진 값", "모델", "순전파를 계산하시오.", "(5점)"]}[lang]
    for word in words:
        assert word in sheet and word in key
    # the header: name, student number, and a box for the score out of the sheet's points
    header = {"en": ["Name:", "Student number:", "Score:", "/ 20"], "ko": ["이름:", "학번:", "점수:", "/ 20"]}[lang]
    assert all(word in sheet.split("\n\n")[0] + sheet for word in header)
    assert "(5 점)" not in sheet and "Student number" not in key and "학번" not in key
    for given in ("= 0.5", "= 0.3", "= 0.7", "= 0.4", "= 0.1"):
        assert given in sheet
    shown = [_shown(b.answer) for q in seed004_sheet(lang).questions for b in q.blanks]
    assert len(shown) == 20
    for answer in shown:
        assert answer not in sheet, answer
        assert answer in key, answer
    assert {"en": "Answer key", "ko": "정답 및 풀이"}[lang] in key
    assert {"en": "Solution:", "ko": "풀이:"}[lang] in key and {"en": "Solution:", "ko": "풀이:"}[lang] not in sheet
    # the worked solution is under the questions: the chain rule with numbers
    assert "−2 (0.7 − 0.4946) · 0.4 · 0.5523 (1 − 0.5523) · 0.5" in " ".join(key.split())


def test_class_set_in_one_pdf(tmp_path):
    require_tex()
    result = run("worksheet", SEED004, "--variants", 3, "--seed", 11, "--lang", "en", "-o", tmp_path / "class.pdf")
    assert result.exit_code == 0, result.output
    assert "Compiling with XeLaTeX" in result.output
    checked, graph = derive.build(SEED004)
    key = pdf_text(tmp_path / "class-key.pdf")
    # printed on both sides, each variant starts on a sheet of paper of its own: an odd page,
    # in the sheets and in the keys; the blank page before one is truly blank
    for document in ("class.pdf", "class-key.pdf"):
        pages = pdf_text(tmp_path / document).split("\f")[:-1]
        starts = [n for n, text in enumerate(pages, 1) if re.search(r"(Name:|Answer key)", text)]
        assert len(starts) == 3 and all(n % 2 == 1 for n in starts), (document, starts)
        for n, text in enumerate(pages, 1):
            if n + 1 in starts and not text.strip("Variant0123456789 ()seed-,.\n"):
                assert "Variant" in text  # the running header only
    sheet_starts = [n for n, text in enumerate(pdf_text(tmp_path / "class.pdf").split("\f")[:-1], 1)
                    if "Name:" in text]
    for page, variant in zip(sheet_starts, variants.make(graph, checked.randomize, 3, 11)):
        text = pdf_text(tmp_path / "class.pdf", page, page + 1)
        assert f"Variant {variant.number} (seed 11)" in text and f"Variant {variant.number} (seed 11)" in key
        for name, value in variant.drawn:
            assert _shown(f"{name} = {plain_decimal(value)}") in text
        sheet = worksheet.sheet(derive.derivation(checked, variant.graph, steps=1), derive.Options(lang="en"), variant)
        for question in sheet.questions:
            for blank in question.blanks:
                assert _shown(blank.answer) in key
    assert len(set(pdf_text(tmp_path / "class.pdf", p, p) for p in sheet_starts)) == 3


def test_class_set_one_pdf_each(tmp_path):
    require_tex()
    result = run("worksheet", SEED001, "--variants", 2, "--seed", 5, "-o", f"{tmp_path}/")
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in tmp_path.iterdir()) == ["variant-1-key.pdf", "variant-1.pdf",
                                                         "variant-2-key.pdf", "variant-2.pdf"]
    for k in (1, 2):
        for name in (f"variant-{k}.pdf", f"variant-{k}-key.pdf"):
            assert f"변형 {k} (시드 5)" in pdf_text(tmp_path / name)


def test_working_space_under_each_question():
    """Ruled lines on the sheet (the exam class's solutionorlines), the worked solution in
    the key: by default three lines and one a blank, at most 14; or as asked."""
    (_, sheet, key), = derive.worksheets(SEED004, lang="en")
    spaces = re.findall(r"\\begin\{solutionorlines\}\[(.*?)\]", sheet)
    assert spaces == ["8\\linefillheight", "4\\linefillheight", "9\\linefillheight", "9\\linefillheight",
                      "5\\linefillheight"]  # 5, 1, 6, 6 and 2 blanks
    assert re.findall(r"\\begin\{solutionorlines\}\[(.*?)\]", key) == spaces  # one source, answers shown
    for asked, length in (("5cm", "5cm"), ("8", "8\\linefillheight"), ("2lines", "2\\linefillheight"),
                          ("0", "0\\linefillheight"), ("40mm", "40mm")):
        (_, sheet, _), = derive.worksheets(SEED004, lang="en", space=asked)
        assert set(re.findall(r"\\begin\{solutionorlines\}\[(.*?)\]", sheet)) == {length}
    xor = derive.worksheets(ROOT / "examples" / "seed002_xor_network.toml", lang="en")[0][1]
    assert "14\\linefillheight" in xor  # 40 forward blanks: no booklet


@pytest.mark.parametrize("space", ["lots", "41", "30cm", "-1cm", "5 furlongs"])
def test_bad_working_space_is_one_line(space, tmp_path):
    result = run("worksheet", SEED004, "--space", space, "-f", "tex", "-o", tmp_path / "s.tex")
    assert result.exit_code == 2 and len(result.output.splitlines()) == 1
    assert "is not auto, a number of lines (up to 40, as 8 or 8lines) or a length up to 25 cm" in result.output
    assert list(tmp_path.iterdir()) == []


def test_duplex_is_for_class_sets_unless_asked():
    one = derive.worksheets(SEED004, variants_count=2, seed=3, lang="en")[0][1]
    assert "\\ifodd\\value{page}" in one
    off = derive.worksheets(SEED004, variants_count=2, seed=3, lang="en", duplex=False)[0][1]
    assert "\\ifodd" not in off and "\\newpage" in off
    assert "\\ifodd" not in derive.worksheets(SEED004, lang="en")[0][1]


def test_factor_blanks_ask_every_chain_link_a_point_each():
    """--blanks factors: the chain's eleven links of seed 004, from the loss down, each a
    blank worth a point; the key gives each one's formula and value (a given number as it
    is written); checking knows the keys and counts them in the maximum."""
    solution = derive.solve(SEED004)
    sheet = worksheet.sheet(solution, derive.Options(lang="en"), blanks="factors")
    question = sheet.questions[2]
    assert question.prompt == "Compute each local derivative of the chain at the forward values."
    answers = {b.lhs: b.answer for b in question.blanks}
    assert question.points == 11 and sheet.total == 31
    assert answers[r"\frac{\partial L}{\partial \hat{y}}"] == "-0.4108"       # 2(0.4946 - 0.7)
    assert answers[r"\frac{\partial a_{1}}{\partial z_{1}}"] == "0.2473"      # a1 (1 - a1)
    assert answers[r"\frac{\partial \hat{y}}{\partial a_{1}}"] == "0.4"       # w5, as given
    assert answers[r"\frac{\partial z_{1}}{\partial w_{3}}"] == "0.3"         # x2, as given
    from derive.engine import check

    keys = check.sheet_keys(solution, factors=True)
    assert keys[6:17] == ["factors.L.yhat", "factors.yhat.w5", "factors.yhat.w6", "factors.yhat.a1",
                          "factors.yhat.a2", "factors.a2.z2", "factors.a1.z1", "factors.z2.w2", "factors.z2.w4",
                          "factors.z1.w1", "factors.z1.w3"]
    report = derive.check_answers(SEED004, {"factors": {"L": {"yhat": -0.4108}, "a1": {"z1": 0.3}},
                                            "forward": {"a1": 0.6}})
    statuses = {r.key: r.status for r in report.results}
    # a1 = 0.6 is wrong; a1 (1 - a1) from it is 0.24, so 0.3 is wrong too; dL/dyhat is right
    assert statuses == {"forward.a1": "wrong", "factors.L.yhat": "right", "factors.a1.z1": "wrong"}
    assert report.maximum == 31
    carried = derive.check_answers(SEED004, {"factors": {"a1": {"z1": 0.24}}, "forward": {"a1": 0.6}})
    assert {r.key: r.status for r in carried.results}["factors.a1.z1"] == "carried"


def test_factor_blanks_are_for_one_sample_and_named_choices(tmp_path):
    result = run("worksheet", ROOT / "examples" / "seed002_xor_network.toml", "--blanks", "factors", "-f", "tex",
                 "-o", tmp_path / "s.tex")
    assert result.exit_code == 2 and result.output == (
        "Error: blanks: factors asks each chain link once, so it is for a spec with one sample\n")
    result = run("worksheet", SEED004, "--blanks", "factors", "-f", "tex", "-o", tmp_path / "f.tex",
                 "--answers-template", tmp_path / "f.csv")
    assert result.exit_code == 0, result.output
    header = (tmp_path / "f.csv").read_text(encoding="utf-8").splitlines()[0].split(",")
    assert len(header) == 1 + 31 and "factors.a1.z1" in header
