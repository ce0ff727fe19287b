"""The offline practice page (`derive worksheet -f html`): typed into in headless Chromium,
it must mark every answer exactly as `derive check` marks the same answers: the same
status, the same note, the same score, for answer sets that are all right, carry an early
slip through, make each catalogued slip, or leave blanks empty."""

import base64
import hashlib
import json
import re
import sys
from decimal import Decimal

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

import pytest
from click.testing import CliRunner

import derive
from conftest import ROOT
from derive.cli import main
from derive.engine import check, slips
from derive.numbers import rounded
from derive.output import render
from test_pictures import _chromium, open_in_chromium

SEED004 = ROOT / "examples" / "seed004_221_network.toml"
XOR = ROOT / "examples" / "seed002_xor_network.toml"
SOFTMAX = {"title": "Softmax and cross-entropy", "lang": "en",
           "network": {"inputs": {"x1": 0.5, "x2": -0.3}, "targets": {"t1": 0, "t2": 1}, "loss": "cross_entropy",
                       "layers": [{"activation": "tanh", "weights": [[0.1, -0.2], [0.3, 0.25]], "bias": [0.05, -0.05]},
                                  {"activation": "softmax", "weights": [[0.6, -0.35], [0.2, 0.4]],
                                   "bias": [0.0, 0.1]}]},
           "train": {"learning_rate": 0.5}}

#: Types each answer set into the page's inputs (an input event each, as a keyboard
#: makes), then reads back what the page shows: every input's status and note, the score.
DRIVER = """
(function () {
  const sets = JSON.parse(document.getElementById("test-sets").textContent);
  const seen = [];
  const visible = () => Array.from(document.querySelectorAll("section.variant:not([hidden]) input[name]"));
  for (const answers of sets) {
    for (const input of visible()) { input.value = ""; input.dispatchEvent(new Event("input", {bubbles: true})); }
    for (const input of visible()) {
      if (answers[input.name] === undefined) continue;
      input.value = answers[input.name];
      input.dispatchEvent(new Event("input", {bubbles: true}));
    }
    const marks = {};
    for (const input of visible()) {
      const out = document.getElementById(input.id + "-mark");
      marks[input.name] = {status: input.dataset.status, note: out.querySelector(".note").textContent,
                           word: out.querySelector(".word").textContent, live: out.getAttribute("aria-live")};
    }
    seen.push({marks, score: document.querySelector("section.variant:not([hidden]) .score").textContent});
  }
  document.body.setAttribute("data-seen", btoa(unescape(encodeURIComponent(JSON.stringify(seen)))));
})();
"""


def typed_in_chromium(page, answer_sets, folder):
    """What the page shows after each answer set is typed into it."""
    _chromium()
    digest = "sha256-" + base64.b64encode(hashlib.sha256(DRIVER.encode("utf-8")).digest()).decode("ascii")
    page = re.sub(r"script-src ('sha256-[^']+')", lambda m: f"script-src {m.group(1)} '{digest}'", page)
    sets = json.dumps(answer_sets).replace("<", "\\u003c")
    page = page.replace("</body>", f'<script type="application/json" id="test-sets">{sets}</script>\n'
                                   f"<script>{DRIVER}</script>\n</body>")
    path = folder / "typed.html"
    path.write_text(page, encoding="utf-8")
    asked, dom = open_in_chromium(path, folder, "--dump-dom", "--virtual-time-budget=30000")
    assert asked == set() or all(url.startswith("file://") for url in asked), asked  # nothing from the network
    found = re.search(r'data-seen="([A-Za-z0-9+/=]*)"', dom)
    assert found, "the page's script did not run:\n" + dom[-3000:]
    return json.loads(base64.b64decode(found.group(1)).decode("utf-8"))


def nested(flat):
    """{forward.a1: "0.5"} -> {"forward": {"a1": Decimal("0.5")}}, as an answers file holds it."""
    made = {}
    for key, text in flat.items():
        parts = re.findall(r"[^.\[\]]+|\[\d+\]", key)
        where = made
        for k, part in enumerate(parts[:-1]):
            if parts[k + 1].startswith("["):
                where = where.setdefault(part, [])
                continue
            if part.startswith("["):
                index = int(part[1:-1]) - 1
                while len(where) <= index:
                    where.append({})
                where = where[index]
                continue
            where = where.setdefault(part, {})
        where[parts[-1]] = Decimal(text)
    return made


