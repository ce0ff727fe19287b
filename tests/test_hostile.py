"""A stranger's spec or answers file, through every output: the hostile corpus of
tests/hostile.py as titles, [symbols], names, equations and answers keys.

Accepted text stays text in every format: Markdown read by GitHub's own engine (cmark-gfm)
makes no link, image, strikethrough or HTML of it, and Jekyll sees no Liquid tag; the HTML
page holds no script and nothing ran when Chromium opened it; every .tex holds nothing but
what derive writes; the PDF, decompressed, holds no file's contents and no action; a script
imports only json and its library. Refused text gets one line and exit status 2.
"""

import ast
import copy
import json
import re
import zlib

import pytest
from click.testing import CliRunner

import derive
import hostile
from conftest import ROOT, require_tex
from derive.output import pdf, render, safety
from derive.views import worksheet
from derive.cli import main
from derive.errors import SpecError
from test_pictures import open_in_chromium

SEED004 = ROOT / "examples" / "seed004_221_network.toml"
ACCEPTED_TITLES = [t for t in hostile.ALL if t.isprintable() and len(t) <= 200]


def with_title(title):
    spec = copy.deepcopy(hostile.GRAPH)
    spec["title"] = title
    return spec


def markdown_pages(solution):
    return {flavor: solution.to_markdown(flavor=flavor, lang="en") for flavor in ("github", "kramdown", "katex",
                                                                                 "mathjax")}


def rendered(text, flavor):
    """What a site makes of Markdown: GitHub's own engine (cmark-gfm, autolinks and
    strikethrough on) for the flavours of GitHub-like sites, plain CommonMark for Jekyll's;
    raw HTML passed through, as a site that trusted it would."""
    import cmarkgfm
    from cmarkgfm.cmark import Options

    if flavor == "kramdown":
        return cmarkgfm.markdown_to_html(text, options=Options.CMARK_OPT_UNSAFE)
    return cmarkgfm.github_flavored_markdown_to_html(text, options=Options.CMARK_OPT_UNSAFE)


def dangers(html, allowed=()):
    """The elements and attributes of ``html`` that would do something: a script, an image
    or frame, a link, a strikethrough, a style or base, an event handler, a javascript: URL."""
    from html.parser import HTMLParser

    found = []

    class Reader(HTMLParser):
        def handle_starttag(self, tag, attrs):
            if tag in ("script", "img", "iframe", "a", "del", "style", "base", "meta", "object", "embed", "link",
                       "form", "input") and tag not in allowed:
                found.append(tag)
            for name, value in attrs:
                if name.startswith("on") or "javascript:" in (value or "").lower().replace(" ", ""):
                    found.append(f"{tag} {name}")

    Reader().feed(html)
    return found


@pytest.mark.parametrize("title", ACCEPTED_TITLES, ids=range(len(ACCEPTED_TITLES)))
def test_a_hostile_title_is_text_everywhere(title):
    solution = derive.solve(with_title(title))
    for flavor, page in markdown_pages(solution).items():
        heading = page.splitlines()[0]
        html = rendered(heading, flavor)
        assert dangers(html) == [], (flavor, heading, html)
        if flavor == "kramdown":
            assert "{{" not in page and "{%" not in page, heading
    body = solution.to_html()
    content = body[body.index("<body>"):]
    assert dangers(content) == [], content[:500]
    for text in (solution.to_latex(), solution.to_latex(standalone=False),
                 render.worksheet([worksheet.sheet(solution, derive.Options(lang="en"))], "en")):
        assert safety.guarded(text) == text and "^^" not in text and "\\input" not in text
    assert json.loads(solution.to_json())["title"] == title
    for library in ("numpy", "torch"):
        tree = ast.parse(solution.to_script(library))
        assert {a.name for n in ast.walk(tree) if isinstance(n, (ast.Import, ast.ImportFrom)) for a in n.names} \
            == {"json", "sys", library}


