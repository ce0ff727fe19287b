"""Blog pages: front matter, heading levels, pictures under a chosen address, and a page
built by real Jekyll (Debian's jekyll, kramdown with GFM input) without an edit."""

import base64
import json
import os
import re
import shutil
import subprocess

import pytest
from click.testing import CliRunner

import derive
from conftest import ROOT
from derive.cli import main
from test_flavour_engines import INSTALL_NODE, MATHJAX, RAW_TEX, REPORT, _missing
from test_katex import math_spans_of
from test_pictures import _chromium, open_in_chromium

SEED004 = ROOT / "examples" / "seed004_221_network.toml"
NEURON = ROOT / "examples" / "neuron_ten_steps.toml"


def run(*args):
    return CliRunner().invoke(main, [str(a) for a in args])


def front(page):
    """The front matter's lines, between the opening and the closing ---."""
    assert page.startswith("---\n")
    return page[4:page.index("\n---\n", 4)].split("\n")


def test_front_matter_for_each_flavour():
    solution = derive.solve(SEED004)
    switches = {"github": ["math: true"], "kramdown": ["math: true", "mathjax: true", "usemathjax: true"],
                "katex": ["math: true", "katex: true"], "mathjax": ["math: true", "mathjax: true"],
                "pandoc": ["math: true"]}
    for flavor, wanted in switches.items():
        page = solution.to_markdown(flavor=flavor, front_matter=True, date="2026-11-30")
        assert front(page) == ["layout: post", 'title: "2-2-1 신경망, 한 단계"', "date: 2026-11-30",
                               'tags: ["역전파", "경사 하강법"]', *wanted], flavor
    english = derive.solve(NEURON).to_markdown(front_matter=True, date="2026-11-30", tags=["ML", "수업"])
    assert front(english)[1:4] == ['title: "One sigmoid neuron, ten steps"', "date: 2026-11-30",
                                   'tags: ["ML", "수업"]']


def test_a_title_stays_one_value_of_one_key():
    """Quotes, a newline-looking escape, a colon, YAML's own markers and Liquid: each stays
    inside the quoted title, which reads back as the spec wrote it."""
    yaml = pytest.importorskip("yaml")
    title = 'A "quoted" title: --- # not a comment {{ page.x }} \\n &anchor *alias'
    spec = SEED004.read_text(encoding="utf-8").replace('title = "2-2-1 신경망, 한 단계"', f"title = {json.dumps(title)}")
    page = derive.solve(spec).to_markdown(front_matter=True, date="2026-11-30", flavor="kramdown")
    data = yaml.safe_load(page[4:page.index("\n---\n", 4)])
    assert data["title"] == title and data["date"].isoformat() == "2026-11-30"
    assert set(data) == {"layout", "title", "date", "tags", "math", "mathjax", "usemathjax"}


def test_heading_levels():
    solution = derive.solve(SEED004, lang="en")

    def marks(**options):
        page = solution.to_markdown(pictures="none", **options)
        return [line.split(" ", 1)[0] for line in page.splitlines() if line.startswith("#")]

    sections = ["Given values", "Forward pass", "Loss", "Backward pass: gradients by the chain rule",
                "Gradient-descent update", "Forward pass with the updated parameters", "Loss"]
    assert marks() == ["#", "##", "##", "##", "##", "##", "##", "###"]
    assert marks(heading_base=2) == ["##", "###", "###", "###", "###", "###", "###", "####"]
    # with front matter the blog prints the title: the sections start at h2, or where asked
    assert marks(front_matter=True) == ["##", "##", "##", "##", "##", "##", "###"]
    assert marks(front_matter=True, heading_base=2) == marks(front_matter=True)
    assert marks(front_matter=True, heading_base=3) == ["###"] * 6 + ["####"]
    page = solution.to_markdown(pictures="none", front_matter=True)
    assert [line.split(" ", 1)[1] for line in page.splitlines() if line.startswith("#")] == sections
    assert "# 2-2-1" not in page