def derive_check(spec, flat, lang, factors=False):
    """{key: (status, note)} and the score derive check gives the answers."""
    solution = derive.solve(spec)
    found, unknown = check.answers(nested(flat), solution, "<answers>")
    report = check.check(solution, found, factors=factors)
    data = json.loads(render.check_json(report, lang))
    return {r["key"]: (r["status"], r["hint"]) for r in data["results"]}, data["score"], data["max"]


def all_right(solution, factors=False):
    return {k: rounded(v, 4) for k, v in check.answer_values(solution, factors)}


def carried_through(solution, factors=False):
    """The first forward value 10% off, and every later answer what follows from the
    answers before it, to 4 digits: a slip carried through the whole sheet."""
    keys = check.sheet_keys(solution, factors)
    exact = dict(check.answer_values(solution, factors))
    typed = {keys[0]: rounded(exact[keys[0]] * Decimal("1.1"), 4)}
    for key in keys[1:]:
        trial = {**typed, key: rounded(exact[key], 4)}
        found, _ = check.answers(nested(trial), solution, "")
        result = next(r for r in check.check(solution, found).results if r.key == key)
        typed[key] = rounded(result.carried_from if result.carried_from is not None else exact[key], 4)
    return typed


def each_slip(solution):
    """{slip id: an answer set of one answer that slip makes}, for every slip some blank
    of this sheet shows."""
    keys = check.answer_places(solution)
    sheet = check.sheet_keys(solution)
    step = solution.first
    world = slips.World(solution, dict(step.forward.values), dict(step.adjoints), dict(step.forward.values))
    made = {}
    for slip in slips.SLIPS:
        for key in sheet:
            part, node = keys[key]
            if part not in slip.parts or part == "factors":
                continue
            for value in slip.values(world, part, node):
                if value is None or value == 0:
                    continue
                answer = {key: rounded(value, 4)}
                found, _ = check.answers(nested(answer), solution, "")
                result, = check.check(solution, found).results
                if result.diagnosis == slip.id:
                    made[slip.id] = answer
                    break
            if slip.id in made:
                break
    return made


