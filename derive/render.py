"""Views -> text, through Jinja2 templates that hold layout only.

The templates live in the top-level ``templates/`` folder of a checkout, which packaging
installs as ``derive/templates``.
"""

import json
import os
import re
import tempfile
from dataclasses import dataclass
from functools import lru_cache

import jinja2
import markupsafe

from . import __version__, present, symbols
from .resources import template_dir
from .errors import RenderError

FORMATS = ("md", "tex", "tex-body", "html", "json", "numpy", "torch")

_SPECIALS = {"\\": r"\textbackslash{}", "{": r"\{", "}": r"\}", "$": r"\$", "&": r"\&", "#": r"\#",
             "_": r"\_", "%": r"\%", "^": r"\textasciicircum{}", "~": r"\textasciitilde{}"}
_SPECIAL = re.compile("[" + re.escape("".join(_SPECIALS)) + "]")


def escape_latex(text):
    """Plain text made safe for LaTeX: all ten specials, so that ^^5c tricks die too."""
    return _SPECIAL.sub(lambda m: _SPECIALS[m.group()], text)


#: Every control sequence a document derive writes may hold: those of its templates and
#: of its printer, the names' grammar (``symbols.COMMANDS``), and escaped specials. A .tex
#: file is compiled by whatever engine a reader has, not only by derive's guarded compile,
#: so a document with anything else (\input, \special, \catcode, ^^ escapes) is never written.
LATEX_COMMANDS = symbols.COMMANDS | frozenset("""
    documentclass usepackage begin end section subsection subsubsection paragraph emph textbf bfseries Large
    small scriptsize setlength parindent parskip allowdisplaybreaks newpage noindent hline makebox mbox
    hspace hrulefill linewidth lineskip lineskiplimit enspace displaystyle pgfplotsset setmainhangulfont
    setsanshangulfont nofiles pagestyle header footer printanswers pointpoints solutiontitle question
    fillin ifprintanswers else fi newcommand renewcommand newenvironment answerblank variantlabel
    frac sqrt left right cdot times odot top prime partial theta sigma lvert rvert log ln exp sin cos tanh
    max min geq leq neq vdots cdots ddots quad qquad
    draw node addplot
    textbackslash textasciicircum textasciitilde
""".split())
#: Control symbols: spacing, a line break, and the escaped specials.
LATEX_SYMBOLS = frozenset(" ,;:!\\{}$&#_%[]")
_CONTROL = re.compile(r"\\([A-Za-z]+|.)", re.S)


def guarded(tex):
    """``tex`` if it holds only the control sequences derive writes, and no ^^ escape."""
    if "^^" in tex:
        raise RenderError("refusing to write a LaTeX document holding ^^ (a TeX character escape)")
    for match in _CONTROL.finditer(tex):
        name = match.group(1)
        if name not in LATEX_COMMANDS and (len(name) > 1 or name.isalpha() or name not in LATEX_SYMBOLS):
            raise RenderError(f"refusing to write a LaTeX document holding \\{name}, which derive never writes")
    return tex


def _hangul(text):
    """True when ``text`` holds Hangul, which only a document loading kotex can print."""
    return any("\uac00" <= c <= "\ud7a3" or "\u1100" <= c <= "\u11ff" or "\u3130" <= c <= "\u318f" for c in text)


def _finalize(value):
    # every plain string is escaped; only math the product generated, and the output of the
    # templates' own macros (marked safe, already finalized piece by piece), is trusted
    if isinstance(value, (present.Math, markupsafe.Markup)):
        return value
    if isinstance(value, str):
        return escape_latex(value)
    return value


def _environment(**options):
    """A Jinja2 environment over the templates folder: undefined names are errors, block
    tags leave no blank lines, and compiled templates are cached between runs."""
    settings = dict(undefined=jinja2.StrictUndefined, autoescape=False, trim_blocks=True, lstrip_blocks=True,
                    keep_trailing_newline=True)
    settings.update(options)
    return jinja2.Environment(loader=jinja2.FileSystemLoader(str(template_dir())),
                              bytecode_cache=_bytecode_cache(), **settings)


@lru_cache(maxsize=None)
def _bytecode_cache():
    # compiling the templates is a tenth of a short run; the cache is a convenience only,
    # so a home without a writable cache folder simply goes without
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    folder = os.path.join(base, "derive", f"templates-{__version__}")
    try:
        os.makedirs(folder, exist_ok=True)
        probe = tempfile.NamedTemporaryFile(dir=folder)
        probe.close()
    except OSError:
        return None
    return jinja2.FileSystemBytecodeCache(folder)


