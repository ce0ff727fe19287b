"""derive check: right, carried and wrong, the default tolerance against seed 004's hand
calculation, several samples, worksheet variants, the reports, and bad answer files."""

import json
from decimal import Decimal

import pytest
from click.testing import CliRunner

import derive
from conftest import ROOT
from derive.engine import variants
from derive.cli import main
from derive.errors import SpecError

SEED004 = ROOT / "examples" / "seed004_221_network.toml"
XOR = ROOT / "examples" / "seed002_xor_network.toml"

# every number seed 004 prints, worked by hand with rounded intermediates
SEED004_PRINTED = (ROOT / "examples" / "answers" / "seed004_hand.toml").read_text(encoding="utf-8")

# SPEC.md section 4's example
SPEC_EXAMPLE = """
[forward]
a1 = 0.552
yhat = 0.4943
L = 0.04231
[gradients]
w1 = -0.0204
[updated]
w1 = 0.302
[after.forward]
yhat = 0.5199
"""


def statuses(report):
    return {r.key: r.status for r in report.results}


def test_every_number_seed004_prints_is_right():
    report = derive.check_answers(SEED004, SEED004_PRINTED)
    assert set(statuses(report).values()) == {"right"}
    assert len(report.results) == 19
    # 0.4943 follows from the student's 0.552 and 0.547; L from 0.4943
    by_key = {r.key: r for r in report.results}
    assert float(by_key["forward.yhat"].carried_from) == pytest.approx(0.4943, abs=1e-12)
    assert float(by_key["forward.L"].carried_from) == pytest.approx(0.2057 ** 2, abs=1e-12)


@pytest.mark.parametrize("line", [l for l in SEED004_PRINTED.splitlines() if "=" in l and not l.startswith("#")])
def test_each_printed_number_alone_is_right(line):
    section = [l for l in SEED004_PRINTED.splitlines() if l.startswith("[")
               and SEED004_PRINTED.index(l) < SEED004_PRINTED.index(line)][-1]
    report = derive.check_answers(SEED004, f"{section}\n{line}\n")
    assert statuses(report) == {f"{section.strip('[]')}.{line.split(' =')[0]}": "right"}


def test_spec_example():
    report = derive.check_answers(SEED004, SPEC_EXAMPLE)
    data = report.as_json()
    assert (data["right"], data["carried"], data["wrong"]) == (6, 0, 0)
    assert [r["key"] for r in data["results"]] == ["forward.a1", "forward.yhat", "forward.L", "gradients.w1",
                                                   "updated.w1", "after.forward.yhat"]
    first = data["results"][0]
    assert first == {"key": "forward.a1", "given": 0.552, "expected": pytest.approx(0.5523079095743253, abs=1e-15),
                     "status": "right", "points": 1, "score": 1}
    assert (data["score"], data["max"], data["unknown"]) == (6, 20, [])
    yhat = data["results"][1]
    assert yhat["expected"] == pytest.approx(0.4946019729, abs=1e-10)
    # from the student's a1 = 0.552 and the exact a2
    assert yhat["carried_from"] == pytest.approx(0.4 * 0.552 + 0.5 * 0.5473576, abs=1e-7)


def test_wrong_early_value_is_carried_forward():
    answers = """
[forward]
a1 = 0.6
yhat = 0.5137
L = 0.03471
[gradients]
w5 = -0.2236
w6 = -0.2249
"""
    report = derive.check_answers(SEED004, answers)
    assert statuses(report) == {"forward.a1": "wrong", "forward.yhat": "carried", "forward.L": "carried",
                                "gradients.w5": "carried", "gradients.w6": "right"}
    by_key = {r.key: r for r in report.results}
    assert by_key["forward.yhat"].follows_from == ("forward.a1",)
    assert by_key["forward.L"].follows_from == ("forward.yhat",)
    # dL/dw5 = -2 (y - yhat) a1 at the student's 0.5137 and 0.6
    assert float(by_key["gradients.w5"].carried_from) == pytest.approx(-2 * (0.7 - 0.5137) * 0.6, abs=1e-12)
    assert by_key["gradients.w5"].follows_from == ("forward.a1", "forward.yhat")


def test_carried_through_the_update_and_the_second_forward_pass():
    after = derive.solve(SEED004).as_json()["after"]["forward"]
    w6 = derive.solve(SEED004).as_json()["updated"]["w6"]
    yhat = 0.43 * after["a1"] + w6 * after["a2"]  # from the student's w5' = 0.430
    answers = f"""
[gradients]
w5 = -0.3
[updated]
w5 = 0.430
[after.forward]
yhat = {yhat:.4f}
"""
    report = derive.check_answers(SEED004, answers)
    assert statuses(report) == {"gradients.w5": "wrong", "updated.w5": "carried", "after.forward.yhat": "carried"}
    assert [r.follows_from for r in report.results] == [(), ("gradients.w5",), ("updated.w5",)]


