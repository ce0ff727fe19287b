"""The worked solution as plain records: what was computed, exactly, and how.

Values are SymPy numbers of the working precision; symbolic parts are SymPy expressions
over the graph's symbols. Nothing here knows about any output format: ``as_json`` is a
plain dump of the fields that SPEC.md section 3 names, and the ``to_*`` and ``_repr_*``
methods of ``Solution`` (the Python API of SPEC.md section 7) hand the record to
``render``, where every format lives.
"""

from dataclasses import dataclass
from types import MappingProxyType


@dataclass(frozen=True)
class Factor:
    """One link of a chain: d(child)/d(parent), symbolic and at the current values."""

    child: str
    parent: str
    derivative: object
    value: object


@dataclass(frozen=True)
class Path:
    """One chain-rule path from the loss down to a parameter: the product of its factors."""

    factors: tuple
    value: object


@dataclass(frozen=True)
class Gradient:
    parameter: str
    value: object          # d(loss)/d(parameter): the sum of the paths' values
    paths: tuple           # every path, or () when there are more than chain.MAX_PATHS
    path_count: int
    via: tuple = ()        # delta style: (key of a Delta's node, or None for the loss; Factor) pairs


@dataclass(frozen=True)
class Delta:
    """delta_node = d(loss)/d(node), computed once and shared by the gradients below it.

    Each route runs from the loss, or from the nearest delta above, down to the node.
    """

    node: str
    routes: tuple          # (key of the delta above, or None for the loss; Path) pairs
    value: object


@dataclass(frozen=True)
class Update:
    parameter: str
    old: object
    gradient: object
    new: object            # old - learning_rate * gradient


@dataclass(frozen=True)
class Pass:
    """A forward pass: the value of every node, leaves included, by key."""

    values: MappingProxyType
    loss: object


@dataclass(frozen=True)
class Step:
    number: int            # 1-based
    forward: Pass
    adjoints: MappingProxyType   # d(loss)/d(node) for every node (the upstream gradients)
    gradients: tuple
    updates: tuple         # () without a learning rate
    deltas: tuple = ()     # delta style: Deltas from the loss down
    layers: tuple = ()     # matrix style: layerwise.LayerSteps from the last layer down
    kinks: tuple = ()      # keys of the nodes whose function sits at a kink (relu at 0, a tie of max)


@dataclass(frozen=True, repr=False)
class Solution:
    title: str
    lang: str
    graph: object          # graph.Graph
    locals: MappingProxyType     # (child, parent) -> symbolic d(child)/d(parent)
    learning_rate: object  # exact, or None
    steps: tuple
    after: Pass            # the forward pass after the last update, or None
    carry: object = None   # significant digits carried on (carry-rounded), or None for exact
    style: str = "chain"   # "chain": every gradient as its paths; "delta": through shared deltas

    @property
    def first(self):
        return self.steps[0]

    @property
    def history(self):
        """The loss before each step and after the last one."""
        if self.after is None:
            return ()
        return tuple(s.forward.loss for s in self.steps) + (self.after.loss,)

    def __repr__(self):
        graph = self.graph
        loss = graph.node(graph.loss).name
        title = f"{self.title!r}: " if self.title else ""
        return (f"<Solution {title}{loss} = {float(self.first.forward.loss):.6g}, {len(graph.parameters)} "
                f"gradients, {len(self.steps)} step{'s' if len(self.steps) != 1 else ''}, style {self.style!r}>")

    def to_markdown(self, digits=4, lang=None, flavor="github", full=False):
        """The Markdown page of `derive solve -f md` (``flavor``: github, kramdown, katex, mathjax)."""
        from . import render

        _check(digits=digits, lang=lang, flavor=flavor)
        return render.markdown(self, digits=digits, lang=lang, flavor=flavor, full=full)

    def to_latex(self, digits=4, lang=None, standalone=True, full=False):
        """The XeLaTeX document of `-f tex`, or with ``standalone=False`` the fragment of `-f tex-body`."""
        from . import render

        _check(digits=digits, lang=lang)
        return render.latex(self, digits=digits, lang=lang, standalone=standalone, full=full)

    def to_html(self, digits=4, lang=None, full=False, fragment=False):
        """The page of `-f html`; with ``fragment``, one <div> to put into another page."""
        from . import render

        _check(digits=digits, lang=lang)
        return render.html(self, digits=digits, lang=lang, full=full, fragment=fragment)

    def to_json(self):
        """The JSON text of `-f json` (``as_json`` gives it as a dict)."""
        from . import render

        return render.json_text(self)

    def to_script(self, library="numpy"):
        """The script of `-f numpy` or `-f torch` that recomputes this solution."""
        from . import render

        _check(library=library)
        return render.script(self, library)

    # Jupyter shows the richest of these it can: the HTML in a notebook, the Markdown
    # where HTML is not shown, and the LaTeX (without pictures) when a notebook is
    # converted to LaTeX or PDF
    def _repr_html_(self):
        return self.to_html(fragment=True)

    def _repr_markdown_(self):
        return self.to_markdown(flavor="katex")

    def _repr_latex_(self):
        from . import render

        return render.latex(self, standalone=False, drawn=False)

    def as_json(self):
        """The JSON solution of SPEC.md section 3, numbers as full doubles."""
        graph, first = self.graph, self.first
        data = {
            "title": self.title,
            "loss": {"name": graph.node(graph.loss).name, "value": float(first.forward.loss)},
            "forward": _forward(graph, first.forward),
            "gradients": _gradients(first),
        }
        if self.after is not None:
            data["updated"] = _updated(self.steps[-1])
            data["after"] = {"forward": _forward(graph, self.after), "loss": float(self.after.loss)}
            data["history"] = [float(v) for v in self.history]
            if len(self.steps) > 1:
                data["steps"] = [
                    {"loss": float(s.forward.loss), "gradients": _gradients(s), "updated": _updated(s)}
                    for s in self.steps]
        return data


def _check(digits=4, lang=None, flavor="github", library="numpy"):
    """The options the command line's choices allow, with the same words when they do not."""
    from .code import LIBRARIES
    from .present import FLAVORS
    from .spec import LANGS

    if not isinstance(digits, int) or isinstance(digits, bool) or not 1 <= digits <= 15:
        raise ValueError(f"digits: {digits!r} is not a whole number from 1 to 15")
    for option, value, allowed in (("lang", lang, (None, *LANGS)), ("flavor", flavor, FLAVORS),
                                   ("library", library, LIBRARIES)):
        if value not in allowed:
            raise ValueError(f"{option}: {value!r} is not one of {', '.join(a for a in allowed if a)}")


def _gradients(step):
    return {g.parameter: float(g.value) for g in step.gradients}


def _updated(step):
    return {u.parameter: float(u.new) for u in step.updates}


def _forward(graph, a_pass):
    """Computed nodes by name, in evaluation order; a list per sample when there are several."""
    if graph.samples == 1:
        return {n.name: float(a_pass.values[n.key]) for n in graph.computed}
    return [{n.name: float(a_pass.values[n.key]) for n in graph.computed if n.sample == s}
            for s in range(1, graph.samples + 1)]
