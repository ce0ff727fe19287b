"""Every registry entry through every output: an activation, a function or a loss that is
half added (no printing, no script code, no builder) fails here by name.

Each entry gets a small spec that uses it; the spec is solved, written as Markdown, LaTeX
and JSON, and its NumPy and PyTorch scripts are run and must agree with the JSON to 1e-9.
"""

import json
import math

import pytest
import sympy

import derive
from conftest import ROOT
from derive.registry.functions import ACTIVATIONS, FUNCTIONS
from derive.reading.expressions import symbol
from derive.registry.losses import LOSSES
from derive.views import latex
from test_scripts import _torch, assert_same, expected, run_in_process


def activation_spec(name):
    """A 2-2-1 network (2-2-2 with a softmax) whose hidden layer applies ``name``, or whose
    last layer does when the activation is for the last layer only."""
    last = ACTIVATIONS[name].last_only or name == "softmax"
    hidden = "sigmoid" if last else name
    outputs = 2 if name == "softmax" else 1
    weights = [[0.5, -0.4], [0.3, 0.8]][:outputs]
    loss = "cross_entropy" if name == "softmax" else "half_squared_error"
    targets = "{ y1 = 1, y2 = 0 }" if outputs == 2 else "{ y1 = 0.8 }"
    return f"""
title = "{name} entry"
[network]
inputs = {{ x1 = 1.0, x2 = -0.5 }}
targets = {targets}
loss = "{loss}"
[[network.layers]]
activation = "{hidden}"
weights = [[0.4, -0.2], [-0.3, 0.6]]
bias = [0.1, -0.1]
[[network.layers]]
activation = "{name if last else 'identity'}"
weights = {weights}
bias = {[0.2, -0.1][:outputs]}
[train]
learning_rate = 0.5
"""


def function_spec(name):
    """A graph whose output applies ``name`` away from any kink."""
    call = {1: f"{name}(u)", 2: f"{name}(u, v)"}[FUNCTIONS[name].arity]
    if name == "leaky_relu":
        call = "leaky_relu(u, 0.1)"
    return f"""
title = "{name} entry"
[graph]
equations = ["u = a * x + 0.3", "v = a - x", "f = {call} * x"]
values = {{ a = 0.7, x = 1.2 }}
[train]
learning_rate = 0.1
"""


def loss_spec(name):
    entry = LOSSES[name]
    last = "softmax" if entry.needs_softmax else "sigmoid"
    return f"""
title = "{name} entry"
[network]
inputs = {{ x1 = 1.0, x2 = -0.5 }}
targets = {{ y1 = 1, y2 = 0 }}
loss = "{name}"
[[network.layers]]
activation = "{last}"
weights = [[0.4, -0.2], [-0.3, 0.6]]
bias = [0.1, -0.1]
[train]
learning_rate = 0.5
"""


ENTRIES = ([("activation", n, activation_spec(n)) for n in ACTIVATIONS]
           + [("function", n, function_spec(n)) for n in FUNCTIONS]
           + [("loss", n, loss_spec(n)) for n in LOSSES])


@pytest.mark.parametrize("kind,name,spec", ENTRIES, ids=[f"{k}-{n}" for k, n, _ in ENTRIES])
def test_every_entry_through_every_output(kind, name, spec, tmp_path):
    solution = derive.solve(spec)
    markdown, tex = solution.to("md", lang="en", flavor="katex"), solution.to("tex", lang="en")
    data = json.loads(solution.to("json"))
    assert f"# {name.replace('_', chr(92) + '_')} entry" in markdown and rf"\section*{{{name.replace('_', chr(92) + '_')} entry}}" in tex
    assert data["loss"]["value"] == pytest.approx(float(solution.first.forward.loss), rel=1e-15)
    assert all(math.isfinite(v) for v in data["gradients"].values())
    if kind == "function":
        # the function is printed as the printer prints its entry, in both outputs
        arguments = {1: [symbol("u")], 2: [symbol("u"), symbol("v")]}[FUNCTIONS[name].arity]
        if name == "leaky_relu":
            arguments = [symbol("u"), sympy.Rational(1, 10)]
        printed = latex.symbolic(FUNCTIONS[name](*arguments), {})
        # pages write |u| with \lvert and \rvert (a bare | would end a Markdown table cell)
        printed = printed.replace(r"\left|", r"\left\lvert ").replace(r"\right|", r"\right\rvert ")
        assert printed in markdown and printed in tex, printed
    pytest.importorskip("numpy")
    path = tmp_path / "numpy_check.py"
    path.write_text(solution.to("numpy"), encoding="utf-8")
    assert_same(run_in_process(path), expected(spec))
    _torch()
    path = tmp_path / "torch_check.py"
    path.write_text(solution.to("torch"), encoding="utf-8")
    assert_same(run_in_process(path), expected(spec))


def test_the_entries_cover_every_registry():
    assert {n for k, n, _ in ENTRIES if k == "activation"} == set(ACTIVATIONS)
    assert {n for k, n, _ in ENTRIES if k == "function"} == set(FUNCTIONS)
    assert {n for k, n, _ in ENTRIES if k == "loss"} == set(LOSSES)


def test_softplus_gradients_match_torch():
    """The example that added softplus, against torch.nn.functional.softplus and autograd,
    written here by hand (not by derive's script)."""
    _torch()
    import torch

    solution = derive.solve(ROOT / "examples" / "softplus_221_network.toml")
    data = solution.as_json()
    t = {name: torch.tensor(value, dtype=torch.float64, requires_grad=True)
         for name, value in (("w1", 0.4), ("w2", -0.2), ("w3", -0.3), ("w4", 0.6), ("b1", 0.1),
                             ("v1", 0.5), ("v2", -0.4), ("c", 0.2))}
    x1, x2, y1 = 1.0, -0.5, 0.8
    h1 = torch.nn.functional.softplus(t["w1"] * x1 + t["w2"] * x2 + t["b1"])
    h2 = torch.nn.functional.softplus(t["w3"] * x1 + t["w4"] * x2 + t["b1"])
    loss = (y1 - (t["v1"] * h1 + t["v2"] * h2 + t["c"])) ** 2 / 2
    loss.backward()
    assert data["loss"]["value"] == pytest.approx(loss.item(), rel=1e-12)
    for name, tensor in t.items():
        assert data["gradients"][name] == pytest.approx(tensor.grad.item(), rel=1e-12, abs=1e-15), name
        assert data["updated"][name] == pytest.approx(tensor.item() - 0.5 * tensor.grad.item(), rel=1e-12), name
    # the page's numbers, to its four digits
    page = solution.to("md", lang="en", flavor="katex")
    assert r"h_{1} &= \operatorname{softplus}\left(z_{1}\right) = \log{\left(1 + e^{z_{1}} \right)}" \
           r" = \log{\left(1 + e^{0.6000} \right)} = 1.037 \\" in page
    assert r"  &= \left(\hat{y} - y_{1}\right) \cdot v_{1} \cdot \sigma\left(z_{1}\right) \cdot x_{1} \\" in page
    assert f"{data['gradients']['w1']:.4g}" == "-0.08745" and r"  &= -0.08745 \\" in page
