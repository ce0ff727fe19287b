"""Solution records -> view records of plain strings, ready for a template.

Each shown quantity becomes a ``Line``: a left-hand side and the stages a person writes
(symbolic = with numbers = result). Numbers are rounded here and only here: computed
values to ``digits`` significant digits with their trailing zeros, given values exactly
as given. A line must compute: where the rounded numbers of its substituted stage would
not give its result (a sum that cancels, a log of 1 - 0.9999), that line shows its
computed numbers with more digits, until a calculator gets the printed result.
"""

import re
from dataclasses import dataclass, replace

import sympy

from ..errors import SpecError
from ..languages import LANGUAGES, runs, text
from ..numbers import exact, written_text
from ..engine.network import layers_of
from ..reading.symbols import name_latex
from ..registry.functions import squashing_bounds
from . import breaking, fusion, latex, matrix
from .latex import number
from .legible import computable, face


@dataclass(frozen=True)
class Line:
    lhs: str
    parts: tuple          # right-hand sides, to be joined by " = "
    rows: tuple = ()      # as laid out for its output: ((lead, tex), ...), lead "=" or "" for a
                          # stage's continuation (see breaking.layout); set by view()


@dataclass(frozen=True)
class Given:
    name: str             # LaTeX of a quantity, or of a matrix of them
    value: str            # its value as written: text, or LaTeX where ``math`` (a matrix)
    math: bool = False


@dataclass(frozen=True)
class Block:
    heading: str          # "" when the block needs none
    lines: tuple


@dataclass(frozen=True)
class Sentence:
    """Prose that may hold math: (words, LaTeX) pairs, each piece of math ("" for none)
    following its words, so that a template puts it between its format's delimiters."""

    runs: tuple


@dataclass(frozen=True)
class StepView:
    heading: str
    forward: tuple        # Blocks, one per sample
    loss: tuple           # Lines
    deltas: tuple         # Lines: the shared upstream gradients (delta style), else ()
    backward: tuple       # Lines
    notes: tuple          # Sentences under the backward pass
    updates: tuple        # Lines
    level: int = 2        # the heading level of its sections (2, or 3 under a step's own heading)
    sublevel: int = 3     # the level of a sample's heading within a section


#: What a view is made for: a Markdown page (in its flavour), a LaTeX document, an HTML page.
TARGETS = ("markdown", "latex", "html")
class Math(str):
    """LaTeX that the product generated: the LaTeX templates print it unescaped."""


@dataclass(frozen=True)
class SolutionView:
    title: str
    flavor: str           # the Markdown flavour whose delimiters the template uses ("" outside Markdown)
    words: dict           # the catalogue's prose in the chosen language
    given: tuple          # Given rows
    steps: tuple
    after: tuple          # Blocks, or () without a learning rate
    loss_change: object   # a Sentence, or None without a learning rate
    notes: tuple          # Sentences


class Names:
    """LaTeX of every node key: its name as written or as [symbols] says, and its sample."""

    def __init__(self, graph):
        base = dict(graph.display)
        self.tex = {}
        for node in graph.nodes:
            name = base.get(node.name) or name_latex(node.name)
            self.tex[node.key] = latex.sample_of(name, node.sample) if node.sample else name

    def __getitem__(self, key):
        return self.tex[key]


#: A page longer than this many lines of working is no page a person reads.
MAX_LINES = 10000
#: Above this many parameters a page writes out only each layer's first KEEP gradients and
#: updates (thousands of display lines help no one); ``full=True`` writes every one.
MAX_LISTED = 300
KEEP = 2
#: Above this many given values, a network's are shown as matrices (W^(1), ...).
GIVEN_SCALARS = 16
#: Up to this many parameters, the chain style writes the row of partials with each
#: definition put in (d(w5 a1 + w6 a2)/d a1) by default, as the seed post does.
DEFINED_UP_TO = 16


def listed(graph, full=False):
    """The parameters whose gradients and updates a page writes out, in graph order."""
    if full or len(graph.parameters) <= MAX_LISTED:
        return set(graph.parameters)
    kept, per_layer = set(), {}
    for p in graph.parameters:
        layer = graph.node(p).layer
        if per_layer.get(layer, 0) < KEEP:
            kept.add(p)
            per_layer[layer] = per_layer.get(layer, 0) + 1
    return kept


