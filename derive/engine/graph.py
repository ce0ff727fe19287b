"""The computational graph: SymPy nodes in evaluation order.

Both spec forms end here. A ``[graph]`` spec's equations are checked and sorted; a
``[network]`` spec is first turned into equations by ``network.py``. From then on there
is one kind of graph and one derivation engine.
"""

import heapq
import re
from dataclasses import dataclass, field

from ..errors import SpecError, quoted
from ..reading.expressions import symbol
from ..reading.symbols import name_latex
from ..registry.functions import uses_step

LEAF_KINDS = ("input", "target", "parameter", "value")


@dataclass(frozen=True)
class Node:
    key: str          # unique in the graph; the name of its SymPy symbol
    name: str         # the name a person reads (several samples share it)
    sample: object    # 1-based sample number, or None
    kind: str         # one of LEAF_KINDS, or "computed"
    role: str         # what it is to a reader: weight, bias, pre, post, loss, sample_loss, equation, leaf
    where: str        # where the spec defines it, for messages
    expr: object = None   # the defining SymPy expression (computed nodes)
    value: object = None  # the exact given value (leaves)
    layer: int = 0        # the network layer of a parameter or a unit (0 outside networks)
    written: tuple = ()   # its expression's symbols and numbers in the order the spec wrote them

    @property
    def symbol(self):
        return symbol(self.key)

    @property
    def is_leaf(self):
        return self.kind != "computed"


@dataclass(frozen=True)
class Graph:
    nodes: tuple          # leaves in the order given, then computed nodes in evaluation order
    loss: str             # key of the node that is differentiated
    parameters: tuple     # keys of the leaves differentiated against (and trained)
    samples: int          # how many samples the graph holds copies for (1 without samples)
    display: tuple        # ((name, LaTeX), ...) from [symbols] and default names
    notes: tuple = ()     # ids of notes the solution must carry (e.g. "perceptron")
    source: str = ""      # the spec's file name, for messages
    _index: dict = field(default=None, compare=False, repr=False)
    _parents: dict = field(default=None, compare=False, repr=False)
    _children: dict = field(default=None, compare=False, repr=False)
    _place: dict = field(default=None, compare=False, repr=False)

    def __post_init__(self):
        # the edges, found once: walks over a big network ask for them many times
        index = {n.key: n for n in self.nodes}
        order = {n.key: k for k, n in enumerate(self.nodes)}
        parents = {n.key: () for n in self.nodes}
        children = {n.key: [] for n in self.nodes}
        for node in self.nodes:
            if node.expr is not None:
                used = sorted((s.name for s in node.expr.free_symbols if s.name in index), key=order.__getitem__)
                parents[node.key] = tuple(used)
                for parent in used:
                    children[parent].append(node.key)
        object.__setattr__(self, "_index", index)
        object.__setattr__(self, "_place", order)
        object.__setattr__(self, "_parents", parents)
        object.__setattr__(self, "_children", {k: tuple(v) for k, v in children.items()})

    def node(self, key):
        return self._index[key]

    def children(self, key):
        """Keys of the nodes whose expressions use ``key``, in graph order."""
        return self._children[key]

    @property
    def leaves(self):
        return tuple(n for n in self.nodes if n.is_leaf)

    @property
    def computed(self):
        return tuple(n for n in self.nodes if not n.is_leaf)

    def function_outputs(self):
        """{sigma(z1): a1, ...}: a node that applies a function, by its expression.

        A derivative such as sigma(z1)(1 - sigma(z1)) is evaluated, and shown with
        numbers, through a1's own value, as a person (and micrograd) computes it.
        """
        return {n.expr: n.symbol for n in self.computed if n.expr.is_Function}

    def reading_order(self, keys, node=None):
        """``keys`` in the order a person reads them in ``node``'s definition: as the spec
        wrote them, else weights and biases first (w1 x1), then in the graph's order."""
        written = [str(s) for s in self.node(node).written] if node is not None else []
        return tuple(sorted(keys, key=lambda k: (written.index(k) if k in written else len(written),
                                                 self.node(k).role not in ("weight", "bias"), self._place[k])))

    def in_order(self, keys):
        """``keys`` in the graph's order: the same on every run, as a set of symbols is not."""
        return sorted(keys, key=self._place.__getitem__)

    def parents(self, key):
        """Keys of the nodes ``key``'s expression uses, in graph order."""
        return self._parents[key]


def assemble(source, leaves, computed, loss, parameters, samples=1, display=(), notes=()):
    """Check names and dependencies, sort the computed nodes, and return the ``Graph``.

    ``computed`` may come in any order; it is sorted so that each node follows what it
    uses, keeping the given order where the dependencies allow.
    """
    seen = {}
    for node in (*leaves, *computed):
        if node.key in seen:
            raise SpecError(f"{source}: {node.where}: the name {node.name!r} is defined twice "
                            f"(also at {seen[node.key].where})")
        seen[node.key] = node
    for node in computed:
        for s in sorted(node.expr.free_symbols, key=lambda s: s.name):
            if s.name not in seen:
                raise SpecError(f"{source}: {node.where}: uses {s.name!r}, which is not defined "
                                "(define it by an equation or give it a value)")
    order = _topological(source, computed)
    known_names = {n.name for n in seen.values()}
    for name, _ in display:
        if name not in known_names:
            raise SpecError(f"{source}: symbols.{name}: no quantity is named {name!r}")
    shown, where = dict(display), {}
    for node in seen.values():
        tex = shown.get(node.name) or name_latex(node.name)
        other = where.setdefault(looks(tex), node.name)
        if other != node.name:
            raise SpecError(f"{source}: {node.where}: {node.name!r} and {other!r} would both be shown as "
                            f"{quoted(tex)}; rename one, or show it another way with [symbols]")
    if loss not in seen or seen[loss].is_leaf:
        raise SpecError(f"{source}: graph.output: {loss!r} is not defined by an equation")
    return Graph(tuple(leaves) + tuple(order), loss, tuple(parameters), samples, tuple(display), tuple(notes), source)


