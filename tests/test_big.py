"""Big networks: the matrix form agrees with the per-parameter gradients, auto picks by
size, a huge listing is summarised with a notice (and --full writes it all), and big
matrices are shown with dots."""

import re
import sys

import numpy as np
import pytest
from click.testing import CliRunner

import derive
from conftest import ROOT
from derive.engine import chain
from derive.views import matrix
from derive.output import render
from derive.cli import main
from derive.errors import SpecError
from derive.engine.network import layers_of

sys.path.insert(0, str(ROOT / "bench"))
from specs import network  # noqa: E402  (the benchmark's networks)

SEED004 = ROOT / "examples" / "seed004_221_network.toml"


def test_matrix_form_is_the_same_numbers_as_each_gradient():
    solution = derive.solve(network([3, 4, 4, 2]), style="matrix")
    step, graph = solution.first, solution.graph
    gradient = {g.parameter: float(g.value) for g in step.gradients}
    values = {k: float(v) for k, v in step.forward.values.items()}
    adjoints = {k: float(v) for k, v in step.adjoints.items()}
    layers = layers_of(graph)
    for k, layer in enumerate(layers):
        delta = np.array([adjoints[z] for z in layer.sums])
        a = np.array([values[s] for s in layer.sources])
        G = np.array([[gradient[w] for w in row] for row in layer.weights])
        assert G == pytest.approx(np.outer(delta, a), abs=1e-14)  # dL/dW = delta a^T
        assert [gradient[b] for b in layer.biases] == pytest.approx(delta, abs=1e-14)
        if k + 1 < len(layers):  # delta = (W^T delta_above) * f'(z), with f' = a (1 - a)
            above = layers[k + 1]
            W = np.array([[values[w] for w in row] for row in above.weights])
            up = np.array([adjoints[z] for z in above.sums])
            out = np.array([values[u] for u in layer.units])
            assert delta == pytest.approx((W.T @ up) * out * (1 - out), abs=1e-14)
    # and the page prints those numbers
    deltas, gradients, updates = matrix.lines(solution, step, render.present.Names(graph), 4)
    assert [lhs for lhs, _ in deltas] == [rf"\boldsymbol{{\delta}}^{{({l})}}" for l in (3, 2, 1)]
    assert [lhs for lhs, _ in gradients][:2] == [r"\frac{\partial L}{\partial W^{(3)}}",
                                                 r"\frac{\partial L}{\partial \mathbf{b}^{(3)}}"]
    assert [lhs for lhs, _ in updates] == [r"W^{(1)\prime}", r"\mathbf{b}^{(1)\prime}", r"W^{(2)\prime}",
                                           r"\mathbf{b}^{(2)\prime}", r"W^{(3)\prime}", r"\mathbf{b}^{(3)\prime}"]


def test_seed004_in_matrix_form():
    solution = derive.solve(SEED004, style="matrix")
    page = solution.to_markdown(lang="en", flavor="katex")
    assert (r"\frac{\partial L}{\partial W^{(1)}} &= \boldsymbol{\delta}^{(1)} \mathbf{x}^{\top} \\" "\n"
            r"  &= \begin{bmatrix} -0.04063 \\ -0.05089 \end{bmatrix} \begin{bmatrix} 0.5 & 0.3 \end{bmatrix} \\" "\n"
            r"  &= \begin{bmatrix} -0.02032 & -0.01219 \\ -0.02544 & -0.01527 \end{bmatrix}") in page
    # too wide for one row of a blog's column: one stage a row
    assert (r"W^{(2)\prime} &= W^{(2)} - \eta \frac{\partial L}{\partial W^{(2)}} \\" "\n"
            r"  &= \begin{bmatrix} 0.4 & 0.5 \end{bmatrix} - 0.1 \cdot \begin{bmatrix} -0.2269 & -0.2249 \end{bmatrix} \\"
            "\n" r"  &= \begin{bmatrix} 0.4227 & 0.5225 \end{bmatrix}") in page
    # the JSON solution is the same whichever way the page is written
    assert solution.as_json() == derive.solve(SEED004).as_json()


