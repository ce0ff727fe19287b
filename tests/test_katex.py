"""Every math span of every Markdown file in outputs/ parses in the real KaTeX, both the
0.11.1 that Velog pins and the current release, with throwOnError and strict "error"."""

import json
import os
import re
import shutil
import subprocess

import pytest

from conftest import ROOT

KATEX = ROOT / "tests" / "katex"
INSTALL = "npm ci --prefix tests/katex"

#: Each flavour's math, display (on lines of its own) or inline; the mathjax flavour's is
#: escaped for Markdown (every punctuation mark after a backslash), so its delimiters are too
SPANS = {
    "github": re.compile(r"^```math\n(?P<display>.*?)\n```$|\$`(?P<inline>.+?)`\$", re.S | re.M),
    "kramdown": re.compile(r"^\$\$\n(?P<display>.*?)\n\$\$$|\$\$(?P<inline>.+?)\$\$", re.S | re.M),
    "katex": re.compile(r"^\$\$\n(?P<display>.*?)\n\$\$$|\$(?P<inline>.+?)\$", re.S | re.M),
    "pandoc": re.compile(r"^\$\$\n(?P<display>.*?)\n\$\$$|\$(?P<inline>.+?)\$", re.S | re.M),
    "mathjax": re.compile(r"^\\\\\\\[\n(?P<display>.*?)\n\\\\\\\]$|\\\\\\\((?P<inline>(?:\\.|[^\\\n])+?)\\\\\\\)",
                          re.S | re.M),
}
_ESCAPED = re.compile(r"\\([!-/:-@\[-`{-~])")


def math_spans_of(text, flavor):
    """[(tex, display)] of a Markdown page, in the order of the page, found by its
    flavour's delimiters (the mathjax flavour's TeX unescaped, as Markdown reads it)."""
    spans = []
    for match in SPANS[flavor].finditer(text):
        display = match.group("display") is not None
        tex = match.group("display" if display else "inline")
        spans.append((_ESCAPED.sub(r"\1", tex) if flavor == "mathjax" else tex, display))
    return spans


def math_spans(path):
    """[(tex, display)] of a Markdown file of outputs/ (named FLAVOR.LANG.md)."""
    return math_spans_of(path.read_text(encoding="utf-8"), path.name.split(".")[0])


MARKDOWN = sorted((ROOT / "outputs").rglob("*.md"))


@pytest.fixture(scope="module")
def katex():
    if not (KATEX / "node_modules" / "katex-current").is_dir() or not shutil.which("node"):
        if os.environ.get("CI"):
            pytest.fail(f"KaTeX is not installed; .ci/run installs it with: {INSTALL}")
        pytest.skip(f"KaTeX is not installed; install it with: {INSTALL}")

    def check(spans):
        result = subprocess.run(["node", str(KATEX / "check.js")], input=json.dumps(
            [{"tex": tex, "display": display} for tex, display in spans]), capture_output=True, text=True,
            check=True, cwd=KATEX)
        return json.loads(result.stdout)

    return check


@pytest.mark.parametrize("path", MARKDOWN, ids=[f"{p.parent.name}/{p.name}" for p in MARKDOWN])
def test_every_math_span_parses(katex, path):
    spans = math_spans(path)
    assert len([s for s in spans if s[1]]) >= 2 and len([s for s in spans if not s[1]]) >= 3, "delimiters not found"
    failures = katex(spans)
    assert failures == [], "\n".join(f"{f['version']}: {f['error']}\n  in {f['tex'][:200]}" for f in failures)


def test_katex_rejects_what_it_should(katex):
    """The check is real: the environments KaTeX lacks, and Hangul outside \\text, fail."""
    bad = [(r"\begin{align} x &= 1 \end{align}", True), ("손실 = 1", False), (r"\frac{1}{", False)]
    failures = katex(bad)
    assert {f["tex"] for f in failures} == {tex for tex, _ in bad}
    assert {f["version"].split()[0] for f in failures} == {"0.11.1", "current"}


@pytest.mark.parametrize("path", [p for p in MARKDOWN if p.name.startswith("katex.")],
                         ids=[f"{p.parent.name}/{p.name}" for p in MARKDOWN if p.name.startswith("katex.")])
def test_katex_flavor_inline_has_no_inner_spaces(path):
    for tex, display in math_spans(path):
        if not display:
            assert tex == tex.strip(), tex