EXACT = derive.solve(SEED004).as_json()


def quantities():
    for part in ("forward", "gradients", "updated"):
        for name, value in EXACT[part].items():
            yield f"[{part}]\n{name} = ", value
    for name, value in EXACT["after"]["forward"].items():
        yield f"[after.forward]\n{name} = ", value


@pytest.mark.parametrize("factor", ["1.05", "0.95", "1.06", "0.8"])
def test_five_percent_off_is_wrong(factor):
    for head, value in quantities():
        off = (Decimal(repr(value)) * Decimal(factor)).normalize()
        for digits in (3, 4, 6):  # as a student writes it: 3, 4 or 6 significant digits
            written = f"{off:.{digits}g}" if "e" not in f"{off:.{digits}g}" else f"{off:.{digits}f}"
            report = derive.check_answers(SEED004, head + written + "\n")
            assert [r.status for r in report.results] == ["wrong"], (head, written)


def test_five_percent_off_of_both_exact_and_carried_is_wrong():
    # a1 wrong, so yhat may be carried; 5% away from both values it is wrong
    carried = 0.4 * 0.6 + 0.5 * 0.5473576
    for yhat in (carried * 1.05, carried * 0.95, 0.4946020 * 1.05, 0.4946020 * 0.95):
        report = derive.check_answers(SEED004, f"[forward]\na1 = 0.6\nyhat = {yhat:.4f}\n")
        assert statuses(report)["forward.yhat"] == "wrong", yhat


def test_rounding_in_the_last_digit():
    # one unit in the last written digit, at least 0.5% and at most 2% of the value
    checks = {"0.5523": "right", "0.5549": "right", "0.5552": "wrong", "0.5494": "wrong", "0.552": "right",
              "0.55": "right", "0.56": "right", "0.57": "wrong", "0.5": "wrong", "0.6": "wrong"}
    for written, status in checks.items():
        assert statuses(derive.check_answers(SEED004, f"[forward]\na1 = {written}\n")) == {"forward.a1": status}


def test_tolerance_options():
    answers = "[forward]\na1 = 0.565\n"  # 2.3% off 0.5523
    assert statuses(derive.check_answers(SEED004, answers)) == {"forward.a1": "wrong"}
    assert statuses(derive.check_answers(SEED004, answers, rel_tol=0.025)) == {"forward.a1": "right"}
    assert statuses(derive.check_answers(SEED004, answers, abs_tol=0.02)) == {"forward.a1": "right"}
    assert statuses(derive.check_answers(SEED004, "[forward]\na1 = 0.5523\n", rel_tol=1e-9)) == {"forward.a1": "wrong"}


def test_several_samples():
    exact = derive.solve(XOR).as_json()
    h = exact["forward"][2]["h1"]
    answers = {"forward": [{}, {}, {"h1": Decimal(f"{h:.4f}"), "zo": Decimal("0.9")}, {}],
               "loss": Decimal(f"{exact['loss']['value']:.4g}"),
               "gradients": {"w2_1_1": Decimal(f"{exact['gradients']['w2_1_1']:.4g}")}}
    report = derive.check_answers(XOR, answers)
    assert statuses(report) == {"forward[3].h1": "right", "forward[3].zo": "wrong", "loss": "right",
                                "gradients.w2_1_1": "right"}


def test_several_samples_toml():
    exact = derive.solve(XOR).as_json()
    yhat = exact["forward"][1]["yhat"]
    answers = f"[[forward]]\n[[forward]]\nyhat = {yhat:.4f}\n"
    assert statuses(derive.check_answers(XOR, answers)) == {"forward[2].yhat": "right"}


def test_json_answers(spec_file, tmp_path):
    path = tmp_path / "answers.json"
    path.write_text(json.dumps({"forward": {"a1": 0.552}, "gradients": {"w1": -0.0204}}), encoding="utf-8")
    assert statuses(derive.check_answers(SEED004, path)) == {"forward.a1": "right", "gradients.w1": "right"}


def test_a_json_solution_checks_itself(tmp_path):
    # the tool's own JSON is an answers file, and all of it is right
    path = tmp_path / "solution.json"
    path.write_text(json.dumps(EXACT), encoding="utf-8")
    report = derive.check_answers(SEED004, path)
    # the loss stands twice in it (forward.L and loss), once in the report
    assert report.count("right") == len(report.results) == 6 + 6 + 6 + 6


