"""A class marked at once: a spreadsheet of answers in, marks.csv, summary.md and a
feedback page a student out. Each student below worked their own variant of seed 004's
class set and made one catalogued slip; every slipped value is worked here in floats from
the variant's given numbers, never by the catalogue's code."""

import csv
import io
import math

import pytest
from click.testing import CliRunner

import derive
from conftest import ROOT
from derive.cli import main
from derive.engine import variants

SEED004 = ROOT / "examples" / "seed004_221_network.toml"
SEED = 7


def sig(z):
    return 1 / (1 + math.exp(-z))


def worked(v):
    """Every quantity of seed 004's network (and each slip's value) from the given numbers."""
    z1, z2 = v["w1"] * v["x1"] + v["w3"] * v["x2"], v["w2"] * v["x1"] + v["w4"] * v["x2"]
    a1, a2 = sig(z1), sig(z2)
    yhat = v["w5"] * a1 + v["w6"] * a2
    dyhat = -2 * (v["y1"] - yhat)
    d1 = dyhat * v["w5"] * a1 * (1 - a1)
    g1, g3, g5 = d1 * v["x1"], d1 * v["x2"], dyhat * a1
    new5 = v["w5"] - 0.1 * g5
    right = {"forward.z1": z1, "forward.a1": a1, "forward.yhat": yhat, "gradients.w1": g1, "gradients.w5": g5,
             "updated.w1": v["w1"] - 0.1 * g1}
    slips = {
        "missing-activation-derivative": ("gradients.w1", dyhat * v["w5"] * v["x1"]),
        "updated-weight-used": ("gradients.w1", dyhat * new5 * a1 * (1 - a1) * v["x1"]),
        "ascent-instead-of-descent": ("updated.w1", v["w1"] + 0.1 * g1),
        "learning-rate-missing": ("updated.w1", v["w1"] - g1),
        "sign-flipped": ("gradients.w5", -g5),
        "factor-two": ("gradients.w5", g5 / 2),
        "pre-post-swapped": ("forward.a1", z1),
        "wrong-input": ("gradients.w1", g3),
        "decimal-shift": ("forward.a1", a1 * 10),
    }
    return right, slips


KEYS = ("forward.z1", "forward.a1", "forward.yhat", "gradients.w1", "gradients.w5", "updated.w1")


def class_table():
    """(CSV text, {student: (variant, slip, key)}): one student a slip, on variants 1 to 9,
    and one student with every answer right on variant 10."""
    checked, built = derive.build(SEED004)
    drawn = variants.make(built, checked.randomize, 10, SEED)
    rows, made = [], {}
    for number, v in enumerate(drawn, 1):
        given = {n.name: float(n.value) for n in v.graph.leaves}
        right, slips = worked(given)
        answers = dict(right)
        if number <= len(slips):
            slip, (key, value) = list(slips.items())[number - 1]
            answers[key] = value
            # what follows from a slipped a1 is not asked: the slip is the one wrong answer
            made[f"student {number}"] = (number, slip, key)
        else:
            made[f"student {number}"] = (number, "", "")
        rows.append([f"student {number}", number, *(f"{answers[k]:.4g}" for k in KEYS)])
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(["student", "variant", *KEYS])
    writer.writerows(rows)
    return out.getvalue(), made