_ONE_BRACED = re.compile(r"\{(\\[A-Za-z]+|\w)\}")


_TEXT = re.compile(r"(\\text\{[^{}]*\})")


def looks(tex):
    """What ``tex`` looks like printed, for telling two names apart: no spaces (math mode
    prints none, \\text{...} aside), and a brace group of one symbol the same as the
    symbol (w_{1} and w_1 print alike)."""
    tex = "".join(part if k % 2 else "".join(part.split()) for k, part in enumerate(_TEXT.split(tex)))
    while True:
        plainer = _ONE_BRACED.sub(r"\1", tex)
        if plainer == tex:
            return tex
        tex = plainer


def _topological(source, computed):
    """The computed nodes ordered so that each follows what it uses, keeping the given order
    where the dependencies allow (Kahn's walk, the earliest-given ready node first)."""
    defined = {n.key: k for k, n in enumerate(computed)}
    uses = {n.key: {s.name for s in n.expr.free_symbols if s.name in defined} for n in computed}
    waiting = {key: len(used) for key, used in uses.items()}
    users = {n.key: [] for n in computed}
    for key, used in uses.items():
        for other in used:
            users[other].append(key)
    ready = [defined[key] for key, count in waiting.items() if count == 0]
    heapq.heapify(ready)
    order, done = [], set()
    while ready:
        node = computed[heapq.heappop(ready)]
        order.append(node)
        done.add(node.key)
        for user in users[node.key]:
            waiting[user] -= 1
            if waiting[user] == 0:
                heapq.heappush(ready, defined[user])
    if len(order) < len(computed):
        raise SpecError(f"{source}: {_cycle(computed, uses, done)}")
    return order


def _cycle(computed, uses, done):
    by_key = {n.key: n for n in computed}
    start = next(n.key for n in computed if n.key not in done)
    path, key = [], start
    while key not in path:
        path.append(key)
        key = sorted(uses[key] - done)[0]
    loop = path[path.index(key):] + [key]
    return (f"{by_key[loop[0]].where}: the equations form a cycle: "
            + " -> ".join(by_key[k].name for k in loop) + " (each name uses the next)")


def from_equations(spec):
    """The graph of a ``[graph]`` spec."""
    form, source = spec.graph, spec.source
    defined = {}
    computed = []
    for k, eq in enumerate(form.equations, 1):
        where = f"graph.equations[{k}]"
        if eq.name in defined:
            raise SpecError(f"{source}: {where}: the name {eq.name!r} is defined twice (also at {defined[eq.name]})")
        defined[eq.name] = where
        computed.append(Node(eq.name, eq.name, None, "computed", "equation", where, expr=eq.expr,
                             written=eq.written))
    used = []
    for eq in form.equations:
        used.extend(n for n in eq.names if n not in defined and n not in used)
    values = dict(form.values)
    for name in values:
        if name in defined:
            raise SpecError(f"{source}: graph.values.{name}: {name!r} is defined by an equation "
                            f"({defined[name]}); only leaves take values")
        if name not in used:
            raise SpecError(f"{source}: graph.values.{name}: no equation uses {name!r}")
    for name in used:
        if name not in values:
            where = next(f"graph.equations[{k}]" for k, eq in enumerate(form.equations, 1) if name in eq.names)
            raise SpecError(f"{source}: {where}: uses {name!r}, which no equation defines and graph.values "
                            f"does not give (add {name} = ... to graph.values)")
    if form.output not in defined:
        raise SpecError(f"{source}: graph.output: {form.output!r} is not defined by any equation "
                        f"(defined: {', '.join(defined)})")
    wrt = form.wrt if form.wrt is not None else tuple(used)
    for k, name in enumerate(wrt, 1):
        if name not in values:
            what = "is computed by an equation" if name in defined else "is not a leaf of the graph"
            raise SpecError(f"{source}: graph.wrt[{k}]: {name!r} {what}; wrt lists leaves "
                            f"({', '.join(used)})")
    if len(set(wrt)) != len(wrt):
        raise SpecError(f"{source}: graph.wrt: a name is listed twice")
    leaves = [Node(name, name, None, "parameter" if name in wrt else "value", "leaf", f"graph.values.{name}",
                   value=values[name]) for name in used]
    notes = ("perceptron",) if any(uses_step(n.expr) for n in computed) else ()
    return assemble(source, leaves, computed, form.output, wrt, display=spec.symbols, notes=notes)