@pytest.mark.parametrize("title", [t for t in hostile.ALL if t not in ACCEPTED_TITLES])
def test_a_title_with_control_characters_is_refused(title):
    with pytest.raises(SpecError) as err:
        derive.solve(with_title(title))
    assert "\n" not in str(err.value) and "\x1b" not in str(err.value)


@pytest.mark.parametrize("latex", hostile.SYMBOLS, ids=range(len(hostile.SYMBOLS)))
def test_hostile_symbols_are_refused_in_one_line(latex, tmp_path):
    spec = tmp_path / "spec.toml"
    spec.write_text('[graph]\nequations = ["q = x + y"]\nvalues = { x = 1, y = 2 }\n[symbols]\nx = '
                    + json.dumps(latex) + "\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["solve", str(spec), "-f", "html"])
    assert result.exit_code == 2, result.output
    lines = result.output.splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"Error: {spec}: symbols.x: ")
    assert "\x1b" not in result.output


@pytest.mark.parametrize("text", hostile.ALL, ids=range(len(hostile.ALL)))
def test_hostile_names_and_equations_are_refused_in_one_line(text, tmp_path):
    for spec_text in ('[graph]\nequations = [' + json.dumps("f = " + text) + ']\n',
                      '[graph]\nequations = ["f = x"]\nvalues = { ' + json.dumps(text) + ' = 1 }\n'):
        spec = tmp_path / "spec.toml"
        spec.write_text(spec_text, encoding="utf-8")
        result = CliRunner().invoke(main, ["solve", str(spec)])
        assert result.exit_code == 2, result.output
        assert result.output.count("\n") == 1 and result.output.startswith("Error: ")
        assert "\x1b" not in result.output and "\u202e" not in result.output


@pytest.mark.parametrize("key", hostile.ALL, ids=range(len(hostile.ALL)))
def test_hostile_answers_keys_are_listed_harmlessly(key, tmp_path):
    answers = tmp_path / "answers.json"
    answers.write_text(json.dumps({"forward": {key: 0.5}}), encoding="utf-8")
    for fmt in ("text", "md"):
        result = CliRunner().invoke(main, ["check", str(SEED004), str(answers), "-f", fmt, "--lang", "en"])
        # listed, not checked: exit 1, the key on one line with nothing but letters,
        # digits and . _ [ ] - (any other character as ?)
        assert result.exit_code == 1, result.output
        listed = [line for line in result.output.splitlines() if "names no quantity" in line]
        assert len(listed) == 1
        shown = listed[0].removeprefix("- `").split("`: ")[0] if fmt == "md" else listed[0].split(": ")[0]
        assert re.fullmatch(r"[\w.\[\]?-]{1,59}…?", shown), shown
        assert "\x1b" not in result.output and "\u202e" not in result.output and "<" not in result.output


def test_nothing_runs_when_the_page_is_opened(tmp_path):
    """Every XSS payload as a title, the page opened in Chromium with script on: the title
    the page shows is its own, and no element carries an event handler."""
    pages = []
    for k, payload in enumerate(hostile.XSS):
        page = tmp_path / f"page{k}.html"
        page.write_text(derive.solve(with_title(payload)).to_html(), encoding="utf-8")
        pages.append(page)
        fragment = derive.solve(with_title(payload))._repr_html_()
        assert dangers(fragment, allowed=("style",)) == []
    for page in pages:
        asked, dom = open_in_chromium(page, tmp_path / page.stem, "--dump-dom")
        assert asked == set()
        assert "<title>pwned</title>" not in dom  # no handler ran
        assert dangers(dom[dom.index("<body>"):]) == []


def test_a_pdf_holds_no_file_and_no_action(tmp_path):
    """The TeX payloads as titles, compiled: the PDF's streams, decompressed, hold neither
    the password file nor a JavaScript action."""
    require_tex()
    title = " ".join(hostile.TEX)[:200]
    document = derive.solve(with_title(title)).to_latex()
    data = pdf.compile_tex(document)
    streams = [_inflated(m.group(1)) for m in re.finditer(rb"stream\r?\n(.*?)\r?\nendstream", data, re.S)]
    everything = data + b"".join(streams)
    assert b"root:x:0:0" not in everything
    assert b"/JavaScript" not in everything and b"/OpenAction" not in everything and b"/Launch" not in everything