@lru_cache(maxsize=None)
def environment():
    return _environment()


@lru_cache(maxsize=None)
def latex_environment():
    """Jinja2 for .tex templates: delimiters that LaTeX never uses, and escaping by default."""
    return _environment(block_start_string="((*", block_end_string="*))",
                        variable_start_string="(((", variable_end_string=")))",
                        comment_start_string="((=", comment_end_string="=))", finalize=_finalize)


def latex(solution, digits=4, lang=None, standalone=True, full=False, drawn=True):
    """A standalone XeLaTeX document, or with ``standalone=False`` a fragment to paste
    (which needs amsmath, and tikz and pgfplots for its pictures; ``drawn=False`` leaves
    the pictures out)."""
    lang = lang or solution.lang
    view = present.view(solution, digits=digits, lang=lang, flavor=present.LATEX, full=full)
    name = "latex/solution.tex.j2" if standalone else "latex/body.tex.j2"
    made = pictures(solution, digits, lang) if drawn else {"picture": None, "curve": None}
    return guarded(latex_environment().get_template(name).render(
        view=view, lang=lang, hangul=lang == "ko" or _hangul(solution.title), **made))


@dataclass(frozen=True)
class Picture:
    """A picture for Markdown: its SVG, and the file it is linked as ("" to put it inline)."""

    caption: str
    notice: str
    svg: str
    link: str


#: Markdown flavours whose sites show an <svg> written into the page.
INLINE_SVG = ("kramdown", "mathjax")
#: The file name ending of each picture written beside a Markdown file.
PICTURE_FILES = {"picture": ".network.svg", "curve": ".loss.svg"}


def pictures(solution, digits=4, lang=None):
    """{"picture": the network or graph, "curve": the loss curve or None}, laid out."""
    from . import diagram

    lang = lang or solution.lang
    return {"picture": diagram.diagram(solution, digits, lang), "curve": diagram.curve(solution, digits, lang)}


@lru_cache(maxsize=None)
def svg_environment():
    """Jinja2 for SVG: XML-escaped by default, no blank lines (so Markdown keeps it whole)."""
    return _environment(autoescape=True, keep_trailing_newline=False)


def svg(picture, styled=True):
    """The SVG of a laid-out picture (a ``diagram.Diagram`` or a ``diagram.Curve``); without
    ``styled``, its style is left to the page that holds it."""
    from . import diagram

    if isinstance(picture, diagram.Curve):
        return svg_environment().get_template("svg/curve.svg.j2").render(c=picture) + "\n"
    return svg_environment().get_template("svg/diagram.svg.j2").render(d=picture, styled=styled) + "\n"


def markdown_pictures(solution, digits=4, lang="en", flavor="github", base=None):
    """{"picture": Picture or None, "curve": ...}: linked as files named from ``base`` (a
    Markdown file's name without .md), or inline where the flavour allows, or left out."""
    if base is None and flavor not in INLINE_SVG:
        return {kind: None for kind in PICTURE_FILES}
    made = {}
    for kind, laid_out in pictures(solution, digits, lang).items():
        if laid_out is None:
            made[kind] = None
            continue
        made[kind] = Picture(laid_out.caption, getattr(laid_out, "notice", ""), svg(laid_out),
                             base + PICTURE_FILES[kind] if base is not None else "")
    return made


def worksheet(sheets, lang, key=False):
    """Problem sheets (``worksheet.Sheet`` records, one per variant) as one XeLaTeX document;
    with ``key``, the answer key: the same source with the answers printed."""
    from .worksheet import words

    return guarded(latex_environment().get_template("latex/worksheet.tex.j2").render(
        sheets=sheets, lang=lang, key=key, words=words(lang), title=sheets[0].title,
        hangul=lang == "ko" or _hangul(sheets[0].title)))


def picture_files(solution, digits=4, lang=None, base="solution"):
    """{file name: SVG} of the pictures a Markdown page named ``base``.md links to."""
    return {base + PICTURE_FILES[kind]: svg(p) for kind, p in pictures(solution, digits, lang).items() if p}


def markdown(solution, digits=4, lang=None, flavor="github", base=None, full=False):
    """The Markdown solution; with ``base`` (the file's name without .md), pictures are
    linked as ``base.network.svg`` and ``base.loss.svg`` (see ``markdown_pictures``)."""
    lang = lang or solution.lang
    return environment().get_template("markdown/solution.md.j2").render(
        view=present.view(solution, digits=digits, lang=lang, flavor=flavor, full=full),
        **markdown_pictures(solution, digits, lang, flavor, base))