def test_a_class_each_with_one_slip_gets_each_slip_named(tmp_path):
    text, made = class_table()
    table = tmp_path / "answers.csv"
    table.write_text("\ufeff" + text, encoding="utf-8")  # as a spreadsheet saves it: with a BOM
    marks = tmp_path / "marks"
    result = CliRunner().invoke(main, ["check", str(SEED004), str(table), "--seed", str(SEED), "-o", f"{marks}/",
                                       "--lang", "en"])
    assert result.exit_code == 1, result.output  # nine students have a wrong answer
    assert result.output.strip().endswith(f"marked 10 students: {marks / 'marks.csv'}, {marks / 'summary.md'}, "
                                          f"10 pages in {marks / 'feedback'}")
    rows = list(csv.DictReader((marks / "marks.csv").read_text(encoding="utf-8").splitlines()))
    assert [r["student"] for r in rows] == [f"student {n}" for n in range(1, 11)]
    for row in rows:
        number, slip, key = made[row["student"]]
        assert row["variant"] == str(number) and row["max"] == "20"
        wrong = [k for k in KEYS if row[k] == "wrong"]
        assert wrong == ([key] if slip else [])
        # a blank a right answer; the slipped one is wrong, and the rest follow from the givens
        assert row["score"] == str(len(KEYS) - len(wrong))
        assert all(row[k] == "right" for k in KEYS if k not in wrong)
    # each slip named, in the JSON of one student and on their feedback page
    for n, (student, (number, slip, key)) in enumerate(made.items(), 1):
        page = (marks / "feedback" / f"{n:03d}-student-{number}.md").read_text(encoding="utf-8")
        assert page.startswith(f"# student {number} (variant {number}): Score: {6 if not slip else 5} of 20.\n")
        if slip:
            sentence = derive.languages.LANGUAGES["en"].words[f"slip_{slip}"]
            assert f"looks like {sentence};" in page
    summary = (marks / "summary.md").read_text(encoding="utf-8")
    assert "10 students marked; mean score 5.1 of 20." in summary
    assert "| `gradients.w1` | 7 | 0 | 3 | 0 | " in summary


def test_slips_in_the_json_of_each_student():
    text, made = class_table()
    marked = derive.mark_class(SEED004, _table(text), seed=SEED)
    for m in marked.students:
        number, slip, key = made[m.student]
        diagnosed = [(r.key, r.diagnosis) for r in m.report.results if r.status == "wrong"]
        assert diagnosed == ([(key, slip)] if slip else [])
        assert [r.get("diagnosis") for r in m.report.as_json()["results"] if r["status"] == "wrong"] == \
            ([slip] if slip else [])


def _table(text):
    from derive.reading import table

    return table.read(text if "\n" in text else text + "\n", source="answers.csv")


def test_rows_that_cannot_be_read_are_listed_and_the_rest_marked(tmp_path):
    table = tmp_path / "answers.tsv"
    table.write_text("student\tforward.a1\tgradients.w9\n"
                     "Kim\t0.5523\t1\n"
                     "\t0.5\t\n"                      # line 3: no name
                     "Lee\tabc\t\n"                   # line 4: not a number
                     "Park\t0.6\t\t\textra\n"         # line 5: too many cells
                     "Choi\t0.5523\t\n", encoding="utf-8")
    marks = tmp_path / "marks"
    result = CliRunner().invoke(main, ["check", str(SEED004), str(table), "-o", str(marks) + "/", "--lang", "en"])
    assert result.exit_code == 1
    lines = result.output.splitlines()
    assert lines[:3] == [f"{table}: line 3: has no student name; not marked",
                         f"{table}: line 4: forward.a1: expected a number, got 'abc'; not marked",
                         f"{table}: line 5: has 5 cells for 3 columns; not marked"]
    rows = (marks / "marks.csv").read_text(encoding="utf-8").splitlines()
    assert rows == ["student,variant,score,max,forward.a1,gradients.w9",
                    "Kim,,1,20,right,unknown", "Choi,,1,20,right,unanswered"]
    summary = (marks / "summary.md").read_text(encoding="utf-8")
    assert "- `gradients.w9`: names no quantity of this solution (did you mean gradients.w6?)" in summary
    assert "- Line 3: has no student name; not marked." in summary


@pytest.mark.parametrize("text, message", [
    ("name,forward.a1\nKim,0.5\n", "has no student column"),
    ("student\nKim\n", "names no answer column"),
    ("", "is empty"),
    ("student,variant,forward.a1\nKim,1,0.5\n", "has a variant column: give the seed"),
])
def test_a_table_that_cannot_be_marked_at_all_is_one_line_and_writes_nothing(text, message, tmp_path):
    table = tmp_path / "answers.csv"
    table.write_text(text, encoding="utf-8")
    marks = tmp_path / "marks"
    result = CliRunner().invoke(main, ["check", str(SEED004), str(table), "-o", str(marks) + "/"])
    assert result.exit_code == 2 and len(result.output.splitlines()) == 1 and message in result.output
    assert not marks.exists() or not any(marks.rglob("*.*"))


