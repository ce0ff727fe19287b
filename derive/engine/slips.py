"""The catalogue of slips: the common mistakes of hand-worked backpropagation, each one a
way to recompute an answer as a student who made it would have.

A wrong answer is diagnosed by recomputing it with each slip in turn, from the student's
own earlier values (the world ``check`` builds) and from the exact ones; the first slip
whose value the answer is close to names the mistake. A new slip is one entry of
``SLIPS``: its stable identifier (the JSON report's ``diagnosis``; the sentence a report
prints is the languages' ``slip_<identifier>``), the parts of the answers it can explain,
and its recomputation.
"""

from dataclasses import dataclass
from itertools import islice
from typing import Callable

import sympy

from ..errors import UndefinedValueError
from . import chain


@dataclass(frozen=True)
class World:
    """What a student's answers stand on: the solution, and the student's own values."""

    solution: object
    values: dict          # every forward node's value as the student carried it (by node key)
    gradients: dict       # each parameter's gradient as the student carried it
    exact_values: dict    # the exact forward values

    @property
    def graph(self):
        return self.solution.graph

    @property
    def step(self):
        return self.solution.first

    def backward(self, values=None, local=None):
        """Every node's gradient at ``values`` (default: the student's), with ``local``'s edges."""
        try:
            return chain.backward(self.graph, local or self.solution.locals, values or self.values)[0]
        except UndefinedValueError:
            return {}

    @property
    def worlds(self):
        """The forward values a slip is tried from: the student's, and the exact ones."""
        return [self.values] if self.values == self.exact_values else [self.values, self.exact_values]


@dataclass(frozen=True)
class Slip:
    id: str
    parts: tuple          # forward, gradients, updated, after
    values: Callable      # (world, part, node key) -> the answers this slip gives


def _activation_edges(graph):
    return [(n.key, p) for n in graph.computed if n.role == "post"
            for p in graph.parents(n.key) if graph.node(p).role == "pre"]


def _missing_activation_derivative(world, part, key):
    """σ'(z) taken as 1: on every activation edge, and on each one alone."""
    edges = _activation_edges(world.graph)
    for chosen in [edges] + [[e] for e in islice(edges, 12)] if edges else []:
        local = dict(world.solution.locals)
        for edge in chosen:
            local[edge] = sympy.Integer(1)
        for values in world.worlds:
            yield world.backward(values=values, local=local).get(key)


def _updated_weight_used(world, part, key):
    """The chain's weights taken after the update instead of before it."""
    for start in world.worlds if world.step.updates else []:
        values = dict(start)
        values.update({u.parameter: u.new for u in world.step.updates})
        yield world.backward(values=values).get(key)


def _sign_flipped(world, part, key):
    for gradient in _gradients(world, key):
        yield -gradient


def _ascent(world, part, key):
    rate = world.solution.learning_rate
    for gradient in _gradients(world, key):
        yield world.graph.node(key).value + rate * gradient


def _factor_two(world, part, key):
    """The squared error's 2 dropped, or a ½ put in (or the other way round)."""
    for reference in _references(world, part, key):
        yield 2 * reference
        yield reference / 2


def _pre_post_swapped(world, part, key):
    """z written where a belongs (or a where z does): as an answer, or inside a gradient."""
    graph = world.graph
    if part == "forward":
        node = graph.node(key)
        for p in graph.parents(key):
            if node.role == "post" and graph.node(p).role == "pre":
                yield world.values[p]
        for child in graph.children(key) if node.role == "pre" else ():
            if graph.node(child).role == "post":
                yield world.values[child]
    elif part == "gradients":
        for start in world.worlds:
            values = dict(start)
            for n in graph.computed:
                if n.role == "post":
                    pre = [p for p in graph.parents(n.key) if graph.node(p).role == "pre"]
                    if pre:
                        values[n.key] = start[pre[0]]
            yield world.backward(values=values).get(key)


def _wrong_input(world, part, key):
    """A weight's gradient with another input of its unit in place of its own."""
    graph = world.graph
    for values in world.worlds:
        adjoints = world.backward(values=values)
        for child in graph.children(key):
            for other in graph.parents(child):
                if other == key or graph.node(other).role in ("weight", "bias") or other not in values:
                    continue
                if child in adjoints:
                    yield adjoints[child] * values[other]


def _learning_rate_missing(world, part, key):
    for gradient in _gradients(world, key):
        yield world.graph.node(key).value - gradient


def _gradients(world, key):
    """A parameter's gradient as the student had it, and the exact one."""
    return [world.gradients[key], world.step.adjoints[key]]


def _decimal_shift(world, part, key):
    for reference in _references(world, part, key):
        for power in (-2, -1, 1, 2):
            yield reference * sympy.Integer(10) ** power


def _early_rounding(world, part, key):
    """Every value rounded to 1 or 2 significant digits as it is carried on."""
    graph, solution = world.graph, world.solution
    leaves = {n.key: n.value for n in graph.leaves}
    for digits in (2, 1):
        try:
            rounded = chain.forward_pass(graph, leaves, carry=digits).values
        except UndefinedValueError:
            continue
        if part == "forward":
            yield rounded.get(key)
            continue
        adjoints = World(solution, dict(rounded), {}, world.exact_values).backward()
        gradients = {p: chain.carried(adjoints[p], digits) for p in graph.parameters if p in adjoints}
        if part == "gradients":
            yield gradients.get(key)
        elif part in ("updated", "after") and solution.learning_rate is not None and gradients:
            updated = dict(leaves)
            updated.update({p: chain.carried(leaves[p] - solution.learning_rate * g, digits)
                            for p, g in gradients.items()})
            if part == "updated":
                yield updated.get(key)
            else:
                try:
                    yield chain.forward_pass(graph, updated, carry=digits).values.get(key)
                except UndefinedValueError:
                    continue


def _references(world, part, key):
    """The right answer, from the exact values and from the student's own."""
    if part == "forward":
        return [world.exact_values[key], world.values[key]]
    if part == "gradients":
        return [world.step.adjoints[key], world.gradients[key]]
    return []


#: The catalogue, in the order a diagnosis tries it: the first slip that explains an
#: answer names it (a sign flip before a factor of ten, which it could also look like).
SLIPS = (
    Slip("missing-activation-derivative", ("gradients",), _missing_activation_derivative),
    Slip("updated-weight-used", ("gradients",), _updated_weight_used),
    Slip("ascent-instead-of-descent", ("updated",), _ascent),
    Slip("learning-rate-missing", ("updated",), _learning_rate_missing),
    Slip("sign-flipped", ("gradients",), _sign_flipped),
    Slip("factor-two", ("forward", "gradients"), _factor_two),
    Slip("pre-post-swapped", ("forward", "gradients"), _pre_post_swapped),
    Slip("wrong-input", ("gradients",), _wrong_input),
    Slip("decimal-shift", ("forward", "gradients"), _decimal_shift),
    Slip("early-rounding", ("forward", "gradients", "updated", "after"), _early_rounding),
)
IDS = tuple(s.id for s in SLIPS)


def diagnose(world, part, key, given, close):
    """The identifier of the first slip that reproduces ``given`` (``close(given, value)``), or ""."""
    for slip in SLIPS:
        if part not in slip.parts:
            continue
        for value in slip.values(world, part, key):
            if value is not None and value != 0 and close(given, value):
                return slip.id
    return ""
