"""derive.solve takes a path, TOML text or a dict, with the same checks as the CLI."""

import pytest

import derive
from derive.errors import SpecError

GRAPH = {"graph": {"equations": ["f = x * y"], "values": {"x": 0.1, "y": 3}}}


def test_dict_and_text_and_path(spec_file):
    from_dict = derive.solve(GRAPH).as_json()
    assert from_dict == {"title": "", "loss": {"name": "f", "value": pytest.approx(0.3, abs=1e-16)},
                         "forward": {"f": pytest.approx(0.3, abs=1e-16)},
                         "gradients": {"x": 3.0, "y": pytest.approx(0.1, abs=1e-16)}}
    text = '[graph]\nequations = ["f = x * y"]\nvalues = { x = 0.1, y = 3 }\n'
    assert derive.solve(text).as_json() == from_dict
    assert derive.solve(spec_file(text)).as_json() == from_dict
    assert derive.solve(str(spec_file(text))).as_json() == from_dict


@pytest.mark.parametrize("value,message", [
    (float("nan"), "graph.values.x: nan is not a finite number"),
    (float("inf"), "graph.values.x: inf is not a finite number"),
    ("x", "graph.values.x: expected a number, got the string 'x'"),
    (True, "graph.values.x: expected a number, got a boolean"),
    (1e-301, "graph.values.x: 1e-301 is outside the range of numbers accepted"),
    (10**301, "is outside the range of numbers accepted (1e-300 to 1e300 in size)"),
])
def test_bad_values_in_a_dict(value, message):
    spec = {"graph": {"equations": ["f = x * y"], "values": {"x": value, "y": 3}}}
    with pytest.raises(SpecError) as err:
        derive.solve(spec)
    assert str(err.value).startswith("<dict>: ")
    assert message in str(err.value)


def test_not_a_spec():
    with pytest.raises(SpecError, match="expected a path, TOML text or a dict, got int"):
        derive.solve(42)


def test_tiny_toml_exponent_is_refused_quickly():
    with pytest.raises(SpecError, match="outside the range"):
        derive.solve('[graph]\nequations = ["f = x"]\nvalues = { x = 1e-999999 }\n')


def test_the_command_line_turns_the_collector_back_on():
    # derive.cli pauses the cyclic collector only while it imports (see the README's performance notes)
    import gc
    import importlib

    import derive.cli

    importlib.reload(derive.cli)
    assert gc.isenabled()
