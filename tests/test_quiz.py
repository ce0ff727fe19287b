"""The Moodle question bank, read back by an independent reader: the XML parsed by the
standard library, each question's Cloze blanks found with Moodle's own patterns (ported
from qtype_multianswer: ANSWER_REGEX and NUMERICAL_ALTERNATIVE_REGEX), and every answer
compared with the JSON solution of its variant; the pictures are PNG files in the bank."""

import base64
import html
import re
import xml.etree.ElementTree as ET

import pytest
from click.testing import CliRunner

import derive
from conftest import ROOT
from derive.cli import main
from derive.engine import check, variants

SEED004 = ROOT / "examples" / "seed004_221_network.toml"
XOR = ROOT / "examples" / "seed002_xor_network.toml"

# Moodle's patterns (question/type/multianswer/questiontype.php), in Python's syntax
_FRACTION = r"=|%(-?[0-9]+)%"
_ANSWER = r".+?(?<!\\)(?<!&)(?<!&amp;)(?=[~#}]|$)"  # PCRE's (?<!\\|&|&amp;), one width at a time
_FEEDBACK = r".*?(?<!\\)(?=[~}]|$)"
_ALTERNATIVE = f"({_FRACTION})?({_ANSWER})(#({_FEEDBACK}))?"
_TYPES = r"(NUMERICAL|NM)|(MULTICHOICE|MC)|(MULTICHOICE_V|MCV)|(MULTICHOICE_H|MCH)|(SHORTANSWER|SA|MW)|(SHORTANSWER_C|SAC|MWC)"
ANSWER_REGEX = re.compile(r"\{([0-9]*):(" + _TYPES + r"):(" + _ALTERNATIVE + "(~" + _ALTERNATIVE + r")*)\}", re.S)
_NUMBER = r"-?(([0-9]+[.,]?[0-9]*|[.,][0-9]+)([eE][-+]?[0-9]+)?)"
NUMERICAL = re.compile(f"^({_NUMBER})(:{_NUMBER})?$", re.S)


def xor_class_set(folder):
    """Seed 002's 3-4-1 network with its weights drawn for each variant."""
    spec = folder / "xor.toml"
    spec.write_text(XOR.read_text(encoding="utf-8").split("[randomize]")[0]
                    + "\n[randomize]\nweights = { low = -0.9, high = 0.9, step = 0.01 }\n", encoding="utf-8")
    return spec


def read_bank(text):
    """[(name, [(answer, margin), ...], {file name: bytes}, question html, feedback html)]."""
    root = ET.fromstring(text.encode("utf-8"))
    assert root.tag == "quiz"
    found = []
    for q in root.findall("question"):
        if q.get("type") == "category":
            continue
        assert q.get("type") == "cloze"
        body = q.find("questiontext/text").text
        files = {f.get("name"): base64.b64decode(f.text) for f in q.findall("questiontext/file")}
        blanks = []
        for match in ANSWER_REGEX.finditer(body):
            assert match.group(3), match.group(0)  # NUMERICAL
            alternative = re.match(_ALTERNATIVE, match.group(9), re.S)  # ANSWER_REGEX_ALTERNATIVES
            assert alternative.group(1) == "="  # the one right answer, full marks
            number = NUMERICAL.match(alternative.group(3))
            blanks.append((float(number.group(1)), float(number.group(6))))
        found.append((q.find("name/text").text, blanks, files, body, q.find("generalfeedback/text").text))
    return root, found


def sheet_order(solution):
    """The answer keys in the order of the sheet's questions: forward values, then the losses
    (a question of their own), then gradients, updates and the pass after the update."""
    keys = check.sheet_keys(solution)
    losses = [k for k in keys if k == "loss" or (k.startswith("forward") and k.rsplit(".", 1)[-1] == "L")]
    forward = [k for k in keys if k.startswith("forward") and k not in losses]
    return forward + losses + [k for k in keys if k not in forward and k not in losses]


