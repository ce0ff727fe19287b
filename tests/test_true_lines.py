"""Each class of printed line that did not compute, or said something untrue, with the
smallest spec that showed it (one test a class; the page self-check covers the rest)."""

import json
import math
import re
from decimal import Decimal

import pytest
from click.testing import CliRunner

import derive
import pagecheck
from conftest import ROOT, require_tex
from derive.output import render
from derive.cli import main
from derive.views.diagram import nice_ticks
from derive.errors import SpecError

SEED004 = ROOT / "examples" / "seed004_221_network.toml"
NEURON = ROOT / "examples" / "neuron_ten_steps.toml"


def page(spec, **options):
    options.setdefault("lang", "en")
    options.setdefault("flavor", "katex")
    solve = {k: options.pop(k) for k in ("carry_rounded", "style") if k in options}
    return derive.solve(spec, digits=options.get("digits", 4), **solve).to("md", **options)


def graph(equations, values, train=None):
    """A graph spec as a dict, numbers written as decimals (as in a TOML file)."""
    values = {k: Decimal(str(v)) for k, v in values.items()}
    spec = {"graph": {"equations": equations, "values": values}}
    if train:
        spec["train"] = {"learning_rate": Decimal(train)}
    return spec


def lines(text):
    return text.splitlines()


def test_1_a_reciprocal_is_a_fraction():
    text = page(graph(["f = 1 / x + log(x)"], {"x": 4}))
    assert r"f &= \frac{1}{x} + \log{\left(x \right)} = \frac{1}{4} + \log{\left(4 \right)} = 1.636" in lines(text)
    assert r"  &= \frac{1}{4} - \frac{1}{4^{2}} \\" in lines(text)


def test_2_a_given_parameter_is_shown_as_written_in_its_update():
    text = page(graph(["f = w * x"], {"w": "0.12345", "x": "0.247"}, "0.1"), carry_rounded=True)
    assert (r"{w}' &= w - \eta \cdot \frac{\partial f}{\partial w} = 0.12345 - 0.1 \cdot 0.2470 = 0.09875"
            in text)


def test_3_carried_matrices_follow_from_the_entries_shown():
    text = page(SEED004, style="matrix", carry_rounded=True)
    assert (r"  &= \left(\begin{bmatrix} 0.4 & 0.5 \end{bmatrix}^{\top} \begin{bmatrix} -0.4108 \end{bmatrix}\right)"
            r" \odot \begin{bmatrix} 0.2473 \\ 0.2478 \end{bmatrix} \\") in lines(text)
    # -0.4108 * 0.4 * 0.2473 and -0.4108 * 0.5 * 0.2478, rounded: what a calculator gives
    assert r"  &= \begin{bmatrix} -0.04064 \\ -0.05090 \end{bmatrix}" in lines(text)


def test_4_the_loss_sentence_in_powers_of_ten_korean_and_unchanged():
    tiny = graph(["f = (x - 1) ** 2"], {"x": "0.99975"}, "0.1")
    assert "The loss falls from $6.250 \\times 10^{-8}$ to $4.000 \\times 10^{-8}$." in page(tiny)
    korean = page(tiny, lang="ko")
    assert "손실이 $6.250 \\times 10^{-8}$에서 $4.000 \\times 10^{-8}$으로 줄었습니다." in korean
    flat = graph(["f = x ** 2"], {"x": 0}, "0.1")  # df/dx = 0: nothing moves
    assert "The loss stays at 0." in page(flat)
    assert "손실은 0에서 변하지 않았습니다." in page(flat, lang="ko")
    assert "\\textbackslash" not in derive.solve(tiny).to("tex", lang="en")


def test_5_a_tie_is_the_same_in_every_output(tmp_path):
    tie = graph(["q = x * y", "f = min(q, 0.3)"], {"x": "0.1", "y": 3})
    solution = derive.solve(tie)
    assert solution.as_json()["gradients"] == {"x": 1.5, "y": 0.05}
    script = tmp_path / "check.py"
    script.write_text(solution.to_script("numpy"), encoding="utf-8")
    from test_scripts import run_in_process

    assert run_in_process(script)["gradients"] == pytest.approx({"x": 1.5, "y": 0.05}, rel=1e-12)
    text = page(tie)
    assert ("a max or min of two equal values passes half the gradient to each. This step meets such a point "
            "at $f$.") in text


