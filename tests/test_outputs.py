"""What users read: the golden files and the seed 004 worked solution, line by line."""

import pytest

import derive
from conftest import ROOT
from derive.output import render
from golden import EXAMPLES, REFERENCE, REGENERATE, expected, names

GOLDEN = [(spec, name) for spec in EXAMPLES for name in names(spec)]


@pytest.mark.parametrize("spec,name", GOLDEN, ids=[f"{spec.stem}/{name}" for spec, name in GOLDEN])
def test_golden_file(spec, name):
    path = ROOT / "outputs" / spec.stem / name
    assert path.exists(), f"{name} is missing from outputs/{spec.stem}; run: {REGENERATE}"
    assert path.read_text(encoding="utf-8") == expected(spec)[name], \
        f"outputs/{spec.stem}/{name} differs from a fresh render; if the change is intended, run: {REGENERATE}"


def test_the_reference_table_is_current():
    assert REFERENCE.read_text(encoding="utf-8") == render.reference(), \
        f"docs/reference.md differs from the registries; run: {REGENERATE}"


def test_golden_names_are_what_is_rendered():
    """names() is known without rendering; it must list exactly what expected() makes."""
    spec = ROOT / "examples" / "seed004_221_network.toml"
    assert sorted(names(spec)) == sorted(expected(spec))


def test_no_stray_golden_files():
    files = {p for p in (ROOT / "outputs").rglob("*") if p.is_file()}
    assert files == {ROOT / "outputs" / spec.stem / name for spec, name in GOLDEN}, f"run: {REGENERATE}"


def test_seed004_markdown_steps():
    text = derive.solve(ROOT / "examples" / "seed004_221_network.toml").to_markdown(lang="en", flavor="katex")
    expected_lines = [
        r"| $x_{1}$ | 0.5 |",
        r"| $\eta\ \text{(learning rate)}$ | 0.1 |",
        r"z_{1} &= w_{1} x_{1} + w_{3} x_{2} = 0.3 \cdot 0.5 + 0.2 \cdot 0.3 = 0.2100 \\",
        r"a_{1} &= \sigma\left(z_{1}\right) = \frac{1}{1 + e^{- z_{1}}} = \frac{1}{1 + e^{- 0.2100}} = 0.5523 \\",
        r"\hat{y} &= w_{5} a_{1} + w_{6} a_{2} = 0.4 \cdot 0.5523 + 0.5 \cdot 0.5474 = 0.4946",
        r"L &= \left(y_{1} - \hat{y}\right)^{2} = \left(0.7 - 0.4946\right)^{2} = 0.04219",
        r"\frac{\partial L}{\partial w_{1}} &= \frac{\partial L}{\partial \hat{y}} \cdot \frac{\partial \hat{y}}{\partial a_{1}}"
        r" \cdot \frac{\partial a_{1}}{\partial z_{1}} \cdot \frac{\partial z_{1}}{\partial w_{1}} \\",
        r"  &= - 2 \left(y_{1} - \hat{y}\right) \cdot w_{5} \cdot \sigma\left(z_{1}\right) \left(1 - \sigma\left(z_{1}\right)\right) \cdot x_{1} \\",
        r"  &= - 2 \left(0.7 - 0.4946\right) \cdot 0.4 \cdot 0.5523 \left(1 - 0.5523\right) \cdot 0.5 \\",
        r"  &= -0.02032 \\",
        r"{w_{1}}' &= w_{1} - \eta \cdot \frac{\partial L}{\partial w_{1}} = 0.3 - 0.1 \cdot \left(-0.02032\right) = 0.3020 \\",
        r"\hat{y} &= 0.4227 \cdot 0.5526 + 0.5225 \cdot 0.5478 = 0.5198",
        r"L &= \left(0.7 - 0.5198\right)^{2} = 0.03247",
        "The loss falls from 0.04219 to 0.03247.",
    ]
    lines = text.splitlines()
    positions = [lines.index(line) for line in expected_lines]
    assert positions == sorted(positions), "the steps are out of order"
    headings = [line for line in lines if line.startswith("#")]
    # one level at a time, so a blog's table of contents nests them as they are meant
    assert headings == ["# 2-2-1 신경망, 한 단계", "## Given values", "## Forward pass", "## Loss",
                        "## Backward pass: gradients by the chain rule", "## Gradient-descent update",
                        "## Forward pass with the updated parameters", "### Loss"]


def test_digits_option():
    text = derive.solve(ROOT / "examples" / "seed004_221_network.toml").to_markdown(digits=7, lang="en")
    assert r"  &= -0.02031501 \\" in text
    assert r"a_{1} &= \sigma\left(z_{1}\right) = \frac{1}{1 + e^{- z_{1}}} = \frac{1}{1 + e^{- 0.2100000}} = 0.5523079 \\" in text