def flat_json(solution):
    """{answer key: value} of the JSON solution (after the first step)."""
    data = solution.as_json()
    values = {}

    def forward(part, prefix):
        if isinstance(part, list):
            for s, table in enumerate(part, 1):
                values.update({f"{prefix}[{s}].{k}": v for k, v in table.items()})
        else:
            values.update({f"{prefix}.{k}": v for k, v in part.items()})
    forward(data["forward"], "forward")
    values["loss"] = data["loss"]["value"] if isinstance(data["loss"], dict) else data["loss"]
    values.update({f"gradients.{k}": v for k, v in data["gradients"].items()})
    values.update({f"updated.{k}": v for k, v in data.get("updated", {}).items()})
    if "after" in data:
        forward(data["after"]["forward"], "after.forward")
        values["after.loss"] = data["after"]["loss"]
    return values


@pytest.mark.parametrize("spec, count", [(SEED004, 30), ("xor", 3)])
def test_a_class_set_bank_reads_back_answer_for_answer(spec, count, tmp_path):
    spec = xor_class_set(tmp_path) if spec == "xor" else spec
    bank = tmp_path / "quiz.xml"
    result = CliRunner().invoke(main, ["worksheet", str(spec), "--variants", str(count), "--seed", "7",
                                       "-o", str(bank), "--lang", "en"])
    assert result.exit_code == 0, result.output
    root, questions = read_bank(bank.read_text(encoding="utf-8"))
    title = derive.build(spec)[0].title
    assert root.find("question[@type='category']/category/text").text == f"$course$/top/{title}"
    assert len(questions) == count
    checked, built = derive.build(spec)
    for number, (variant, (name, blanks, files, body, feedback)) in enumerate(
            zip(variants.make(built, checked.randomize, count, 7), questions), 1):
        assert name == f"{title} · Variant {number} (seed 7)"
        solution = derive.derivation(checked, variant.graph, steps=1)
        keys = sheet_order(solution)
        exact = flat_json(solution)
        assert len(blanks) == len(keys)
        for key, (answer, margin) in zip(keys, blanks):
            value = exact[key if key in exact else "loss"]
            assert answer == pytest.approx(value, rel=1e-9, abs=1e-15), key
            # the margin derive check accepts for 4 significant digits: 0.5% to 2% of the value
            assert 0.004 * abs(value) <= margin <= 0.02 * abs(value) + 1e-12, (key, margin)
        # the picture: a PNG inside the question, shown by the question text
        (picture, png), = files.items()
        assert png[:8] == b"\x89PNG\r\n\x1a\n" and f'src="@@PLUGINFILE@@/{picture}"' in body
        # the worked solution as feedback, in TeX displays for Moodle's MathJax filter
        assert feedback.count("\\[") >= len(keys) // 2 and "\\frac{\\partial L}" in feedback


def test_a_bank_without_variants_and_with_factor_blanks(tmp_path):
    bank = tmp_path / "one.xml"
    result = CliRunner().invoke(main, ["worksheet", str(SEED004), "--blanks", "factors", "-o", str(bank)])
    assert result.exit_code == 0, result.output
    _, ((name, blanks, files, body, _),) = read_bank(bank.read_text(encoding="utf-8"))
    assert name == "2-2-1 신경망, 한 단계" and len(blanks) == 31
    assert "\\(\\displaystyle \\frac{\\partial a_{1}}{\\partial z_{1}} =\\)" in body
    # ∂a1/∂z1 = a1 (1 - a1) at a1 = 0.5523079
    link = check.sheet_keys(derive.solve(SEED004), factors=True).index("factors.a1.z1")
    assert blanks[link][0] == pytest.approx(0.5523079096 * (1 - 0.5523079096), rel=1e-9)


def test_whatever_the_platform_accepts_derive_check_accepts(tmp_path):
    """Each blank's range edges, answer - margin and answer + margin, are marked right by
    derive check: a platform is never more lenient than the command a teacher checks with."""
    bank = tmp_path / "one.xml"
    result = CliRunner().invoke(main, ["worksheet", str(SEED004), "--blanks", "factors", "-o", str(bank)])
    assert result.exit_code == 0, result.output
    _, ((_, blanks, _, _, _),) = read_bank(bank.read_text(encoding="utf-8"))
    keys = check.sheet_keys(derive.solve(SEED004), factors=True)
    for sign in (-1, 1):
        for key, (answer, margin) in zip(keys, blanks):
            answers = answer + sign * margin
            for part in reversed(key.split(".")):
                answers = {part: answers}
            report = derive.check_answers(SEED004, answers)
            assert [r.status for r in report.results] == ["right"], (key, answer, margin)