def test_pictures_under_a_chosen_folder_and_address(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "_posts").mkdir()
    result = run("solve", NEURON, "-o", "_posts/2026-11-30-neuron.md", "--assets", "assets/img/posts",
                 "--assets-url", "/assets/img/posts")
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in (tmp_path / "assets" / "img" / "posts").iterdir()) == [
        "2026-11-30-neuron.loss.svg", "2026-11-30-neuron.network.svg"]
    page = (tmp_path / "_posts" / "2026-11-30-neuron.md").read_text(encoding="utf-8")
    assert re.findall(r"!\[[^\]]*\]\(([^)]*)\)", page) == ["/assets/img/posts/2026-11-30-neuron.network.svg",
                                                           "/assets/img/posts/2026-11-30-neuron.loss.svg"]
    # without an address, the folder as seen from the page; a space is %-encoded
    result = run("solve", NEURON, "-o", "my page.md", "--assets", "img dir/x")
    assert result.exit_code == 0, result.output
    page = (tmp_path / "my page.md").read_text(encoding="utf-8")
    assert re.findall(r"!\[[^\]]*\]\(([^)]*)\)", page) == ["img%20dir/x/my%20page.network.svg",
                                                           "img%20dir/x/my%20page.loss.svg"]
    assert (tmp_path / "img dir" / "x" / "my page.loss.svg").exists()


