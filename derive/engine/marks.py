"""A whole class marked at once: each student's check report, and the class's picture of
each question (how many right, carried, wrong and unanswered; the slips most often made).
"""

from collections import Counter
from dataclasses import dataclass

from . import check


@dataclass(frozen=True)
class Marked:
    student: str
    variant: object       # the variant number, or None
    line: int             # the student's line in the answers table
    report: object        # check.Report


@dataclass(frozen=True)
class Question:
    key: str              # an answer key, as the table's column names it
    counts: dict          # {right, carried, wrong, unanswered, unknown: how many students}
    slips: tuple          # ((slip id, how many), ...) most common first


@dataclass(frozen=True)
class ClassMarks:
    source: str           # the answers table's name, for messages
    keys: tuple           # the table's answer columns
    students: tuple       # Marked, in the table's order
    unreadable: tuple     # ((line, what is wrong), ...): rows left unmarked
    lang: str

    def status(self, marked, key):
        """right, carried, wrong, unanswered or unknown: one student's answer to ``key``."""
        if any(u.key == key for u in marked.report.unknown):
            return "unknown"
        result = next((r for r in marked.report.results if r.key == key), None)
        return result.status if result is not None else "unanswered"

    @property
    def questions(self):
        made = []
        for key in self.keys:
            counts = Counter(self.status(m, key) for m in self.students)
            slips = Counter(r.diagnosis for m in self.students for r in m.report.results
                            if r.key == key and r.diagnosis)
            made.append(Question(key, {s: counts.get(s, 0) for s in (*check.STATUSES, "unanswered", "unknown")},
                                 tuple(sorted(slips.items(), key=lambda item: (-item[1], item[0])))))
        return tuple(made)

    @property
    def any_wrong(self):
        return bool(self.unreadable) or any(m.report.any_wrong for m in self.students)
