"""A class set as an online quiz: a question a variant, a numerical blank each answer.

Built from the same ``worksheet.Sheet`` a PDF prints (the givens, the picture, the prompts,
the worked solution), with each blank's exact value and the margin a platform may accept,
from ``check``: the sheet's significant digits, as ``derive check`` judges them.
"""

from dataclasses import dataclass, replace
from decimal import ROUND_DOWN, Decimal

import sympy

from ..engine import check
from ..errors import OptionError, RenderError
from ..languages import text
from ..numbers import rounded
from . import latex, present
from .worksheet import sheet

#: Significant digits of an answer given to a platform: enough that its own rounding never
#: moves the answer by a visible amount of the margin.
ANSWER_DIGITS = 10


@dataclass(frozen=True)
class Blank:
    key: str              # the answer key (forward.z1), as derive check names it
    lhs: str              # LaTeX of the quantity
    answer: str           # the exact value to ANSWER_DIGITS significant digits, plain decimal text
    margin: str           # the absolute margin accepted, plain decimal text
    unit: str = ""        # "in units of \\(10^{-3}\\)" where the answer is asked scaled, else ""


@dataclass(frozen=True)
class Part:
    prompt: str
    points: int
    blanks: tuple


@dataclass(frozen=True)
class Question:
    name: str             # the question's name in the bank: the title and the variant
    label: str            # "Variant 3 (seed 7)", or ""
    given: tuple          # present.Given rows: LaTeX names and values, as the sheet lists them
    rules: str            # the sheet's rules sentence
    parts: tuple
    feedback: tuple       # LaTeX display lines of the worked solution, question by question
    picture: object       # diagram.Diagram of the given numbers


def question(solution, options, variant=None, blanks="results"):
    """The ``Question`` of one variant: the sheet's parts, each blank with its exact value."""
    count = len(solution.graph.parameters)
    if count > present.MAX_LISTED:
        # the sheet lists each layer's first few of so many; a quiz would ask for them all
        raise OptionError(f"{solution.graph.source}: the network has {count} parameters; a quiz or a practice page "
                          f"asks for every gradient and update, so it is for networks of at most "
                          f"{present.MAX_LISTED} (the PDF sheet lists a sample of them)")
    made = sheet(solution, options, variant, blanks=blanks)
    keyed = check.answer_values(solution, factors=blanks == "factors")
    where = check.answer_places(solution)
    names = present.Names(solution.graph)
    digits = solution.carry or options.digits
    # the sheet's questions hold the blanks by kind, in this order; a question without
    # blanks is not on the sheet (a graph's output is asked with its forward pass)
    kinds = {}
    for key, value in keyed:
        kinds.setdefault(_kind(solution.graph, *where[key]), []).append((key, value))
    groups = [group for kind in KINDS for group in [kinds.get(kind)] if group]
    if [len(g) for g in groups] != [len(q.blanks) for q in made.questions]:
        raise RenderError("the quiz's answers do not fall into the sheet's questions")
    parts = []
    for q, group in zip(made.questions, groups):
        parts.append(Part(q.prompt, q.points, tuple(
            Blank(key, _lhs(solution, names, *where[key]), _plain(rounded(value, ANSWER_DIGITS)),
                  _margin(value, digits)) for key, value in group)))
    feedback = tuple((q.prompt, tuple(display(line) for block in q.worked for line in block.lines))
                     for q in made.questions)
    name = " · ".join(part for part in (made.title, made.label) if part)
    return Question(name, made.label, made.given, made.rules, tuple(parts), feedback, made.picture)


def _margin(value, digits):
    """derive check's margin for ``value``, less how far the answer given to the platform
    is from the exact value, cut (never rounded up) to two significant digits: whatever
    the platform accepts around that answer, derive check accepts too."""
    exact = Decimal(str(sympy.Float(value, 30)))
    room = check.tolerance(value, digits) - abs(Decimal(rounded(value, ANSWER_DIGITS)) - exact)
    if room <= 0:
        return "0"
    return _plain(str(room.quantize(Decimal(1).scaleb(room.adjusted() - 1), rounding=ROUND_DOWN)))


#: The kinds of blank, in the order of the sheet's questions.
KINDS = ("forward", "loss", "factors", "gradients", "updated", "after")


def _kind(graph, part, node):
    """Which question of the sheet asks a blank: a network's losses have one of their own."""
    if part == "forward" and graph.node(node).role in ("loss", "sample_loss"):
        return "loss"
    return part


#: A platform that keeps four decimal places (Canvas) is asked for a value scaled so that
#: its margin is at least this: the rounding then moves the range by a tenth of its width.
FOUR_DECIMALS = Decimal("1e-3")


def scaled(blank, lang):
    """The blank asked in units of 10^-k where its margin (or value) is too small for four
    decimal places; the sentence says so. Unchanged where it is not."""
    value, margin = Decimal(blank.answer), Decimal(blank.margin)
    if not margin:  # a right value of 0, taken alone
        return blank
    k = 0
    while k < 300 and (margin.scaleb(k) < FOUR_DECIMALS or (value and abs(value.scaleb(k)) < FOUR_DECIMALS)):
        k += 3
    if not k:
        return blank
    return replace(blank, answer=_plain(str(value.scaleb(k))), margin=_plain(str(margin.scaleb(k))),
                   unit=text(lang, "quiz_units", unit=f"\\(10^{{-{k}}}\\)"))


def bounds(blank):
    """(low, high) of the answers a range-graded platform accepts for ``blank``, as text."""
    value, margin = Decimal(blank.answer), Decimal(blank.margin)
    return _plain(value - margin), _plain(value + margin)


def _lhs(solution, names, part, node):
    """The LaTeX a blank is asked as, from what it is: z_1, ∂L/∂w_1, w_1', ∂a_1/∂z_1."""
    graph = solution.graph
    if part == "forward":
        return names[node]
    if part == "gradients":
        return latex.partial(graph.loss, node, names.tex)
    if part in ("updated", "after"):
        return latex.primed(names[node])
    return latex.partial(*node, names.tex)


def display(line):
    """A worked line as one TeX display, laid out as the PDF lays it out: a stage a row where
    the line is long (``lhs &= ...`` then ``&= ...``, or ``&\\quad ...`` where a stage goes on)."""
    if not line.rows:
        return present.Math(" = ".join([line.lhs, *line.parts]))
    rows = [f"{line.lhs} &= {tex}" if k == 0 else (f"&= {tex}" if lead else f"&\\quad {tex}")
            for k, (lead, tex) in enumerate(line.rows)]
    return present.Math("\\begin{aligned}" + " \\\\ ".join(rows) + "\\end{aligned}")


def _plain(number):
    """A decimal as a platform reads it: no exponent, no trailing zeros."""
    shown = format(Decimal(number).normalize(), "f")
    return shown.rstrip("0").rstrip(".") if "." in shown else shown

