"""-f docx: the worked solution as a Word document with Word's own equations, opened with
python-docx and read back: one display equation a line of working, each ending in the
result the Markdown page prints, no TeX left as text, the pictures inside."""

import json
import os
import re
import sys
import zipfile
from io import BytesIO

import pytest
from click.testing import CliRunner

import derive
from conftest import ROOT
from derive.cli import main
from derive.views import present

MATH = "{http://schemas.openxmlformats.org/officeDocument/2006/math}"
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"

CASES = [("seed004_221_network", "ko"), ("seed004_221_network", "en"), ("seed002_xor_network", "ko"),
         ("seed001_graph_xyz", "en"), ("neuron_ten_steps", "en"), ("softplus_221_network", "en")]

SOFTMAX = """
title = "Softmax and cross-entropy"
lang = "en"
[network]
inputs = { x1 = 1.0, x2 = -0.5 }
targets = { y1 = 1, y2 = 0, y3 = 0 }
loss = "cross_entropy"
[[network.layers]]
activation = "softmax"
weights = [[0.2, -0.1], [0.4, 0.3], [-0.3, 0.1]]
bias = [0.0, 0.1, -0.1]
[train]
learning_rate = 0.5
"""


def _docx():
    pytest.importorskip("docx", reason="python-docx reads the documents: pip install '.[test]'")
    try:
        import pypandoc  # noqa: F401
    except ImportError:
        if os.environ.get("CI"):
            pytest.fail("pypandoc-binary is missing; .ci/run installs '.[test]'")
        pytest.skip("pypandoc-binary is not installed")
    import docx
    return docx


def _lines(solution, options):
    """Every line of working the page writes, in order."""
    view = present.view(solution, options.but(flavor="pandoc"))
    lines = []
    for step in view.steps:
        for block in step.forward:
            lines += block.lines
        lines += list(step.loss) + list(step.deltas) + list(step.backward) + list(step.updates)
    for block in view.after:
        lines += block.lines
    return lines


def _omml_text(element):
    return "".join(t.text or "" for t in element.iter(MATH + "t"))


@pytest.mark.parametrize("name,lang", CASES + [("softmax", "en")], ids=[f"{n}-{lang}" for n, lang in CASES + [("softmax", "en")]])
def test_one_equation_a_line_each_ending_in_its_printed_result(name, lang):
    docx = _docx()
    spec = SOFTMAX if name == "softmax" else ROOT / "examples" / f"{name}.toml"
    solution = derive.solve(spec, lang=lang)
    document = docx.Document(BytesIO(solution.to_docx()))
    body = document.element.body
    displays = list(body.iter(MATH + "oMathPara"))
    lines = _lines(solution, solution.options)
    assert len(displays) == len(lines)
    for display, line in zip(displays, lines):
        text = _omml_text(display)
        last_tex = line.rows[-1][1]
        # the equation ends in the number its last stage ends in, as pandoc's own math
        # (a minus sign becomes U+2212 in Word)
        wanted = re.findall(r"-?\d+\.\d+|-?\d+", last_tex.replace(" ", ""))[-1]
        assert text.replace("\u2212", "-").replace(" ", "").endswith(wanted), (text, last_tex)
    # nothing is left as TeX or as delimiters in the document's text
    words = "\n".join(p.text for p in document.paragraphs)
    words += "\n".join(cell.text for table in document.tables for row in table.rows for cell in row.cells)
    for raw in ("$", "\\frac", "\\begin", "\\cdot", "\\left", "\\text"):
        assert raw not in words, raw
    # the given values: one row a quantity, its symbol an inline equation
    given = document.tables[0]
    view = present.view(solution, solution.options.but(flavor="pandoc"))
    assert len(given.rows) == 1 + len(view.given)
    for row, quantity in zip(given.rows[1:], view.given):
        assert list(row.cells[0]._tc.iter(MATH + "oMath")), quantity.name
        if not quantity.math:
            assert row.cells[1].text == quantity.value


