"""Every output is a trust boundary: the one escaping function for LaTeX, the check every
LaTeX document passes before it is written, and the allow-list sanitizer every HTML page's
body passes. A spec's text reaches a reader's TeX or browser only as text."""

import re

import markupsafe

from ..errors import RenderError
from ..reading import symbols

_SPECIALS = {"\\": r"\textbackslash{}", "{": r"\{", "}": r"\}", "$": r"\$", "&": r"\&", "#": r"\#",
             "_": r"\_", "%": r"\%", "^": r"\textasciicircum{}", "~": r"\textasciitilde{}"}
_SPECIAL = re.compile("[" + re.escape("".join(_SPECIALS)) + "]")


def escape_latex(text):
    """Plain text made safe for LaTeX: all ten specials, so that ^^5c tricks die too."""
    return _SPECIAL.sub(lambda m: _SPECIALS[m.group()], text)


#: CommonMark's escapable characters: every ASCII punctuation mark.
_MARKDOWN_PUNCTUATION = re.compile(r"[!-/:-@\[-`{-~]")


def markdown_literal(text):
    """``text`` escaped so that a CommonMark parser (GitHub's extensions included) hands it
    on as written: every ASCII punctuation mark after a backslash. MathJax sites (Tistory)
    run the page through Markdown before MathJax reads it, and Markdown would otherwise eat
    the backslash of ``\\(`` and ``\\\\``, make emphasis of ``_`` and ``*``, entities
    of ``&`` and a list or a heading of a line that begins ``-`` or ``#``. An escaped ``|``
    is a pipe inside a table cell too."""
    return _MARKDOWN_PUNCTUATION.sub(lambda m: "\\" + m.group(), str(text))


#: Symbols of a report's plain text that the body fonts lack, set in math instead.
_MATH_SYMBOLS = {"∂": r"$\partial$", "η": r"$\eta$", "σ": r"$\sigma$", "δ": r"$\delta$", "·": r"$\cdot$"}


def latex_text(text):
    """Plain text for a LaTeX page, escaped, with the report's symbols (∂, η, σ) in math."""
    return markupsafe.Markup("".join(_MATH_SYMBOLS.get(c, c) for c in escape_latex(str(text))))


#: Every control sequence a document derive writes may hold: those of its templates and
#: of its printer, the names' grammar (``symbols.COMMANDS``), and escaped specials. A .tex
#: file is compiled by whatever engine a reader has, not only by derive's guarded compile,
#: so a document with anything else (\input, \special, \catcode, ^^ escapes) is never written.
LATEX_COMMANDS = symbols.COMMANDS | frozenset("""
    documentclass usepackage begin end section subsection subsubsection paragraph emph textbf bfseries Large
    small scriptsize setlength parindent parskip allowdisplaybreaks newpage noindent hline makebox mbox
    hspace hrulefill linewidth medskip renewcommand textbf raggedright lineskip lineskiplimit enspace displaystyle pgfplotsset setmainhangulfont Needspace providecommand
    baselineskip emergencystretch arraystretch eta delta nopagebreak raggedright vspace par itshape textcolor mathit fontsize selectfont pointname points linefillheight fbox rule ifodd value hbox hfill
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
                   "text-anchor", "baseline-shift", "transform", "points", "data-key", "dy"}
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
    import nh3  # only a page in HTML needs it

    return markupsafe.Markup(nh3.clean(str(html), tags=set(HTML_TAGS), attributes=HTML_ATTRIBUTES,
                                       url_schemes=set(), strip_comments=True, link_rel=None))