def sentence(lang, key, math=(), **fields):
    return Sentence(runs(lang, key, math, **fields))


def view(solution, options, target="markdown"):
    """The view of ``solution`` for ``target`` (markdown, latex or html), written with ``options``."""
    lang = options.language(solution.lang)
    digits = solution.carry or options.digits  # a carried solution is shown with the digits it carried
    flavor = options.flavor if target == "markdown" else ""
    graph = solution.graph
    names = Names(graph)
    given = given_rows(solution, names, target, lang, grouped=True)
    many = len(solution.steps) > 1
    written = listed(graph, options.full)
    size = len(solution.steps) * (len(graph.computed) + 2 * len(written))
    if size > MAX_LINES:
        raise SpecError(f"{graph.source}: the page would have about {size} lines of working; at most {MAX_LINES} "
                        "are written (-f json holds every value; or take fewer steps)")
    carry = solution.carry is not None
    defined = options.definitions if options.definitions is not None else (
        solution.style == "chain" and len(graph.parameters) <= DEFINED_UP_TO)
    steps, said = [], set()
    for step in solution.steps:  # a note is said once a page, under the first step that needs it
        made = _step(solution, step, names, digits, lang, many, written, carry, defined)
        steps.append(replace(made, notes=tuple(n for n in made.notes if n not in said)))
        said.update(made.notes)
    steps = tuple(steps)
    after, change = (), None
    if solution.after is not None:
        after = _forward_blocks(graph, solution.after, names, digits, lang, carry, symbolic=False)
        losses = tuple(_node_line(graph, graph.node(k), solution.after, names, digits, carry, symbolic=False)
                       for k in _loss_keys(graph))
        if losses:
            after += (Block(text(lang, "loss"), losses),)
        change = _loss_change(solution.first.forward.loss, solution.after.loss, digits, lang)
    rounding = text(lang, "rounding_carried", digits=solution.carry) if carry else text(lang, "rounding", digits=digits)
    notes = tuple(sentence(lang, n) for n in graph.notes) + (Sentence(((rounding, ""),)),)
    result = SolutionView(solution.title, flavor, dict(LANGUAGES[lang].words), given, steps, after, change, notes)
    return _for_target(result, target, flavor, options.logarithm(solution.lang))


def _loss_change(before, after, digits, lang):
    """The loss before and after, with enough digits to see the change: 0.49514 to
    0.49511, not 0.4951 to 0.4951. A number in powers of ten is math, not words."""
    shown = digits
    while shown < 15 and number(before, shown) == number(after, shown) and before != after:
        shown += 1
    key = "loss_same" if before == after else "loss_down" if after < before else "loss_up"
    fields = {"before": number(before, shown), "after": number(after, shown)}
    return sentence(lang, key, math=[k for k, v in fields.items() if "\\" in v], **fields)


def given_rows(solution, names, target, lang, grouped):
    """The given values, a row each; with ``grouped``, a network with more than
    GIVEN_SCALARS of them shows each sample's inputs and targets, and each layer's weights
    and biases, as a matrix of names beside the matrix of their values (where the pair
    fits the output's width), as a textbook writes W^(1)."""
    graph = solution.graph
    math = Math if target == "latex" else str  # LaTeX's templates print Math as it is
    if target == "latex":  # the value column is math in LaTeX only
        value = lambda v: math(latex.written(v))  # noqa: E731
    elif target == "html":  # a page of text sets a minus sign, not a hyphen
        value = lambda v: written_text(v).replace("-", "\u2212")  # noqa: E731
    else:
        value = written_text
    rows, shown = [], set()
    if grouped and len(graph.leaves) > GIVEN_SCALARS and any(n.role == "weight" for n in graph.leaves):
        for keys in _groups(graph):
            name = _bmatrix([[names[k] for k in row] for row in keys])
            numbers = _bmatrix([[latex.written(graph.node(k).value) for k in row] for row in keys])
            if breaking.width(name) + breaking.width(numbers) + 2 <= breaking.BUDGETS[target]:
                rows.append(Given(math(name), math(numbers), math=True))
                shown |= {k for row in keys for k in row}
    rows += [Given(math(names[n.key]), value(n.value)) for n in graph.leaves if n.key not in shown]
    if solution.learning_rate is not None:
        rows.append(Given(math(r"\eta" + r"\ \text{(" + text(lang, "learning_rate") + ")}"),
                          value(solution.learning_rate)))
    return tuple(rows)


