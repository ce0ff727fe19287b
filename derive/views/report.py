"""A check report -> rows of plain strings, for the terminal table and for Markdown.

"Carried" means error carried forward: the value is wrong, but it follows correctly from
earlier answers that were wrong. The note says which ones.
"""

import unicodedata
from dataclasses import dataclass

from ..languages import text
from ..numbers import rounded

#: Significant digits of the exact value shown beside the student's answer.
EXPECTED_DIGITS = 7


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


def view(report, lang):
    rows = []
    for r in report.results:
        note = ""
        if r.status == "carried":
            note = text(lang, "check_from", keys=", ".join(r.follows_from))
        elif r.status == "right" and r.matches == "carried":
            note = text(lang, "check_rounded", value=rounded(r.carried_from, EXPECTED_DIGITS))
        elif r.status == "wrong":
            percent = _percent(r.given, r.expected)
            if r.carried_from is not None and rounded(r.carried_from, 4) != rounded(r.expected, 4):
                note = text(lang, "check_off_carried", percent=percent, value=rounded(r.carried_from, EXPECTED_DIGITS))
            else:
                note = text(lang, "check_off", percent=percent)
        rows.append(Row(r.key, str(r.given), rounded(r.expected, EXPECTED_DIGITS), r.status,
                        text(lang, f"check_{r.status}"), note))
    headers = tuple(text(lang, f"check_{h}") for h in ("key", "given", "expected", "status", "note"))
    summary = text(lang, "check_summary", right=report.count("right"), carried=report.count("carried"),
                   wrong=report.count("wrong"))
    return ReportView(headers, tuple(rows), summary)


def _percent(given, expected):
    if not expected:
        return "∞"
    return rounded(abs((float(given) - float(expected)) / float(expected)) * 100, 2)


def width(cell):
    """Columns a string takes in a terminal: Hangul and other wide characters take two."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in cell)


def text_table(report_view, style=lambda cell, status: cell):
    """The report as an aligned table; ``style`` may colour a status cell (the CLI's job)."""
    cells = [report_view.headers] + [(r.key, r.given, r.expected, r.word, r.note) for r in report_view.rows]
    widths = [max(width(row[c]) for row in cells) for c in range(5)]

    def line(row, status=None):
        padded = [cell + " " * (widths[c] - width(cell)) for c, cell in enumerate(row)]
        if status:
            padded[3] = style(padded[3], status)
        return "  ".join(padded).rstrip()

    lines = [line(report_view.headers), "  ".join("-" * w for w in widths)]
    lines += [line((r.key, r.given, r.expected, r.word, r.note), r.status) for r in report_view.rows]
    return "\n".join(lines) + "\n\n" + report_view.summary + "\n"
