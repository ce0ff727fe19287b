"""Views -> text, through Jinja2 templates that hold layout only.

The templates live in the top-level ``templates/`` folder of a checkout, which packaging
installs as ``derive/templates``.
"""

import json
import re
from functools import lru_cache
from pathlib import Path

import jinja2

from . import present
from .errors import RenderError

FORMATS = ("md", "tex", "tex-body", "json")

_SPECIALS = {"\\": r"\textbackslash{}", "{": r"\{", "}": r"\}", "$": r"\$", "&": r"\&", "#": r"\#",
             "_": r"\_", "%": r"\%", "^": r"\textasciicircum{}", "~": r"\textasciitilde{}"}
_SPECIAL = re.compile("[" + re.escape("".join(_SPECIALS)) + "]")


def escape_latex(text):
    """Plain text made safe for LaTeX: all ten specials, so that ^^5c tricks die too."""
    return _SPECIAL.sub(lambda m: _SPECIALS[m.group()], text)


def _finalize(value):
    # every plain string is escaped; only math the product generated is trusted
    if isinstance(value, present.Math):
        return value
    if isinstance(value, str):
        return escape_latex(value)
    return value


def template_dir():
    here = Path(__file__).resolve().parent
    for candidate in (here / "templates", here.parent / "templates"):
        if (candidate / "markdown").is_dir():
            return candidate
    raise RenderError("the templates folder is missing from this installation of derive (reinstall it)")


@lru_cache(maxsize=None)
def environment():
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(template_dir())),
        undefined=jinja2.StrictUndefined,
        autoescape=False,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )


@lru_cache(maxsize=None)
def latex_environment():
    """Jinja2 for .tex templates: delimiters that LaTeX never uses, and escaping by default."""
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(template_dir())),
        block_start_string="((*", block_end_string="*))",
        variable_start_string="(((", variable_end_string=")))",
        comment_start_string="((=", comment_end_string="=))",
        undefined=jinja2.StrictUndefined,
        finalize=_finalize,
        autoescape=False,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )


def latex(solution, digits=4, lang=None, standalone=True):
    """A standalone XeLaTeX document, or with ``standalone=False`` a fragment to paste."""
    view = present.view(solution, digits=digits, lang=lang, flavor=present.LATEX)
    name = "latex/solution.tex.j2" if standalone else "latex/body.tex.j2"
    return latex_environment().get_template(name).render(view=view, lang=lang or solution.lang)


def worksheet(sheets, lang, key=False):
    """Problem sheets (``worksheet.Sheet`` records, one per variant) as one XeLaTeX document;
    with ``key``, the answer key: the same source with the answers printed."""
    from .worksheet import words

    return latex_environment().get_template("latex/worksheet.tex.j2").render(
        sheets=sheets, lang=lang, key=key, words=words(lang), title=sheets[0].title)


def markdown(solution, digits=4, lang=None, flavor="github"):
    return environment().get_template("markdown/solution.md.j2").render(
        view=present.view(solution, digits=digits, lang=lang, flavor=flavor))


def check_markdown(report, lang="en"):
    from . import report as report_view

    return environment().get_template("markdown/check.md.j2").render(view=report_view.view(report, lang))


def json_text(solution):
    return json.dumps(solution.as_json(), indent=2, ensure_ascii=False) + "\n"


def render(solution, fmt, digits=4, lang=None, flavor="github"):
    if fmt == "json":
        return json_text(solution)
    if fmt == "md":
        return markdown(solution, digits=digits, lang=lang, flavor=flavor)
    if fmt in ("tex", "tex-body"):
        return latex(solution, digits=digits, lang=lang, standalone=fmt == "tex")
    raise RenderError(f"unknown format {fmt!r} (known: {', '.join(FORMATS)})")
