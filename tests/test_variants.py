"""[randomize] and variants: draws on the declared grid, reproducible, distinct, and good
exercises; a poor draw is drawn again; bad ranges are bad input."""

from decimal import Decimal

import pytest
import sympy

import derive
from conftest import ROOT
from derive.engine import chain
from derive.engine import variants
from derive.errors import SpecError

SEED004 = ROOT / "examples" / "seed004_221_network.toml"
BASE = SEED004.read_text(encoding="utf-8").split("# `derive worksheet")[0]


def with_ranges(ranges):
    return BASE + "\n[randomize]\n" + ranges


def made(text, count=30, seed=42):
    checked, graph = derive.build(text)
    return graph, variants.make(graph, checked.randomize, count, seed)


def test_draws_lie_on_the_declared_grid():
    graph, drawn = made(SEED004.read_text(encoding="utf-8"))
    grids = {"x1": ("0.1", "0.9"), "x2": ("0.1", "0.9"), "y1": ("0.5", "1.0")}
    for variant in drawn:
        assert [k for k, _ in variant.drawn] == ["x1", "x2", "y1", "w1", "w2", "w3", "w4", "w5", "w6"]
        for key, value in variant.drawn:
            low, high = grids.get(key, ("-0.5", "0.5"))
            assert sympy.Rational(low) <= value <= sympy.Rational(high)
            assert (value * 10).is_integer, (key, value)  # the step is 0.1
            assert variant.graph.node(key).value == value


def test_same_seed_same_variants_other_seed_others():
    _, first = made(SEED004.read_text(encoding="utf-8"), seed=7)
    _, again = made(SEED004.read_text(encoding="utf-8"), seed=7)
    _, other = made(SEED004.read_text(encoding="utf-8"), seed=8)
    assert [v.drawn for v in first] == [v.drawn for v in again]
    assert [v.drawn for v in first] != [v.drawn for v in other]


def test_draws_are_fixed_forever():
    # SHA-256 of (seed, variant, attempt, name): these numbers never change with the machine
    _, drawn = made(SEED004.read_text(encoding="utf-8"), count=1, seed=1)
    assert [(k, str(v)) for k, v in drawn[0].drawn] == [
        ("x1", "9/10"), ("x2", "3/5"), ("y1", "7/10"), ("w1", "1/10"), ("w2", "1/2"), ("w3", "1/10"),
        ("w4", "1/2"), ("w5", "3/10"), ("w6", "1/5")]


def test_variants_are_distinct_and_good_exercises():
    graph, drawn = made(SEED004.read_text(encoding="utf-8"), count=60)
    assert len({v.drawn for v in drawn}) == 60
    local = chain.local_derivatives(graph)
    for variant in drawn:
        g = variant.graph
        forward = chain.forward_pass(g, {n.key: n.value for n in g.leaves})
        adjoints, _ = chain.backward(g, local, forward.values)
        assert all(abs(adjoints[p]) >= Decimal("1e-4") for p in g.parameters)
        assert all(0.01 <= forward.values[k] <= 0.99 for k in ("a1", "a2"))
        assert forward.values["z1"] != forward.values["z2"]
        assert all(g.node(k).value != 0 for k in ("x1", "x2", "w1", "w2", "w3", "w4", "w5", "w6"))


def test_variant_alone_equals_its_place_in_the_class_set():
    checked, graph = derive.build(SEED004)
    class_set = variants.make(graph, checked.randomize, 12, 5)
    assert variants.variant(graph, checked.randomize, 12, 5).drawn == class_set[-1].drawn
    assert variants.variant(graph, checked.randomize, 3, 5).drawn == class_set[2].drawn


def test_a_name_beats_its_group():
    _, drawn = made(with_ranges("weights = { low = -0.5, high = 0.5, step = 0.1 }\n"
                                "w5 = { low = 2, high = 3, step = 1 }\n"))
    assert {v.graph.node("w5").value for v in drawn} <= {2, 3}
    assert all(abs(v.graph.node("w1").value) <= sympy.Rational(1, 2) for v in drawn)


@pytest.mark.parametrize("ranges, reason", [
    # x1 = 0 in one of two choices: every variant keeps x1 = 1
    ("x1 = { low = 0, high = 1, step = 1 }\nweights = { low = -0.5, high = 0.5, step = 0.1 }", "zero input"),
    # |z| up to 50: most draws saturate the sigmoids
    ("w1 = { low = -50, high = 50, step = 1 }\nw2 = { low = -50, high = 50, step = 1 }", "saturated"),
])
def test_poor_draws_are_drawn_again(ranges, reason):
    _, drawn = made(with_ranges(ranges), count=10)
    for variant in drawn:
        assert variants.poor(variant.graph) is None
    if reason == "zero input":
        assert {v.graph.node("x1").value for v in drawn} == {1}


