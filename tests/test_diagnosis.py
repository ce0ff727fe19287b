"""A wrong answer named by the slip that reproduces it, its right line, and the score.

Every slipped value below is worked here by hand in floats from seed 004's numbers
(x = (0.5, 0.3), y = 0.7, w1..w6 = 0.3, 0.2, 0.2, 0.3, 0.4, 0.5, η = 0.1, L = (y − ŷ)²,
sigmoid hidden units, identity output), never by the catalogue's own code."""

import json
import math
from decimal import Decimal

import pytest
from click.testing import CliRunner

import derive
from conftest import ROOT
from derive.cli import main
from derive.engine import check, slips
from derive.numbers import rounded
from derive.languages import text

SEED004 = ROOT / "examples" / "seed004_221_network.toml"


def sig(z):
    return 1 / (1 + math.exp(-z))


X1, X2, Y, RATE = 0.5, 0.3, 0.7, 0.1
W1, W2, W3, W4, W5, W6 = 0.3, 0.2, 0.2, 0.3, 0.4, 0.5
Z1, Z2 = W1 * X1 + W3 * X2, W2 * X1 + W4 * X2
A1, A2 = sig(Z1), sig(Z2)
YHAT = W5 * A1 + W6 * A2
LOSS = (Y - YHAT) ** 2
DYHAT = -2 * (Y - YHAT)
D1 = DYHAT * W5 * A1 * (1 - A1)           # dL/dz1
G1, G3, G5 = D1 * X1, D1 * X2, DYHAT * A1  # dL/dw1, dL/dw3, dL/dw5
NEW5 = W5 - RATE * G5


def r4(value):
    return float(f"{value:.4g}")


SLIPPED = [
    ("missing-activation-derivative", "gradients", "w1", DYHAT * W5 * X1),
    ("updated-weight-used", "gradients", "w1", DYHAT * NEW5 * A1 * (1 - A1) * X1),
    ("ascent-instead-of-descent", "updated", "w1", W1 + RATE * G1),
    ("learning-rate-missing", "updated", "w1", W1 - G1),
    ("sign-flipped", "gradients", "w5", -G5),
    ("factor-two", "gradients", "w5", G5 / 2),
    ("factor-two", "forward", "L", LOSS / 2),
    ("pre-post-swapped", "forward", "a1", Z1),
    ("pre-post-swapped", "gradients", "w5", DYHAT * Z1),
    ("wrong-input", "gradients", "w1", G3),
    ("decimal-shift", "forward", "a1", A1 * 10),
    ("decimal-shift", "gradients", "w1", G1 / 10),
    # every value carried on to two significant digits: 0.55, 0.55, 0.50 (0.495 rounded up)
    ("early-rounding", "forward", "L", (Y - 0.50) ** 2),
]


@pytest.mark.parametrize("slip, part, name, value", SLIPPED, ids=[f"{s}-{n}" for s, _, n, _ in SLIPPED])
def test_each_slip_is_named(slip, part, name, value):
    answers = {part: {name: r4(value)}} if part != "forward" or name != "L" else {"loss": r4(value)}
    report = derive.check_answers(SEED004, answers)
    result, = report.results
    assert (result.status, result.diagnosis) == ("wrong", slip)
    assert report.as_json()["results"][0]["diagnosis"] == slip


def test_the_catalogue_holds_each_slip_once_in_its_order():
    assert slips.IDS == ("missing-activation-derivative", "updated-weight-used", "ascent-instead-of-descent",
                         "learning-rate-missing", "sign-flipped", "factor-two", "pre-post-swapped", "wrong-input",
                         "decimal-shift", "early-rounding")
    from derive.languages import LANGUAGES

    for lang in LANGUAGES.values():
        assert all(lang.words[f"slip_{i}"] for i in slips.IDS)


def test_a_wrong_answer_no_slip_explains_is_only_wrong():
    result, = derive.check_answers(SEED004, {"gradients": {"w1": 0.777}}).results
    assert (result.status, result.diagnosis) == ("wrong", "")


def test_the_right_line_uses_the_students_values_where_they_hold():
    """a1 given right (0.552) and w5 wrong: the line for ŷ is worked from 0.552, and the
    line for the wrong w5 gradient from the student's ŷ; a wrong a2 is replaced by its own
    right value in every later line."""
    answers = {"forward": {"a1": 0.552, "a2": 0.9, "yhat": 0.9}, "gradients": {"w5": 0.5}}
    report = derive.check_answers(SEED004, answers)
    view = {r.key: r.note for r in __import__("derive.views.report", fromlist=["view"]).view(report, "en").rows}
    right_yhat = W5 * 0.552 + W6 * A2
    assert view["forward.a2"] == f"64% off; should be a2 = sigmoid(0.19) = {A2:.4f}"  # 0.9 for 0.5474
    assert view["forward.yhat"].endswith(f"should be yhat = 0.4 · 0.552 + 0.5 · {A2:.4f} = {right_yhat:.4f}")
    # the student's yhat = 0.9 is wrong, so the gradient's line uses what follows from 0.552
    gradient = -2 * (Y - right_yhat) * 0.552
    assert view["gradients.w5"].endswith(f"should be ∂L/∂w5 = ({-2 * (Y - right_yhat):.4f}) · 0.552 = {gradient:.4f}")


