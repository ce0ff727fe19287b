"""Properties over random networks and graphs (hypothesis): gradients agree with central
finite differences, the JSON solution round-trips, and carried rounding is plain rounding
wherever nothing has been carried yet."""

import json

import pytest
import sympy
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

import derive
from derive.engine import chain
from derive.numbers import PRECISION, round_significant

SETTINGS = settings(max_examples=40, deadline=None, derandomize=True, database=None, suppress_health_check=[HealthCheck.too_slow])

# numbers as a spec writes them: two decimals, never 0 (a zero weight is a legal but dull case)
number = st.integers(-150, 150).filter(bool).map(lambda n: n / 100)
SMOOTH = ["sigmoid", "tanh", "identity", "x / (1 + abs(x))"]
KINKED = ["relu", "leaky_relu"]


@st.composite
def networks(draw):
    inputs = draw(st.integers(1, 3))
    widths = draw(st.lists(st.integers(1, 3), min_size=1, max_size=2)) + [draw(st.integers(1, 2))]
    layers, width = [], inputs
    for k, units in enumerate(widths):
        last = k == len(widths) - 1
        activation = "sigmoid" if last else draw(st.sampled_from(SMOOTH + KINKED))
        layer = {"activation": activation,
                 "weights": [[draw(number) for _ in range(width)] for _ in range(units)]}
        if activation == "leaky_relu":
            layer["slope"] = 0.1
        if draw(st.booleans()):
            layer["bias"] = [draw(number) for _ in range(units)]
        layers.append(layer)
        width = units
    loss = draw(st.sampled_from(["squared_error", "half_squared_error", "mse", "binary_cross_entropy"]))
    targets = {f"y{k}": draw(st.integers(5, 95)) / 100 for k in range(1, width + 1)}
    spec = {"network": {"inputs": {f"x{k}": draw(number) for k in range(1, inputs + 1)}, "targets": targets,
                        "loss": loss, "layers": layers}}
    if draw(st.booleans()):
        spec["train"] = {"learning_rate": draw(st.sampled_from([0.1, 0.5, 1])), "steps": draw(st.integers(1, 2))}
    return spec


FUNCTIONS = ["exp({})", "log(1 + {} ** 2)", "sqrt(2 + {})", "sin({})", "cos({})", "tanh({})", "sigmoid({})",
             "abs({})", "{} ** 2", "{} ** 3", "1 / (3 + {})"]


@st.composite
def graphs(draw):
    leaves = ["a", "b", "c"]
    names, equations = list(leaves), []
    for k in range(draw(st.integers(1, 4))):
        left, right = draw(st.sampled_from(names)), draw(st.sampled_from(names))
        shape = draw(st.sampled_from(["{} + {}", "{} * {}", "{} - {}", "{} * {} + 1"]))
        inner = shape.format(left, right)
        outer = draw(st.sampled_from(FUNCTIONS + ["{}"]))
        name = f"q{k}"
        equations.append(f"{name} = {outer.format('(' + inner + ')')}")
        names.append(name)
    values = {leaf: draw(number) for leaf in leaves}
    return {"graph": {"equations": equations, "values": values}}


def far_from_kinks(solution):
    """Finite differences straddle a kink of relu, abs or max only when a value is near it."""
    graph = solution.graph
    for step in solution.steps:
        for node in graph.computed:
            for sub in sympy.preorder_traversal(node.expr):
                if isinstance(sub, sympy.Function) and type(sub).__name__ in ("relu", "leaky_relu", "Abs"):
                    inner = chain.evaluate(graph, sub.args[0], step.forward.values, "kink")
                    if abs(inner) < sympy.Rational(1, 10**6):
                        return False
    return True


def check_against_finite_differences(solution):
    graph = solution.graph
    h = sympy.Rational(1, 10**12)
    for step in solution.steps:
        leaves = {n.key: step.forward.values[n.key] for n in graph.leaves}
        for gradient in step.gradients:
            key = gradient.parameter
            up = chain.forward_pass(graph, {**leaves, key: leaves[key] + h}).loss
            down = chain.forward_pass(graph, {**leaves, key: leaves[key] - h}).loss
            estimate = float(((up - down) / (2 * h)).evalf(PRECISION))
            assert estimate == pytest.approx(float(gradient.value), rel=1e-9, abs=1e-12), key


@SETTINGS
@given(networks(), st.sampled_from(["chain", "delta", "auto"]))
def test_random_networks_agree_with_finite_differences(spec, style):
    solution = derive.solve(spec, style=style)
    assume(far_from_kinks(solution))
    check_against_finite_differences(solution)


@SETTINGS
@given(graphs())
def test_random_graphs_agree_with_finite_differences(spec):
    try:
        solution = derive.solve(spec)
    except derive.errors.SpecError as err:
        # log and sqrt outside their domain are refused with a reason, never a crash
        assume("undefined" in str(err) or "not a real number" in str(err))
        return
    assume(far_from_kinks(solution))
    check_against_finite_differences(solution)


@SETTINGS
@given(st.one_of(networks(), graphs()))
def test_json_round_trips(spec):
    try:
        solution = derive.solve(spec)
    except derive.errors.SpecError:
        assume(False)
    data = solution.as_json()
    assert json.loads(solution.to_json()) == data   # every double survives the text exactly
    assert json.loads(json.dumps(data)) == data
    # and the JSON, taken as a student's answers, is all right (a check is of one step, so
    # a spec of several steps is checked on its first step's forward pass and gradients)
    parts = ("forward", "gradients") + (("updated",) if len(solution.steps) == 1 else ())
    report = derive.check_answers(spec, json.dumps({k: data[k] for k in parts if k in data}))
    assert not report.any_wrong and report.results


@SETTINGS
@given(networks(), st.integers(2, 6))
def test_carried_rounding_is_plain_rounding_before_anything_is_carried(spec, digits):
    exact = derive.solve(spec)
    carried = derive.solve(spec, carry_rounded=True, digits=digits)
    graph = exact.graph
    first_layer = [n for n in graph.computed if all(graph.node(p).is_leaf for p in graph.parents(n.key))]
    assert first_layer
    for node in first_layer:
        value = carried.first.forward.values[node.key]
        assert value == sympy.Rational(str(round_significant(exact.first.forward.values[node.key], digits)))
