"""Stage 1, reading (derive/reading/): the safe parser builds SymPy objects from a
whitelist and refuses everything else; the spec and answers files are data, never code."""

import pytest
import sympy

from derive.errors import SpecError
from derive.registry.functions import sigmoid
from derive.reading.expressions import MAX_DEPTH, MAX_LENGTH, parse_equation, parse_expression, symbol

x, y = symbol("x"), symbol("y")


def test_builds_sympy_directly():
    expr, names = parse_expression("sigmoid(2*x) + exp(-y) / 4 - x**2", "e")
    assert sympy.simplify(expr - (sigmoid(2 * x) + sympy.exp(-y) / 4 - x**2)) == 0
    assert names == ("x", "y")


def test_numbers_are_exact_decimals():
    expr, _ = parse_expression("0.1 + 0.2", "e")
    assert expr == sympy.Rational(3, 10)


def test_equation():
    eq = parse_equation("q = x * (y + 1)", "e")
    assert (eq.name, eq.expr, eq.names) == ("q", x * (y + 1), ("x", "y"))


@pytest.mark.parametrize("text,message", [
    ("x.real", "attribute access is not allowed"),
    ("x[0]", "a subscript is not allowed"),
    ("(lambda: 1)()", "only the listed functions may be called"),
    ("lambda: 1", "a lambda is not allowed"),
    ("[i for i in x]", "a comprehension is not allowed"),
    ("x if y else 1", "a conditional expression is not allowed"),
    ("__class__", "name '__class__' is not allowed"),
    ("'text'", "'text' is not a number"),
    ("True", "True is not a number"),
    ("open(x)", "unknown function 'open'"),
    ("exp", "'exp' is a function: call it, as exp(...)"),
    ("exp(x, y)", "exp() takes 1 argument, not 2"),
    ("max(x=1, y=2)", "max() takes plain arguments only"),
    ("9**9**9**9", "an exponent above 1000 is not allowed"),
    ("10**400", "this power is outside the range of numbers accepted"),
    ("1e400", "the number 1e400 is too large"),
    ("x % 2", "operator '%' is not allowed"),
    ("x < y", "a comparison is not allowed"),
    ("exp(" * (MAX_DEPTH + 5) + "x" + ")" * (MAX_DEPTH + 5), f"nesting deeper than {MAX_DEPTH} levels"),
    ("-" * (MAX_DEPTH + 5) + "x", f"nesting deeper than {MAX_DEPTH} levels"),
    ("x + " * (MAX_LENGTH // 4 + 1) + "x", f"longer than {MAX_LENGTH} characters"),
    ("x +", "does not parse"),
])
def test_refused(text, message):
    with pytest.raises(SpecError) as err:
        parse_expression(text, "spec.toml: here")
    assert str(err.value).startswith("spec.toml: here")
    assert message in str(err.value)


@pytest.mark.parametrize("name", ["2x", "__x", "exp", "x-y", "ü"])
def test_bad_defined_names(name):
    with pytest.raises(SpecError):
        parse_equation(f"{name} = 1", "e")
