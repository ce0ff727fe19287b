"""A marked class -> plain strings: the marks table's rows, the class summary, and each
student's feedback page.

Student names and column names come from a stranger's spreadsheet. A name keeps its
letters; on a Markdown page every ASCII punctuation mark is backslash-escaped (so nothing
is markup, and no Liquid tag forms on a Jekyll site); in a file name only letters, digits
and - are kept; in the marks table a cell that a spreadsheet would take for a formula is
prefixed with ' (the cells are written by the csv module).
"""

import re
import unicodedata
from dataclasses import dataclass

from ..languages import text
from . import report as report_view

#: The columns of marks.csv before the answer keys (stable names, for spreadsheets).
COLUMNS = ("student", "variant", "score", "max")


@dataclass(frozen=True)
class SummaryView:
    title: str
    headers: tuple
    rows: tuple           # (key, right, carried, wrong, unanswered, slips) strings
    class_line: str
    unknown: tuple        # (column, what is wrong) for each column that names no quantity
    unreadable: tuple     # a sentence a row left unmarked


@dataclass(frozen=True)
class Feedback:
    file: str             # the page's file name in the marks folder, without its extension
    title: str            # the student and the score, Markdown-escaped
    report: object        # report.ReportView
    heading: str = ""     # the same as plain text (for LaTeX, which escapes it itself)


def table(marks):
    """The rows of marks.csv: a header, then a student a row (score, maximum, each status)."""
    rows = [COLUMNS + tuple(cell(k) for k in marks.keys)]
    for m in marks.students:
        rows.append((cell(m.student), "" if m.variant is None else str(m.variant),
                     report_view.score_text(m.report.score), str(m.report.maximum),
                     *(marks.status(m, k) for k in marks.keys)))
    return rows


def summary(marks, lang):
    rows = []
    for q in marks.questions:
        slips = ", ".join(f"{text(lang, 'slip_' + slip)} ({count})" for slip, count in q.slips[:2])
        rows.append((report_view.shown_key(q.key), *(str(q.counts[s]) for s in
                                                     ("right", "carried", "wrong", "unanswered")), slips))
    headers = (text(lang, "check_key"), text(lang, "check_right"), text(lang, "check_carried"),
               text(lang, "check_wrong"), text(lang, "marks_unanswered"), text(lang, "marks_slips"))
    scores = [m.report.score for m in marks.students]
    maximum = marks.students[0].report.maximum if marks.students else 0
    mean = report_view.score_text(round(sum(scores) / len(scores), 2)) if scores else "0"
    class_line = text(lang, "marks_class", count=len(scores), mean=mean, maximum=maximum)
    unreadable = tuple(text(lang, "marks_unreadable", line=line, problem=markdown_text(problem))
                       for line, problem in marks.unreadable)
    first = {}
    for m in marks.students:
        for u in m.report.unknown:
            first.setdefault(u.key, u)
    unknown = report_view.unknown_lines(tuple(first.values()), lang)
    return SummaryView(text(lang, "marks_title"), headers, tuple(rows), class_line, unknown, unreadable)


def feedback(marks, lang):
    """A page a student: the name and score, then the check report."""
    made = []
    for n, m in enumerate(marks.students, 1):
        score = text(lang, "check_score", score=report_view.score_text(m.report.score), maximum=m.report.maximum)
        variant = f" ({text(lang, 'marks_variant', number=m.variant)})" if m.variant else ""
        plain = "".join(c for c in m.student if unicodedata.category(c)[0] != "C")
        made.append(Feedback(f"{n:03d}-{file_name(m.student)}", f"{markdown_text(m.student)}{variant}: {score}",
                             report_view.view(m.report, lang), f"{plain}{variant}: {score}"))
    return tuple(made)


def cell(value):
    """A cell a spreadsheet shows as text, never runs: = + - @ tab or return first get a '."""
    value = "".join(c for c in value if unicodedata.category(c)[0] != "C")
    return "'" + value if value[:1] in ("=", "+", "-", "@") else value


def markdown_text(value):
    """A name on a Markdown page: control characters dropped, ASCII punctuation escaped."""
    value = "".join(c for c in value if unicodedata.category(c)[0] != "C")
    return re.sub(r"([!-/:-@\[-`{-~])", r"\\\1", value)


def file_name(value):
    """A name as part of a file name: letters and digits, words joined by -, at most 40."""
    words = re.findall(r"[^\W_]+", value)
    return "-".join(words)[:40].strip("-") or "student"