@pytest.mark.parametrize("spec, message", [
    ('[graph]\nequations = ["f = x * y"]\nvalues = { x = 1, y = 2 }\n', "needs a [network] spec"),
    ("samples", "takes one sample; this spec has 2 (use delta)"),
    ("softmax", "layer 2's activation mixes its units (softmax)"),
])
def test_matrix_form_refuses_what_it_cannot_write(spec, message):
    if spec == "samples":
        spec = network([2, 2, 1], samples=2)
    elif spec == "softmax":
        spec = network([2, 3, 2]).replace("activation = 'sigmoid'\nweights = [[", "activation = 'softmax'\nweights = [[", 2)
        spec = spec.replace("activation = 'softmax'", "activation = 'sigmoid'", 1)
        spec = spec.replace("loss = 'mse'", "loss = 'cross_entropy'")
    with pytest.raises(SpecError, match=re.escape(message)):
        derive.solve(spec, style="matrix")


def test_auto_picks_by_size():
    assert derive.solve(SEED004).style == "chain"
    assert derive.solve(network([8, 8, 8, 8])).style == "delta"          # 216 parameters
    assert derive.solve(network([16, 16, 16, 16])).style == "matrix"     # 816 parameters
    assert derive.solve(network([16, 16, 16, 16], samples=2)).style == "delta"  # no matrix form


def test_huge_listing_is_summarised_and_full_writes_it_all(tmp_path):
    spec = tmp_path / "big.toml"
    spec.write_text(network([16, 16, 16, 16]), encoding="utf-8")
    runner = CliRunner()
    short = runner.invoke(main, ["solve", str(spec), "--style", "delta", "--lang", "en"])
    full = runner.invoke(main, ["solve", str(spec), "--style", "delta", "--full", "--lang", "en"])
    assert short.exit_code == 0 and full.exit_code == 0
    notice = ("This network has 816 parameters, so each layer's first 2 gradients and updates are written out and "
              "the others follow the same rule. Every value is in the JSON output (-f json); --full writes every "
              "one out.")
    assert notice in short.output and notice not in full.output
    # two weights a layer, each in its gradient and in its update
    assert short.output.count(r"\frac{\partial L}{\partial w^{(") == 3 * 2 * 2
    assert full.output.count(r"{w^{(1)}_{1,1}}'") == 1 and short.output.count(r"{w^{(1)}_{1,1}}'") == 1
    assert short.output.count(r"{w^{(1)}_{16,16}}'") == 0 and full.output.count(r"{w^{(1)}_{16,16}}'") == 1
    assert full.output.count(r"\frac{\partial L}{\partial w^{(") == 2 * 768  # every weight, gradient and update



def test_big_matrices_are_shown_with_dots():
    assert matrix._matrix([[str(c) for c in range(8)]]) == (
        r"\begin{bmatrix} 0 & 1 & 2 & 3 & 4 & 5 & 6 & 7 \end{bmatrix}")
    big = matrix._matrix([[f"{r}{c}" for c in range(12)] for r in range(10)])
    rows = big.removeprefix(r"\begin{bmatrix} ").removesuffix(r" \end{bmatrix}").split(r" \\ ")
    assert len(rows) == 8
    assert rows[0].split(" & ") == ["00", "01", "02", "03", "04", r"\cdots", "010", "011"]
    assert rows[5].split(" & ") == [r"\vdots"] * 5 + [r"\ddots"] + [r"\vdots"] * 2
    assert rows[-1].split(" & ")[-1] == "911"


def test_path_counts_in_one_pass():
    solution = derive.solve(network([2, 3, 3, 1]))
    counts = chain.path_counts(solution.graph)
    # a first-layer weight reaches the loss through each of the 3 second-layer units
    assert counts["w1_1_1"] == 3 and counts["w3_1_1"] == 1 and counts[solution.graph.loss] == 1