def test_scores_count_a_point_a_blank_and_carried_credit():
    answers = ROOT / "examples" / "answers" / "seed004_slip.toml"
    full = derive.check_answers(SEED004, answers)
    assert (full.score, full.maximum) == (3, 20)  # three carried answers, full credit
    half = derive.check_answers(SEED004, answers, carried_credit=0.5)
    assert half.score == 1.5 and half.as_json()["score"] == 1.5
    result = CliRunner().invoke(main, ["check", str(SEED004), str(answers), "--carried-credit", "0", "-f", "json"])
    data = json.loads(result.output)
    assert (data["score"], data["max"]) == (0, 20) and [r["score"] for r in data["results"]] == [0, 0, 0, 0]
    hand = derive.check_answers(SEED004, ROOT / "examples" / "answers" / "seed004_hand.toml")
    # seed 004's post answers 19 of the 20 blanks (not the loss after the update)
    assert (hand.score, hand.maximum, hand.count("wrong")) == (19, 20, 0)


def test_several_samples_and_graphs_are_diagnosed_without_pre_and_post():
    xor = ROOT / "examples" / "seed002_xor_network.toml"
    solution = derive.solve(xor)
    exact = solution.as_json()
    name = next(iter(exact["gradients"]))
    result, = derive.check_answers(xor, {"gradients": {name: -round(exact["gradients"][name], 6)}}).results
    assert (result.status, result.diagnosis) == ("wrong", "sign-flipped")
    graph = ROOT / "examples" / "seed001_graph_xyz.toml"
    result, = derive.check_answers(graph, {"forward": {"q": 30}}).results  # q = x + y = 3
    assert (result.status, result.diagnosis) == ("wrong", "decimal-shift")


def test_each_json_result_carries_the_note_of_the_table_as_its_hint():
    answers = ROOT / "examples" / "answers" / "seed004_slip.toml"
    for lang in ("en", "ko"):
        data = json.loads(CliRunner().invoke(main, ["check", str(SEED004), str(answers), "-f", "json",
                                                    "--lang", lang]).output)
        table = CliRunner().invoke(main, ["check", str(SEED004), str(answers), "--lang", lang]).output
        hints = {r["key"]: r["hint"] for r in data["results"]}
        assert hints["forward.yhat"] == ("follows from your forward.a1" if lang == "en"
                                         else text(lang, "check_from", keys="forward.a1"))
        assert hints["forward.a1"].startswith(text(lang, "check_off", percent="8.6"))
        for key, hint in hints.items():
            row = next(line for line in table.splitlines() if line.startswith(key + " "))
            assert row.rstrip().endswith(hint), (key, hint)


@pytest.mark.parametrize("spec", ["seed004_221_network", "seed002_xor_network", "seed001_graph_xyz"])
def test_the_line_a_wrong_answer_should_have_been_ends_in_a_number_marked_right(spec):
    """Typed in place of the wrong answer, the number its "should be" line ends in is right
    (or carried, where earlier answers were carried): the line never points elsewhere."""
    import test_practice

    path = ROOT / "examples" / f"{spec}.toml"
    solution = derive.solve(path)
    checked = 0
    sets = list(test_practice.answer_sets(path).values())
    # a slip carried on, then a later answer wrong: its line must not mix the carried
    # values with corrected ones
    carried = test_practice.carried_through(solution)
    for key in list(carried)[len(carried) // 2:]:
        sets.append({**carried, key: rounded(-Decimal(carried[key]) * 3, 4)})
    for typed in sets:
        if not typed:
            continue
        found, _ = check.answers(test_practice.nested(typed), solution, "")
        for result in check.check(solution, found).results:
            if result.status != "wrong" or result.working is None or result.working.result is None:
                continue
            fixed = {**typed, result.key: rounded(result.working.result, 6)}
            again, _ = check.answers(test_practice.nested(fixed), solution, "")
            status = next(r.status for r in check.check(solution, again).results if r.key == result.key)
            assert status in ("right", "carried"), (result.key, typed[result.key], fixed[result.key])
            checked += 1
    assert checked >= 5