def test_6_a_log_stays_defined_when_the_prediction_rounds_to_one():
    # sigmoid(11) = 0.9999833: at 4 digits 1.000, and log(1 - 1.000) would be undefined
    spec = graph(["p = sigmoid(z)", "L = -(t * log(p) + (1 - t) * log(1 - p))"], {"z": 11, "t": "0.5"})
    text = page(spec)
    assert r"\log{\left(1 - 1.000 \right)}" not in text
    assert r"\log{\left(1 - 0.99998" in text
    assert pagecheck.check(text).findings == []


def test_7_no_stage_repeats_the_left_hand_side():
    text = page(ROOT / "examples" / "seed001_graph_xyz.toml")
    at = lines(text).index(r"\frac{\partial f}{\partial z} &= \frac{\partial \left(q z\right)}{\partial z} \\")
    assert lines(text)[at + 1] == r"  &= q \\"
    bare = derive.solve(ROOT / "examples" / "seed001_graph_xyz.toml").to_markdown(lang="en", definitions=False)
    assert r"\frac{\partial f}{\partial z} &= q \\" in lines(bare)
    direct = page(graph(["r = x * y", "f = r + x"], {"x": 2, "y": 3}))
    # f uses x directly and through r: the direct partial carries its definition
    assert (r"\frac{\partial f}{\partial x} &= \frac{\partial \left(r + x\right)}{\partial x} + "
            r"\frac{\partial f}{\partial r} \cdot \frac{\partial r}{\partial x} \\") in lines(direct)


def test_8_constants_print_as_written():
    text = page(graph(["q = x * y", "f = min(q, 0.3) + leaky_relu(q, 0.1) + q / 10"], {"x": "0.2", "y": 3}))
    assert r"\min\left(q, 0.3\right)" in text and r"\operatorname{LeakyReLU}\left(q, 0.1\right)" in text
    assert r"\frac{q}{10}" in text and r"\frac{3}{10}" not in text and r"\frac{1}{10}" not in text


def test_9_the_saturation_note_names_the_printed_symbol():
    spec = {"network": {"inputs": {"x1": 100}, "targets": {"y1": 1}, "loss": "squared_error",
                        "layers": [{"activation": "sigmoid", "weights": [[1]]}]}}
    text = page(spec)
    assert "$a^{(1)}_{1}$ is $1.000$ to 4 significant digits: this sigmoid unit is saturated" in text
    assert "a1_1" not in text


SOFTMAX = """
[network]
inputs = { x1 = 0.5, x2 = -0.3 }
targets = { y1 = 1, y2 = 0 }
loss = "cross_entropy"
[[network.layers]]
activation = "relu"
weights = [[0.3, 0.2], [0.2, -0.3], [0.1, 0.4]]
bias = [0.1, 0.1, 0.1]
[[network.layers]]
activation = "softmax"
weights = [[0.4, 0.5, -0.2], [0.3, -0.1, 0.2]]
bias = [0.05, -0.05]
"""


def test_10_pictures_name_each_wire_once_and_ticks_say_what_the_points_are():
    picture = render.pictures(derive.solve(SOFTMAX), derive.Options())["picture"]
    # on its wire, or (no room there) in the legend under the picture
    weights = [w.label.tex.split(" =")[0] for w in picture.wires if w.label.tex and "text{[" not in w.label.tex]
    weights += [line.label.tex.split(" =")[0] for line in picture.legend]
    biases = [b.extra.tex.split(" =")[0] for b in picture.boxes if b.extra.tex]
    assert sorted(weights) == sorted(f"w^{{({l})}}_{{{j}{i}}}" for l, units, inputs in ((1, 3, 2), (2, 2, 3))
                                     for j in range(1, units + 1) for i in range(1, inputs + 1))
    assert sorted(biases) == ["b^{(1)}_{1}", "b^{(1)}_{2}", "b^{(1)}_{3}", "b^{(2)}_{1}", "b^{(2)}_{2}"]
    assert nice_ticks(0.125, 0.135) == tuple(Decimal(t) for t in ("0.125", "0.130", "0.135", "0.140"))
    curve = render.pictures(derive.solve(NEURON), derive.Options())["curve"]
    assert curve.xvalues == tuple(range(0, 11))  # whole steps only
    assert [label for _, label in curve.yticks] == ["0", "0.2", "0.4", "0.6", "0.8"]
    tex = derive.solve(NEURON).to("tex", lang="en")
    assert "ytick={0.0,0.2,0.4,0.6,0.8}" in tex and "yticklabels={0,0.2,0.4,0.6,0.8}" in tex
    # the table beside the PDF's curve: each printed loss is the history's, rounded to the page's digits
    history = derive.solve(NEURON).history
    printed = re.findall(r"^(\d+) & \$([-0-9.]+)\$ \\\\$", tex, flags=re.M)
    assert [int(k) for k, _ in printed] == list(range(11))
    assert printed[0][1] == "0.6444" and printed[-1][1] == "0.08635" and printed[9][1] == "0.09521"
    for k, loss in printed:
        assert abs(float(loss) - float(history[int(k)])) <= 0.5 * 10 ** (math.floor(math.log10(float(loss))) - 3)
    many = derive.solve(NEURON.read_text(encoding="utf-8").replace("steps = 10", "steps = 23"))
    rows = render.pictures(many, derive.Options())["curve"].rows  # at the ticks, and the last step
    assert [k for k, _ in rows] == [0, 5, 10, 15, 20, 23]


