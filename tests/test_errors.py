"""Bad input: one line naming the file and the place, exit status 2, no traceback,
nothing written."""

import pytest
from click.testing import CliRunner

from derive.cli import main

NETWORK = """
[network]
inputs = { x1 = 0.5, x2 = 0.3 }
targets = { y1 = 0.7 }
loss = "squared_error"

[[network.layers]]
activation = "sigmoid"
weights = [[0.3, 0.2], [0.2, 0.3]]

[[network.layers]]
activation = "identity"
weights = [[0.4, 0.5]]
"""

GRAPH = """
[graph]
equations = ["q = x + y", "f = q * z"]
values = { x = -2, y = 5, z = -4 }
"""


def net(old, new):
    assert old in NETWORK
    return NETWORK.replace(old, new)


def graph(equations, values="{ x = -2, y = 5, z = -4 }"):
    return f"[graph]\nequations = {equations}\nvalues = {values}\n"


CASES = {
    "toml_syntax": (NETWORK + "weights = [0.1,\n", "TOML syntax error: Invalid value (at end of document)"),
    "toml_syntax_line": ("title = 'a'\ntitle = 'b'\n", "TOML syntax error: Cannot overwrite a value (at line 2, column 12)"),
    "unknown_key": (net('loss = "', 'los = "'), "network.los: unknown key (did you mean 'loss'?)"),
    "unknown_key_train": (NETWORK + "[train]\nlearning_rate = 0.1\nstep = 3\n", "train.step: unknown key (did you mean 'steps'?)"),
    "unknown_key_top": ("titel = 'x'\n" + NETWORK, "titel: unknown key (did you mean 'title'?)"),
    "unknown_activation": (net('"sigmoid"', '"sigmod"'), "network.layers[1].activation: unknown activation 'sigmod'; did you mean 'sigmoid'?"),
    "unknown_loss": (net("squared_error", "squared_eror"), "network.loss: unknown loss 'squared_eror'; did you mean 'squared_error'?"),
    "weights_shape_row": (net("[[0.4, 0.5]]", "[[0.4, 0.5, 0.6]]"),
                          "network.layers[2].weights: row 1 has 3 numbers, but this layer has 2 inputs: each row holds one "
                          "weight per input (torch.nn.Linear order: one row per unit)"),
    "weights_not_rows": (net("[[0.4, 0.5]]", "[0.4, 0.5]"), "network.layers[2].weights: expected an array of rows"),
    "weight_names_shape": (net("weights = [[0.4, 0.5]]", 'weights = [[0.4, 0.5]]\nweight_names = [["w5"]]'),
                           "network.layers[2].weight_names[1]: expected 2 names (one per input), got 1"),
    "targets_mismatch": (net("{ y1 = 0.7 }", "{ y1 = 0.7, y2 = 0.1 }"),
                         "network.targets: the last layer has 1 unit, so 1 target is needed, got 2 (y1, y2)"),
    "non_numeric": (net("x1 = 0.5", 'x1 = "half"'), "network.inputs.x1: expected a number, got the string 'half'"),
    "not_finite_nan": (net("x1 = 0.5", "x1 = nan"), "network.inputs.x1: nan is not a finite number"),
    "not_finite_inf": (net("[[0.4, 0.5]]", "[[0.4, inf]]"), "network.layers[2].weights[1][2]: inf is not a finite number"),
    "boolean": (net("x1 = 0.5", "x1 = true"), "network.inputs.x1: expected a number, got a boolean"),
    "defined_twice": (net("weights = [[0.4, 0.5]]", 'weights = [[0.4, 0.5]]\npost_names = ["x1"]'),
                      "network.layers[2].post_names[1]: the name 'x1' is defined twice (also at network.inputs.x1)"),
    "defined_twice_weights": (net("weights = [[0.4, 0.5]]", 'weights = [[0.4, 0.5]]\nweight_names = [["w", "w"]]'),
                              "network.layers[2].weight_names[1][2]: the name 'w' is defined twice (also at network.layers[2].weight_names[1][1])"),
    "defined_twice_equation": (graph('["q = x + y", "q = q * z"]'),
                               "graph.equations[2]: the name 'q' is defined twice (also at graph.equations[1])"),
    "shared_bias_two_values": (net("weights = [[0.3, 0.2], [0.2, 0.3]]",
                                   'weights = [[0.3, 0.2], [0.2, 0.3]]\nbias = [0.1, 0.2]\nbias_names = ["b", "b"]'),
                               "network.layers[1].bias: b is one shared bias, but it is given two values (0.1 and 0.2)"),
    "undefined_name": (graph('["q = x + y", "f = q * z * t"]'),
                       "graph.equations[2]: uses 't', which no equation defines and graph.values does not give (add t = ... to graph.values)"),
    "cycle": (graph('["a = b + x", "b = a * 2", "f = a + y + z"]'),
              "graph.equations[1]: the equations form a cycle: a -> b -> a (each name uses the next)"),
    "does_not_parse": (graph('["q = x + * y", "f = q * z"]'), "graph.equations[1]: column 9: does not parse: 'q = x + * y'"),
    "ends_too_soon": (graph('["q = x + y", "f = q * z +"]'), "graph.equations[2]: column 11: does not parse: 'f = q * z +'"),
    "never_closed": (graph('["q = x + y", "f = (q * z"]'), "graph.equations[2]: column 5: does not parse: 'f = (q * z'"),
    "not_an_equation": (graph('["q == x + y", "f = q * z"]'), "graph.equations[1]: an equation has the form 'name = expression'"),
    "unknown_function": (graph('["q = foo(x) + y", "f = q * z"]'), "graph.equations[1]: column 5: unknown function 'foo'"),
    "attribute_access": (graph('["q = x.real + y", "f = q * z"]'), "graph.equations[1]: column 5: attribute access is not allowed"),
    "both_forms": (NETWORK + GRAPH, "a spec has exactly one of a [network] table and a [graph] table, not both"),
    "neither_form": ("title = 'nothing'\n", "a spec has exactly one of a [network] table and a [graph] table; it has neither"),
    "steps_below_one": (NETWORK + "[train]\nlearning_rate = 0.1\nsteps = 0\n", "train.steps: must be between 1 and 1000, got 0"),
    "steps_not_whole": (NETWORK + "[train]\nlearning_rate = 0.1\nsteps = 1.5\n", "train.steps: expected a whole number, got the number 1.5"),
    "learning_rate_missing": (NETWORK + "[train]\nsteps = 2\n", "train: missing key 'learning_rate'"),
    "value_of_computed": (graph('["q = x + y", "f = q * z"]', "{ x = -2, y = 5, z = -4, q = 1 }"),
                          "graph.values.q: 'q' is defined by an equation (graph.equations[1]); only leaves take values"),
    "unused_value": (graph('["q = x + y", "f = q * z"]', "{ x = -2, y = 5, z = -4, t = 1 }"), "graph.values.t: no equation uses 't'"),
    "wrt_not_leaf": (GRAPH + 'wrt = ["q"]\n', "graph.wrt[1]: 'q' is computed by an equation; wrt lists leaves (x, y, z)"),
    "output_unknown": (GRAPH + 'output = "g"\n', "graph.output: 'g' is not defined by any equation (defined: q, f)"),
    "symbols_unknown": (NETWORK + '[symbols]\nzz = "z"\n', "symbols.zz: no quantity is named 'zz'"),
    "symbols_command": (NETWORK + '[symbols]\nz1_1 = "\\\\input{/etc/passwd}"\n',
                        "symbols.z1_1: \\input is not allowed in \"\\input{/etc/passwd}\"; a symbol's LaTeX holds "
                        "letters, digits, scripts (x_{1}, x^{2}), braces and commands such as \\hat{y}, \\alpha or "
                        "\\mathbf{w}"),
    "symbols_braces": (NETWORK + '[symbols]\nz1_1 = "z_{1"\n', "symbols.z1_1: a brace is not closed in \"z_{1\""),
    "symbols_dollar": (NETWORK + '[symbols]\nz1_1 = "$z$"\n',
                       "symbols.z1_1: the character '$' is not allowed in \"$z$\""),
    "symbols_tex_escape": (NETWORK + '[symbols]\nz1_1 = "x^^5cinput{/etc/hostname}"\n',
                           "symbols.z1_1: a script needs something to raise or lower in \"x^^5cinput{/etc/hostname}\""),
    "symbols_markup": (NETWORK + '[symbols]\nz1_1 = "\\\\text{<img/src=x>}"\n',
                       "symbols.z1_1: the character '<' is not allowed in \\text in \"\\text{<img/src=x>}\""),
    "log_of_zero": (graph('["f = log(x - y + 7) * z"]'), "graph.equations[1]: f is undefined at the given values (log of 0)"),
    "division_by_zero": (graph('["f = z / (x + 2) + y"]'), "graph.equations[1]: f is undefined at the given values (division by zero)"),
    "gradient_undefined": (graph('["f = sqrt(x + 2) + y * z"]'),
                           "graph.equations[1]: df/dx is undefined at the given values (division by zero)"),
    "negative_root": (graph('["f = sqrt(x) + y * z"]'),
                      "graph.equations[1]: f is not a real number at the given values (a fractional power of the negative number -2.000)"),
    "bce_log_zero": (net('"squared_error"', '"binary_cross_entropy"').replace('"identity"', '"relu"').replace("[[0.4, 0.5]]", "[[-0.4, -0.5]]"),
                     "network.loss: L is undefined at the given values (log of 0)"),
    "step_hidden": (net('"sigmoid"', '"step"'), "network.layers[1].activation: step is not differentiable, so it is allowed only in the last layer"),
    "custom_activation_unknown_name": (net('"sigmoid"', '"x + t"'), "network.layers[1].activation: column 5: unknown name 't' (known here: x)"),
}


