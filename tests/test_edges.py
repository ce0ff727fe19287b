"""Numeric edge cases end in a page with a note or in one clear line, and derive never
writes over its own input."""

import pytest
from click.testing import CliRunner

import derive
from conftest import ROOT
from derive.engine import chain
from derive.cli import main
from derive.errors import SpecError

SEED004 = ROOT / "examples" / "seed004_221_network.toml"


def run(*args):
    return CliRunner().invoke(main, [str(a) for a in args])


def graph(equation, values, name="edge.toml", folder=None):
    text = f'[graph]\nequations = ["{equation}"]\nvalues = {{ {values} }}\n'
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def test_saturated_sigmoid_is_shown_as_one_with_a_note(tmp_path):
    spec = tmp_path / "sat.toml"
    spec.write_text('[graph]\nequations = ["a = sigmoid(w * x)", "L = (a - 1) ** 2"]\nvalues = { w = 10, x = 100 }\n',
                    encoding="utf-8")
    result = run("solve", spec, "--lang", "en")
    assert result.exit_code == 0
    assert r"a &= \sigma\left(w x\right) = \frac{1}{1 + e^{- w x}} = \frac{1}{1 + e^{- 10 \cdot 100}} = 1.000 \\" in result.output
    # the note names the unit by its printed symbol, as math
    assert ("$`a`$ is $`1.000`$ to 4 significant digits: this sigmoid unit is saturated, so its derivative is "
            "practically 0 and almost no gradient flows back through $`a`$.") in result.output
    korean = run("solve", spec, "--lang", "ko").output
    assert "$`a`$은(는) 유효숫자 4자리로 $`1.000`$입니다: 이 sigmoid 유닛은 포화되어" in korean


def test_saturated_tanh_and_an_unsaturated_one(tmp_path):
    spec = tmp_path / "tanh.toml"
    spec.write_text('[graph]\nequations = ["h = tanh(x)", "g = tanh(y)", "L = h * g"]\nvalues = { x = -1000, y = 0.5 }\n',
                    encoding="utf-8")
    output = run("solve", spec, "--lang", "en").output
    assert "$`h`$ is $`-1.000`$ to 4 significant digits: this tanh unit is saturated" in output
    assert "$`g`$ is" not in output
    assert "no gradient" not in run("solve", SEED004, "--lang", "en").output


def test_cross_entropy_of_a_saturated_output(tmp_path):
    spec = tmp_path / "bce.toml"
    spec.write_text('[network]\ninputs = { x = 1000 }\ntargets = { y = 0 }\nloss = "binary_cross_entropy"\n'
                    '[[network.layers]]\nactivation = "sigmoid"\nweights = [[1.0]]\npost_names = ["yhat"]\n',
                    encoding="utf-8")
    result = run("solve", spec)
    assert (result.exit_code, result.output) == (2, (
        f"Error: {spec}: network.loss: L is undefined at the given values (log of 0, because yhat = sigmoid(...) "
        "is 1 to the 50 digits computed: the unit is saturated; smaller inputs or weights keep it away from its "
        "bound)\n"))


@pytest.mark.parametrize("equation,values,message", [
    ("f = log(x)", "x = 0", "f is undefined at the given values (log of 0)"),
    ("f = x / y", "x = 1, y = 0", "f is undefined at the given values (division by zero)"),
    ("f = sqrt(x)", "x = -4", "f is not a real number at the given values"),
    ("f = exp(x)", "x = 1000", "f = 1.9701e434 is too large to compute with"),
    ("f = x * y", "x = inf, y = 1", "graph.values.x: inf is not a finite number"),
    ("f = x * y", "x = -inf, y = 1", "graph.values.x: -inf is not a finite number"),
    ("f = x * y", "x = nan, y = 1", "graph.values.x: nan is not a finite number"),
    ("f = x * y", "x = 1e400, y = 1", "graph.values.x: 1e400 is outside the range of numbers accepted"),
])
def test_undefined_values_are_one_clear_line(tmp_path, equation, values, message):
    result = run("solve", graph(equation, values, folder=tmp_path))
    assert result.exit_code == 2
    assert result.output.count("\n") == 1 and message in result.output, result.output


def test_exact_arithmetic_stays_bounded():
    # 0.1234567 ** 999 would be a rational of thousands of digits; it is carried as a Float
    solution = derive.solve({"graph": {"equations": ["f = x ** 999 * y ** 999"],
                                       "values": {"x": 0.1234567, "y": 3.3333333}},
                             "train": {"learning_rate": 0.1, "steps": 3}})
    for step in solution.steps:
        for value in list(step.forward.values.values()) + [g.value for g in step.gradients]:
            assert value.is_Float or (value.is_Rational and value.q <= chain.MAX_DENOMINATOR), value
    assert float(solution.first.forward.loss) == pytest.approx((0.1234567 * 3.3333333) ** 999, rel=1e-12)


@pytest.mark.parametrize("args", [
    ["solve", "{spec}", "-o", "{spec}"],
    ["solve", "{spec}", "-f", "json", "-o", "{spec}"],
    ["worksheet", "{spec}", "-f", "tex", "-o", "{folder}/sheet.tex", "--key", "{spec}"],
    ["check", "{spec}", "{answers}", "-o", "{answers}"],
    ["check", "{spec}", "{answers}", "-o", "{spec}"],
])
def test_never_over_the_input(tmp_path, args):
    spec = tmp_path / "spec.toml"
    spec.write_bytes(SEED004.read_bytes())
    answers = tmp_path / "answers.toml"
    answers.write_bytes((ROOT / "examples" / "answers" / "seed004_hand.toml").read_bytes())
    before = {p.name: p.read_bytes() for p in tmp_path.iterdir()}
    result = run(*(a.format(spec=spec, answers=answers, folder=tmp_path) for a in args))
    assert result.exit_code == 2
    assert "is the input file" in result.output and "derive never writes over its input" in result.output
    assert {p.name: p.read_bytes() for p in tmp_path.iterdir()} == before  # nothing written at all


def test_the_same_file_by_another_path(tmp_path, monkeypatch):
    spec = tmp_path / "spec.toml"
    spec.write_bytes(SEED004.read_bytes())
    (tmp_path / "link.toml").symlink_to(spec)
    monkeypatch.chdir(tmp_path)
    result = run("solve", "spec.toml", "-o", "./link.toml")
    assert result.exit_code == 2 and "is the input file spec.toml" in result.output
    assert spec.read_bytes() == SEED004.read_bytes()


def test_undefined_value_from_python_is_a_spec_error():
    with pytest.raises(SpecError, match=r"division by zero"):
        derive.solve({"graph": {"equations": ["f = 1 / (x - y)"], "values": {"x": 2, "y": 2}}})
