"""derive: step-by-step worked solutions of forward and backward propagation.

``derive.solve(spec)`` takes a spec (a path, TOML text, a dict, or a ``derive.Network`` or
``derive.Graph`` built in Python) through the whole pipeline: spec -> graph ->
derivation, and returns the ``Solution`` record, which renders itself (``to_markdown``,
``to_latex``, ``to_html``, ``to_json``, ``to_script``) and shows itself in Jupyter.
"""

__version__ = "0.1.0"

__all__ = ["Graph", "Layer", "Network", "build", "check_answers", "derivation", "solve", "worksheets"]


def __getattr__(name):
    # the spec builders load on first use, so the command line does not pay for them
    if name in ("Network", "Layer", "Graph"):
        from . import builders

        return getattr(builders, name)
    raise AttributeError(f"module 'derive' has no attribute {name!r}")


def build(spec, source=None):
    """The checked ``Spec`` record and its ``Graph``: the pipeline's first two stages."""
    from . import graph, network
    from .spec import load

    checked = load(spec, source)
    built = network.lower(checked) if checked.network is not None else graph.from_equations(checked)
    return checked, built


def solve(spec, source=None, carry_rounded=False, digits=4, style="auto"):
    """The worked solution of ``spec``: a path, TOML text or a dict.

    With ``carry_rounded``, every value shown is rounded to ``digits`` significant digits
    and the rounded value is carried on, as with a calculator; otherwise values are exact.
    ``style`` is "chain" (every gradient as its chain-rule paths), "delta" (through shared
    upstream gradients) or "auto" (chain for small graphs, delta beyond).
    """
    checked, built = build(spec, source)
    return derivation(checked, built, carry_rounded=carry_rounded, digits=digits, style=style)


def derivation(checked, built, carry_rounded=False, digits=4, style="auto", steps=None):
    """The ``Solution`` of a built graph (``steps`` overrides the spec's number of steps)."""
    from . import chain

    train = checked.train
    return chain.derive(built, checked.title, checked.lang,
                        train.learning_rate if train else None, steps or (train.steps if train else 1),
                        carry=digits if carry_rounded else None, style=style)


def worksheets(spec, variants=None, seed=1, digits=4, lang=None, carry_rounded=False, style="auto", split=False):
    """Problem sheets and answer keys as XeLaTeX sources: a list of (name, sheet, key).

    Without ``variants`` the sheet uses the spec's own numbers; with it, that many variants
    are drawn from the spec's [randomize] ranges with ``seed``. All variants go into one
    sheet and one key (each variant on new pages), or with ``split`` one pair per variant.
    """
    from pathlib import Path

    from . import render, variants as drawing, worksheet

    checked, built = build(spec)
    lang = lang or checked.lang
    if variants is None:
        made = [None]
        graphs = [built]
    else:
        made = list(drawing.make(built, checked.randomize, variants, seed))
        graphs = [v.graph for v in made]
    sheets = [worksheet.sheet(derivation(checked, g, carry_rounded, digits, style, steps=1), digits, lang, v)
              for g, v in zip(graphs, made)]
    if not split:
        name = Path(checked.source).stem if variants is None else "variants"
        return [(name, render.worksheet(sheets, lang), render.worksheet(sheets, lang, key=True))]
    width = len(str(len(sheets)))
    return [(f"variant-{v.number:0{width}d}" if v else Path(checked.source).stem,
             render.worksheet([s], lang), render.worksheet([s], lang, key=True)) for s, v in zip(sheets, made)]


def check_answers(spec, answers, variant=None, seed=None, rel_tol=None, abs_tol=None, source=None):
    """Check a student's ``answers`` (a path, TOML or JSON text, or a dict shaped like the
    JSON solution) against the solution of ``spec``, or of its worksheet ``variant`` drawn
    with ``seed`` (both or neither: a variant's numbers depend on the seed).

    Returns a ``check.Report``; see ``derive.check`` for what right, carried and wrong mean.
    """
    from dataclasses import replace

    from . import check, variants

    if (variant is None) != (seed is None):
        raise ValueError("variant and seed go together: a variant's numbers are drawn with the class set's seed")
    checked, built = build(spec)
    if variant is not None:
        built = variants.variant(built, checked.randomize, variant, seed).graph
    solution = derivation(checked, built, steps=1)
    data, name = check.read(answers, source)
    report = check.check(solution, check.answers(data, solution, name), rel_tol, abs_tol, name)
    return replace(report, lang=checked.lang)
