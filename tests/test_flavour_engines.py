"""Each Markdown flavour through the Markdown engine of the site it is written for, then
opened in Chromium with that site's math renderer:

- kramdown: Jekyll's kramdown (input GFM, Jekyll's defaults), then MathJax 3;
- github: cmark-gfm, GitHub's own parser, then GitHub's math step (``$`…`$`` and the
  ``math`` fence become math), then MathJax 3;
- katex: Velog's pipeline (remark 11, remark-math 2, rehype-katex 3 with KaTeX 0.11.1);
- mathjax: CommonMark (with GFM's tables, as Tistory's editor writes them, and without),
  then MathJax 3.

In the opened page every math span the Markdown meant is typeset, holds exactly its TeX,
and typesets without error; no TeX is left in the text a reader sees; and the words,
headings and tables read the same in every flavour.

Everything runs from local files (tests/katex/node_modules and Debian's ruby-kramdown):
all pages of all flavours go through one run of each engine and one Chromium.
"""

import base64
import json
import os
import re
import shutil
import subprocess

import pytest

import derive
import hostile
from conftest import ROOT
from test_katex import INSTALL as INSTALL_NODE, KATEX, math_spans_of
from test_pictures import _chromium, open_in_chromium

INSTALL_KRAMDOWN = "apt-get install ruby-kramdown ruby-kramdown-parser-gfm"
MATHJAX = KATEX / "node_modules" / "mathjax" / "es5" / "tex-chtml.js"

#: softmax and cross-entropy, with a title full of Markdown's specials
SOFTMAX = {"title": "Softmax & cross-entropy, 2-2-2 *network* | two_steps <b>",
           "network": {"inputs": {"x1": 0.5, "x2": -0.3}, "targets": {"t1": 0, "t2": 1}, "loss": "cross_entropy",
                       "layers": [{"activation": "tanh", "weights": [[0.1, -0.2], [0.3, 0.25]], "bias": [0.05, -0.05]},
                                  {"activation": "softmax", "weights": [[0.6, -0.35], [0.2, 0.4]],
                                   "bias": [0.0, 0.1]}]},
           "train": {"learning_rate": 0.5, "steps": 2}}
PAGES = {"seed004.en": (ROOT / "examples" / "seed004_221_network.toml", "en"),
         "seed004.ko": (ROOT / "examples" / "seed004_221_network.toml", "ko"),
         "xor.ko": (ROOT / "examples" / "seed002_xor_network.toml", "ko"),
         "softmax.en": (SOFTMAX, "en"),
         "graph.en": (ROOT / "examples" / "seed001_graph_xyz.toml", "en")}

#: Jekyll's kramdown options (its defaults, math_engine mathjax) for a JSON list of pages
JEKYLL = """
require "json"
require "kramdown"
require "kramdown-parser-gfm"
options = {input: "GFM", hard_wrap: false, auto_ids: true, footnote_nr: 1, entity_output: :as_char,
           toc_levels: (1..6).to_a, smart_quotes: %w[lsquo rsquo ldquo rdquo], math_engine: "mathjax",
           syntax_highlighter: nil}
print JSON.generate(JSON.parse($stdin.read).map { |page| Kramdown::Document.new(page, options).to_html })
"""


def _missing(what, install):
    if os.environ.get("CI"):
        pytest.fail(f"{what} is not installed; .ci/run installs it with: {install}")
    pytest.skip(f"{what} is not installed; install it with: {install}")


def jekyll(pages):
    """kramdown as Jekyll runs it: GFM input, MathJax's delimiters for the math it finds."""
    if not shutil.which("ruby") or subprocess.run(["ruby", "-e", 'require "kramdown"; require "kramdown-parser-gfm"'],
                                                  capture_output=True).returncode:
        _missing("kramdown", INSTALL_KRAMDOWN)
    result = subprocess.run(["ruby", "-e", JEKYLL], input=json.dumps(pages), capture_output=True, text=True,
                            check=True)
    return json.loads(result.stdout)


