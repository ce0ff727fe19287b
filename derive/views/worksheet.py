"""A worked solution -> a problem sheet and its answer key, as view records of strings.

Both come from one ``Sheet``: the sheet prints the givens, the model and a blank for
every answer; the key is the same page with the answers in the blanks and the worked
solution under each question (the exam class's ``\\printanswers``). The blanks' answers
and the worked lines are the solution view's own strings, so the key says exactly what
``derive solve`` says.
"""

import re
from dataclasses import dataclass, replace

from ..engine import chain, check
from ..errors import OptionError
from ..languages import LANGUAGES, text
from ..numbers import written_text
from . import diagram, latex, present

#: The printed width of a sheet's picture, in points.
SHEET_PICTURE = 330
#: Working space under a question by default, in ruled lines: a few, and one a blank,
#: at most MAX_LINES (a sheet of 40 blanks is not a booklet).
BASE_LINES, MAX_LINES = 3, 14


@dataclass(frozen=True)
class Blank:
    lhs: str              # LaTeX of the quantity asked for
    answer: str           # LaTeX of its value, as the worked solution shows it


@dataclass(frozen=True)
class Question:
    prompt: str
    points: int           # one per blank
    blanks: tuple
    intro: tuple          # sentences before the worked lines (key only)
    worked: tuple         # present.Blocks: the worked solution (key only)
    stacked: bool         # each worked line its own display, one stage a row
    notes: tuple          # sentences after the worked lines (key only)
    space: str = "0pt"    # the working space under it on the sheet, a LaTeX length


@dataclass(frozen=True)
class Sheet:
    title: str
    label: str            # "Variant 3 (seed 42)", or "" for the spec's own numbers
    given: tuple          # (LaTeX name, value) pairs
    model: tuple          # present.Blocks of definitions: z_1 = w_1 x_1 + w_3 x_2, ...
    rules: str
    questions: tuple
    picture: object       # diagram.Diagram with the given numbers only (the sheet)
    answered: object      # the same with every value (the key)
    total: int = 0        # the sheet's points


#: What a sheet leaves blank: the results only, or each chain link's local derivative too.
BLANKS = ("results", "factors")


def sheet(solution, options, variant=None, space="auto", blanks="results"):
    """The ``Sheet`` of a one-step solution; ``variant`` is a ``variants.Variant`` or None;
    ``space`` the working space under each question (see ``working_space``); with
    ``blanks="factors"`` a question asks every local derivative of the chain first, a
    point each (the links ``check.chain_links`` lists, keys ``factors.child.parent``)."""
    if blanks not in BLANKS:
        raise OptionError(f"blanks: {blanks!r} is not one of {', '.join(BLANKS)}")
    if blanks == "factors" and solution.graph.samples > 1:
        raise OptionError("blanks: factors asks each chain link once, so it is for a spec with one sample")
    lang, digits = options.language(solution.lang), options.digits
    view = present.view(solution, options, target="latex")
    step = view.steps[0]
    questions = [
        _question(text(lang, "sheet_forward"), [l for b in step.forward for l in b.lines], step.forward),
        _question(text(lang, "sheet_loss"), step.loss, [present.Block("", step.loss)]),
        *([_factors(solution, lang, digits)] if blanks == "factors" else []),
        _question(text(lang, "sheet_gradients" if step.loss else "sheet_gradients_graph"), step.backward,
                  [present.Block("", step.deltas + step.backward)], stacked=True,
                  intro=(present.sentence(lang, "deltas"),) if step.deltas else (), notes=step.notes),
    ]
    if step.updates:
        rate = written_text(solution.learning_rate)
        questions.append(_question(text(lang, "sheet_updates", rate=rate), step.updates,
                                   [present.Block("", step.updates)]))
    if view.after:
        asked = _prediction_names(solution.graph)
        lines = [l for b in view.after for l in b.lines if l.lhs in asked]
        questions.append(_question(text(lang, "sheet_after"), lines, view.after, notes=(view.loss_change,),
                                   primed=True))
    questions = [replace(q, space=working_space(space, len(q.blanks))) for q in questions
                 if q.blanks]  # a graph's output is asked in its forward pass
    label = text(lang, "sheet_variant", number=variant.number, seed=variant.seed) if variant else ""
    points = sum(q.points for q in questions)
    rules = text(lang, "sheet_rules", digits=solution.carry or digits, points=points)
    forward = step.forward
    if len(forward) > 1:  # every sample is computed alike: the first one shows how
        forward = (present.Block(text(lang, "sheet_samples_alike", count=len(forward)), forward[0].lines),)
    model = tuple(present.Block(b.heading, present.arranged(tuple(present.Line(l.lhs, l.parts[:1]) for l in b.lines),
                                                             False, "latex"))
                  for b in forward + (present.Block("", step.loss),))
    # a sheet's picture is small: a 2-2-1 exercise stays on one page
    pictures = (replace(diagram.diagram(solution, options, values=False), fit=SHEET_PICTURE),
                replace(diagram.diagram(solution, options), fit=SHEET_PICTURE))
    # a sheet lists each given value on its own, in columns (name = value)
    given = present.given_rows(solution, present.Names(solution.graph), "latex", lang, grouped=False)
    return Sheet(view.title, label, given, model, rules, tuple(questions), *pictures, total=points)


