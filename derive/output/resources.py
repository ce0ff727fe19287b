"""The files that come with derive: templates, starter specs and bundled examples.

In a checkout they are the top-level ``templates/`` and ``examples/`` folders; packaging
installs them as ``derive/templates`` and ``derive/examples``.
"""

from pathlib import Path

from ..errors import RenderError
from ..reading.spec import toml


def _folder(name, probe):
    package = Path(__file__).resolve().parent.parent  # derive/, installed or in a checkout
    for candidate in (package / name, package.parent / name):
        if (candidate / probe).exists():
            return candidate
    raise RenderError(f"the {name} folder is missing from this installation of derive (reinstall it)")


def template_dir():
    return _folder("templates", "markdown")


def examples_dir():
    return _folder("examples", "seed004_221_network.toml")


def examples():
    """(name, title, path) of each bundled example spec, by name."""
    found = []
    for path in sorted(examples_dir().glob("*.toml")):
        data = toml(path.read_text(encoding="utf-8"), str(path))
        found.append((path.stem, data.get("title", ""), path))
    return found