_GITHUB_INLINE = re.compile(r"\$<code>(.*?)</code>\$", re.S)
_GITHUB_DISPLAY = re.compile(r'<pre(?: lang="math")?><code(?: class="language-math")?>(.*?)</code></pre>', re.S)


def github(pages):
    """GitHub's parser (raw HTML left out, as GitHub's sanitizer does), then its math step:
    a code span between dollars and a ``math`` fence become math (here in MathJax's own
    delimiters, the code's text untouched)."""
    import cmarkgfm

    made = []
    for page in pages:
        html = cmarkgfm.github_flavored_markdown_to_html(page)
        html = _GITHUB_DISPLAY.sub(lambda m: f'<div class="math-display">\\[{m.group(1)}\\]</div>', html)
        made.append(_GITHUB_INLINE.sub(lambda m: f'<span class="math-inline">\\({m.group(1)}\\)</span>', html))
    return made


def velog(pages):
    """Velog's remark and rehype pipeline: the math typeset by KaTeX on the server."""
    if not (KATEX / "node_modules" / "rehype-katex").is_dir() or not shutil.which("node"):
        _missing("Velog's remark and rehype-katex", INSTALL_NODE)
    result = subprocess.run(["node", str(KATEX / "velog.js")], input=json.dumps(pages), capture_output=True,
                            text=True, check=True, cwd=KATEX)
    return json.loads(result.stdout)


def tistory(pages, tables=True):
    """CommonMark, raw HTML kept (a blog's own pictures), with or without GFM's tables."""
    import cmarkgfm
    from cmarkgfm.cmark import Options

    extensions = ["table"] if tables else []
    return [cmarkgfm.markdown_to_html_with_extensions(p, options=Options.CMARK_OPT_UNSAFE, extensions=extensions)
            for p in pages]


#: (label, flavour, engine): each flavour as its sites read it
ENGINES = [("kramdown", "kramdown", jekyll), ("github", "github", github), ("katex", "katex", velog),
           ("mathjax", "mathjax", tistory), ("mathjax-commonmark", "mathjax", lambda p: tistory(p, tables=False))]

#: Run in the opened page once MathJax is done: for each article, its math in the order of
#: the page (the TeX the renderer read, display or inline, with or without an error), the
#: errors the renderers marked, the text a reader sees (math as ⟨math⟩) and its elements.
REPORT = r"""
function visible(node) {
  if (node.nodeType === 3) return node.data;
  if (node.nodeType !== 1) return "";
  if (node.matches("mjx-container, .katex, .katex-error")) return " \u27e8math\u27e9 ";
  if (node.matches("svg")) return "\n\u27e8picture\u27e9\n";
  if (node.matches("script, style, title")) return "";
  let text = "";
  for (const child of node.childNodes) text += visible(child);
  return /^(P|H[1-6]|TD|TH|TR|LI|DIV|BLOCKQUOTE|TABLE|PRE)$/.test(node.tagName) ? "\n" + text + "\n" : text;
}
function report(failure) {
  const items = new Map();
  for (const item of MathJax.startup.document.math) items.set(item.typesetRoot, item);
  const out = {failure: failure ? String(failure) : null, articles: {}};
  for (const article of document.querySelectorAll("article")) {
    const math = [];
    for (const node of article.querySelectorAll("mjx-container, .katex, .katex-error")) {
      const item = items.get(node);
      if (item) {
        const mml = MathJax.startup.toMML(item.root);
        math.push({tex: item.math, display: item.display, error: /<merror|mathcolor="red"/.test(mml)});
      } else if (node.matches(".katex")) {
        const tex = node.querySelector('annotation[encoding="application/x-tex"]');
        math.push({tex: tex && tex.textContent, display: !!node.closest(".katex-display"), error: false});
      }
    }
    const outside = (selector) => Array.from(article.querySelectorAll(selector))
      .filter((e) => !e.closest("mjx-container, .katex, svg")).length;
    const tags = {};
    for (const tag of ["table", "tr", "td", "th", "h1", "h2", "h3", "h4", "blockquote", "em", "strong", "code",
                       "pre", "ul", "ol", "li", "a", "del", "img", "hr", "br"]) tags[tag] = outside(tag);
    out.articles[article.id] = {
      math, tags, text: visible(article), svg: article.querySelectorAll("svg").length,
      errors: article.querySelectorAll("mjx-merror, [data-mjx-error], .katex-error").length,
    };
  }
  document.body.textContent = "";
  document.body.setAttribute("data-report", btoa(unescape(encodeURIComponent(JSON.stringify(out)))));
}
window.MathJax = {startup: {pageReady: () => MathJax.startup.defaultPageReady().then(() => report(), report)}};
"""