def working_space(space, blanks):
    """The room to work under a question, as a LaTeX length: ``auto`` (BASE_LINES ruled
    lines and one a blank, at most MAX_LINES), a number of lines (``8`` or ``8lines``), or a
    length (``5cm``, ``40mm``, ``2in``)."""
    space = str(space).strip()
    if space == "auto":
        return f"{min(BASE_LINES + blanks, MAX_LINES)}\\linefillheight"
    found = re.fullmatch(r"(\d{1,2})(?:\s*lines?)?", space)
    if found and int(found.group(1)) <= 40:
        return f"{int(found.group(1))}\\linefillheight"
    found = re.fullmatch(r"(\d{1,3}(?:\.\d{1,2})?)\s*(cm|mm|in)", space)
    if found and float(found.group(1)) * {"cm": 1, "mm": 0.1, "in": 2.54}[found.group(2)] <= 25:
        return f"{found.group(1)}{found.group(2)}"
    raise OptionError(f"space: {space!r} is not auto, a number of lines (up to 40, as 8 or 8lines) "
                      "or a length up to 25 cm (as 5cm, 40mm or 2in)")


def _factors(solution, lang, digits):
    """The question of the chain's links: d(child)/d(parent) at the forward values, each a
    blank; the key works each one out from its formula."""
    graph, names = solution.graph, present.Names(solution.graph)
    outputs = graph.function_outputs()
    values = solution.first.forward.values
    lines = []
    for child, parent in check.chain_links(graph):
        derivative = solution.locals[(child, parent)].xreplace(outputs)
        value = chain.evaluate(graph, derivative, values, f"d{child}/d{parent}")
        given = derivative.is_Symbol and graph.node(derivative.name).is_leaf
        parts = (latex.symbolic(derivative, names.tex),
                 latex.written(value) if given else latex.number(value, digits))  # a given number as written
        if parts[0] == parts[1] or derivative.is_Number:
            parts = parts[1:]
        lines.append(present.Line(present.Math(latex.partial(child, parent, names.tex)),
                                  tuple(present.Math(p) for p in parts)))
    return _question(text(lang, "sheet_factors"), lines, [present.Block("", present.arranged(
        tuple(lines), False, "latex"))])


def words(lang):
    """The catalogue's prose for the sheet's fixed parts (headings, point names)."""
    return dict(LANGUAGES[lang].words)


def _question(prompt, lines, worked, stacked=False, intro=(), notes=(), primed=False):
    # after the update a quantity is primed, as the updated parameters are
    blanks = tuple(Blank(present.Math(latex.primed(l.lhs)) if primed else l.lhs, l.parts[-1]) for l in lines)
    return Question(prompt, len(blanks), blanks, tuple(intro), tuple(worked), stacked, tuple(notes))


def _prediction_names(graph):
    """LaTeX names of the outputs (what the loss compares with the targets) and the losses."""
    names = present.Names(graph)
    losses = [n.key for n in graph.computed if n.role in ("loss", "sample_loss")]
    outputs = {p for k in losses for p in graph.parents(k) if not graph.node(p).is_leaf and p not in losses}
    return {present.Math(names[k]) for k in (*outputs, *losses)}