def test_headings_title_and_pictures():
    docx = _docx()
    solution = derive.solve(ROOT / "examples" / "neuron_ten_steps.toml")
    data = solution.to_docx()
    document = docx.Document(BytesIO(data))
    headings = [(p.style.name, p.text) for p in document.paragraphs if p.style.name.startswith("Heading")]
    assert headings[:3] == [("Heading 1", "One sigmoid neuron, ten steps"), ("Heading 2", "Given values"),
                            ("Heading 2", "Step 1")]
    archive = zipfile.ZipFile(BytesIO(data))
    media = [n for n in archive.namelist() if n.startswith("word/media/")]
    # PNG, which every word processor shows, at twice the SVG's size in pixels and marked
    # 192 pixels an inch, so that it prints at the SVG's own size
    assert len(media) == 2 and all(n.endswith(".png") for n in media)
    for name in media:
        png = archive.read(name)
        assert png[37:41] == b"pHYs" and png[41:50] == bytes.fromhex("00001d8700001d8701")
    assert len(document.inline_shapes) == 2
    captions = [p.text for p in document.paragraphs if p.text.startswith("The network with") or
                p.text.startswith("The loss before")]
    assert captions == ["The network with the given weights and the forward values.",
                        "The loss before the first update and after each one."]
    # the same spec gives the same document
    assert solution.to_docx() == data


def test_no_pictures():
    docx = _docx()
    solution = derive.solve(ROOT / "examples" / "seed004_221_network.toml")
    document = docx.Document(BytesIO(solution.to_docx(pictures="none")))
    assert len(document.inline_shapes) == 0


def test_a_hostile_title_stays_text(tmp_path):
    docx = _docx()
    title = "![x](/etc/passwd) <b>bold</b> $\\input{/etc/passwd}$ {{ site }} see @smith ^up^ ~sub~ {.red}"
    spec = (ROOT / "examples" / "seed001_graph_xyz.toml").read_text(encoding="utf-8").replace(
        'title = "f = (x + y) z"', f"title = {json.dumps(title)}")
    document = docx.Document(BytesIO(derive.solve(spec).to_docx()))
    assert document.paragraphs[0].text == title
    assert len(document.inline_shapes) == 1  # the graph alone: no picture came from the title


def test_the_command_writes_docx_by_extension(tmp_path):
    docx = _docx()
    target = tmp_path / "solution.docx"
    result = CliRunner().invoke(main, ["solve", str(ROOT / "examples" / "seed004_221_network.toml"), "-o",
                                       str(target), "--lang", "en"])
    assert result.exit_code == 0, result.output
    document = docx.Document(str(target))
    assert document.paragraphs[0].text == "2-2-1 신경망, 한 단계"
    styles = zipfile.ZipFile(target).read("word/styles.xml").decode("utf-8")
    assert re.search(r'<w:lang [^>]*w:val="en-US"', styles)  # Word proofs it as English


def test_docx_needs_a_file_and_says_what_to_install(tmp_path, monkeypatch):
    spec = str(ROOT / "examples" / "seed004_221_network.toml")
    result = CliRunner().invoke(main, ["solve", spec, "-f", "docx"])
    assert (result.exit_code, result.output) == (2, "Error: -f docx needs a file to write: give -o FILE.docx\n")
    monkeypatch.setitem(sys.modules, "pypandoc", None)
    target = tmp_path / "solution.docx"
    result = CliRunner().invoke(main, ["solve", spec, "-o", str(target)])
    # as for a PDF without XeLaTeX: the input was fine, the machine lacks a program (exit 1)
    assert (result.exit_code, result.output) == (
        1, "Error: -f docx needs pandoc, which the docx extra installs: pip install 'derive[docx]'\n")
    assert not target.exists()


def test_pandoc_flavour_is_one_display_a_line():
    """A line of one row is one equation; a line of several rows is one aligned equation."""
    solution = derive.solve(SOFTMAX)
    page = solution.to_markdown(flavor="pandoc")
    lines = _lines(solution, solution.options)
    assert page.count("$$\n") == 2 * len(lines)
    assert page.count("\\begin{aligned}") == sum(len(line.rows) > 1 for line in lines) > 0
    assert "$$\nL = " in page


def test_quotes_and_dashes_stay_as_written():
    docx = _docx()
    title = 'a -- b "q" ... it\'s'
    spec = {"title": title, "graph": {"equations": ["f = x * y"], "values": {"x": 1, "y": 2}}}
    document = docx.Document(BytesIO(derive.solve(spec).to_docx(pictures="none")))
    assert document.paragraphs[0].text == title