def opened(folder):
    """{(label, page): what the opened page reported of it}: every page of every flavour
    through its engine, then all of them in one page opened in Chromium."""
    if not MATHJAX.is_file():
        _missing("MathJax", INSTALL_NODE)
    _chromium()
    solutions = {name: derive.solve(spec) for name, (spec, _) in PAGES.items()}
    articles, sources = [], {}
    for label, flavor, engine in ENGINES:
        markdown = [solutions[name].to_markdown(flavor=flavor, lang=lang) for name, (_, lang) in PAGES.items()]
        for name, text, html in zip(PAGES, markdown, engine(markdown)):
            sources[label, name] = text
            # MathJax leaves the math KaTeX has typeset (its TeX annotation too) alone
            ignore = ' class="tex2jax_ignore"' if flavor == "katex" else ""
            articles.append(f'<article id="{label}.{name}"{ignore}>\n{html}\n</article>')
    page = folder / "engines.html"
    page.write_text('<!DOCTYPE html>\n<html><head><meta charset="utf-8">\n<script>' + REPORT + "</script>\n"
                    f'<script src="{MATHJAX.as_uri()}"></script>\n</head><body>\n' + "\n".join(articles)
                    + "\n</body></html>\n", encoding="utf-8")
    asked, dom = open_in_chromium(page, folder, "--dump-dom", "--virtual-time-budget=120000")
    assert all(url.startswith("file://") for url in asked), asked  # nothing from the network
    found = re.search(r'data-report="([A-Za-z0-9+/=]*)"', dom)
    assert found, "the page never reported (MathJax did not finish):\n" + dom[-2000:]
    report = json.loads(base64.b64decode(found.group(1)).decode("utf-8"))
    assert report["failure"] is None, report["failure"]
    return {(label, name): dict(report["articles"][f"{label}.{name}"], source=sources[label, name], flavor=flavor)
            for label, flavor, _ in ENGINES for name in PAGES}


@pytest.fixture(scope="module")
def pages(tmp_path_factory):
    return opened(tmp_path_factory.mktemp("engines"))


CASES = [(label, name) for label, _, _ in ENGINES for name in PAGES]
IDS = [f"{label}-{name}" for label, name in CASES]


def _tex(tex):
    return " ".join(tex.split())


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_every_math_span_is_typeset_as_written(pages, case):
    seen = pages[case]
    meant = math_spans_of(seen["source"], seen["flavor"])
    assert len([m for m in meant if m[1]]) >= 2 and len([m for m in meant if not m[1]]) >= 3, "delimiters not found"
    assert seen["errors"] == 0 and not [m["tex"] for m in seen["math"] if m["error"]]
    assert [(_tex(m["tex"]), m["display"]) for m in seen["math"]] == [(_tex(tex), display) for tex, display in meant]


#: What a reader should never see outside math: a TeX command, delimiter or script
RAW_TEX = re.compile(r"\\[A-Za-z()\[\]{}\\]|\$|[_^]\{|&=|\\$")


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_no_tex_is_left_in_the_text(pages, case):
    text = pages[case]["text"]
    assert "\u27e8math\u27e9" in text
    left = [line for line in text.splitlines() if RAW_TEX.search(line)]
    assert left == [], left[:10]


#: kramdown's typography (smart quotes, dashes, ellipses) is the site's, not a change of words
TYPOGRAPHY = str.maketrans({"\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"', "\u2013": "--",
                            "\u2014": "---", "\u2026": "..."})


def _lines(text):
    lines = (" ".join(line.split()).translate(TYPOGRAPHY) for line in text.splitlines())
    return [line for line in lines if line]


