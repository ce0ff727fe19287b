"""The worked solution as plain records: what was computed, exactly, and how.

Values are SymPy numbers of the working precision; symbolic parts are SymPy expressions
over the graph's symbols. Nothing here knows about any output format: the API layer
(``derive.api.Solution``) wraps the record with the methods a user calls, and the output
stage writes it.
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