def test_hostile_titles_stay_text_and_add_no_blank(tmp_path):
    for title in ("{1:NUMERICAL:=5:1} ]]> <script>alert(1)</script>", "&amp; {#1} ~ \\ % $course$"):
        spec = tmp_path / "spec.toml"
        text = SEED004.read_text(encoding="utf-8").replace('title = "2-2-1 신경망, 한 단계"',
                                                            "title = " + repr(title).replace("'", '"'))
        spec.write_text(text, encoding="utf-8")
        bank = tmp_path / "quiz.xml"
        result = CliRunner().invoke(main, ["worksheet", str(spec), "-o", str(bank), "--lang", "en"])
        assert result.exit_code == 0, result.output
        root, ((name, blanks, _, body, _),) = read_bank(bank.read_text(encoding="utf-8"))
        assert name == title and len(blanks) == 20  # the title is a name, never a blank
        assert "<script>" not in body and title not in body


@pytest.mark.parametrize("args, message", [
    (["--key", "k.xml"], "there is no --key, --answers-template or folder"),
    (["-f", "moodle", "-o", "quiz.txt"], "a Moodle question bank is an .xml file"),
])
def test_bank_options_are_one_line(args, message, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(main, ["worksheet", str(SEED004), *(["-o", "quiz.xml"] if "-o" not in args else []),
                                       *args])
    assert result.exit_code == 2 and len(result.output.splitlines()) == 1 and message in result.output
    assert list(tmp_path.iterdir()) == []


def test_html_entities_in_the_bank_are_the_pages_own():
    text = derive.quiz(SEED004, lang="en")
    _, ((_, _, _, body, _),) = read_bank(text)
    assert html.unescape(body).count("\\(") == html.unescape(body).count("\\)")


QTI = "{http://www.imsglobal.org/xsd/ims_qtiasiv1p2}"
MANIFEST = "{http://www.imsglobal.org/xsd/imsccv1p1/imscp_v1p1}"


def read_package(data):
    """(assessment root, {variant number: [(title key, low, high, item html), ...]}, files)."""
    import io
    import zipfile

    package = zipfile.ZipFile(io.BytesIO(data))
    files = {name: package.read(name) for name in package.namelist()}
    manifest = ET.fromstring(files["imsmanifest.xml"])
    listed = [f.get("href") for f in manifest.iter(f"{MANIFEST}file")]
    assert sorted(listed) == sorted(set(files) - {"imsmanifest.xml"}) and len(listed) == len(set(listed))  # each once
    (href,) = [r.find(f"{MANIFEST}file").get("href") for r in manifest.iter(f"{MANIFEST}resource")
               if r.get("type") == "imsqti_xmlv1p2"]
    root = ET.fromstring(files[href])
    assert root.tag == f"{QTI}questestinterop"
    variants_ = {}
    for section in root.iter(f"{QTI}section"):
        if not section.get("ident", "").startswith("variant-"):
            continue
        number = int(section.get("ident").split("-")[1])
        items = []
        for item in section.findall(f"{QTI}item"):
            kind = [f.findtext(f"{QTI}fieldentry") for f in item.iter(f"{QTI}qtimetadatafield")
                    if f.findtext(f"{QTI}fieldlabel") == "question_type"][0]
            text = item.find(f"{QTI}presentation/{QTI}material/{QTI}mattext").text
            if kind == "text_only_question":
                items.append(("problem", None, None, text))
                continue
            assert kind == "numerical_question"
            low = float(item.find(f".//{QTI}vargte").text)
            high = float(item.find(f".//{QTI}varlte").text)
            items.append((item.get("title"), low, high, text))
        variants_[number] = items
    return root, variants_, files


@pytest.mark.parametrize("spec, count", [(SEED004, 30), ("xor", 3)])
def test_a_qti_package_reads_back_answer_for_answer(spec, count, tmp_path):
    spec = xor_class_set(tmp_path) if spec == "xor" else spec
    package = tmp_path / "quiz.zip"
    result = CliRunner().invoke(main, ["worksheet", str(spec), "--variants", str(count), "--seed", "7",
                                       "-o", str(package), "--lang", "en"])
    assert result.exit_code == 0, result.output
    root, read, files = read_package(package.read_bytes())
    checked, built = derive.build(spec)
    assert root.find(f"{QTI}assessment").get("title") == checked.title and len(read) == count
    for number, variant in enumerate(variants.make(built, checked.randomize, count, 7), 1):
        solution = derive.derivation(checked, variant.graph, steps=1)
        exact = flat_json(solution)
        problem, *items = read[number]
        assert problem[0] == "problem"
        picture = re.search(r'src="\$IMS-CC-FILEBASE\$/([^"]+)"', problem[3]).group(1)
        assert files[f"web_resources/{picture}"][:8] == b"\x89PNG\r\n\x1a\n"
        assert [key for key, *_ in items] == sheet_order(solution)
        for key, low, high, text in items:
            value = exact[key if key in exact else "loss"]
            scale = re.search(r"in units of \\\(10\^\{-(\d+)\}\\\)", text)
            shown = value * 10 ** int(scale.group(1)) if scale else value
            assert low < shown < high, (key, low, shown, high)
            # the range is what derive check accepts, and never finer than four decimals
            assert 0.008 * abs(shown) <= high - low <= 0.04 * abs(shown) + 1e-9
            assert high - low >= 2e-3 - 1e-12, key


def test_small_answers_are_asked_in_scaled_units():
    """Canvas keeps four decimal places: a margin below 0.001 would be rounded into the
    range's own width, so the answer is asked in units of 10^-3 (or smaller)."""
    from derive.views import quiz

    blank = quiz.Blank("gradients.w1", "w", "-0.02031500546", "0.0001")
    asked = quiz.scaled(blank, "en")
    assert (asked.answer, asked.margin, asked.unit) == ("-20.31500546", "0.1", "in units of \\(10^{-3}\\)")
    tiny = quiz.scaled(quiz.Blank("k", "w", "0.0000012", "0.00000001"), "ko")
    assert (tiny.answer, tiny.margin, tiny.unit) == ("1.2", "0.01", "\\(10^{-6}\\) 단위")
    assert quiz.scaled(quiz.Blank("k", "w", "0.5", "0.0025"), "en").unit == ""


def test_a_qti_package_is_the_same_bytes_for_the_same_seed(tmp_path):
    first = derive.quiz(SEED004, variants_count=2, seed=3, fmt="qti", lang="en")
    assert first == derive.quiz(SEED004, variants_count=2, seed=3, fmt="qti", lang="en")
    hostile = SEED004.read_text(encoding="utf-8").replace('title = "2-2-1 신경망, 한 단계"',
                                                          'title = "<item ident=\\"x\\"> ]]> & {1:NUMERICAL:=1}"')
    root, read, _ = read_package(derive.quiz(hostile, fmt="qti", lang="en"))
    assert root.find(f"{QTI}assessment").get("title") == '<item ident="x"> ]]> & {1:NUMERICAL:=1}'
    assert len(read[1]) == 21  # the problem and 20 blanks: the title added none


def test_a_network_too_big_to_ask_in_full_is_refused_in_one_line(tmp_path):
    spec = tmp_path / "big.toml"
    rows = lambda units, inputs: "[" + ", ".join("[" + ", ".join(["0.1"] * inputs) + "]" for _ in range(units)) + "]"
    spec.write_text("[network]\ninputs = {" + ", ".join(f"x{k} = 0.5" for k in range(1, 11)) + "}\n"
                    "targets = { y = 1 }\nloss = \"squared_error\"\n"
                    f"[[network.layers]]\nactivation = \"sigmoid\"\nweights = {rows(30, 10)}\n"
                    f"[[network.layers]]\nactivation = \"identity\"\nweights = {rows(1, 30)}\n"
                    "[train]\nlearning_rate = 0.1\n", encoding="utf-8")
    for name in ("quiz.xml", "practice.html"):
        result = CliRunner().invoke(main, ["worksheet", str(spec), "-o", str(tmp_path / name)])
        assert (result.exit_code, result.output) == (
            2, f"Error: {spec}: the network has 330 parameters; a quiz or a practice page asks for every gradient "
               "and update, so it is for networks of at most 300 (the PDF sheet lists a sample of them)\n")
