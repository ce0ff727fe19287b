"""Stage 4, output (derive/output/): view records become text through the templates, and
LaTeX becomes a PDF. Rendering writes no file: the command line alone writes."""

import os
import subprocess
import sys

import pytest

import derive
from conftest import ROOT
from derive.errors import RenderError
from derive.output import environments, render
from derive.views.present import Math

SEED004 = ROOT / "examples" / "seed004_221_network.toml"


def test_rendering_writes_no_file(tmp_path):
    """No cache under the home folder or beside the templates: every format of every
    example, rendered in a fresh interpreter with HOME and the working folder empty."""
    script = ("import derive, pathlib\n"
              "for spec in sorted(pathlib.Path(%r).glob('*.toml')):\n"
              "    s = derive.solve(spec)\n"
              "    for fmt in ('md', 'tex', 'tex-body', 'html', 'json', 'numpy', 'torch'):\n"
              "        s.to(fmt)\n"
              "    derive.worksheets(spec)\n" % str(ROOT / "examples"))
    home, work = tmp_path / "home", tmp_path / "work"
    home.mkdir(), work.mkdir()
    before = sorted(p for p in ROOT.rglob("*") if "__pycache__" not in p.parts and ".git" not in p.parts)
    env = {**os.environ, "HOME": str(home), "PYTHONPATH": str(ROOT), "PYTHONDONTWRITEBYTECODE": "1"}
    subprocess.run([sys.executable, "-c", script], cwd=work, env=env, check=True)
    assert list(home.iterdir()) == [] and list(work.iterdir()) == []
    after = sorted(p for p in ROOT.rglob("*") if "__pycache__" not in p.parts and ".git" not in p.parts)
    assert after == before


def test_latex_templates_escape_every_plain_string():
    template = environments.latex().from_string(r"\section*{((( title )))} $((( math )))$")
    made = template.render(title="50% of $x & {y}", math=Math(r"\frac{1}{2}"))
    assert made == r"\section*{50\% of \$x \& \{y\}} $\frac{1}{2}$"


def test_svg_and_html_templates_escape_markup():
    assert environments.svg().from_string("<text>{{ t }}</text>").render(t="<b>&") == "<text>&lt;b&gt;&amp;</text>"
    assert environments.html().from_string("<p>{{ t }}</p>").render(t="<script>") == "<p>&lt;script&gt;</p>"


def test_a_starter_comment_keeps_quoted_examples_whole():
    comment = environments.text().from_string("{{ s | comment }}").render(
        s='one, two, three, four, five, six, seven, eight, nine, ten, eleven, twelve: "a - b ** 2 / 2"')
    assert comment.splitlines() == ["# one, two, three, four, five, six, seven, eight, nine, ten, eleven, twelve:",
                                    '# "a - b ** 2 / 2"']


def test_render_refuses_an_unknown_format():
    with pytest.raises(RenderError, match="unknown format 'rtf'"):
        render.render(derive.solve(SEED004), "rtf", derive.Options())


def test_pictures_files_are_named_from_the_page():
    solution = derive.solve(ROOT / "examples" / "neuron_ten_steps.toml")
    files = render.picture_files(solution, derive.Options(lang="en"), base="homework")
    assert sorted(files) == ["homework.loss.svg", "homework.network.svg"]
    assert all(text.startswith("<svg") and text.endswith("</svg>\n") for text in files.values())


def test_pdf_packages_come_from_the_languages():
    from derive.output import pdf

    assert pdf.PACKAGES == "texlive-xetex latexmk texlive-lang-korean fonts-nanum"