def test_a_strangers_names_stay_text_in_every_file(tmp_path):
    table = tmp_path / "answers.csv"
    table.write_text('student,forward.a1\n"=HYPERLINK(""http://x"",""y"")",0.5523\n'
                     '"<script>alert(1)</script> {{ site }}",0.5523\n@SUM(A1),0.5523\n', encoding="utf-8")
    marks = tmp_path / "marks"
    CliRunner().invoke(main, ["check", str(SEED004), str(table), "-o", str(marks) + "/"])
    rows = list(csv.reader((marks / "marks.csv").read_text(encoding="utf-8").splitlines()))
    assert [r[0] for r in rows[1:]] == ["'=HYPERLINK(\"http://x\",\"y\")", "<script>alert(1)</script> {{ site }}",
                                        "'@SUM(A1)"]
    pages = sorted((marks / "feedback").iterdir())
    assert [p.name for p in pages] == ["001-HYPERLINK-http-x-y.md", "002-script-alert-1-script-site.md",
                                       "003-SUM-A1.md"]
    second = pages[1].read_text(encoding="utf-8")
    assert second.startswith(r"# \<script\>alert\(1\)\<\/script\> \{\{ site \}\}:")
    assert "<script>" not in second and "{{" not in second


def test_the_answers_template_is_the_table_marking_reads(tmp_path):
    template = tmp_path / "answers.csv"
    result = CliRunner().invoke(main, ["worksheet", str(SEED004), "--variants", "3", "--seed", str(SEED), "-f", "tex",
                                       "-o", str(tmp_path / "class.tex"), "--answers-template", str(template)])
    assert result.exit_code == 0, result.output
    lines = template.read_text(encoding="utf-8").splitlines()
    keys = lines[0].split(",")[2:]
    assert lines[0].startswith("student,variant,forward.z1,forward.z2,forward.a1,")
    assert len(keys) == 20 and lines[1:] == [f",{n}," + "," * 19 for n in (1, 2, 3)]
    # filled in: a name a row and one answer, then marked against each row's variant
    filled = [lines[0]] + [f"student {n}," + line[1:].replace(",,", ",0.5,", 1) for n, line in
                           enumerate(lines[1:], 1)]
    template.write_text("\n".join(filled) + "\n", encoding="utf-8")
    marked = derive.mark_class(SEED004, template, seed=SEED)
    assert [(m.student, m.variant, m.report.maximum) for m in marked.students] == [
        ("student 1", 1, 20), ("student 2", 2, 20), ("student 3", 3, 20)]
    assert all(len(m.report.results) == 1 for m in marked.students)


def test_a_table_with_factor_columns_is_marked_against_the_factor_sheet(tmp_path):
    table = tmp_path / "answers.csv"
    table.write_text("student,factors.a1.z1,forward.a1\nKim,0.2473,0.5523\nLee,0.3,0.5523\n", encoding="utf-8")
    marked = derive.mark_class(SEED004, table)
    assert [(m.report.score, m.report.maximum) for m in marked.students] == [(2, 31), (1, 31)]
    assert [marked.status(m, "factors.a1.z1") for m in marked.students] == ["right", "wrong"]


def test_feedback_pages_as_pdf_keep_names_as_text(tmp_path):
    from conftest import pdf_text, require_tex

    require_tex()
    table = tmp_path / "answers.csv"
    table.write_text('student,forward.a1,gradients.w1\n"\\input{/etc/passwd} $x^2$ 100%",0.5523,0.5\n'
                     "김민지,0.6,-0.0203\n", encoding="utf-8")
    marks = tmp_path / "marks"
    result = CliRunner().invoke(main, ["check", str(SEED004), str(table), "-o", f"{marks}/", "--pdf", "--lang", "en"])
    assert result.exit_code == 1, result.output
    pdfs = sorted(p.name for p in (marks / "feedback").glob("*.pdf"))
    assert pdfs == ["001-input-etc-passwd-x-2-100.pdf", "002-김민지.pdf"]
    first = " ".join(pdf_text(marks / "feedback" / pdfs[0]).split())
    assert "\\input{/etc/passwd} $x^2$ 100%: Score: 1 of 20." in first
    assert "should be ∂L/∂w1 = (-0.04063) · 0.5 = -0.02032" in first  # the report's symbols, in math
    second = " ".join(pdf_text(marks / "feedback" / pdfs[1]).split())
    assert second.startswith("김민지: Score: 1 of 20.")


