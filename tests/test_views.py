"""Stage 3, views (derive/views/): solution records become records of plain strings and
numbers, ready for a template. Nothing a view makes is a SymPy object, and every
coordinate of a picture is computed here, not in a template."""

import dataclasses
import re

import pytest
import sympy

import derive
from conftest import ROOT
from derive.views import diagram, legible, present, reference, worksheet

SEED004 = ROOT / "examples" / "seed004_221_network.toml"
STEPS = ROOT / "examples" / "neuron_ten_steps.toml"
GRAPH = ROOT / "examples" / "seed001_graph_xyz.toml"


def leaves(record, path="view"):
    """(path, value) of every leaf of a view record: dataclass fields, tuples and dicts walked."""
    if dataclasses.is_dataclass(record):
        for field in dataclasses.fields(record):
            yield from leaves(getattr(record, field.name), f"{path}.{field.name}")
    elif isinstance(record, dict):
        for key, item in record.items():
            assert isinstance(key, str), path
            yield from leaves(item, f"{path}[{key!r}]")
    elif isinstance(record, (tuple, list)):
        for k, item in enumerate(record):
            yield from leaves(item, f"{path}[{k}]")
    else:
        yield path, record


PLAIN = (str, int, float, bool, type(None))


@pytest.mark.parametrize("target", present.TARGETS)
@pytest.mark.parametrize("spec,style", [(SEED004, "chain"), (SEED004, "delta"), (SEED004, "matrix"),
                                        (STEPS, "auto"), (GRAPH, "auto")])
def test_a_view_holds_plain_strings(spec, style, target):
    solution = derive.solve(spec, style=style)
    view = present.view(solution, solution.options.but(lang="en"), target=target)
    found = [(p, type(v).__name__) for p, v in leaves(view) if not isinstance(v, PLAIN)]
    assert found == []
    assert not any(isinstance(v, sympy.Basic) for _, v in leaves(view))


@pytest.mark.parametrize("spec", [SEED004, STEPS, GRAPH])
def test_pictures_are_laid_out_in_python(spec):
    solution = derive.solve(spec)
    options = solution.options.but(lang="en")
    for picture in (diagram.diagram(solution, options), diagram.curve(solution, options)):
        if picture is None:
            continue
        numbers = [v for _, v in leaves(picture) if isinstance(v, (int, float)) and not isinstance(v, bool)]
        assert numbers and all(v == v and abs(v) < 1e4 for v in numbers)  # finite, on the page
        assert [p for p, v in leaves(picture) if not isinstance(v, PLAIN)] == []


def test_the_templates_do_no_arithmetic():
    """Coordinates come from the view: a template's expressions hold names, never + - * /."""
    for template in sorted((ROOT / "templates").rglob("*.j2")):
        if template.parent.name in ("new", "python"):
            continue  # a starter spec and a script print arithmetic as text
        text = template.read_text(encoding="utf-8")
        expressions = re.findall(r"\{\{(.*?)\}\}|\(\(\((.*?)\)\)\)", text, re.S)
        for expression in (a or b for a, b in expressions):
            code = re.sub(r"'[^']*'|\"[^\"]*\"", "''", expression)  # strings may hold anything
            assert not re.search(r"[^\s|(]\s*[-+*/%]\s*[\w(]", code), f"{template.name}: {{{{{expression}}}}}"


def test_a_line_is_printed_with_the_digits_that_let_it_compute():
    # 0.3 - 0.5 * 0.6734 = -0.0367, but 0.3 - 0.5 * 0.673 = -0.0365: three digits are not enough
    new, gradient = sympy.Rational("-0.0367"), sympy.Rational("0.6734")

    def build(d):
        shown = legible.face(gradient, d)
        return f"0.3 - 0.5 * {float(shown):g}", sympy.Rational(3, 10) - shown / 2

    assert legible.computable(new, build, 3, carry=False) == "0.3 - 0.5 * 0.6734"
    assert legible.computable(new, build, 3, carry=True) == "0.3 - 0.5 * 0.673"  # carried: as computed


def test_a_sheet_is_the_key_without_answers():
    solution = derive.solve(SEED004)
    sheet = worksheet.sheet(solution, derive.Options(lang="en"))
    blanks = [b for q in sheet.questions for b in q.blanks]
    assert len(blanks) == 5 + 1 + 6 + 6 + 2  # forward, loss, gradients, updates, the new yhat and L
    assert sum(q.points for q in sheet.questions) == len(blanks)
    assert [p for p, v in leaves(sheet) if not isinstance(v, PLAIN)] == []


def test_the_starter_words_come_from_the_registries():
    words = reference.words()
    assert words["activations"].startswith("identity, sigmoid, tanh, relu, leaky_relu (with slope = 0.01), softplus")
    assert words["losses"].endswith("cross_entropy (after a softmax layer)")
    assert words["languages"] == "en or ko"
