"""derive: step-by-step worked solutions of forward and backward propagation.

``derive.solve(spec)`` takes a spec (a path, TOML text, a dict, or a ``derive.Network`` or
``derive.Graph`` built in Python) through the whole pipeline, and returns a ``Solution``
whose methods write it (``to_markdown``, ``to_latex``, ``to_html``, ``to_json``,
``to_script``) and show it in Jupyter. The stages, one folder each: ``reading`` (spec ->
records), ``engine`` (graph, derivation, solution records), ``views`` (records -> strings),
``output`` (templates, PDF); ``api`` calls them in order, ``cli`` is the command line.
"""

from .version import __version__

__all__ = ["__version__", "Graph", "Layer", "Network", "Options", "build", "check_answers", "derivation", "mark_class", "practice", "quiz", "solve", "worksheets"]


def __getattr__(name):
    # everything loads on first use, so that `import derive.cli` pays only for what a command needs
    if name in ("Network", "Layer", "Graph"):
        from .reading import builders

        return getattr(builders, name)
    if name == "Options":
        from .options import Options

        return Options
    if name in ("build", "solve", "derivation", "worksheets", "check_answers", "mark_class", "practice", "quiz",
                "Solution"):
        from . import api

        return getattr(api, name)
    raise AttributeError(f"module 'derive' has no attribute {name!r}")