def test_variant():
    checked, graph = derive.build(SEED004)
    seventh = variants.variant(graph, checked.randomize, 7, 42)
    solution = derive.derivation(checked, seventh.graph, steps=1).as_json()
    answers = {"forward": {"yhat": Decimal(f"{solution['forward']['yhat']:.4f}")}}
    assert statuses(derive.check_answers(SEED004, answers, variant=7, seed=42)) == {"forward.yhat": "right"}
    assert statuses(derive.check_answers(SEED004, answers)) == {"forward.yhat": "wrong"}


def run(*args):
    return CliRunner().invoke(main, [str(a) for a in args])


def test_readme_example_report():
    # the README shows this report word for word
    result = run("check", SEED004, ROOT / "examples" / "answers" / "seed004_slip.toml", "--lang", "en")
    assert result.exit_code == 1
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert result.output.rstrip("\n") in readme


def test_cli_exit_statuses_and_reports(tmp_path):
    right = tmp_path / "right.toml"
    right.write_text(SPEC_EXAMPLE, encoding="utf-8")
    wrong = tmp_path / "wrong.toml"
    wrong.write_text("[forward]\na1 = 0.6\nyhat = 0.5137\n", encoding="utf-8")
    result = run("check", SEED004, right, "--lang", "en")
    assert result.exit_code == 0
    assert result.output.splitlines()[0].split() == ["Answer", "Given", "Expected", "Status", "Note"]
    assert result.output.splitlines()[2].split() == ["forward.a1", "0.552", "0.5523079", "right"]
    assert result.output.endswith("\n6 right, 0 carried, 0 wrong.\nScore: 6 of 20.\n")
    result = run("check", SEED004, wrong, "-f", "md", "--lang", "en")
    assert result.exit_code == 1
    assert result.output == (
        "| Answer | Given | Expected | Status | Note |\n|---|---:|---:|---|---|\n"
        "| `forward.a1` | 0.6 | 0.5523079 | wrong | 8.6% off; should be a1 = sigmoid(0.21) = 0.5523 |\n"
        "| `forward.yhat` | 0.5137 | 0.4946020 | carried | follows from your forward.a1 |\n"
        "\n0 right, 1 carried, 1 wrong. Score: 1 of 20.\n")
    result = run("check", SEED004, wrong, "-f", "json", "--lang", "en")
    assert result.exit_code == 1
    data = json.loads(result.output)
    assert data["results"][1] == {"key": "forward.yhat", "given": 0.5137, "expected": pytest.approx(0.494602, abs=1e-6),
                                  "carried_from": pytest.approx(0.5136788, abs=1e-7), "status": "carried",
                                  "follows_from": ["forward.a1"], "points": 1, "score": 1,
                                  "hint": "follows from your forward.a1"}
    assert (data["right"], data["carried"], data["wrong"]) == (0, 1, 1)
    korean = run("check", SEED004, wrong)
    assert "앞의 forward.a1에서 바르게 이어진 값" in korean.output and "맞음 0, 이어짐 1, 틀림 1." in korean.output
    out = tmp_path / "report.md"
    assert run("check", SEED004, wrong, "-f", "md", "-o", out).exit_code == 1
    assert "| `forward.a1` | 0.6 |" in out.read_text(encoding="utf-8")


def test_terminal_colours_only_on_a_terminal(tmp_path):
    wrong = tmp_path / "wrong.toml"
    wrong.write_text("[forward]\na1 = 0.6\n", encoding="utf-8")
    plain = CliRunner().invoke(main, ["check", str(SEED004), str(wrong)])
    assert "\x1b[" not in plain.output
    coloured = CliRunner().invoke(main, ["check", str(SEED004), str(wrong)], color=True)
    assert "\x1b[31m\x1b[1m틀림" in coloured.output


BAD = {
    "[forward]\na1 = 'x'\n": "answers.toml: forward.a1: expected a number, got 'x'",
    "[forward]\na1 = true\n": "answers.toml: forward.a1: expected a number, got True",
    "[forward]\na1 = nan\n": "answers.toml: forward.a1: nan is not a finite number",
    "[forward]\nL = 0.04\n[loss]\nvalue = 0.05\n": "answers.toml: loss: is given twice, differently (also as forward.L)",
    "[[forward]]\na1 = 0.5\n": "answers.toml: forward: expected one table: this spec has one sample",
    "forward = 3\n": "answers.toml: forward: expected a table of name = number, got int",
    "[forward\n": "answers.toml: TOML syntax error",
    "": "answers.toml: answers: holds no answers; name quantities of the solution, such as forward.z1, forward.z2, "
        "forward.a1, forward.a2",
}