@pytest.mark.parametrize("args,message", [
    (["-f", "json", "--front-matter"], "--front-matter shapes a Markdown page (-f md); -f json has no use for it"),
    (["-o", "x.html", "--heading-base", "2"], "--heading-base shapes a Markdown page (-f md); -f html has no use for it"),
    (["--date", "2026-11-30"], "--date goes into the front matter: add --front-matter"),
    (["--tag", "ML"], "--tag goes into the front matter: add --front-matter"),
    (["--front-matter", "--date", "2026-02-30"], "date: '2026-02-30' is not a date written YYYY-MM-DD, such as 2026-11-30"),
    (["--assets", "img"], "--assets places the pictures of a page written to a file: give -o FILE.md"),
])
def test_blog_options_refused_where_they_mean_nothing(args, message, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = run("solve", SEED004, *args)
    assert (result.exit_code, result.output) == (2, f"Error: {message}\n")
    assert not list(tmp_path.iterdir())


def test_heading_base_range():
    result = run("solve", SEED004, "--heading-base", "5")
    assert result.exit_code == 2 and "Invalid value for '--heading-base': 5 is not in the range 1<=x<=4." in result.output


#: A theme's post layout: the title as the page's h1, MathJax 3 where the front matter asks
#: for it (the script that reports what MathJax did is the test's, not the theme's)
LAYOUT = """<!DOCTYPE html>
<html lang="{{ page.lang | default: 'ko' }}"><head><meta charset="utf-8"><title>{{ page.title }}</title>
{% if page.usemathjax %}<script>REPORT</script><script src="MATHJAX"></script>{% endif %}</head>
<body><article id="post"><h1 class="post-title">{{ page.title }}</h1>
<p class="post-meta">{{ page.date | date: "%Y-%m-%d" }} | {{ page.tags | join: ", " }}{% if page.usemathjax %} | math{% endif %}</p>
{{ content }}
</article></body></html>
"""
CONFIG = """title: A class blog
markdown: kramdown
kramdown:
  input: GFM
  math_engine: mathjax
"""


def jekyll_site(tmp_path, posts, monkeypatch):
    """A Jekyll site holding ``posts`` ({spec: file name}), each made by derive solve with
    --front-matter --heading-base 2, built by real Jekyll; the built folder."""
    if not shutil.which("jekyll"):
        if os.environ.get("CI"):
            pytest.fail("jekyll is missing; .ci/run installs Debian's jekyll")
        pytest.skip("jekyll is not installed (apt-get install jekyll)")
    source = tmp_path / "site"
    (source / "_posts").mkdir(parents=True)
    (source / "_layouts").mkdir()
    (source / "_config.yml").write_text(CONFIG, encoding="utf-8")
    if not MATHJAX.is_file():
        _missing("MathJax", INSTALL_NODE)
    (source / "_layouts" / "post.html").write_text(
        LAYOUT.replace("REPORT", REPORT).replace("MATHJAX", MATHJAX.as_uri()), encoding="utf-8")
    monkeypatch.chdir(source)
    for spec, name in posts.items():
        result = run("solve", spec, "--flavor", "kramdown", "--front-matter", "--heading-base", "2",
                     "--date", "2026-11-30", "-o", f"_posts/{name}", "--assets", "assets/img/posts",
                     "--assets-url", "/assets/img/posts")
        assert result.exit_code == 0, result.output
    built = tmp_path / "built"
    done = subprocess.run(["jekyll", "build", "--safe", "-s", str(source), "-d", str(built)],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert "warning" not in done.stderr.lower(), done.stderr
    return built


def test_a_blog_page_builds_in_jekyll_without_edits(tmp_path, monkeypatch):
    _chromium()
    built = jekyll_site(tmp_path, {NEURON: "2026-11-30-neuron.md", SEED004: "2026-11-30-seed004.md"}, monkeypatch)
    for slug, title, pictures in (("neuron", "One sigmoid neuron, ten steps", 2),
                                  ("seed004", "2-2-1 신경망, 한 단계", 1)):
        html = (built / "2026" / "11" / "30" / f"{slug}.html").read_text(encoding="utf-8")
        # the layout's title is the page's one h1; the page's own headings start at h2
        assert re.findall(r"<h1[^>]*>(.*?)</h1>", html) == [title]
        assert re.findall(r"<h2[^>]*>", html)
        assert "2026-11-30 | " in html and " | math" in html
        # every picture the page links is where the link says, in the built site
        links = re.findall(r'<img src="([^"]+)"', html)
        assert len(links) == pictures
        for link in links:
            assert (built / link.lstrip("/")).is_file(), link
        # kramdown handed every formula on to MathJax: display math as \[...\], none left as $$
        assert "$$" not in html
        assert html.count("\\[") == html.count("\\]") > 0
        # and MathJax, in the browser, typeset each one as the Markdown page wrote it
        asked, dom = open_in_chromium(built / "2026" / "11" / "30" / f"{slug}.html", tmp_path,
                                      "--dump-dom", "--virtual-time-budget=60000")
        assert all(url.startswith("file://") for url in asked), asked
        found = re.search(r'data-report="([A-Za-z0-9+/=]*)"', dom)
        assert found, "MathJax never finished:\n" + dom[-2000:]
        seen = json.loads(base64.b64decode(found.group(1)).decode("utf-8"))["articles"]["post"]
        source = (tmp_path / "site" / "_posts" / f"2026-11-30-{slug}.md").read_text(encoding="utf-8")
        meant = math_spans_of(source, "kramdown")
        assert len([m for m in meant if m[1]]) >= 5 and len([m for m in meant if not m[1]]) >= 5
        assert seen["errors"] == 0 and not [m["tex"] for m in seen["math"] if m["error"]]
        assert [(" ".join(m["tex"].split()), m["display"]) for m in seen["math"]] == \
            [(" ".join(tex.split()), display) for tex, display in meant]
        assert [line for line in seen["text"].splitlines() if RAW_TEX.search(line)] == []


def test_a_title_a_theme_would_print_as_html_is_refused(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    spec = tmp_path / "spec.toml"
    spec.write_text('title = "<img src=x onerror=alert(1)>"\n[graph]\nequations = ["f = x * y"]\n'
                    'values = { x = 1, y = 2 }\n', encoding="utf-8")
    result = run("solve", spec, "--front-matter", "-o", "post.md")
    assert (result.exit_code, result.output) == (
        2, "Error: title: '<img src=x onerror=alert(1)>' holds < or >, which a blog theme would print as HTML; "
           "--front-matter needs a title without them\n")
    assert not (tmp_path / "post.md").exists()
    # without front matter the page escapes it itself
    assert run("solve", spec, "-o", "page.md").exit_code == 0


@pytest.mark.parametrize("tag", ["", "a\x7fb", "x\ufffe", "two\nlines"])
def test_a_tag_is_a_word_of_one_line(tag):
    result = run("solve", SEED004, "--front-matter", "--tag", tag)
    assert (result.exit_code, result.output) == (
        2, f"Error: tags: {tag!r} is not a word of one line (a tag has letters, and no control character)\n")


def test_a_percent_in_a_file_name_is_a_percent_in_its_link(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert run("solve", NEURON, "-o", "100%20done.md").exit_code == 0
    page = (tmp_path / "100%20done.md").read_text(encoding="utf-8")
    assert "(100%2520done.network.svg)" in page and (tmp_path / "100%20done.network.svg").exists()
