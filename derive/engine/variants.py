"""Variants of an exercise: new numbers drawn from a spec's [randomize] ranges.

A draw is a function of (seed, variant number, attempt, quantity) alone, through SHA-256,
so the same seed gives the same variants on every machine and Python version, and
variant 7 can be made again on its own (``derive check --variant 7``): the variants
before it are only drawn and checked again, which takes milliseconds, to keep them apart. A draw that makes a poor exercise is drawn again: a gradient that is zero,
a sigmoid or tanh that is saturated, an input or weight drawn as zero, two quantities
with the same value (twin hidden units), a value that is undefined, or the same numbers
as an earlier variant.
"""

import difflib
import hashlib
import math
from dataclasses import dataclass, replace

import sympy

from ..errors import SpecError, UndefinedValueError
from ..registry.functions import squashing_bounds
from . import chain

#: A group name in [randomize] and the leaves it covers.
GROUPS = {
    "inputs": lambda n: n.kind == "input",
    "targets": lambda n: n.kind == "target",
    "weights": lambda n: n.role == "weight",
    "biases": lambda n: n.role == "bias",
    "parameters": lambda n: n.kind == "parameter",
    "values": lambda n: n.is_leaf,
}
#: Tries per variant before giving up with a message that says which check kept failing.
MAX_TRIES = 1000
DUPLICATE = "the same numbers as an earlier variant"
#: Draws that all fail for one reason: stop after this many.
EARLY = 100
#: A gradient smaller than this is a zero to a person rounding to a few digits.
ZERO_GRADIENT = sympy.Rational(1, 10**4)
#: A sigmoid within this of 0 or 1 (a tanh within twice this of -1 or 1) is saturated.
SATURATED = sympy.Rational(1, 100)
#: At most this many variants in one run: a class set, many times over.
MAX_VARIANTS = 1000


@dataclass(frozen=True)
class Variant:
    number: int            # 1-based
    seed: int
    graph: object          # the spec's graph with the drawn values in its leaves
    drawn: tuple           # ((key, exact value), ...) in graph order


def ranges(graph, rules):
    """{leaf key: Range} for every leaf a [randomize] entry covers; a name beats a group."""
    leaves = graph.leaves
    names = {n.name for n in leaves}
    chosen = {}
    for rule in sorted(rules, key=lambda r: r.name not in GROUPS):
        if rule.name in GROUPS:
            covered = [n for n in leaves if GROUPS[rule.name](n)]
            if not covered:
                raise SpecError(f"{graph.source}: {rule.where}: this spec has no {rule.name}")
        elif rule.name in names:
            covered = [n for n in leaves if n.name == rule.name]
        else:
            known = sorted(names) + list(GROUPS)
            close = difflib.get_close_matches(rule.name, known, n=1)
            hint = f"did you mean {close[0]!r}? " if close else ""
            computed = any(n.name == rule.name for n in graph.computed)
            what = "is computed, not given, so it cannot be drawn" if computed else "is not a given value"
            raise SpecError(f"{graph.source}: {rule.where}: {rule.name!r} {what}; {hint}"
                            f"draw any of {', '.join(sorted(names))} or a group ({', '.join(GROUPS)})")
        chosen.update({n.key: rule for n in covered})
    return {n.key: chosen[n.key] for n in leaves if n.key in chosen}


def make(graph, rules, count, seed):
    """``count`` variants of ``graph`` (numbered from 1), each a good exercise and all different."""
    return tuple(_variants(graph, rules, count, seed))


def possible(graph, rules):
    """How many variants a class set of ``graph`` can have: the ranges' distinct draws, at
    most MAX_VARIANTS (0 without a [randomize] table)."""
    if not rules:
        return 0
    count = 1
    for rule in ranges(graph, rules).values():
        count *= rule.count
    return min(count, MAX_VARIANTS)


def variant(graph, rules, number, seed):
    """Variant ``number`` alone (the earlier ones are drawn too, cheaply, to keep them apart)."""
    return _variants(graph, rules, number, seed)[-1]