def test_exact_values_stay_exact():
    """0.5 - 0.3 * 2 + 0.1 is exactly 0: no binary residue may reach the page or the JSON."""
    solution = derive.solve(ROOT / "examples" / "seed000_linear_mse.toml")
    assert solution.as_json()["forward"]["yhat"] == 0.0
    text = solution.to_markdown(lang="en")
    assert r"\hat{y} &= w_{1} x_{1} + w_{2} x_{2} + b = 0.5 \cdot 1 + \left(-0.3\right) \cdot 2 + 0.1 = 0" in text
    assert r"  &= - 2 \left(3 - 0\right) \cdot 1 \\" in text


def test_readable_derivatives():
    xor = derive.solve(ROOT / "examples" / "seed002_xor_network.toml", style="chain").to_markdown(lang="en")
    # half the squared error differentiates to yhat - y, written that way round
    assert r"\frac{\partial L^{(1)}}{\partial \hat{y}^{(1)}}" in xor
    assert r"1 \cdot \left(\hat{y}^{(1)} - y^{(1)}\right) \cdot \sigma\left(z_{o}^{(1)}\right) \left(1 - \sigma\left(z_{o}^{(1)}\right)\right) \cdot h_{1}^{(1)}" in xor
    assert r"1 \cdot \left(0.4738 - 0\right) \cdot 0.4738 \left(1 - 0.4738\right) \cdot 0.4477" in xor


def test_backward_runs_from_the_output_layer():
    """As in seed 004 (and backpropagation): w5 and w6 first, then w1 to w4; updates in name order."""
    text = derive.solve(ROOT / "examples" / "seed004_221_network.toml").to_markdown(lang="ko", flavor="katex")
    order = [line.split(" &=")[0] for line in text.splitlines() if line.startswith(r"\frac{\partial L}{\partial w_")]
    assert order == [rf"\frac{{\partial L}}{{\partial w_{{{i}}}}}" for i in (5, 6, 1, 2, 3, 4)]
    updates = [line.split(" &=")[0] for line in text.splitlines() if line.startswith("{w_")]
    assert updates == [f"{{w_{{{i}}}}}'" for i in range(1, 7)]
    assert "## 역전파: 연쇄 법칙으로 기울기 계산" in text and r"| $\eta\ \text{(학습률)}$ | 0.1 |" in text


def test_delta_style_page():
    text = derive.solve(ROOT / "examples" / "seed004_221_network.toml", style="delta").to_markdown(lang="en",
                           flavor="katex")
    for line in [r"\delta_{\hat{y}} &= \frac{\partial L}{\partial \hat{y}} \\",
                 r"  &= - 2 \left(0.7 - 0.4946\right) \\",
                 r"  &= \delta_{\hat{y}} \cdot w_{5} \cdot \sigma\left(z_{1}\right) \left(1 - \sigma\left(z_{1}\right)\right) \\",
                 r"  &= \left(-0.4108\right) \cdot 0.4 \cdot 0.5523 \left(1 - 0.5523\right) \\",
                 r"\frac{\partial L}{\partial w_{1}} &= \delta_{z_{1}} \cdot \frac{\partial z_{1}}{\partial w_{1}} \\",
                 r"  &= \left(-0.04063\right) \cdot 0.5 \\"]:
        assert line in text.splitlines(), line
    # the XOR network, four samples, reads through deltas by default
    xor = derive.solve(ROOT / "examples" / "seed002_xor_network.toml").to_markdown(lang="en", flavor="katex")
    assert r"\delta_{z_{o}^{(1)}} &= \frac{\partial L}{\partial z_{o}^{(1)}} \\" in xor.splitlines()
    assert max(len(line) for line in xor.splitlines()) < 400


def test_korean_particle_follows_the_number():
    from derive.languages import text

    assert text("ko", "loss_down", before="0.04219", after="0.03247") == "손실이 0.04219에서 0.03247로 줄었습니다."
    assert text("ko", "loss_down", before="0.5", after="0.3") == "손실이 0.5에서 0.3으로 줄었습니다."
    assert text("ko", "loss_down", before="0.5", after="0.16") == "손실이 0.5에서 0.16으로 줄었습니다."
    assert text("ko", "loss_down", before="1", after="0.2") == "손실이 1에서 0.2로 줄었습니다."


def test_loss_that_rises_is_called_so(spec_file):
    spec = spec_file('[graph]\nequations = ["f = x ** 2"]\nvalues = { x = 1 }\n[train]\nlearning_rate = 1.5\n')
    text = derive.solve(spec).to_markdown(lang="en")
    assert "The loss rises from 1.000 to 4.000: the learning rate may be too large." in text
