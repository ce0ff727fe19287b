"""Textbook notation: what a student recognises, as the page prints it.

The indicator 1[a > 0] for relu', max and min (never SymPy's theta); ln in Korean and on
request; the spec's own order of terms, factors and arguments; deltas in backpropagation's
order, units in index order."""

from decimal import Decimal

import pytest

import derive
from conftest import ROOT


def graph(equations, values, **extra):
    return {"graph": {"equations": equations, "values": values, **extra}}


def page(spec, **options):
    options.setdefault("definitions", False)
    return derive.solve(spec).to_markdown(lang=options.pop("lang", "en"), flavor="katex", **options)


def lines(text):
    return text.splitlines()


def test_relu_and_max_derivatives_are_indicators():
    text = page(graph(["a = w * x + b", "h = relu(a)", "m = max(h, y)", "f = m * 2"],
                      {"w": 0.5, "x": 1.2, "b": -0.1, "y": 0.3}))
    assert r"  &= 2 \cdot \mathbf{1}\left[h > y\right] \cdot \mathbf{1}\left[a > 0\right] \cdot x \\" in lines(text)
    assert r"  &= 2 \cdot \mathbf{1}\left[0.5000 > 0.3\right] \cdot \mathbf{1}\left[0.5000 > 0\right] \cdot 1.2 \\" \
        in lines(text)
    assert r"\theta" not in text and "Heaviside" not in text
    assert ("$\\mathbf{1}\\left[\\cdot\\right]$ is 1 when the condition in its brackets holds and 0 otherwise: "
            "the derivative of relu, of max and of min.") in text
    assert text.count("is 1 when the condition") == 1  # said once


def test_min_reads_the_other_way_round():
    text = page(graph(["f = min(x, y) * 3"], {"x": 0.2, "y": 0.5}))
    assert r"\frac{\partial f}{\partial x} &= 3 \, \mathbf{1}\left[y > x\right] \\" in lines(text)


def test_a_tie_prints_the_half_it_computes_with():
    """At a tie 1[0.3 > 0.3] would read 0; max passes half the gradient to each side, and the
    numbers stage says 1/2, so the line computes to its printed result."""
    text = page(graph(["q = x * y", "f = max(q, 0.3) * 2"], {"x": Decimal("0.1"), "y": 3}))
    assert r"  &= 2 \, \mathbf{1}\left[q > 0.3\right] \cdot y \\" in lines(text)
    assert r"  &= 2 \cdot \frac{1}{2} \cdot 3 \\" in lines(text)
    assert r"  &= 3.000 \\" in lines(text)
    assert "a max or min of two equal values passes half the gradient to each" in text


def test_relu_at_zero_is_zero_and_says_so():
    text = page(graph(["z = x - y", "f = relu(z) * 2"], {"x": Decimal("0.3"), "y": Decimal("0.3")}))
    assert r"  &= 2 \, \mathbf{1}\left[0 > 0\right] \cdot 1 \\" in lines(text)
    assert "relu'(0) = 0" in text


def test_korean_writes_ln_and_english_log_unless_asked():
    spec = ROOT / "examples" / "neuron_ten_steps.toml"
    korean, english = page(spec, lang="ko"), page(spec)
    assert r"L &= - y \ln{\left(\hat{y} \right)} - \left(1 - y\right) \ln{\left(1 - \hat{y} \right)}" in korean
    assert r"\log" not in korean
    assert r"L &= - y \log{\left(\hat{y} \right)}" in english and r"\ln" not in english
    assert r"L &= - y \ln{\left(\hat{y} \right)}" in page(spec, log="ln")
    assert r"\ln" not in page(spec, lang="ko", log="log")
    with pytest.raises(derive.errors.OptionError, match="log: 'log10' is not one of ln, log"):
        page(spec, log="log10")


def test_korean_pictures_write_ln_too():
    solution = derive.solve(graph(["f = log(x) * y"], {"x": 2, "y": 3}))
    from derive.views import diagram

    picture = diagram.diagram(solution, derive.Options(lang="ko"))
    labels = [b.extra for b in picture.boxes if b.extra.tex]
    assert [(label.tex, label.runs) for label in labels] == [(r"\ln{\left(x \right)} y", (("y·ln(x)", ""),))]


@pytest.mark.parametrize("equation,printed", [
    ("a = w * x + b", r"a &= w x + b = 0.5 \cdot 1.2 + \left(-0.1\right) = 0.5000 \\"),
    ("a = b + w * x", r"a &= b + w x = \left(-0.1\right) + 0.5 \cdot 1.2 = 0.5000 \\"),
    ("a = x * w + b", r"a &= x w + b = 1.2 \cdot 0.5 + \left(-0.1\right) = 0.5000 \\"),
    ("a = max(x, b) - w", r"a &= \max\left(x, b\right) - w = \max\left(1.2, \left(-0.1\right)\right) - 0.5 = 0.7000 \\"),
])
def test_terms_and_factors_keep_the_order_written(equation, printed):
    text = page(graph([equation, "f = a * 2"], {"w": 0.5, "x": 1.2, "b": -0.1}))
    assert printed in lines(text)


def test_deltas_run_from_the_output_layer_in_unit_order():
    text = page(ROOT / "examples" / "seed002_xor_network.toml")
    first_sample = [line.split(" &=")[0] for line in lines(text) if line.startswith(r"\delta_") and "^{(1)}" in line]
    assert first_sample == [r"\delta_{z_{o}^{(1)}}"] + [rf"\delta_{{z_{{h{k}}}^{{(1)}}}}" for k in (1, 2, 3, 4)]