def _inflated(stream):
    """A PDF stream decompressed where it is deflated, else as it is (a font program, or a
    stream whose first byte only happens to look like zlib's)."""
    try:
        return zlib.decompressobj().decompress(stream)
    except zlib.error:
        return stream


def graph_spec(equations, values):
    return "[graph]\nequations = " + json.dumps(equations) + "\nvalues = { " + ", ".join(
        f"{k} = {v}" for k, v in values.items()) + " }\n"


# the review's cases, each refused in one line (bench/run.py limits times the exploding ones)
REFUSED = {
    "x ** y at y = 1e300": (graph_spec(["f = x ** y"], {"x": 0.5, "y": "1e300"}), "beyond the 1000"),
    "x ** y at y = 1e7": (graph_spec(["f = x ** y"], {"x": 2, "y": "1e7"}), "beyond the 1000"),
    "x * x at x = 1e200": (graph_spec(["f = x * x"], {"x": "1e200"}), "too large to compute with"),
    "0.5 ** -1000": (graph_spec(["f = x * 0.5 ** -1000"], {"x": 1}), "outside the range"),
    "max(x, sqrt(-1))": (graph_spec(["f = max(x, sqrt(-1))"], {"x": 1}), "not a real number"),
    "x * step(0/0)": (graph_spec(["f = x * step(0/0)"], {"x": 1}), "undefined"),
    "cos(1/leaky_relu(0, x))": (graph_spec(["f = cos(1/leaky_relu(0, x))"], {"x": -1}), "undefined"),
    "tanh(exp(y)) at y = 1e300": (graph_spec(["f = tanh(exp(y))"], {"y": "1e300"}), "too large"),
    "(1e-300*1e-300)**2 + x": (graph_spec(["f = (1e-300*1e-300)**2 + x"], {"x": 1}), "outside the range"),
    "abs(sqrt(-4))": (graph_spec(["f = abs(sqrt(-4)) + x"], {"x": 1}), "not a real number"),
    "log(x) * 0 at x = -1": (graph_spec(["f = log(x) * 0 + x"], {"x": -1}), "log of -1"),
    "a # comment": (graph_spec(["f = x # + y"], {"x": 1}), "'#' is not allowed"),
    "a name _": (graph_spec(["f = 2 * _"], {"_": 1}), "does not start with a letter"),
    "a name _x_": (graph_spec(["f = 2 * _x_"], {"_x_": 1}), "does not start with a letter"),
    "TOML nested 500 deep": ("a = " + "[" * 500 + "]" * 500 + "\n", "nested"),
    "a 300-300-1 network": (None, "at most 5000"),
    "a 1000-1000-1 network's file": (None, "larger than 1 MB"),
    "2000 samples": (None, "at most 10000"),
    "cross_entropy after sigmoid": (None, "needs a softmax output layer"),
}


def _network_text(samples=1, width=2, loss="squared_error"):
    import sys

    sys.path.insert(0, str(ROOT / "bench"))
    from specs import network

    text = network([width, width, 1], samples=samples)
    return text.replace("'mse'", f"'{loss}'")


@pytest.mark.parametrize("case", REFUSED, ids=list(REFUSED))
def test_the_reviews_cases_are_refused_in_one_line(case, tmp_path):
    text, message = REFUSED[case]
    if case == "a 300-300-1 network":
        text = _network_text(width=300)
    elif case == "a 1000-1000-1 network's file":
        text = _network_text(width=1000)
    elif case == "2000 samples":
        text = _network_text(samples=2000)
    elif case == "cross_entropy after sigmoid":
        text = _network_text(loss="cross_entropy")
    spec = tmp_path / "spec.toml"
    spec.write_text(text, encoding="utf-8")
    result = CliRunner().invoke(main, ["solve", str(spec), "-f", "json"])
    assert result.exit_code == 2, result.output
    assert result.output.count("\n") == 1 and message in result.output, result.output