@pytest.mark.parametrize("case", CASES, ids=list(CASES))
def test_bad_spec(case, spec_file, tmp_path):
    text, message = CASES[case]
    path = spec_file(text)
    out = tmp_path / "out.json"
    result = CliRunner().invoke(main, ["solve", str(path), "-f", "json", "-o", str(out)])
    assert result.exit_code == 2, result.output
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith(f"Error: {path}: ")
    assert message in lines[0]
    assert "Traceback" not in result.output
    assert not out.exists()
    assert list(tmp_path.iterdir()) == [path]


def test_missing_file(tmp_path):
    result = CliRunner().invoke(main, ["solve", str(tmp_path / "nope.toml")])
    assert result.exit_code == 2
    assert result.stderr == f"Error: {tmp_path / 'nope.toml'}: no such file\n"


def test_existing_output_survives_an_error(spec_file, tmp_path):
    out = tmp_path / "solution.md"
    out.write_text("previous solution\n")
    result = CliRunner().invoke(main, ["solve", str(spec_file("neither = 1\n")), "-o", str(out)])
    assert result.exit_code == 2
    assert out.read_text() == "previous solution\n"


def test_output_into_missing_folder(tmp_path):
    from conftest import EXAMPLES

    result = CliRunner().invoke(main, ["solve", str(EXAMPLES[0]), "-o", str(tmp_path / "no" / "out.md")])
    assert result.exit_code == 2
    assert result.stderr == f"Error: {tmp_path / 'no' / 'out.md'}: the folder {tmp_path / 'no'} does not exist\n"