def test_seed004_writes_each_definition_into_its_partial_as_the_seed_post_does():
    text = derive.solve(ROOT / "examples" / "seed004_221_network.toml").to_markdown(lang="en", flavor="katex")
    at = lines(text).index(r"\frac{\partial L}{\partial w_{1}} &= \frac{\partial L}{\partial \hat{y}} \cdot "
                           r"\frac{\partial \hat{y}}{\partial a_{1}} \cdot \frac{\partial a_{1}}{\partial z_{1}} \cdot "
                           r"\frac{\partial z_{1}}{\partial w_{1}} \\")
    assert lines(text)[at + 1:at + 5] == [
        r"  &= \frac{\partial \left(y_{1} - \hat{y}\right)^{2}}{\partial \hat{y}} \cdot "
        r"\frac{\partial \left(w_{5} a_{1} + w_{6} a_{2}\right)}{\partial a_{1}} \cdot "
        r"\frac{\partial \left(\frac{1}{1 + e^{- z_{1}}}\right)}{\partial z_{1}} \cdot "
        r"\frac{\partial \left(w_{1} x_{1} + w_{3} x_{2}\right)}{\partial w_{1}} \\",
        r"  &= - 2 \left(y_{1} - \hat{y}\right) \cdot w_{5} \cdot \sigma\left(z_{1}\right) "
        r"\left(1 - \sigma\left(z_{1}\right)\right) \cdot x_{1} \\",
        r"  &= - 2 \left(0.7 - 0.4946\right) \cdot 0.4 \cdot 0.5523 \left(1 - 0.5523\right) \cdot 0.5 \\",
        r"  &= -0.02032 \\"]


def test_the_definitions_row_is_for_small_chains_and_can_be_switched():
    seed004 = derive.solve(ROOT / "examples" / "seed004_221_network.toml")
    row = r"\frac{\partial \left(w_{5} a_{1} + w_{6} a_{2}\right)}{\partial w_{5}}"
    assert row in seed004.to_markdown() and row not in seed004.to_markdown(definitions=False)
    xor = derive.solve(ROOT / "examples" / "seed002_xor_network.toml")  # 17 parameters, delta style
    assert r"\frac{\partial \left(" not in xor.to_markdown()
    assert r"\frac{\partial \left(" in xor.to_markdown(definitions=True)


SOFTMAX = {"network": {"inputs": {"x1": 0.5, "x2": -0.2}, "targets": {"y1": 0, "y2": 1}, "loss": "cross_entropy",
                       "layers": [{"activation": "softmax", "weights": [[0.3, -0.1], [0.2, 0.4]],
                                   "pre_names": ["z1", "z2"], "post_names": ["p1", "p2"]}]},
           "train": {"learning_rate": 0.1}}


def test_sigmoid_with_binary_cross_entropy_is_yhat_minus_y():
    text = page(ROOT / "examples" / "neuron_ten_steps.toml")
    assert lines(text)[lines(text).index(
        r"\frac{\partial L}{\partial w_{1}} &= \frac{\partial L}{\partial z} \cdot \frac{\partial z}{\partial w_{1}} \\")
        + 1:][:3] == [r"  &= \left(\hat{y} - y\right) \cdot x_{1} \\", r"  &= \left(0.5250 - 1\right) \cdot 1 \\",
                      r"  &= -0.4750 \\"]
    assert text.count("simplifies to the output minus the target") == 1  # said once a page, not once a step
    assert "softmax" not in text
    assert r"\frac{1 - y}{1 - \hat{y}}" not in text


def test_softmax_with_cross_entropy_is_p_minus_y_once_not_a_sum():
    text = page(SOFTMAX)
    assert (r"\frac{\partial L}{\partial w^{(1)}_{11}} &= \frac{\partial L}{\partial z_{1}} \cdot "
            r"\frac{\partial z_{1}}{\partial w^{(1)}_{11}} \\") in lines(text)
    assert r"  &= \left(p_{1} - y_{1}\right) \cdot x_{1} \\" in lines(text)
    assert "With cross-entropy after a softmax whose targets sum to 1" in text and "sigmoid" not in text
    data = derive.solve(SOFTMAX).as_json()
    p1 = data["forward"]["p1"]
    assert data["gradients"]["w1_1_1"] == pytest.approx((p1 - 0) * 0.5, rel=1e-12)


def test_targets_that_do_not_sum_to_one_keep_every_path():
    spec = {**SOFTMAX, "network": {**SOFTMAX["network"], "targets": {"y1": 0.5, "y2": 1}}}
    text = page(spec)
    assert "simplifies to" not in text
    assert r"\frac{\partial L}{\partial p_{1}} \cdot \frac{\partial p_{1}}{\partial z_{1}}" in text


def test_carried_pages_keep_the_factors_the_engine_rounded():
    text = derive.solve(ROOT / "examples" / "neuron_ten_steps.toml", carry_rounded=True).to_markdown(
        lang="en", definitions=False)
    assert "simplifies to the output minus the target" not in text
    assert r"\frac{\partial L}{\partial \hat{y}} \cdot \frac{\partial \hat{y}}{\partial z}" in text
