"""Pictures and the HTML page: well-formed SVG with a node per neuron, simplification of
big layers, TikZ and pgfplots compiled, Markdown linking its pictures, and the page
opened in real headless Chromium, loading nothing from anywhere."""

import json
import os
import re
import shutil
import subprocess
import xml.etree.ElementTree as ET

import pytest
from click.testing import CliRunner

import derive
from conftest import ROOT, pdf_text, require_tex
from derive.views import diagram
from derive.output import pdf
from derive.output import render
from derive.cli import main

SVG = "{http://www.w3.org/2000/svg}"
SEED004 = ROOT / "examples" / "seed004_221_network.toml"
SEED001 = ROOT / "examples" / "seed001_graph_xyz.toml"
XOR = ROOT / "examples" / "seed002_xor_network.toml"
STEPS = ROOT / "examples" / "neuron_ten_steps.toml"


def svg_of(spec, kind="picture", lang="en"):
    solution = derive.solve(spec)
    return ET.fromstring(render.svg(render.pictures(solution, solution.options.but(lang=lang))[kind]))


def groups(root, kind):
    return [g for g in root.iter(f"{SVG}g") if g.get("class") == kind]


def text_of(element):
    return "".join("".join(element.itertext()).split())


def test_network_svg_has_a_node_per_neuron():
    root = svg_of(SEED004)
    assert [g.get("data-key") for g in groups(root, "input")] == ["x1", "x2"]
    assert [g.get("data-key") for g in groups(root, "unit")] == ["a1", "a2"]
    assert [g.get("data-key") for g in groups(root, "output")] == ["yhat"]
    assert [g.get("data-key") for g in groups(root, "loss")] == ["L"]
    assert [text_of(g) for g in groups(root, "unit")] == ["a10.5523", "a20.5474"]
    labels = [text_of(t) for t in root.iter(f"{SVG}text") if t.get("class") == "label"]
    assert labels == ["w1=0.3", "w3=0.2", "w2=0.2", "w4=0.3", "w5=0.4", "w6=0.5"]
    assert len(list(root.iter(f"{SVG}line"))) == 4 + 2 + 1
    assert root.find(f"{SVG}title").text == "The network with the given weights and the forward values."


def test_xor_network_shows_sample_one():
    root = svg_of(XOR)
    assert len(groups(root, "input")) == 3 and len(groups(root, "unit")) == 4 and len(groups(root, "output")) == 1
    assert root.find(f"{SVG}title").text.endswith("forward values of sample 1.")


def test_graph_svg_is_a_circuit():
    root = svg_of(SEED001)
    assert [g.get("data-key") for g in groups(root, "leaf")] == ["x", "y", "z"]
    assert [g.get("data-key") for g in groups(root, "op")] == ["q", "f"]
    values = [text_of(t) for t in root.iter(f"{SVG}text") if t.get("class") == "value"]
    gradients = [text_of(t) for t in root.iter(f"{SVG}text") if t.get("class") == "gradient"]
    # x, y into q; z, q into f; f out: value above, gradient below
    assert values == ["−2", "5", "−4", "3.000", "−12.00"]
    assert gradients == ["−4.000", "−4.000", "3.000", "−4.000", "1.000"]


def big_network(units):
    rows = ", ".join("[" + ", ".join("0.1" for _ in range(3)) + "]" for _ in range(units))
    return ("[network]\ninputs = { x1 = 1, x2 = 2, x3 = 3 }\ntargets = { y = 1 }\nloss = 'squared_error'\n"
            f"[[network.layers]]\nactivation = 'sigmoid'\nweights = [{rows}]\n"
            f"[[network.layers]]\nactivation = 'identity'\nweights = [[{', '.join('0.1' for _ in range(units))}]]\n")


@pytest.mark.parametrize("units", [4, 10, 11, 40])
def test_big_layers_are_simplified_clearly(units):
    laid = diagram.diagram(derive.solve(big_network(units)), derive.Options())
    root = ET.fromstring(render.svg(laid))
    shown = units if units <= 10 else 9  # the first 7, a box for the rest, the last 2
    assert len(groups(root, "unit")) == shown
    assert len(groups(root, "more")) == (units > 10)
    if units > 10:
        assert text_of(groups(root, "more")[0]) == f"⋮+{units - 9}"
        assert laid.notice.startswith("Columns of more than 10 units show their first and last units.")
    # 3 weights into each shown unit, one out of each: named while there are at most 40 wires
    wires = 3 * shown + shown + 1
    labels = [t for t in root.iter(f"{SVG}text") if t.get("class") == "label"]
    assert len(labels) == (4 * shown if wires <= 40 else 0)
    assert ("weights are listed with the given values" in laid.notice) == (wires > 40)
    assert laid.height <= 2 * (diagram.MARGIN + diagram.RADIUS) + 9 * diagram.ROW


def test_layout_is_deterministic():
    first, second = derive.solve(SEED004), derive.solve(SEED004)
    assert render.svg(diagram.diagram(first, first.options)) == render.svg(diagram.diagram(second, second.options))


def test_loss_curve():
    solution = derive.solve(STEPS)
    curve = diagram.curve(solution, solution.options)
    assert len(curve.points) == 11
    assert [label for _, label in curve.xticks] == [str(k) for k in range(11)]
    assert curve.marks[0][2] == "0.6444" and curve.marks[1][2] == "0.08635"
    root = ET.fromstring(render.svg(curve))
    assert len(root.find(f"{SVG}polyline").get("points").split()) == 11
    assert diagram.curve(derive.solve(SEED004), derive.Options()) is None  # one step: no curve