def test_poor_names_the_reason():
    def poor_of(text):
        _, graph = derive.build(text)
        return variants.poor(graph, drawn={n.key for n in graph.leaves})

    assert poor_of(BASE) is None
    assert poor_of(BASE.replace("x1 = 0.5", "x1 = 0")) == "a zero input (x1)"
    assert poor_of(BASE.replace("[[0.4, 0.5]]", "[[0, 0.5]]")) == "a zero weight (w5)"
    assert poor_of(BASE.replace("[[0.3, 0.2], [0.2, 0.3]]", "[[30, 0.2], [0.2, 0.3]]")) == "a saturated sigmoid (a1)"
    assert poor_of(BASE.replace("[[0.3, 0.2], [0.2, 0.3]]", "[[0.3, 0.2], [0.3, 0.2]]")) \
        == "two quantities with the same value (z1 and z2)"
    assert variants.poor(derive.build(GRAPH)[1]) == "a zero gradient (of x)"
    assert variants.poor(derive.build(GRAPH.replace("y = 0", "y = 1"))[1]) is None


GRAPH = '[graph]\nequations = ["f = x * y"]\nvalues = { x = 2, y = 0 }\n'


BAD = {
    "wieghts = { low = 0, high = 1, step = 0.5 }": "randomize.wieghts: 'wieghts' is not a given value; did you mean 'weights'? "
                                             "draw any of w1, w2, w3, w4, w5, w6, x1, x2, y1 or a group "
                                             "(inputs, targets, weights, biases, parameters, values)",
    "z1 = { low = 0, high = 1, step = 0.5 }": "randomize.z1: 'z1' is computed, not given, so it cannot be drawn",
    "biases = { low = 0, high = 1, step = 0.5 }": "randomize.biases: this spec has no biases",
    "x1 = { low = 0.1, high = 0.3, step = 0.1 }": "the ranges allow only 3 different draws, fewer than the 30 "
                                                "variants asked for",
    "w1 = { low = 0, high = 0, step = 1 }": "the ranges allow only 1 different draws",
    "w5 = { low = 0, high = 0.1, step = 0.1 }\nw6 = { low = 0, high = 0.1, step = 0.1 }\n"
    "w1 = { low = 1, high = 1, step = 1 }": "the ranges allow only 4 different draws",
}


@pytest.mark.parametrize("ranges", sorted(BAD))
def test_bad_ranges(ranges):
    checked, graph = derive.build(with_ranges(ranges))
    with pytest.raises(SpecError) as err:
        variants.make(graph, checked.randomize, 30, 1)
    assert BAD[ranges] in str(err.value)


def test_no_good_draw_says_why():
    # of the four draws only w5 = w6 = 1 has no zero weight, so there is no second variant
    checked, graph = derive.build(with_ranges("w5 = { low = 0, high = 1, step = 1 }\n"
                                              "w6 = { low = 0, high = 1, step = 1 }\n"))
    assert [dict(v.drawn) for v in variants.make(graph, checked.randomize, 1, 1)] == [{"w5": 1, "w6": 1}]
    with pytest.raises(SpecError, match=r"no good draw for variant 2 in 1000 tries; most had a zero weight \(w5\)\. "
                                        r"Change the ranges in \[randomize\]"):
        variants.make(graph, checked.randomize, 2, 1)


def test_no_randomize_table():
    checked, graph = derive.build(BASE)
    with pytest.raises(SpecError, match=r"has no \[randomize\] table to draw variants from"):
        variants.make(graph, checked.randomize, 3, 1)


@pytest.mark.parametrize("entry, message", [
    ("x1 = { low = 0.1, high = 0.95, step = 0.1 }",
     "randomize.x1: 0.1 to 0.95 is not a whole number of steps of 0.1 (high = 0.9 or 1 would be)"),
    ("x1 = { low = 0.1, high = 0.9 }", "randomize.x1: missing key 'step'"),
    ("x1 = { low = 0.1, high = 0.9, step = 0.1, stpe = 1 }", "randomize.x1.stpe: unknown key (did you mean 'step'?)"),
    ("x1 = { low = 1, high = 0.9, step = 0.1 }", "randomize.x1: high (0.9) is below low (1)"),
    ("x1 = { low = 0, high = 1, step = -0.5 }", "randomize.x1.step: must be positive, got -0.5"),
    ("x1 = 3", "randomize.x1: expected a table, got the number 3"),
    ("x1 = { low = 0, high = 1, step = 1e-6 }", "randomize.x1: gives 1000001 choices; at most 100000 are allowed"),
    ("x1 = { low = 'a', high = 1, step = 1 }", "randomize.x1.low: expected a number, got the string 'a'"),
])
def test_bad_randomize_table(entry, message):
    with pytest.raises(SpecError) as err:
        derive.build(with_ranges(entry))
    assert message in str(err.value)
