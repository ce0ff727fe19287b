"""A worksheet as an offline practice page: the sheet's problem for the reader, and the
problem as data for the page's own checker (templates/html/practice.js), which marks
each answer as ``derive check`` does.

The data, as JSON in the page:

- ``nodes``: every quantity in evaluation order: ``key``, ``name``, ``sample`` (1-based
  or null), ``role`` (weight, bias, pre, post, loss, sample_loss, equation, leaf),
  ``expr`` (a computed node's definition as a tree, null for a given value);
- ``loss``, ``parameters`` (node keys), ``locals``: ``[child, parent, tree]`` of every
  edge's local derivative, a function's output written as its node (σ'(z1) as a1(1 − a1));
- ``lines``: {node key: template} of a forward value's definition, {"child|parent":
  template} of a chain link's derivative, for the "should be" line of a wrong answer;
- ``keys``: ``[answer key, part, node key or [child, parent]]`` of every blank, in the
  sheet's order; ``points``: what a blank is worth; ``factors``: whether the sheet asks
  the chain links;
- ``variants``: ``{label, values, rate}``: the given values (node key: number) and the
  learning rate of each variant;
- ``words``: the report's sentences in the page's language; ``worked``: whether a wrong
  answer's note gives the line it should have been (not on a page for graded use).

A tree is a node key (a string), a number ``["num", p, q]`` (the exact p/q, as decimal
text) or ``["float", text]``, or ``[operator, argument, ...]`` with the operators of
``OPERATORS``. A template is a list of text pieces and ``["sym", key]`` places.
"""

import hashlib
import json
import re
from dataclasses import dataclass

import sympy

from ..engine import check
from ..errors import RenderError
from ..languages import LANGUAGES
from ..registry.functions import leaky_relu, relu, sigmoid, softplus, step
from . import present, quiz
from .worksheet import sheet

#: SymPy's classes as the page's operators.
OPERATORS = {sympy.Add: "+", sympy.Mul: "*", sympy.Pow: "^", sympy.exp: "exp", sympy.log: "log",
             sympy.sin: "sin", sympy.cos: "cos", sympy.tanh: "tanh", sympy.Abs: "abs", sympy.sign: "sign",
             sympy.Heaviside: "heaviside", sympy.Max: "max", sympy.Min: "min", sigmoid: "sigmoid",
             softplus: "softplus", relu: "relu", leaky_relu: "leaky_relu", step: "step",
             sympy.Piecewise: "piecewise"}
#: Conditions of a piecewise definition.
RELATIONS = {sympy.StrictGreaterThan: ">", sympy.GreaterThan: ">=", sympy.StrictLessThan: "<",
             sympy.LessThan: "<="}
#: The report's sentences the page uses.
WORDS = ("check_right", "check_carried", "check_wrong", "check_from", "check_rounded", "check_off",
         "check_slip", "check_should", "check_score", "practice_not_number", "practice_empty")
#: A name in SymPy's text of an expression (a node key: w1, a1#2, w1_1_1).
_NAME = re.compile(r"[^\W\d][\w#]*")


def tree(expr):
    """``expr`` as the page's tree."""
    if expr.is_Symbol:
        return expr.name
    if expr.is_Rational:
        return ["num", str(expr.p), str(expr.q)]
    if expr.is_Float:
        return ["float", str(expr)]
    if isinstance(expr, sympy.Piecewise):
        return ["piecewise", *([tree(e), condition(c)] for e, c in expr.args)]
    operator = next((name for kind, name in OPERATORS.items() if isinstance(expr, kind)), None)
    if operator is None:
        raise RenderError(f"the practice page cannot compute {type(expr).__name__} ({sympy.sstr(expr)})")
    return [operator, *(tree(a) for a in expr.args)]


def condition(relation):
    if relation is sympy.true:
        return ["true"]
    kind = next((name for cls, name in RELATIONS.items() if isinstance(relation, cls)), None)
    if kind is None:
        raise RenderError(f"the practice page cannot decide {sympy.sstr(relation)}")
    return [kind, tree(relation.lhs), tree(relation.rhs)]


def template(expr, order):
    """The text of ``expr`` as the "should be" line writes it (^ and ·), each of its
    quantities a place for its number; ``order`` is its quantities' keys in reading order
    (``Graph.reading_order``), which SymPy's sorting then follows: w5 · a1 + w6 · a2."""
    rank = {key: k for k, key in enumerate(order)}
    places = {s: sympy.Symbol(f"q{rank[s.name]:05d}") for s in expr.free_symbols}
    back = {p.name: s.name for s, p in places.items()}
    text = sympy.sstr(expr.xreplace(places)).replace("**", "^").replace("*", " · ")
    pieces, at = [], 0
    for found in _NAME.finditer(text):
        if found.group() in back:
            pieces += [text[at:found.start()], ["sym", back[found.group()]]]
            at = found.end()
    pieces.append(text[at:])
    return [p for p in pieces if p != ""]