def _variants(graph, rules, count, seed):
    if not rules:
        raise SpecError(f"{graph.source}: has no [randomize] table to draw variants from (add ranges such as "
                        "weights = { low = -0.5, high = 0.5, step = 0.1 })")
    if not 1 <= count <= MAX_VARIANTS:
        raise SpecError(f"{graph.source}: {count} variants asked for; between 1 and {MAX_VARIANTS} can be made")
    chosen = ranges(graph, rules)
    possible = 1
    for rule in chosen.values():
        possible *= rule.count
    if possible < count:
        raise SpecError(f"{graph.source}: randomize: the ranges allow only {possible} different draws, "
                        f"fewer than the {count} variants asked for; widen a range or take a smaller step")
    local = chain.local_derivatives(graph)
    screen = _Screen(graph)
    made, seen = [], set()
    for number in range(1, count + 1):
        reasons = {}
        for attempt in range(MAX_TRIES):
            drawn = tuple((key, _draw(seed, number, attempt, key, rule)) for key, rule in chosen.items())
            if drawn in seen:
                reason = DUPLICATE
                reasons[reason] = reasons.get(reason, 0) + 1
                continue
            values = dict(drawn)
            candidate = replace(graph, nodes=tuple(replace(n, value=values[n.key]) if n.key in values else n
                                                   for n in graph.nodes))
            reason = _zero_drawn(candidate, values) or screen(candidate) or poor(candidate, local, drawn=values)
            if reason is None:
                seen.add(drawn)
                made.append(Variant(number, seed, candidate, drawn))
                break
            reasons[reason] = reasons.get(reason, 0) + 1
            if attempt + 1 >= EARLY and len(reasons) == 1 and reason != DUPLICATE:
                # the same fault every time: the ranges, not the luck of the draw
                raise SpecError(f"{graph.source}: randomize: the first {attempt + 1} draws for variant {number} all "
                                f"had {reason}. Change the ranges in [randomize]")
        else:
            worst = max(reasons, key=reasons.get)
            raise SpecError(f"{graph.source}: randomize: no good draw for variant {number} in {MAX_TRIES} tries; "
                            f"most had {worst}. Change the ranges in [randomize]")
    return made


def _draw(seed, number, attempt, key, rule):
    digest = hashlib.sha256(f"derive/{seed}/{number}/{attempt}/{key}".encode()).digest()
    return rule.low + rule.step * (int.from_bytes(digest, "big") % rule.count)


def _zero_drawn(graph, drawn):
    for node in graph.leaves:
        if node.key in drawn and node.value == 0 and (node.kind == "input" or node.role == "weight"):
            return f"a zero {'input' if node.kind == 'input' else 'weight'} ({node.name})"
    return None


class _Screen:
    """A first look at a draw in double precision, compiled once per graph: a unit that is
    plainly saturated (within half the margin of its bound) is turned away without the exact
    forward pass, which would turn it away for the same reason. Anything less plain goes on
    to the exact checks, so the draws made are the same as with those alone."""

    _FLOAT = {"sigmoid": lambda x: 1 / (1 + math.exp(-x)) if x > -700 else 0.0,
              "relu": lambda x: max(x, 0.0), "leaky_relu": lambda x, s: x if x > 0 else s * x,
              "step": lambda x: 1.0 if x >= 0 else 0.0, "Max": max, "Min": min}

    def __init__(self, graph):
        self.nodes = []
        for node in graph.computed:
            parents = graph.parents(node.key)
            function = sympy.lambdify([graph.node(p).symbol for p in parents], node.expr, modules=[self._FLOAT, "math"])
            self.nodes.append((node, parents, function, squashing_bounds(node.expr)))

    def __call__(self, graph):
        values = {n.key: float(n.value) for n in graph.leaves}
        try:
            for node, parents, function, bounds in self.nodes:
                value = values[node.key] = float(function(*(values[p] for p in parents)))
                if bounds:
                    low, high = bounds
                    margin = float(SATURATED * (high - low)) / 2
                    if not low + margin <= value <= high - margin:
                        return f"a saturated {node.expr.func.__name__} ({node.name})"
        except (ArithmeticError, ValueError, TypeError):
            return None  # left to the exact checks
        return None


def poor(graph, local=None, drawn=()):
    """Why the graph's numbers make a poor exercise, or None when they make a good one.

    A drawn input or weight of 0 makes part of the exercise trivial; a 0 the spec itself
    gives is the author's choice and is kept.
    """
    reason = _zero_drawn(graph, drawn)
    if reason:
        return reason
    try:
        forward = chain.forward_pass(graph, {n.key: n.value for n in graph.leaves})
    except UndefinedValueError:
        return "an undefined value (such as the log of 0)"
    for node in graph.computed:
        bounds = squashing_bounds(node.expr)
        if bounds:
            value = forward.values[node.key]
            low, high = bounds
            margin = SATURATED * (high - low)
            if not low + margin <= value <= high - margin:
                return f"a saturated {node.expr.func.__name__} ({node.name})"
    seen = {}
    for node in graph.computed:
        twin = seen.setdefault((node.sample, forward.values[node.key]), node)
        if twin is not node:
            return f"two quantities with the same value ({twin.name} and {node.name})"
    try:  # the backward pass last: the checks above are cheaper and turn most poor draws away
        adjoints, _ = chain.backward(graph, local or chain.local_derivatives(graph), forward.values)
    except UndefinedValueError:
        return "an undefined value (such as the log of 0)"
    for parameter in graph.parameters:
        if abs(adjoints[parameter]) < ZERO_GRADIENT:
            return f"a zero gradient (of {graph.node(parameter).name})"
    return None
