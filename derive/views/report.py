"""A check report -> rows of plain strings, for the terminal table and for Markdown.

"Carried" means error carried forward: the value is wrong, but it follows correctly from
earlier answers that were wrong. The note says which ones.
"""

import unicodedata
from dataclasses import dataclass

import sympy

from ..languages import text
from ..numbers import plain_decimal, rounded
from . import practice

#: Significant digits of the exact value shown beside the student's answer.
EXPECTED_DIGITS = 7
#: Significant digits of the numbers in the line a wrong answer should have been.
LINE_DIGITS = 4
#: The longest unknown key a report repeats.
KEY_LENGTH = 60


@dataclass(frozen=True)
class Row:
    key: str
    given: str
    expected: str
    status: str           # right, carried or wrong: for colour, never shown
    word: str             # the status in the report's language
    note: str


@dataclass(frozen=True)
class ReportView:
    headers: tuple
    rows: tuple
    summary: str
    score: str            # "Score: 17 of 20."
    unknown: tuple        # (key as shown, what is wrong) for each key that names no quantity


def view(report, lang):
    rows = []
    for r in report.results:
        note = ""
        if r.status == "carried":
            note = text(lang, "check_from", keys=", ".join(r.follows_from))
        elif r.status == "right" and r.matches == "carried":
            note = text(lang, "check_rounded", value=rounded(r.carried_from, EXPECTED_DIGITS))
        elif r.status == "wrong":
            parts = [text(lang, "check_off", percent=_percent(r.given, r.expected))]
            if r.diagnosis:
                parts.append(text(lang, "check_slip", slip=text(lang, f"slip_{r.diagnosis}")))
            if r.working is not None and r.working.result is not None:
                parts.append(text(lang, "check_should", line=line(r.key, r.working)))
            note = "; ".join(parts)
        rows.append(Row(r.key, str(r.given), rounded(r.expected, EXPECTED_DIGITS), r.status,
                        text(lang, f"check_{r.status}"), note))
    headers = tuple(text(lang, f"check_{h}") for h in ("key", "given", "expected", "status", "note"))
    summary = text(lang, "check_summary", right=report.count("right"), carried=report.count("carried"),
                   wrong=report.count("wrong"))
    score = text(lang, "check_score", score=score_text(report.score), maximum=report.maximum)
    return ReportView(headers, tuple(rows), summary, score, unknown_lines(report.unknown, lang))


def unknown_lines(unknown, lang):
    """(key as shown, what is wrong) for each key that names no quantity."""
    return tuple((shown_key(u.key), text(lang, "check_did_you_mean", suggestion=u.suggestion) if u.suggestion
                  else text(lang, "check_unknown")) for u in unknown)


def shown_key(key):
    """A key from an answers file as a report shows it, the file being a stranger's: letters,
    digits and . _ [ ] - as written and any other character as ?, so that nothing in it
    is markup, a template tag or a terminal escape where the report is shown; at most
    KEY_LENGTH characters."""
    key = "".join(c if c.isalnum() or c in "._[]-" else "?" for c in key)
    return key if len(key) <= KEY_LENGTH else key[:KEY_LENGTH - 1] + "…"


def line(key, working):
    """The line a wrong answer should have been, with the student's own earlier values:
    a1 = sigmoid(0.21) = 0.5523; dL/dw1 = 0.0384 · 0.5 = 0.0192; w1 − η·g = 0.3 − 0.1 · 0.5 = 0.25."""
    name = key.rsplit(".", 1)[-1]
    if key.startswith("factors."):  # a chain link: d(child)/d(parent)
        name = "∂{}/∂{}".format(*key.split(".")[1:3])
    result = _shown(working.result)
    if working.expr is not None:
        # the definition as SymPy writes it, each quantity's number in its place (the
        # practice page fills the same template)
        pieces = practice.template(working.expr, [key for key, _ in working.values])
        written = practice.fill(pieces, {key: _shown(value, bracket=True) for key, value in working.values})
        if key.startswith("factors."):  # a local derivative: its formula first
            formula = practice.fill(pieces, {key: key for key, _ in working.values})
            written = formula if working.expr.is_Symbol else f"{formula} = {written}"
        return f"{name} = {written} = {result}"
    if working.update:
        old, rate, gradient = working.update
        return f"{name} − η·g = {_shown(old)} − {_shown(rate)} · {_shown(gradient, bracket=True)} = {result}"
    terms = " + ".join(f"{_shown(up, bracket=True)} · {_shown(local, bracket=True)}" for up, local in working.terms)
    return f"∂L/∂{name} = {terms} = {result}"


def _plain(expr):
    return sympy.sstr(expr).replace("**", "^").replace("*", " · ")


def _shown(value, bracket=False):
    """A number of the line: a short exact one as it is (0.3), any other to LINE_DIGITS."""
    short = value.is_Rational and len(str(abs(value.p))) <= LINE_DIGITS and 10 ** 8 % value.q == 0
    shown = plain_decimal(value) if short else rounded(value, LINE_DIGITS)
    return f"({shown})" if bracket and shown.startswith("-") else shown


def score_text(value):
    return str(int(value)) if value == value.to_integral_value() else f"{float(value):g}"


def _percent(given, expected):
    if not expected:
        return "∞"
    percent = abs((float(given) - float(expected)) / float(expected)) * 100
    return f"{percent:.0f}" if 99.5 <= percent < 1e6 else rounded(percent, 2)


def width(cell):
    """Columns a string takes in a terminal: Hangul and other wide characters take two."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in cell)


def text_table(report_view, style=lambda cell, status: cell):
    """The report as an aligned table; ``style`` may colour a status cell (the CLI's job)."""
    cells = [report_view.headers] + [(r.key, r.given, r.expected, r.word, r.note) for r in report_view.rows]
    widths = [max(width(row[c]) for row in cells) for c in range(5)]

    def row_line(row, status=None):
        padded = [cell + " " * (widths[c] - width(cell)) for c, cell in enumerate(row)]
        if status:
            padded[3] = style(padded[3], status)
        return "  ".join(padded).rstrip()

    lines = [row_line(report_view.headers), "  ".join("-" * w for w in widths)]
    lines += [row_line((r.key, r.given, r.expected, r.word, r.note), r.status) for r in report_view.rows]
    tail = [report_view.summary, report_view.score, *(f"{key}: {why}" for key, why in report_view.unknown)]
    return "\n".join(lines) + "\n\n" + "\n".join(tail) + "\n"