def _reading(seen):
    """The lines and elements of a page as a reader sees them, pictures aside (only some
    sites show a picture inline: the others leave out the picture and its caption)."""
    lines, skip = [], False
    for line in _lines(seen["text"]):
        if line == "\u27e8picture\u27e9":
            skip = True  # the picture, then its caption
        elif skip:
            skip = False
        else:
            lines.append(line)
    tags = dict(seen["tags"], em=seen["tags"]["em"] - seen["svg"], br=0)  # Velog breaks lines: remark-breaks
    return lines, tags


@pytest.mark.parametrize("name", PAGES)
def test_words_headings_and_tables_read_the_same_in_every_flavour(pages, name):
    """The page as a reader sees it (math and pictures aside) is the same whichever site
    shows it, so the escapes a flavour needs never show; CommonMark without tables is left
    out (its table is the Markdown source by definition)."""
    lines, tags = _reading(pages["katex", name])
    assert all(tags[tag] == 0 for tag in ("code", "pre", "ul", "ol", "li", "a", "del", "img", "hr", "strong"))
    assert tags["table"] == 1 and tags["td"] > 2 and tags["h1"] == 1 and tags["blockquote"] == 1
    for label in [label for label, _, _ in ENGINES if label != "mathjax-commonmark"]:
        assert _reading(pages[label, name]) == (lines, tags), label


@pytest.mark.parametrize("label", ["kramdown", "mathjax", "mathjax-commonmark"])
def test_the_inline_pictures_survive(pages, label):
    """The flavours whose sites show an SVG in the page keep it whole through the engine."""
    for name in PAGES:
        assert pages[label, name]["svg"] >= 1, name


#: Titles: the hostile corpus (what test_hostile.py reads with cmark-gfm alone), and plain
#: ones that hold Markdown's specials
TITLES = [t for t in hostile.ALL if t.isprintable() and len(t) <= 200] + [
    "Backprop: a worked example", "x_1 * y_2 = 3 | 4", r"a \ b", "1. first", "- item", "+ plus", "> quote",
    "&amp; &copy; &#65;", "<b>bold</b>", "www.example.com", "price $5, not $6"]
#: Jekyll keeps Liquid out of the title with a space after each { (DESIGN.md, output formats)
LIQUID_GUARD = {"kramdown": lambda title: re.sub(r"\{(?=[{%])", "{ ", title)}


@pytest.fixture(scope="module")
def headings():
    """{(flavour, title): the HTML of the title's heading, as the flavour's site makes it}."""
    made = {}
    for label, flavor, engine in ENGINES[:4]:
        lines = []
        for title in TITLES:
            spec = {"title": title, "graph": {"equations": ["f = x * y"], "values": {"x": 1, "y": 2}}}
            lines.append(derive.solve(spec).to_markdown(flavor=flavor).splitlines()[0])
        made.update({(flavor, title): html for title, html in zip(TITLES, engine(lines))})
    return made


@pytest.mark.parametrize("flavor, title", [pytest.param(flavor, title, id=f"{flavor}-{k}")
                                           for flavor in ("kramdown", "github", "katex", "mathjax")
                                           for k, title in enumerate(TITLES)])
def test_a_title_reads_as_written_on_its_site(headings, flavor, title):
    """The title's heading holds its words and nothing else: no element (link, emphasis,
    strikethrough, HTML) and no escape left visible."""
    from html.parser import HTMLParser

    html = headings[flavor, title]
    found = re.search(r"<h1[^>]*>(.*?)</h1>", html, re.S)
    assert found, html
    elements, words = [], []

    class Reader(HTMLParser):
        def handle_starttag(self, tag, attrs):
            elements.append(tag)

        def handle_data(self, data):
            words.append(data)

    Reader(convert_charrefs=True).feed(found.group(1))
    assert elements == []
    shown = "".join(words).replace("\u2060", "").translate(TYPOGRAPHY)  # word joiners keep links away
    assert " ".join(shown.split()) == " ".join(LIQUID_GUARD.get(flavor, str)(title).split())