def test_markdown_links_its_pictures_or_inlines_them(tmp_path):
    result = CliRunner().invoke(main, ["solve", str(STEPS), "-o", str(tmp_path / "page.md")])
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in tmp_path.iterdir()) == ["page.loss.svg", "page.md", "page.network.svg"]
    page = (tmp_path / "page.md").read_text(encoding="utf-8")
    assert "![The network with the given weights and the forward values.](page.network.svg)" in page
    assert "![The loss before the first update and after each one.](page.loss.svg)" in page
    ET.fromstring((tmp_path / "page.loss.svg").read_text(encoding="utf-8"))
    solution = derive.solve(STEPS)
    assert "<svg" not in solution.to_markdown(flavor="github")
    for flavor in ("kramdown", "mathjax"):
        page = solution.to_markdown(flavor=flavor)
        assert page.count("<svg") == 2
        for block in re.findall(r"<svg.*?</svg>", page, re.S):
            assert "\n\n" not in block  # a blank line would end Markdown's HTML block
            ET.fromstring(block)


def test_tikz_and_pgfplots_compile(tmp_path):
    require_tex()
    text = pdf_text(pdf.compile_tex(derive.solve(STEPS).to_latex()))
    assert "The network with the given weights and the forward values." in text
    assert "The loss before the first update and after each one." in text
    graph = pdf_text(pdf.compile_tex(derive.solve(SEED001).to_latex(lang="ko")))
    assert "계산 그래프: 각 선 위에는 값" in graph
    for value in ("−12", "−4"):
        assert value in graph


def test_html_is_self_contained():
    page = derive.solve(SEED004).to_html(lang="en")
    assert page.startswith("<!DOCTYPE html>")
    assert '<meta name="viewport" content="width=device-width, initial-scale=1">' in page
    assert page.count("<svg") == 1 and "<math" in page
    # nothing that a browser would fetch: no script, stylesheet link, image source or url()
    for pattern in (r"<script", r"<link", r"<img", r"<iframe", r"\bsrc=", r"\bhref=", r"url\(", r"@import"):
        assert not re.search(pattern, page, re.I), pattern
    ET.fromstring(re.search(r"<svg.*?</svg>", page, re.S).group())


def test_html_pictures_keep_their_script_shifts_and_a_legible_least_width():
    """The sanitizer keeps each sub- and superscript's dy (without it every index would sit
    on the baseline), and a phone shrinks a picture only to 0.8 of its size, then scrolls."""
    page = derive.solve(XOR).to_html(lang="en")
    picture = re.search(r"<svg.*?</svg>", page, re.S).group()
    assert re.search(r'<tspan class="sub" dy="0\.\d{3}em">1</tspan>', picture)
    assert picture.count('class="sup" dy=') == picture.count('class="sup"') > 20
    width = float(re.search(r'viewBox="0 0 (\d+)', picture).group(1))
    assert f"figure.picture svg{{min-width:{round(width * 0.8)}px}}" in page
    assert '<figure class="picture">' in page


def _chromium():
    for name in ("chromium", "chromium-browser", "google-chrome"):
        if shutil.which(name):
            return shutil.which(name)
    if os.environ.get("CI"):
        pytest.fail("Chromium is missing; .ci/run installs Debian's chromium")
    pytest.skip("Chromium is not installed")


def open_in_chromium(page, folder, *extra):
    """Open ``page`` headless; return the URLs the page itself asked for (not the browser's
    own background traffic), from Chromium's network log."""
    log = folder / "net.json"
    result = subprocess.run([_chromium(), "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
                             f"--log-net-log={log}", f"--user-data-dir={folder / 'profile'}", *extra, page.as_uri()],
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr[-2000:]
    events = json.loads(log.read_text(encoding="utf-8"))
    start = events["constants"]["logEventTypes"]["URL_REQUEST_START_JOB"]
    return {e["params"]["url"] for e in events["events"] if e["type"] == start
            and "file://" in e["params"].get("network_isolation_key", "")}, result.stdout


def test_the_network_log_sees_a_page_that_loads_something(tmp_path):
    page = tmp_path / "bad.html"
    page.write_text('<html><body><img src="http://example.invalid/x.png"></body></html>', encoding="utf-8")
    asked, _ = open_in_chromium(page, tmp_path, "--dump-dom")
    assert asked == {"http://example.invalid/x.png"}


@pytest.mark.parametrize("spec, lang", [(SEED004, "ko"), (STEPS, "en"), (SEED001, "en")])
def test_html_opens_in_chromium(spec, lang, tmp_path):
    _chromium()
    page = tmp_path / "page.html"
    result = CliRunner().invoke(main, ["solve", str(spec), "-f", "html", "--lang", lang, "-o", str(page)])
    assert result.exit_code == 0, result.output
    asked, _ = open_in_chromium(page, tmp_path, "--window-size=420,900", f"--screenshot={tmp_path / 'phone.png'}")
    assert asked == set()  # nothing from anywhere
    png = (tmp_path / "phone.png").read_bytes()
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    assert int.from_bytes(png[16:20], "big") == 420  # a phone-wide screenshot
    _, dom = open_in_chromium(page, tmp_path / "again", "--dump-dom")
    assert dom.count("<svg") == (2 if spec == STEPS else 1) and "<math" in dom
    assert page.read_text(encoding="utf-8") == derive.solve(spec).to_html(lang=lang)