def test_11_no_empty_display():
    text = page(graph(["q = x + y", "f = q * z"], {"x": -2, "y": 5, "z": -4}, "0.1"))
    assert "\\begin{aligned}\n\\end{aligned}" not in text
    assert "#### Loss" not in text


def test_12_cross_entropy_needs_a_softmax_layer():
    spec = {"network": {"inputs": {"x1": 0.5}, "targets": {"y1": 0}, "loss": "cross_entropy",
                        "layers": [{"activation": "sigmoid", "weights": [[0.3]]}]}}
    with pytest.raises(SpecError, match="cross_entropy needs a softmax output layer.*binary_cross_entropy"):
        derive.solve(spec)


@pytest.mark.parametrize("name", ["e", "pi"])
def test_13_names_that_read_as_constants_are_refused(name):
    with pytest.raises(SpecError, match=f"'{name}' would print as"):
        derive.solve(graph([f"{name} = exp(-a)", "f = 2 * " + name], {"a": 1}))
    with pytest.raises(SpecError, match="reads as a mathematical constant"):
        derive.solve({**graph(["f = 2 * a"], {"a": 1}), "symbols": {"a": "e" if name == "e" else "\\pi"}})
    with pytest.raises(SpecError, match="learning rate's symbol"):
        derive.solve(graph(["f = eta * x"], {"eta": 1, "x": 2}, "0.1"))


def test_14_the_format_follows_the_output_name(tmp_path):
    runner = CliRunner()
    result = runner.invoke(main, ["solve", str(SEED004), "-o", str(tmp_path / "out.json")])
    assert result.exit_code == 0 and json.loads((tmp_path / "out.json").read_text())["loss"]["name"] == "L"
    result = runner.invoke(main, ["solve", str(SEED004), "-f", "md", "-o", str(tmp_path / "out.pdf")])
    assert (result.exit_code, result.output) == (
        2, f"Error: {tmp_path / 'out.pdf'}: the extension .pdf means pdf, but -f md was given; name the file for "
           "its format or leave -f out\n")
    result = runner.invoke(main, ["worksheet", str(SEED004), "-o", str(tmp_path / "ws.tex")])
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.json", "ws-key.tex", "ws.tex"]
    result = runner.invoke(main, ["worksheet", str(SEED004), "-o", str(tmp_path / "s.tex"), "--key",
                                  str(tmp_path / "s.tex")])
    assert result.exit_code == 2 and "is the sheet itself" in result.output


def test_14_pdf_from_the_extension(tmp_path):
    require_tex()
    result = CliRunner().invoke(main, ["solve", str(SEED004), "-o", str(tmp_path / "out.pdf")])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "out.pdf").read_bytes().startswith(b"%PDF")


def test_15_a_variant_needs_its_seed(tmp_path):
    answers = tmp_path / "a.toml"
    answers.write_text("[forward]\na1 = 0.5\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["check", str(SEED004), str(answers), "--variant", "7"])
    assert result.exit_code == 2 and "--variant 7 needs --seed" in result.output
    with pytest.raises(ValueError, match="variant and seed go together"):
        derive.check_answers(SEED004, str(answers), variant=7)