def test_nothing_reaches_eval(spec_file):
    """A spec that would run code if it were evaluated is refused as text."""
    path = spec_file(graph('["q = __import__(\'os\').system(\'touch pwned\') + x + y", "f = q * z"]'))
    result = CliRunner().invoke(main, ["solve", str(path)])
    assert result.exit_code == 2
    assert not (path.parent / "pwned").exists()
    assert "graph.equations[1]: column 5: only the listed functions may be called, by name" in result.stderr


@pytest.mark.parametrize("shown", ["w_{1}", "w_1", "{w}_{1}", "w_{ 1 }", "{w}_1"])
def test_two_names_that_print_alike_are_refused(shown, tmp_path):
    """w_1 and w_{1} (and the like) print the same: a page would show two quantities as one."""
    spec = tmp_path / "spec.toml"
    spec.write_text('[graph]\nequations = ["f = w1 * w2"]\nvalues = { w1 = 1, w2 = 2 }\n[symbols]\n'
                    f'w2 = "{shown}"\n', encoding="utf-8")
    result = CliRunner().invoke(main, ["solve", str(spec)])
    assert (result.exit_code, result.output) == (
        2, f"Error: {spec}: graph.values.w2: 'w2' and 'w1' would both be shown as \"{shown}\"; rename one, "
           "or show it another way with [symbols]\n")


def test_names_that_print_differently_are_kept_apart(tmp_path):
    spec = tmp_path / "spec.toml"
    spec.write_text('[graph]\nequations = ["f = w1 * w2"]\nvalues = { w1 = 1, w2 = 2 }\n[symbols]\n'
                    'w1 = "w_{12}"\nw2 = "w_12"\n', encoding="utf-8")
    assert CliRunner().invoke(main, ["solve", str(spec)]).exit_code == 0


def test_a_value_too_large_even_to_write_is_one_line(tmp_path):
    spec = tmp_path / "spec.toml"
    spec.write_text('[graph]\nequations = ["f = exp(exp(x))"]\nvalues = { x = 700 }\n', encoding="utf-8")
    result = CliRunner().invoke(main, ["solve", str(spec)])
    assert (result.exit_code, result.output) == (
        2, f"Error: {spec}: graph.equations[1]: f is too large to compute with (the limit is 1e300 in size)\n")