def ordered(graph, expr, node):
    """The keys of ``expr``'s quantities in reading order, within ``node``'s definition."""
    return graph.reading_order([s.name for s in expr.free_symbols], node)


def fill(pieces, shown):
    """A template with each quantity's number (``shown``: key -> text)."""
    return "".join(shown[p[1]] if isinstance(p, list) else p for p in pieces)


def problem(solution, factors):
    """The page's data of a solution's graph (the same for every variant of it)."""
    graph = solution.graph
    outputs = graph.function_outputs()
    local = {edge: d.xreplace(outputs) for edge, d in solution.locals.items()}
    keys = check.answer_places(solution)
    lines = {n.key: template(n.expr, ordered(graph, n.expr, n.key)) for n in graph.computed}
    lines.update({f"{c}|{p}": template(d, ordered(graph, d, c)) for (c, p), d in local.items()})
    return {
        "nodes": [{"key": n.key, "name": n.name, "sample": n.sample, "role": n.role,
                   "expr": tree(n.expr) if n.expr is not None else None} for n in graph.nodes],
        "loss": graph.loss,
        "parameters": list(graph.parameters),
        "locals": [[c, p, tree(d)] for (c, p), d in local.items()],
        "lines": lines,
        "keys": [[k, keys[k][0], list(keys[k][1]) if isinstance(keys[k][1], tuple) else keys[k][1]]
                 for k in check.sheet_keys(solution, factors)],
        "points": check.POINTS,
        "factors": factors,
    }


def numbers(solution, label):
    """One variant's given values and learning rate, as exact decimal text."""
    rate = solution.learning_rate
    return {"label": label, "rate": None if rate is None else exact_text(rate),
            "values": {n.key: exact_text(n.value) for n in solution.graph.leaves}}


def exact_text(value):
    """An exact number as the page reads it: p/q (a spec's decimals are exact fractions)."""
    value = sympy.Rational(value)
    return f"{value.p}/{value.q}"


def words(lang):
    language = LANGUAGES[lang]
    made = {key: language.words[key] for key in WORDS}
    made.update({key: text for key, text in language.words.items() if key.startswith("slip_")})
    return made


@dataclass(frozen=True)
class Question:
    prompt: str
    points: int
    blanks: tuple         # (answer key, LaTeX of the quantity) pairs
    worked: tuple         # LaTeX displays of the worked solution


@dataclass(frozen=True)
class Variant:
    label: str            # "Variant 3 (seed 7)", or ""
    given: tuple          # present.Given rows
    rules: str
    questions: tuple
    picture: object       # diagram.Diagram of the given numbers


def variant(solution, options, drawn=None, blanks="results"):
    """What the page shows of one variant: the sheet's givens, picture and questions, each
    blank an answer key, with the worked lines of each question."""
    made = quiz.question(solution, options, drawn, blanks)
    # the worked lines a stage a row, long stages broken, for a phone's width
    worked = [tuple(quiz.display(line) for block in q.worked for line in present.arranged(block.lines, True, "html"))
              for q in sheet(solution, options, drawn, blanks=blanks).questions]
    questions = tuple(Question(part.prompt, part.points, tuple((b.key, b.lhs) for b in part.blanks), lines)
                      for part, lines in zip(made.parts, worked))
    return Variant(made.label, made.given, made.rules, questions, made.picture)


def data(solutions, variants, lang, factors, worked=True):
    """The page's data (see the module's docstring) as JSON text that is safe inside a
    <script> element: no <, > or & in it, and no line separator a script would end at.
    Without ``worked``, a wrong answer's note leaves out the line it should have been."""
    made = problem(solutions[0], factors)
    made["worked"] = worked
    made["variants"] = [numbers(s, v.label) for s, v in zip(solutions, variants)]
    made["words"] = words(lang)
    text = json.dumps(made, ensure_ascii=False, sort_keys=True)
    made["id"] = hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]  # the answers kept are this page's
    text = json.dumps(made, ensure_ascii=False, sort_keys=True)
    for char in "<>&\u2028\u2029":
        text = text.replace(char, f"\\u{ord(char):04x}")
    return text