def _groups(graph):
    """Rows of leaf keys, one matrix each: the inputs (a row a sample), the targets, and
    each layer's weights (a row a unit) and its biases (a column)."""
    samples = sorted({n.sample for n in graph.leaves if n.kind == "input"}, key=lambda s: s or 0)
    for kind in ("input", "target"):
        yield [[n.key for n in graph.leaves if n.kind == kind and n.sample == s] for s in samples]
    for layer in layers_of(graph):
        if all(k is not None for row in layer.weights for k in row):
            yield [list(row) for row in layer.weights]
        if layer.biases and all(layer.biases):
            yield [[b] for b in layer.biases]


def _bmatrix(rows):
    return r"\begin{bmatrix} " + r" \\ ".join(" & ".join(row) for row in rows) + r" \end{bmatrix}"


def arranged(lines, stacked, target):
    """``lines`` laid out in rows that fit ``target``'s width: one row a line where it fits
    (or, ``stacked``, one stage a row), long stages broken before a + or \\cdot."""
    budget = breaking.BUDGETS[target]
    return tuple(replace(line, rows=tuple((lead, Math(tex) if isinstance(line.lhs, Math) else tex)
                                          for lead, tex in breaking.layout(line.lhs, line.parts, stacked, budget)))
                 for line in lines)


def _for_target(result, target, flavor, log):
    """Math that survives the site it is pasted into (DESIGN.md, output formats), with the
    natural logarithm written as the language (or the options) write it."""

    def fix(tex):
        tex = latex.logarithm(tex, log)
        # a bare | ends a Markdown table cell; \lvert and \rvert print the same bars
        tex = tex.replace(r"\left|", r"\left\lvert ").replace(r"\right|", r"\right\rvert ")
        if flavor == "kramdown":
            tex = _no_liquid(tex)
        return Math(tex) if target == "latex" else tex

    def lines(items, stacked=False):
        return arranged(tuple(Line(fix(i.lhs), tuple(fix(p) for p in i.parts)) for i in items), stacked, target)

    def blocks(items):
        return tuple(replace(b, lines=lines(b.lines)) for b in items)

    def prose(item):
        return Sentence(tuple((words, fix(tex) if tex else tex) for words, tex in item.runs)) if item else item

    return replace(
        result,
        title=_markdown_text(result.title, flavor) if target == "markdown" else result.title,
        given=tuple(replace(g, name=fix(g.name), value=fix(g.value) if g.math else g.value) for g in result.given),
        steps=tuple(replace(s, forward=blocks(s.forward), loss=lines(s.loss), deltas=lines(s.deltas, True),
                            backward=lines(s.backward, True), updates=lines(s.updates),
                            notes=tuple(prose(n) for n in s.notes)) for s in result.steps),
        after=blocks(result.after), loss_change=prose(result.loss_change),
        notes=tuple(prose(n) for n in result.notes))


_MARKDOWN_SPECIALS = {"\\": "\\\\", "&": "&amp;", "<": "&lt;", ">": "&gt;", "`": "\\`", "*": "\\*", "_": "\\_",
                      "[": "\\[", "]": "\\]", "|": "\\|", "$": "\\$", "#": "\\#", "~": "\\~"}
