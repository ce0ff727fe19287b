"""The Jinja2 environments the templates are written for: Markdown and scripts, LaTeX
(delimiters LaTeX never uses, every plain string escaped), SVG and HTML (XML-escaped).
Undefined names are errors, and block tags leave no blank lines."""

import re
import textwrap
from functools import lru_cache

import jinja2
import markupsafe

from ..views.present import Math
from .resources import template_dir
from .safety import escape_latex, latex_text, markdown_literal, sanitized

#: The widest line of a starter spec's comments.
COMMENT_WIDTH = 88


def _finalize(value):
    # every plain string is escaped; only math the product generated, and the output of the
    # templates' own macros (marked safe, already finalized piece by piece), is trusted
    if isinstance(value, (Math, markupsafe.Markup)):
        return value
    if isinstance(value, str):
        return escape_latex(value)
    return value


def _environment(**options):
    settings = dict(undefined=jinja2.StrictUndefined, autoescape=False, trim_blocks=True, lstrip_blocks=True,
                    keep_trailing_newline=True)
    settings.update(options)
    return jinja2.Environment(loader=jinja2.FileSystemLoader(str(template_dir())), **settings)


@lru_cache(maxsize=None)
def text():
    """Markdown, scripts and starter specs (``comment`` wraps a sentence into # lines;
    ``literal`` escapes text that a Markdown parser must hand on untouched, such as the TeX
    of a page whose math the site's MathJax reads after its Markdown)."""
    environment = _environment()
    environment.filters["comment"] = _comment
    environment.filters["literal"] = markdown_literal
    return environment


def _comment(sentence, width=COMMENT_WIDTH):
    # a quoted example is copied whole, so it is never broken across lines
    kept = re.sub(r'"[^"]*"', lambda m: m.group().replace(" ", "\0"), sentence)
    lines = textwrap.wrap(kept, width - 2, break_on_hyphens=False)
    return "\n".join("# " + line.replace("\0", " ") for line in lines)


@lru_cache(maxsize=None)
def latex():
    """.tex templates: delimiters that LaTeX never uses, and escaping by default."""
    environment = _environment(block_start_string="((*", block_end_string="*))",
                               variable_start_string="(((", variable_end_string=")))",
                               comment_start_string="((=", comment_end_string="=))", finalize=_finalize)
    environment.filters["text"] = latex_text
    return environment


@lru_cache(maxsize=None)
def svg():
    """SVG: XML-escaped by default, no blank lines (so Markdown keeps it whole)."""
    environment = _environment(autoescape=True, keep_trailing_newline=False)
    environment.globals["fonts"] = SVG_FONTS
    return environment


#: The pictures' fonts: DejaVu Sans (whose widths the layout measures), then fonts with
#: Hangul, so that a renderer falling back glyph by glyph takes a plain Korean sans serif
#: rather than whichever font it finds first.
SVG_FONTS = "DejaVu Sans, NanumGothic, Noto Sans CJK KR, Noto Sans KR, Helvetica, Arial, sans-serif"


def _mathml(tex, display=True):
    """LaTeX the product generated, as MathML (which browsers show with no script)."""
    from .mathml import convert  # only a page in HTML needs it (and latex2mathml)

    return markupsafe.Markup(convert(str(tex), display=display))


@lru_cache(maxsize=None)
def xml():
    """XML documents (a Moodle question bank): escaped by default."""
    return _environment(autoescape=True)


@lru_cache(maxsize=None)
def html():
    environment = _environment(autoescape=True)
    environment.filters["mathml"] = _mathml
    environment.filters["sanitized"] = sanitized
    return environment