def answer_sets(spec, factors=False):
    solution = derive.solve(spec)
    right = all_right(solution, factors)
    keys = list(right)
    sets = {"all right": right, "carried through": carried_through(solution, factors),
            "blanks": {k: v for n, (k, v) in enumerate(right.items()) if n % 3 == 1},
            "none": {}}
    sets.update({f"slip {name}": answer for name, answer in each_slip(solution).items()})
    # a slip in the middle, the rest right: what follows it is carried or right again
    middle = dict(right)
    middle[keys[len(keys) // 2]] = rounded(Decimal(right[keys[len(keys) // 2]]) * 3, 4)
    sets["a slip midway"] = middle
    return sets


CASES = [("seed004-ko", SEED004, "ko", "results"), ("seed004-en-factors", SEED004, "en", "factors"),
         ("xor-ko", XOR, "ko", "results"), ("softmax-en", SOFTMAX, "en", "results")]


@pytest.mark.parametrize("name,spec,lang,blanks", CASES, ids=[c[0] for c in CASES])
def test_the_page_marks_as_derive_check_does(name, spec, lang, blanks, tmp_path):
    factors = blanks == "factors"
    sets = answer_sets(spec, factors)
    if spec == SEED004:
        for path in ("seed004_hand.toml", "seed004_slip.toml"):  # the seed's hand calculation, and a slip
            raw = ROOT / "examples" / "answers" / path
            answers = tomllib.loads(raw.read_text(encoding="utf-8"), parse_float=str)
            flat = {}
            for top, inner in answers.items():
                for key, value in inner.items():
                    if isinstance(value, dict):
                        flat.update({f"{top}.{key}.{k}": str(v) for k, v in value.items()})
                    else:
                        flat[f"{top}.{key}"] = str(value)
            sets[path] = flat
    if spec != XOR:
        assert {f"slip {s}" for s in ("sign-flipped", "factor-two", "decimal-shift")} <= set(sets), sorted(sets)
    page = derive.practice(spec, lang=lang, blanks=blanks)
    seen = typed_in_chromium(page, list(sets.values()), tmp_path)
    for (label, typed), shown in zip(sets.items(), seen):
        wanted, score, maximum = derive_check(spec, typed, lang, factors) if typed else ({}, 0, None)
        for key, mark in shown["marks"].items():
            if key in typed:
                assert (mark["status"], mark["note"]) == wanted[key], (label, key, typed[key])
                assert mark["word"] and mark["live"] == "polite"
            else:
                assert (mark["status"], mark["note"], mark["word"]) == ("empty", "", ""), (label, key)
        assert set(typed) <= set(shown["marks"]), label
        maximum = len(check.sheet_keys(derive.solve(spec), factors))  # the sheet's, as derive check counts it
        words = {"ko": f"점수: {maximum}점 만점에 {score}점.", "en": f"Score: {score} of {maximum}."}
        assert shown["score"] == words[lang], label


def test_a_class_set_has_a_variant_picker_each_checked_with_its_own_numbers(tmp_path):
    page = derive.practice(SEED004, variants_count=3, seed=7, lang="en")
    assert page.count('<section class="variant"') == 3 and page.count("<option ") == 3
    assert 'id="derive-variant"' in page
    # the page opens on the first variant; the answers of the spec's own numbers are wrong there
    checked, built = derive.build(SEED004)
    from derive.engine import variants
    first = derive.derivation(checked, variants.make(built, checked.randomize, 3, 7)[0].graph, steps=1)
    right = all_right(first)
    seen = typed_in_chromium(page, [right], tmp_path)
    assert {m["status"] for m in seen[0]["marks"].values()} == {"right"}


def test_no_solutions_leaves_the_worked_lines_out(tmp_path):
    with_lines = derive.practice(SEED004, lang="en")
    without = derive.practice(SEED004, lang="en", solutions=False)
    assert with_lines.count("<details>") == with_lines.count("<fieldset>") == 5 and "<details>" not in without
    assert "Show the worked step" in with_lines and "Show the worked step" not in without
    # a wrong answer's note keeps how far off it is and the slip, not the line it should have been
    seen = typed_in_chromium(without, [{"forward.a1": "0.6", "gradients.w5": "0.2269"}], tmp_path)
    marks = seen[0]["marks"]
    assert marks["forward.a1"]["note"] == "8.6% off"
    assert marks["gradients.w5"]["note"] == "200% off; looks like the gradient's sign flipped"


def test_the_command_writes_one_page(tmp_path):
    target = tmp_path / "practice.html"
    result = CliRunner().invoke(main, ["worksheet", str(SEED004), "-o", str(target), "--variants", "2", "--seed", "3"])
    assert result.exit_code == 0, result.output
    assert result.output == f"wrote {target}: 2 variants\n"
    page = target.read_text(encoding="utf-8")
    names = re.findall(r'<input id="v0-[^"]*" name="([^"]+)"', page)
    assert names == check.sheet_keys(derive.solve(SEED004))
    for args, message in ((["-f", "html", "-o", str(tmp_path / "p.txt")], "a practice page is an .html file"),
                          (["-o", str(tmp_path / "p.html"), "--key", str(tmp_path / "k.html")],
                           "-f html writes one practice page (-o practice.html): the answers and the worked "
                           "solutions are inside it, so there is no --key, --answers-template or folder"),
                          (["-o", str(tmp_path / "s.pdf"), "--no-solutions"],
                           "--no-solutions is for a practice page (-f html); a sheet never holds the worked "
                           "lines, and its key is the worked solution")):
        result = CliRunner().invoke(main, ["worksheet", str(SEED004), *args])
        assert result.exit_code == 2 and result.output.endswith(message.split(": ", 1)[-1] + "\n"), result.output


def test_the_page_is_self_contained_and_its_data_cannot_end_the_script():
    hostile = {**SOFTMAX, "title": "</script><script>alert(1)</script> & <b>x</b>"}
    page = derive.practice(hostile)
    assert page.count("<script") == 2 and page.count("</script>") == 2
    assert "alert(1)</script>" not in page
    assert "&lt;/script&gt;&lt;script&gt;alert(1)&lt;/script&gt; &amp; &lt;b&gt;x&lt;/b&gt;" in page  # the heading
    assert not re.search(r"(src|href)=\"(https?:)?//", page)
    csp = re.search(r'http-equiv="Content-Security-Policy" content="([^"]+)"', page).group(1)
    assert "default-src 'none'" in csp and "form-action 'none'" in csp
    script = re.search(r"<script>(.*?)</script>", page, re.S).group(1)
    digest = base64.b64encode(hashlib.sha256(script.encode("utf-8")).digest()).decode("ascii")
    assert f"script-src 'sha256-{digest}'" in csp  # the page's own script, and no other, may run
    data = json.loads(re.search(r'<script type="application/json" id="derive-problem">(.*?)</script>', page,
                                re.S).group(1))
    assert data["keys"][0] == ["forward.z1", "forward", "z1"] or data["keys"][0][1] == "forward"
    assert set(data) >= {"nodes", "loss", "parameters", "locals", "lines", "keys", "variants", "words", "id"}


def test_what_is_not_a_number_is_wrong_and_says_how_to_write_one(tmp_path):
    page = derive.practice(SEED004, lang="en")
    seen = typed_in_chromium(page, [{"forward.z1": "0,21", "forward.z2": "−0.19", "forward.a1": "abc"}], tmp_path)
    marks = seen[0]["marks"]
    note = "not a number (write it as 0.552, -0.02 or 1.2e-3)"
    assert (marks["forward.z1"]["status"], marks["forward.z1"]["note"]) == ("wrong", note)
    assert (marks["forward.a1"]["status"], marks["forward.a1"]["note"]) == ("wrong", note)
    # a typographic minus is a minus, as derive check reads it; -0.19 is wrong against 0.19
    assert marks["forward.z2"]["status"] == "wrong" and marks["forward.z2"]["note"].startswith("200% off")
    assert seen[0]["score"] == "Score: 0 of 20."


#: Specs that once made the page disagree with derive check, or throw: quantities named as
#: JavaScript's own properties, exact numbers past a double's range, a power's tiny
#: gradient, a rounding tie, a right value of 0.
EDGES = {
    "names": ('[graph]\nequations = ["q = constructor * y", "f = (q - c) * toString"]\n'
              'values = { constructor = 0.3333333, y = 1, c = 0.33, toString = 100 }\n',
              {"forward.q": "0.333", "forward.f": "0.3"}),
    "huge exact": ('[graph]\nequations = ["g = (1 + r)**360", "f = g * p"]\nvalues = { r = 0.005, p = 100 }\n',
                   {"forward.g": "6.023", "forward.f": "602.3", "gradients.r": "2.2e5"}),
    "tiny gradient": ('[graph]\nequations = ["f = x**400 + y"]\nvalues = { x = 0.3, y = 1 }\n',
                      {"gradients.x": "9.407e-207", "gradients.y": "1"}),
    "zero": ('[graph]\nequations = ["z = w*x + b", "a = relu(z)", "L = (a - t)**2"]\n'
             'values = { w = 0.7, x = 1, b = -1, t = 0.3 }\n[train]\nlearning_rate = 0.5\n',
             {"forward.a": "1", "gradients.w": "0"}),
}


@pytest.mark.parametrize("name", list(EDGES))
def test_edge_cases_mark_as_derive_check_does(name, tmp_path):
    spec, typed = EDGES[name]
    page = derive.practice(spec, lang="en")
    seen = typed_in_chromium(page, [typed], tmp_path)
    wanted, score, _ = derive_check(spec, typed, "en")
    for key in typed:
        assert (seen[0]["marks"][key]["status"], seen[0]["marks"][key]["note"]) == wanted[key], key
    assert seen[0]["score"].startswith(f"Score: {score} of ")