#: GitHub's Markdown (and the sites that follow it) also makes links of bare addresses
#: (http:..., www., name@host): a word joiner before each colon (Velog's parser reads no
#: escaped colon, and a joiner after it still lets mailto: through), an escaped dot after
#: www and a word joiner after @ keep each of them text. (~~text~~ is escaped for all.)
_GFM_SPECIALS = {":": "\u2060:", "@": "@\u2060"}
#: pandoc's Markdown also reads @name as a citation, ^text^ as a superscript and a heading's
#: closing {...} as its attributes.
_PANDOC_SPECIALS = {"@": "\\@", "^": "\\^", "{": "\\{", "}": "\\}"}
#: The flavours whose Markdown makes no link of a bare address (kramdown's, pandoc's).
_NO_AUTOLINKS = ("kramdown", "pandoc")
_LIQUID = re.compile(r"\{(?=[{%])")


def _no_liquid(text):
    """Text in which Jekyll's Liquid sees no tag: a space after each { that a { or % follows."""
    return _LIQUID.sub("{ ", text)


def _markdown_text(text, flavor):
    """A spec's own words (its title) as plain Markdown text: no HTML, link, autolink,
    emphasis, strikethrough, math or, for Jekyll, Liquid tag can come out of them."""
    autolinks = flavor not in _NO_AUTOLINKS
    specials = {**_MARKDOWN_SPECIALS, **(_GFM_SPECIALS if autolinks else {}),
                **(_PANDOC_SPECIALS if flavor == "pandoc" else {})}
    text = "".join(specials.get(c, c) for c in text)
    if flavor == "kramdown":
        return _no_liquid(text)
    return re.sub(r"(?i)www\.", lambda m: m.group()[:-1] + "\\.", text) if autolinks else text


def _step(solution, step, names, digits, lang, many, written, carry, defined):
    graph = solution.graph
    forward = _forward_blocks(graph, step.forward, names, digits, lang, carry, symbolic=True)
    loss = tuple(_node_line(graph, graph.node(k), step.forward, names, digits, carry, symbolic=True)
                 for k in _loss_keys(graph))
    backward, notes = [], []
    factors = _Factors(graph, names, solution.locals, step.forward, digits, defined)
    # carried, every factor the engine rounded is one the page shows, so nothing is fused
    found = {} if carry or solution.style == "matrix" else fusion.fusions(graph, solution.locals, step.forward.values)
    factors.fused(found)
    fused = set()

    def chains(terms):
        terms, used = fusion.fuse(terms, found, graph, step.forward.values)
        fused.update(used)
        return terms

    delta_values = {d.node: d.value for d in step.deltas}
    deltas = tuple(_delta_line(d, delta_values, graph.loss, names, factors, digits, carry, chains)
                   for d in _backprop_order(graph, step.deltas))
    # backward, as backpropagation runs: the last layer's parameters first
    for gradient in sorted((g for g in step.gradients if g.parameter in written),
                           key=lambda g: -graph.node(g.parameter).layer):
        lhs = latex.partial(graph.loss, gradient.parameter, names.tex)
        if gradient.via:
            terms = [(top, [f]) for top, f in gradient.via]
        else:
            # a chain-rule path is a route from the loss with no delta above it
            terms = [(None, p.factors) for p in gradient.paths]
        if terms:
            parts = _through_deltas(chains(terms), delta_values, factors, gradient.value, digits, carry)
        else:
            parts = ()
            if gradient.path_count:
                notes.append(sentence(lang, "many_paths", count=gradient.path_count))
        backward.append(Line(lhs, _stages(lhs, parts + (number(gradient.value, digits),))))
    updates = tuple(_update_line(graph, u, solution.learning_rate, names, graph.loss, digits, carry)
                    for u in step.updates if u.parameter in written)
    if solution.style == "matrix":
        deltas, backward, updates = (tuple(Line(lhs, _stages(lhs, parts)) for lhs, parts in part)
                                     for part in matrix.lines(solution, step, names, digits, carry))
        notes, written = [sentence(lang, "matrix")], set(graph.parameters)
    if len(written) < len(graph.parameters):
        notes.insert(0, sentence(lang, "summarised", count=len(graph.parameters), keep=KEEP))
    if step.kinks:
        notes.insert(0, sentence(lang, "kinks", math=("names",), names=", ".join(names[k] for k in step.kinks)))
    for kind in sorted(fused, reverse=True):
        notes.insert(0, sentence(lang, f"fused_{kind}"))
    if any(latex.INDICATOR in part for line in deltas + tuple(backward) for part in line.parts):
        notes.insert(0, sentence(lang, "indicator", math=("indicator",),
                                 indicator=latex.INDICATOR + r"\left[\cdot\right]"))
    notes[:0] = _saturated(graph, step.forward, names, digits, lang)
    heading = text(lang, "step", number=step.number) if many else ""
    level = 3 if many else 2  # under the title (1) and, with several steps, under "Step k" (2)
    return StepView(heading, forward, loss, deltas, tuple(backward), tuple(dict.fromkeys(notes)), updates,
                    level, level + 1)