def test_pdf_is_for_a_class_table():
    result = CliRunner().invoke(main, ["check", str(SEED004), str(ROOT / "examples" / "answers" / "seed004_hand.toml"),
                                       "--pdf"])
    assert result.exit_code == 2 and result.output.startswith("Error: --pdf is for a class's answers table")


def test_hostile_cells_variants_quotes_and_folders(tmp_path):
    """Found by an adversarial pass: a cell's text quoted in the summary is escaped; a variant
    beyond the class set is that row's problem, not the whole class's; a quote left open is
    named at the line it opens; an earlier marking's pages are never left beside new ones;
    an input inside the marks folder is refused before any folder is made."""
    table = tmp_path / "answers.csv"
    table.write_text('student,variant,forward.z1\n'
                     'Ann,1,<script>x</script>\n'
                     'Bob,5000,0.2\n'
                     'Cy,2,0x10\n'
                     'Di,2,0.4_9\n'
                     'Gus,1,0.26\n'
                     '"Ed,3,0.5\nFay,4,0.5\n', encoding="utf-8")
    marks = tmp_path / "marks"
    result = CliRunner().invoke(main, ["check", str(SEED004), str(table), "--seed", "7", "-o", f"{marks}/",
                                       "--lang", "en"])
    assert result.exit_code == 1
    assert result.output.splitlines()[:5] == [
        f"{table}: line 2: forward.z1: expected a number, got '<script>x</script>'; not marked",
        f"{table}: line 3: variant: 5000 is not in the class set (the spec's ranges make at most 1000 variants); "
        "not marked",
        f"{table}: line 4: forward.z1: expected a number, got '0x10'; not marked",
        f"{table}: line 5: forward.z1: expected a number, got '0.4_9'; not marked",
        f"{table}: line 7: has a cell that runs over several lines (a quote left open?); the rows after it are "
        "read into it; not marked"]
    summary = (marks / "summary.md").read_text(encoding="utf-8")
    assert "<script>" not in summary and r"\<script\>x\<\/script\>" in summary
    # marking another class into the same folder: refused, the first marking untouched
    other = tmp_path / "other.csv"
    other.write_text("student,forward.z1\nZoe,0.26\n", encoding="utf-8")
    again = CliRunner().invoke(main, ["check", str(SEED004), str(other), "-o", f"{marks}/"])
    assert again.exit_code == 2 and "holds pages of another marking" in again.output
    inside = tmp_path / "inside"
    inside.mkdir()
    (inside / "marks.csv").write_text("student,forward.z1\nZoe,0.26\n", encoding="utf-8")
    clash = CliRunner().invoke(main, ["check", str(SEED004), str(inside / "marks.csv"), "-o", f"{inside}/"])
    assert clash.exit_code == 2 and "is an input" in clash.output
    assert sorted(p.name for p in inside.iterdir()) == ["marks.csv"]
    credit = CliRunner().invoke(main, ["check", str(SEED004), str(other), "-o", f"{tmp_path}/new/",
                                       "--carried-credit", "nan"])
    assert credit.exit_code == 2 and "nan is not a finite number" in credit.output


def test_a_name_no_font_of_the_pdf_draws_is_refused_not_left_out(tmp_path):
    from conftest import require_tex

    require_tex()
    table = tmp_path / "answers.csv"
    table.write_text("student,forward.a1\n漢字,0.5523\n", encoding="utf-8")
    marks = tmp_path / "marks"
    result = CliRunner().invoke(main, ["check", str(SEED004), str(table), "-o", f"{marks}/", "--pdf"])
    assert result.exit_code == 1
    assert result.output.splitlines()[-1] == ("Error: no font of the PDF draws 漢 (U+6F22), 字 (U+5B57) (its fonts "
                                              "have Latin letters and Hangul); nothing was written")
    assert not marks.exists()
