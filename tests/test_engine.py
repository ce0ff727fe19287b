"""Stage 2, engine (derive/engine/): every gradient, three ways: the chain rule, sympy.diff of the expanded loss, and a
central finite difference; and every chain-rule path sum equals the gradient."""

import pytest
import sympy

import derive
from conftest import EXAMPLES, ROOT
from derive.engine import chain
from derive.numbers import PRECISION

SPECS = {
    "tanh_bce_shared_bias": """
[network]
inputs = { x1 = 0.4, x2 = -0.7 }
targets = { y = 1 }
loss = "binary_cross_entropy"
[[network.layers]]
activation = "tanh"
weights = [[0.1, -0.2], [0.3, 0.25], [-0.4, 0.15]]
bias = [0.05, 0.05, 0.05]
bias_names = ["b", "b", "b"]
[[network.layers]]
activation = "sigmoid"
weights = [[0.6, -0.35, 0.2]]
bias = [-0.1]
post_names = ["yhat"]
[train]
learning_rate = 0.5
steps = 3
""",
    "relu_leaky_softmax_ce": """
[network]
inputs = { x1 = 1.5, x2 = -0.5, x3 = 0.25 }
targets = { t1 = 0, t2 = 1, t3 = 0 }
loss = "cross_entropy"
[[network.layers]]
activation = "relu"
weights = [[0.2, -0.1, 0.4], [-0.3, 0.5, 0.1]]
bias = [0.1, -0.2]
[[network.layers]]
activation = "leaky_relu"
slope = 0.1
weights = [[0.7, -0.2], [-0.6, 0.3]]
[[network.layers]]
activation = "softmax"
weights = [[0.2, -0.5], [0.1, 0.4], [-0.3, 0.6]]
bias = [0.0, 0.1, -0.1]
""",
    "custom_activation_and_loss": """
[network]
inputs = { x = 0.8 }
targets = { y = 0.3 }
loss = "(y - out)**2 / 2 + abs(y - out)"
[[network.layers]]
activation = "x / (1 + abs(x))"
weights = [[-0.9], [1.2]]
[[network.layers]]
activation = "identity"
weights = [[0.5, -0.25]]
post_names = ["out"]
[train]
learning_rate = 0.2
""",
    "samples_mean_mse_two_outputs": """
loss_name = "E"
[network]
loss = "mse"
[[network.samples]]
inputs = { x1 = 0.1, x2 = 0.9 }
targets = { y1 = 0.2, y2 = 0.8 }
[[network.samples]]
inputs = { x1 = 0.7, x2 = 0.3 }
targets = { y1 = 0.9, y2 = 0.1 }
[[network.samples]]
inputs = { x1 = -0.4, x2 = 0.5 }
targets = { y1 = 0.5, y2 = 0.5 }
[[network.layers]]
activation = "sigmoid"
weights = [[0.15, 0.2], [0.25, 0.3]]
bias = [0.35, 0.35]
bias_names = ["b1", "b1"]
[[network.layers]]
activation = "sigmoid"
weights = [[0.4, 0.45], [0.5, 0.55]]
bias = [0.6, 0.6]
bias_names = ["b2", "b2"]
[train]
learning_rate = 0.5
steps = 2
""",
    "graph_every_function": """
[graph]
equations = [
  "u = exp(a) * log(b) - sqrt(c) / a",
  "v = max(u, d) + min(a, d) ** 2 + sin(b) * cos(c)",
  "w = tanh(v) + sigmoid(u * d) + relu(v) + leaky_relu(u, 0.2) + abs(d - a)",
  "f = w / (1 + v ** 2)",
]
values = { a = 0.7, b = 2.5, c = 1.3, d = -0.4 }
[train]
learning_rate = 0.05
steps = 2
""",
}


def _solutions():
    for path in EXAMPLES:
        yield path.stem, path
    yield from SPECS.items()


CASES = list(_solutions())


def expanded_loss(graph):
    """The loss written out in the leaves alone, the smooth functions in SymPy's own terms
    (sigmoid and softplus through exp and log), so that sympy.diff does not use derive's
    derivatives of them."""
    expr = graph.node(graph.loss).expr
    for node in reversed(graph.computed):
        expr = expr.xreplace({node.symbol: node.expr})
    return expr.replace(lambda e: hasattr(e, "spelled_out"), lambda e: e.spelled_out())


def leaf_values(graph, step):
    return {n.key: step.forward.values[n.key] for n in graph.leaves}


@pytest.mark.parametrize("name,spec", CASES, ids=[c[0] for c in CASES])
def test_gradients_three_ways(name, spec):
    solution = derive.solve(spec)
    graph = solution.graph
    expanded = expanded_loss(graph)
    for step in solution.steps:
        leaves = leaf_values(graph, step)
        at = {graph.node(k).symbol: v for k, v in leaves.items()}
        assert expanded.xreplace(at).evalf(PRECISION) == pytest.approx(float(step.forward.loss), abs=1e-12)
        for gradient in step.gradients:
            g = float(gradient.value)
            p = graph.node(gradient.parameter).symbol
            symbolic = sympy.diff(expanded, p).xreplace(at).evalf(PRECISION)
            assert float(symbolic) == pytest.approx(g, abs=1e-10, rel=1e-10), gradient.parameter
            h = sympy.Float("1e-6", PRECISION)
            up = chain.forward_pass(graph, {**leaves, gradient.parameter: leaves[gradient.parameter] + h}).loss
            down = chain.forward_pass(graph, {**leaves, gradient.parameter: leaves[gradient.parameter] - h}).loss
            assert float((up - down) / (2 * h)) == pytest.approx(g, abs=1e-8), gradient.parameter
            if gradient.paths:
                assert len(gradient.paths) == gradient.path_count
                assert float(sum(path.value for path in gradient.paths)) == pytest.approx(g, abs=1e-14)


