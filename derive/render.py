"""Views -> text, through Jinja2 templates that hold layout only.

The templates live in the top-level ``templates/`` folder of a checkout, which packaging
installs as ``derive/templates``.
"""

import json
from functools import lru_cache
from pathlib import Path

import jinja2

from . import present
from .errors import RenderError

FORMATS = ("md", "json")


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


def markdown(solution, digits=4, lang=None, flavor="github"):
    return environment().get_template("markdown/solution.md.j2").render(
        view=present.view(solution, digits=digits, lang=lang, flavor=flavor))


def json_text(solution):
    return json.dumps(solution.as_json(), indent=2, ensure_ascii=False) + "\n"


def render(solution, fmt, digits=4, lang=None, flavor="github"):
    if fmt == "json":
        return json_text(solution)
    if fmt == "md":
        return markdown(solution, digits=digits, lang=lang, flavor=flavor)
    raise RenderError(f"unknown format {fmt!r} (known: {', '.join(FORMATS)})")