def test_refused_files_and_options(tmp_path):
    """The command line's side: an answers file with a key twice, a value beyond range,
    --rel-tol nan, a folder that is a file, an unreadable stream, a key that is the sheet."""
    runner = CliRunner()
    answers = tmp_path / "a.json"
    answers.write_text('{"forward": {"a1": 0.5, "a1": 0.6}}', encoding="utf-8")
    for args, message in (
            (["check", str(SEED004), str(answers)], "is given twice in one object"),
            (["check", str(SEED004), str(answers), "--rel-tol", "nan"], "nan is not a finite number"),
            (["worksheet", str(SEED004), "-o", str(answers) + "/"], "is a file, not a folder"),
            (["solve", "/dev/zero"], "larger than 1 MB"),
            (["worksheet", str(SEED004), "-f", "tex", "-o", str(tmp_path / "s.tex"), "--key", str(tmp_path / "s.tex")],
             "is the sheet itself")):
        result = runner.invoke(main, args)
        assert result.exit_code == 2 and message in result.output, (args, result.output)
    answers.write_text('{"forward": {"a1": 1e400}}', encoding="utf-8")
    result = runner.invoke(main, ["check", str(SEED004), str(answers)])
    assert result.exit_code == 2 and "outside the range" in result.output
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.json"]  # nothing half-written


def test_a_byte_order_mark_and_a_tiny_value_read_well(tmp_path):
    spec = tmp_path / "bom.toml"
    spec.write_text("\ufeff" + graph_spec(["f = x * y"], {"x": "1e-300", "y": 2}), encoding="utf-8")
    result = CliRunner().invoke(main, ["solve", str(spec), "--lang", "en"])
    assert result.exit_code == 0, result.output
    assert "| $`x`$ | 1×10⁻³⁰⁰ |" in result.output  # not 302 characters
    assert r"= \left(1 \times 10^{-300}\right) \cdot 2 = 2.000 \times 10^{-300}" in result.output


def test_a_korean_title_in_an_english_pdf_has_its_glyphs():
    require_tex()
    from conftest import pdf_text

    solution = derive.solve(with_title("손실 함수 예제"))
    assert "\\usepackage{kotex}" in solution.to_latex(lang="en")
    assert "손실 함수 예제" in pdf_text(pdf.compile_tex(solution.to_latex(lang="en")))


def test_all_or_none(tmp_path):
    """A page and its pictures are written together or not at all: with the picture's
    name taken by a folder, the page is not written either."""
    (tmp_path / "page.network.svg").mkdir()
    result = CliRunner().invoke(main, ["solve", str(SEED004), "-o", str(tmp_path / "page.md")])
    assert result.exit_code == 2 and "is a folder" in result.output
    assert sorted(p.name for p in tmp_path.iterdir()) == ["page.network.svg"]


def test_sigterm_leaves_nothing_behind(tmp_path):
    """SIGTERM while a class set compiles: the TeX runs stop, their folders and every
    temporary file go, and no sheet is written."""
    import os
    import signal
    import subprocess
    import sys
    import time

    require_tex()
    temporary = tmp_path / "tmp"
    temporary.mkdir()
    out = tmp_path / "out"
    out.mkdir()
    process = subprocess.Popen([sys.executable, "-m", "derive.cli", "worksheet", str(SEED004), "--variants", "6",
                                "-o", str(out / "class.pdf")], cwd=ROOT, env={**os.environ, "TMPDIR": str(temporary)},
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 60
    while not any(temporary.glob("derive-pdf-*")) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert any(temporary.glob("derive-pdf-*")), "no compile started"
    process.send_signal(signal.SIGTERM)
    process.wait(timeout=60)
    assert process.returncode != 0
    assert list(temporary.iterdir()) == [] and list(out.iterdir()) == []