@pytest.mark.parametrize("name,spec", CASES, ids=[c[0] for c in CASES])
def test_updates_and_history(name, spec):
    solution = derive.solve(spec)
    if solution.learning_rate is None:
        assert solution.after is None and solution.history == ()
        return
    rate = float(solution.learning_rate)
    for before, after in zip(solution.steps, solution.steps[1:] + (None,)):
        for update, gradient in zip(before.updates, before.gradients):
            assert float(update.new) == pytest.approx(float(update.old) - rate * float(gradient.value), abs=1e-15)
            following = after.forward.values if after else solution.after.values
            assert following[update.parameter] == update.new
    assert len(solution.history) == len(solution.steps) + 1


def _stack(hidden, width=6):
    row = "[" + ", ".join(["0.1"] * width) + "]"
    layers = "".join(f"""
[[network.layers]]
activation = "sigmoid"
weights = [{', '.join([row] * width)}]
""" for _ in range(hidden))
    return f"""
[network]
inputs = {{ {', '.join(f'x{i} = 0.{i}' for i in range(1, width + 1))} }}
targets = {{ y = 0.5 }}
loss = "squared_error"
{layers}
[[network.layers]]
activation = "identity"
weights = [{row}]
"""


def test_many_paths_are_counted_not_listed():
    # a first-layer weight reaches the loss through 6 ** (hidden - 1) paths
    solution = derive.solve(_stack(3), style="chain")
    first = next(g for g in solution.first.gradients if g.parameter == "w1_1_1")
    assert first.path_count == 36 and len(first.paths) == 36
    solution = derive.solve(_stack(5), style="chain")
    first = next(g for g in solution.first.gradients if g.parameter == "w1_1_1")
    assert first.path_count == 6 ** 4 > chain.MAX_PATHS and first.paths == ()
    assert first.value == solution.first.adjoints["w1_1_1"] != 0


def test_perceptron_rule():
    """A step output trained on half the squared error: w <- w + eta (y - yhat) x."""
    spec = """
[network]
inputs = { x1 = 1.0, x2 = -2.0 }
targets = { y = 1 }
loss = "half_squared_error"
[[network.layers]]
activation = "step"
weights = [[0.5, 0.5]]
bias = [0.2]
post_names = ["yhat"]
[train]
learning_rate = 0.1
"""
    solution = derive.solve(spec)
    data = solution.as_json()
    assert data["forward"]["yhat"] == 0.0  # 0.5 - 1.0 + 0.2 < 0
    assert data["updated"] == pytest.approx({"w1_1_1": 0.5 + 0.1 * 1.0, "w1_1_2": 0.5 + 0.1 * -2.0, "b1_1": 0.3})
    assert solution.graph.notes == ("perceptron",)


@pytest.mark.parametrize("name,spec", CASES, ids=[c[0] for c in CASES])
def test_delta_style_gives_the_same_gradients(name, spec):
    chained = derive.solve(spec, style="chain")
    through = derive.solve(spec, style="delta")
    assert through.style == "delta" and chained.style == "chain"
    for a, b in zip(chained.steps, through.steps):
        for ga, gb in zip(a.gradients, b.gradients):
            assert float(gb.value) == pytest.approx(float(ga.value), abs=1e-14)
            # each gradient is its deltas times the local derivatives
            values = {d.node: d.value for d in b.deltas}
            total = sum(float((values[c] if c else 1) * f.value) for c, f in gb.via)
            assert total == pytest.approx(float(gb.value), abs=1e-14)
        for d in b.deltas:
            assert float(d.value) == pytest.approx(float(b.adjoints[d.node]), abs=1e-14)


def test_auto_style():
    picked = {path.stem: derive.solve(path).style for path in EXAMPLES}
    assert picked == {"seed000_linear_mse": "chain", "seed001_graph_xyz": "chain",
                      "seed002_xor_network": "delta", "seed004_221_network": "chain", "neuron_ten_steps": "chain",
                      "softplus_221_network": "chain"}


def test_delta_style_carried():
    """Carried, each delta is rounded before the gradients below it use it."""
    solution = derive.solve(ROOT / "examples" / "seed004_221_network.toml", style="delta", carry_rounded=True,
                            digits=4)
    deltas = {d.node: d.value for d in solution.first.deltas}
    assert deltas == {"yhat": sympy.Rational("-0.4108"), "z2": sympy.Rational("-0.05089"),
                      "z1": sympy.Rational("-0.04063")}
    gradients = {g.parameter: g.value for g in solution.first.gradients}
    assert gradients["w1"] == sympy.Rational("-0.02032")  # -0.04063 * 0.5 = -0.020315 -> -0.02032 (half up)
    assert gradients["w5"] == sympy.Rational("-0.2269")   # -0.4108 * 0.5523