def _backprop_order(graph, deltas):
    """Deltas as backpropagation reaches them: sample by sample, the last layer first, the
    units of a layer in index order (o1 before o2); a graph's in the engine's order."""
    position = {n.key: k for k, n in enumerate(graph.computed)}
    engine = {d.node: k for k, d in enumerate(deltas)}

    def key(d):
        node = graph.node(d.node)
        layer = node.layer or 0
        return (node.sample or 0, -layer, position[d.node] if layer else engine[d.node])

    return sorted(deltas, key=key)


def _saturated(graph, forward, names, digits, lang):
    """A note for each sigmoid or tanh whose shown value is its bound: the page then shows
    a derivative of 0, and the reader should know why."""
    notes = []
    for node in graph.computed:
        bounds = squashing_bounds(node.expr)
        shown = number(forward.values[node.key], digits) if bounds else None
        if bounds and shown in (number(b, digits) for b in bounds):
            notes.append(sentence(lang, "saturated", math=("name", "value"), name=names[node.key],
                                  function=node.expr.func.__name__, value=shown, digits=digits))
    return notes


class _Printed:
    """The numbers of one pass as a page prints them, at any number of digits: a given
    value as written (and exact), a computed one rounded (and the rounded value)."""

    def __init__(self, graph, a_pass):
        self.graph, self.values = graph, a_pass.values

    def _given(self, key):
        node = self.graph.node(key)
        return node.is_leaf and self.values[key] == exact(node.value)

    def text(self, key, digits):
        return latex.shown(self.graph.node(key), self.values[key], digits)

    def value(self, key, digits):
        return exact(self.graph.node(key).value) if self._given(key) else face(self.values[key], digits)

    def texts(self, expr, digits):
        return {s.name: self.text(s.name, digits) for s in expr.free_symbols}

    def face(self, expr, digits):
        """``expr`` evaluated with its numbers as printed at ``digits``, or None if undefined."""
        return _evaluate(expr.xreplace({s: self.value(s.name, digits) for s in expr.free_symbols}))


def _evaluate(value):
    if not value.is_Rational:
        value = value.evalf(40)
    if not value.is_number or not value.is_extended_real or not value.is_finite:
        return None
    return value


class _Readable(dict):
    """Each local derivative in the form a person writes it (``latex.readable``), made
    when a page first asks for it: a big network's page writes only a few."""

    def __init__(self, graph, local):
        super().__init__()
        self.graph, self.local = graph, local

    def __missing__(self, edge):
        self[edge] = latex.readable(self.local[edge], self.graph.node(edge[0]).expr)
        return self[edge]