def _mathml(tex, display=True):
    """LaTeX the product generated, as MathML (which browsers show with no script)."""
    from latex2mathml.converter import convert

    return markupsafe.Markup(convert(str(tex), display="block" if display else "inline"))


@lru_cache(maxsize=None)
def html_environment():
    environment = _environment(autoescape=True)
    environment.filters["mathml"] = _mathml
    environment.filters["sanitized"] = sanitized
    return environment


#: What a page's body may hold after the allow-list sanitizer (Ammonia, through nh3): the
#: elements and attributes derive writes (text, tables, MathML, SVG) and nothing else, so
#: that no spec text can run script in a browser or a notebook, even through a converter's bug.
HTML_TAGS = frozenset("""
    div p h1 h2 h3 h4 table tr td th figure figcaption blockquote span em strong
    math mrow mi mn mo ms mtext mspace msub msup msubsup munder mover munderover mfrac msqrt mroot
    mtable mtr mtd mstyle mpadded mphantom menclose
    svg g line circle rect text tspan title polyline
""".split())
_SVG_ATTRIBUTES = {"class", "x", "y", "x1", "x2", "y1", "y2", "cx", "cy", "r", "rx", "width", "height", "viewBox",
                   "role", "aria-label", "font-family", "font-size", "fill", "stroke", "stroke-width",
                   "text-anchor", "baseline-shift", "transform", "points", "data-key"}
_MATH_ATTRIBUTES = {"display", "mathvariant", "fence", "form", "stretchy", "accent", "accentunder", "width",
                    "height", "depth", "columnalign", "rowalign", "columnspacing", "rowspacing", "lspace",
                    "rspace", "separator", "minsize", "maxsize", "largeop", "movablelimits", "symmetric",
                    "linethickness", "scriptlevel", "displaystyle", "notation"}
HTML_ATTRIBUTES = {"*": {"class", "lang"},
                   **{tag: _SVG_ATTRIBUTES for tag in ("svg", "g", "line", "circle", "rect", "text", "tspan", "polyline")},
                   **{tag: _MATH_ATTRIBUTES for tag in ("math", "mi", "mn", "mo", "mspace", "mover", "munder",
                                                        "munderover", "mtable", "mtr", "mtd", "mstyle", "mpadded",
                                                        "mfrac", "menclose")}}


def sanitized(html):
    """``html`` through the allow-list sanitizer."""
    import nh3

    return markupsafe.Markup(nh3.clean(str(html), tags=set(HTML_TAGS), attributes=HTML_ATTRIBUTES,
                                       url_schemes=set(), strip_comments=True, link_rel=None))


def html(solution, digits=4, lang=None, full=False, fragment=False):
    """One self-contained HTML page: MathML, inline SVG, no script, no file or network access;
    with ``fragment``, the same as one <div> with its own scoped style (for Jupyter)."""
    lang = lang or solution.lang
    made = {kind: (Picture(p.caption, getattr(p, "notice", ""), markupsafe.Markup(svg(p, styled=False)), "")
                   if p else None) for kind, p in pictures(solution, digits, lang).items()}
    return html_environment().get_template("html/solution.html.j2").render(
        view=present.view(solution, digits=digits, lang=lang, flavor="html", full=full), lang=lang,
        fragment=fragment, **made)


def check_markdown(report, lang="en"):
    from . import report as report_view

    return environment().get_template("markdown/check.md.j2").render(view=report_view.view(report, lang))


def json_text(solution):
    return json.dumps(solution.as_json(), indent=2, ensure_ascii=False) + "\n"


def script(solution, library):
    """A runnable NumPy or PyTorch script that recomputes ``solution`` (see ``code``)."""
    from . import code

    return environment().get_template(f"python/{library}.py.j2").render(s=code.script(solution, library))


def render(solution, fmt, digits=4, lang=None, flavor="github", full=False):
    """``solution`` as text in ``fmt``; with ``full``, every parameter of a big network."""
    if fmt == "json":
        return json_text(solution)
    if fmt == "md":
        return markdown(solution, digits=digits, lang=lang, flavor=flavor, full=full)
    if fmt in ("numpy", "torch"):
        return script(solution, fmt)
    if fmt == "html":
        return html(solution, digits=digits, lang=lang, full=full)
    if fmt in ("tex", "tex-body"):
        return latex(solution, digits=digits, lang=lang, standalone=fmt == "tex", full=full)
    raise RenderError(f"unknown format {fmt!r} (known: {', '.join(FORMATS)})")
