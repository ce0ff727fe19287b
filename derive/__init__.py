"""derive: step-by-step worked solutions of forward and backward propagation.

``derive.solve(spec)`` takes a spec (a path, TOML text or a dict) through the whole
pipeline: spec -> graph -> derivation, and returns the ``Solution`` record.
"""

__version__ = "0.1.0"


def solve(spec, source=None, carry_rounded=False, digits=4, style="auto"):
    """The worked solution of ``spec``: a path, TOML text or a dict.

    With ``carry_rounded``, every value shown is rounded to ``digits`` significant digits
    and the rounded value is carried on, as with a calculator; otherwise values are exact.
    ``style`` is "chain" (every gradient as its chain-rule paths), "delta" (through shared
    upstream gradients) or "auto" (chain for small graphs, delta beyond).
    """
    from . import chain, graph, network
    from .spec import load

    checked = load(spec, source)
    built = network.lower(checked) if checked.network is not None else graph.from_equations(checked)
    train = checked.train
    return chain.derive(built, checked.title, checked.lang,
                        train.learning_rate if train else None, train.steps if train else 1,
                        carry=digits if carry_rounded else None, style=style)