class _Factors:
    """Local derivatives as a page writes them: the partial, the symbolic form, and the
    form with numbers (at any number of digits) with its value."""

    def __init__(self, graph, names, local, a_pass, digits, defined=False):
        self.graph, self.names, self.local = graph, names, local
        self.defined = defined  # write the row of partials with each definition put in
        self.fusions = {}
        self.shown = _Readable(graph, local)
        self.outputs = graph.function_outputs()
        self.printed = _Printed(graph, a_pass)
        self.plain = latex.Printer(names.tex)
        self.digits = digits
        self._reaches = {}

    def fused(self, found):
        """The links (loss, z) that are written as one factor, output - target."""
        self.fusions = found
        for (child, parent), (output, target) in found.items():
            self.shown[(child, parent)] = self.graph.node(output).symbol - self.graph.node(target).symbol

    def partial(self, f):
        if (f.child, f.parent) in self.fusions:
            return latex.partial(f.child, f.parent, self.names.tex)
        if self._ambiguous(f.child, f.parent):
            # the child uses the parent directly and through another node as well, so
            # "dchild/dparent" would also name the whole derivative: write the definition in
            return self.definition(f)
        return latex.partial(f.child, f.parent, self.names.tex)

    def definition(self, f):
        """The partial with the child's definition put in, as the seed post writes it:
        d(w5 a1 + w6 a2)/d a1, d(1/(1 + e^(-z1)))/d z1."""
        if (f.child, f.parent) in self.fusions:
            return self.partial(f)  # a loss through its output's activation: no one definition holds z
        node = self.graph.node(f.child)
        spelled = getattr(node.expr, "spelled_out", None)
        expr = spelled() if spelled else node.expr
        inner = latex.Printer(self.names.tex, written=() if spelled else node.written).doprint(expr)
        bracketed = expr.is_Symbol or expr.is_Function or (expr.is_Pow and expr.base.is_Add and expr.exp.is_positive)
        inner = inner if bracketed else rf"\left({inner}\right)"
        return rf"\frac{{\partial {inner}}}{{\partial {self.names[f.parent]}}}"

    def _ambiguous(self, child, parent):
        others = [p for p in self.graph.parents(child) if p != parent]
        return any(parent in self._ancestors(p) for p in others)

    def _ancestors(self, key):
        if key not in self._reaches:
            found = set()
            for p in self.graph.parents(key):
                found.add(p)
                found |= self._ancestors(p)
            self._reaches[key] = found
        return self._reaches[key]

    def sum(self, f):
        return self.shown[(f.child, f.parent)].is_Add

    def symbolic(self, f, alone=False):
        expr = self.shown[(f.child, f.parent)]
        return self.plain.doprint(expr) if alone else self.plain.factor(expr)

    def numbers(self, f, digits, alone=False):
        expr = self.shown[(f.child, f.parent)].xreplace(self.outputs)
        texts = self.printed.texts(expr, digits)
        expr, halves = _ties(expr, self.printed.values)
        texts.update((h.name, r"\frac{1}{2}") for h in halves)
        printer = latex.Printer(self.names.tex, texts)
        return ((printer.doprint(expr) if alone else printer.factor(expr)),
                self.printed.face(expr.xreplace(halves), digits))


def _ties(expr, values):
    """``expr`` with each indicator of a max or min that meets a tie (H(0) = 1/2) replaced
    by a symbol printed as 1/2: its numbers then give what was computed, where
    1[0.3 > 0.3] would read as 0. Returns (expr, {symbol: 1/2})."""
    halves = {}

    def tied(e):
        if not isinstance(e, sympy.Heaviside) or (e.args[1:] and e.args[1] in (0, 1)):
            return False
        return e.args[0].xreplace({s: values[s.name] for s in e.args[0].free_symbols}) == 0

    def half(e):
        mark = sympy.Symbol(f"\u00bd{len(halves)}")  # no spec name can be this
        halves[mark] = e.args[1] if e.args[1:] else sympy.S.Half
        return mark

    return expr.replace(tied, half), halves


def _delta_name(key, names):
    return rf"\delta_{{{names[key]}}}"


def _through_deltas(terms, delta_values, factors, value, digits, carry):
    """The stages of sum(delta_top * factors): partials, symbolic, numbers (computable)."""
    def alone(top, chain):  # a term of one factor needs no brackets, unless it is a sum among others
        return top is None and len(chain) == 1 and (len(terms) == 1 or not factors.sum(chain[0]))

    def stage(piece):
        return _sum([_product(([_delta_name(top, factors.names)] if top is not None else []) +
                              [piece(f, alone(top, chain)) for f in chain]) for top, chain in terms])

    def numbers(d):
        texts, total = [], sympy.Integer(0)
        for top, chain in terms:
            head = [] if top is None else [_signed(delta_values[top], d)]
            made = [factors.numbers(f, d, alone(top, chain)) for f in chain]
            texts.append(_product(head + [t for t, _ in made]))
            product = face(delta_values[top], d) if top is not None else sympy.Integer(1)
            for _, value in made:
                product = None if value is None or product is None else product * value
            total = None if product is None or total is None else total + product
        return _sum(texts), total

    defined = (stage(lambda f, bare: factors.definition(f)),) if factors.defined else ()
    return (stage(lambda f, bare: factors.partial(f)),) + defined + (
        stage(factors.symbolic), computable(value, numbers, digits, carry))