#: Keys that name no quantity: listed with the key they most likely mean, the rest checked.
UNKNOWN = {
    "[forward]\nq1 = 0.5\na1 = 0.552\n": [("forward.q1", "forward.z1")],
    "[gradients]\nw9 = 0.5\nw1 = -0.0203\n": [("gradients.w9", "gradients.w6")],
    "[gradient]\nw1 = 0.5\n[forward]\na1 = 0.552\n": [("gradient", "gradients")],
    "[forwards]\na1 = 0.5\n[forward]\na1 = 0.552\n": [("forwards", "forward")],
    "[after]\nyhat = 0.5199\n[forward]\na1 = 0.552\n": [("after.yhat", "after.forward.yhat")],
    "[after.forward]\nzz = 1\n[forward]\na1 = 0.552\n": [("after.forward.zz", "after.forward.z2")],
    "[forward]\nfoo = 1\na1 = 0.552\n": [("forward.foo", "")],
}


@pytest.mark.parametrize("text", sorted(UNKNOWN), ids=range(len(UNKNOWN)))
def test_unknown_keys_are_listed_with_a_suggestion_and_the_rest_checked(text, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "answers.toml").write_text(text, encoding="utf-8")
    report = derive.check_answers(SEED004, tmp_path / "answers.toml")
    assert [(u.key, u.suggestion) for u in report.unknown] == UNKNOWN[text]
    assert [r.status for r in report.results] == ["right"]
    result = run("check", SEED004, "answers.toml", "--lang", "en")
    assert result.exit_code == 1  # something was not checked
    (key, suggestion), = UNKNOWN[text]
    hint = f" (did you mean {suggestion}?)" if suggestion else ""
    assert result.output.endswith(f"Score: 1 of 20.\n{key}: names no quantity of this solution{hint}\n")
    data = json.loads(run("check", SEED004, "answers.toml", "-f", "json").output)
    assert data["unknown"] == [{"key": key, "suggestion": suggestion} if suggestion else {"key": key}]


@pytest.mark.parametrize("text", sorted(BAD), ids=range(len(BAD)))
def test_bad_answers(text, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "answers.toml").write_text(text, encoding="utf-8")
    result = run("check", SEED004, "answers.toml")
    assert result.exit_code == 2, result.output
    assert result.output.startswith("Error: " + BAD[text]), result.output
    assert len(result.output.splitlines()) == 1
    with pytest.raises(SpecError):
        derive.check_answers(SEED004, tmp_path / "answers.toml")


def test_bad_answers_files(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "answers.json").write_text('{"forward": {"a1": 0.5,}}', encoding="utf-8")
    cases = {"missing.toml": "Error: missing.toml: no such file\n",
             "answers.json": "Error: answers.json: JSON syntax error: Expecting property name enclosed in double "
                             "quotes: line 1 column 24 (char 23)\n"}
    for name, message in cases.items():
        result = run("check", SEED004, name)
        assert (result.exit_code, result.output) == (2, message)
    result = run("check", SEED004, "answers.json", "--variant", "2", "--seed", "1")
    assert result.exit_code == 2
    base = tmp_path / "spec.toml"
    base.write_text(SEED004.read_text(encoding="utf-8").split("# `derive worksheet")[0], encoding="utf-8")
    (tmp_path / "a.toml").write_text("[forward]\na1 = 0.5\n", encoding="utf-8")
    result = run("check", "spec.toml", "a.toml", "--variant", "2", "--seed", "1")
    assert (result.exit_code, result.output) == (
        2, "Error: spec.toml: has no [randomize] table to draw variants from (add ranges such as "
           "weights = { low = -0.5, high = 0.5, step = 0.1 })\n")


def test_a_right_value_of_zero_takes_zero_alone():
    """One unit in the last written digit is no margin around 0: 1 is not '0 to the units'."""
    spec = ('[graph]\nequations = ["z = w*x + b", "a = relu(z)", "L = (a - t)**2"]\n'
            'values = { w = 0.7, x = 1, b = -1, t = 0.3 }\n')
    for written, status in (("0", "right"), ("0.000", "right"), ("1", "wrong"), ("0.1", "wrong"), ("-1", "wrong")):
        result, = derive.check_answers(spec, f"[forward]\na = {written}\n").results
        assert result.status == status, written
