"""A class's answers as one spreadsheet (CSV or tab-separated text), read as data.

The header names a ``student`` column, optionally a ``variant`` column, and one column
per answer key (``forward.z1``, ``gradients.w5``, ...; what they mean is the checker's
business). Every other row is a student. A row that cannot be read is kept aside with its
line number, so the rest of the class is still marked.
"""

import csv
import io
import re
from dataclasses import dataclass

from ..errors import SpecError, one_line
from .spec import read_text

#: The most students one file may hold.
MAX_ROWS = 5000
#: The longest cell read.
MAX_CELL = 200
#: The most columns one file may have (a sheet of 8-8-8-2 has fewer blanks).
MAX_COLUMNS = 1000


@dataclass(frozen=True)
class Row:
    line: int             # the row's line in the file (the header is line 1)
    student: str
    variant: object       # the variant number, or None without a variant column
    answers: dict         # {answer key: cell text, "" for unanswered}


@dataclass(frozen=True)
class Table:
    source: str
    keys: tuple           # the answer columns, in the header's order
    rows: tuple           # Row records
    unreadable: tuple     # ((line, what is wrong), ...)
    variants: bool        # whether the header has a variant column


def read(path, source=None):
    """The ``Table`` of a CSV file: UTF-8 with or without a byte-order mark, comma or tab."""
    text, name = read_text(path, source, "table of answers")
    text = text.removeprefix("\ufeff")
    skipped = 0
    while text.startswith(("\n", "\r\n")) or (text[:1] == "\r"):  # blank lines before the header
        text = text[2:] if text.startswith("\r\n") else text[1:]
        skipped += 1
    first = text.split("\n", 1)[0]
    delimiter = "\t" if first.count("\t") > first.count(",") else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        header = next(reader, None)
    except csv.Error as err:
        raise SpecError(f"{name}: line {skipped + 1}: {err}") from None
    if not header or not any(cell.strip() for cell in header):
        raise SpecError(f"{name}: is empty; its first line names the columns: student, variant (for a class set) "
                        "and one answer key a column, such as forward.z1")
    header = [cell.strip() for cell in header]
    if len(header) > MAX_COLUMNS:
        raise SpecError(f"{name}: line {skipped + 1}: has {len(header)} columns; a sheet has at most {MAX_COLUMNS} "
                        "blanks")
    if "student" not in header:
        raise SpecError(f"{name}: line {skipped + 1}: has no student column (the columns are "
                        f"{one_line(', '.join(header))[:200]})")
    twice = next((c for c in header if c and header.count(c) > 1), None)
    if twice is not None:
        raise SpecError(f"{name}: line {skipped + 1}: the column {one_line(twice)[:60]!r} is given twice")
    keys = tuple(c for c in header if c not in ("student", "variant") and c)
    if not keys:
        raise SpecError(f"{name}: line {skipped + 1}: names no answer column; add one a key, such as forward.z1")
    rows, unreadable = [], []
    end = reader.line_num
    try:
        for cells in reader:
            line, end = end + 1 + skipped, reader.line_num  # a record's first line
            if not any(cell.strip() for cell in cells):
                continue
            if len(rows) + len(unreadable) >= MAX_ROWS:
                raise SpecError(f"{name}: holds more than {MAX_ROWS} students; split the class into several files")
            problem = _problem(cells, header)
            if problem:
                unreadable.append((line, problem))
                continue
            record = dict(zip(header, (cell.strip() for cell in cells)))
            variant = None
            if "variant" in header:
                variant = int(record["variant"])
            rows.append(Row(line, record["student"], variant, {k: record.get(k, "") for k in keys}))
    except csv.Error as err:
        raise SpecError(f"{name}: line {reader.line_num + skipped}: {err}") from None
    return Table(name, keys, tuple(rows), tuple(unreadable), "variant" in header)


def _problem(cells, header):
    """What makes a row unreadable, or ""."""
    if len(cells) > len(header):
        return f"has {len(cells)} cells for {len(header)} columns"
    if any("\n" in cell or "\r" in cell for cell in cells):
        return "has a cell that runs over several lines (a quote left open?); the rows after it are read into it"
    record = dict(zip(header, cells))
    if not record.get("student", "").strip():
        return "has no student name"
    if any(len(cell) > MAX_CELL for cell in cells):
        return f"has a cell longer than {MAX_CELL} characters"
    if "variant" in header:
        variant = record.get("variant", "").strip()
        if not re.fullmatch(r"[0-9]{1,5}", variant) or not 1 <= int(variant) <= 10000:
            return f"variant: {one_line(variant)[:20]!r} is not a variant number"
    return ""