def _delta_line(delta, delta_values, loss, names, factors, digits, carry, chains):
    terms = chains([(top, path.factors) for top, path in delta.routes])
    lhs = _delta_name(delta.node, names)
    parts = (latex.partial(loss, delta.node, names.tex),) + _through_deltas(
        terms, delta_values, factors, delta.value, digits, carry) + (number(delta.value, digits),)
    return Line(lhs, _stages(lhs, parts))


def _loss_keys(graph):
    return [n.key for n in graph.computed if n.role in ("sample_loss", "loss")]


def _forward_blocks(graph, a_pass, names, digits, lang, carry, symbolic):
    blocks = []
    samples = range(1, graph.samples + 1) if graph.samples > 1 else [None]
    for s in samples:
        lines = tuple(_node_line(graph, n, a_pass, names, digits, carry, symbolic) for n in graph.computed
                      if n.sample == s and n.role not in ("sample_loss", "loss"))
        if lines:
            blocks.append(Block(text(lang, "sample", number=s) if s else "", lines))
    return tuple(blocks)


def _node_line(graph, node, a_pass, names, digits, carry, symbolic):
    # sigma(z1) = 1/(1 + e^{-z1}) = 1/(1 + e^{-0.21}): numbers go into a form a calculator knows
    spelled = getattr(node.expr, "spelled_out", None)
    shown = spelled() if spelled else node.expr
    # the spec's order of terms holds for what the spec wrote, not for a spelled-out form
    written = () if spelled else node.written
    stages = ((node.expr, node.written), (shown, written)) if symbolic else ()
    printed = _Printed(graph, a_pass)

    def numbers(d):
        return latex.substituted(shown, names.tex, printed.texts(shown, d), written), printed.face(shown, d)

    value = a_pass.values[node.key]
    parts = tuple(latex.symbolic(e, names.tex, order) for e, order in stages) + (
        computable(value, numbers, digits, carry), number(value, digits))
    return Line(names[node.key], _stages(names[node.key], parts))


def _update_line(graph, update, rate, names, loss, digits, carry):
    p = names[update.parameter]
    rule = rf"{p} - \eta \cdot {latex.partial(loss, update.parameter, names.tex)}"
    node = graph.node(update.parameter)

    def numbers(d):
        given = node.is_leaf and update.old == exact(node.value)
        old = exact(node.value) if given else face(update.old, d)
        text = rf"{latex.shown(node, update.old, d)} - {latex.written(rate)} \cdot {_signed(update.gradient, d)}"
        return text, old - rate * face(update.gradient, d)

    return Line(latex.primed(p), (rule, computable(update.new, numbers, digits, carry), number(update.new, digits)))


def _product(factors):
    """Factors joined by dots; a later factor that starts with a minus sign is bracketed."""
    texts = list(factors)
    return r" \cdot ".join([texts[0]] + [rf"\left({t}\right)" if t.startswith("-") else t for t in texts[1:]])


def _sum(terms):
    """Terms joined by + or, before a term that starts with a minus sign, by -."""
    text = ""
    for term in terms:
        if not text:
            text = term
        elif term.startswith("- "):
            text += " - " + term[2:]
        else:
            text += " + " + term
    return text


def _signed(value, digits):
    """A number as one factor of a product: bracketed when negative or in powers of ten."""
    shown = number(value, digits)
    return rf"\left({shown}\right)" if shown.startswith("-") or r"\times" in shown else shown


def _stages(lhs, parts):
    """The stages worth writing: none that repeats the one before it (a given number needs
    no `= 0.5 = 0.5`) or the left-hand side (a gradient of one factor is not `df/dx = df/dx`)."""
    kept = []
    for part in parts:
        if part != lhs and (not kept or kept[-1] != part):
            kept.append(part)
    return tuple(kept)
