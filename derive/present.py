"""Solution records -> view records of plain strings, ready for a template.

Each shown quantity becomes a ``Line``: a left-hand side and the stages a person writes
(symbolic = with numbers = result). Numbers are rounded here and only here, to
``digits`` significant digits; given values are shown exactly as given.
"""

from dataclasses import dataclass, replace

from . import latex
from .functions import squashing_bounds
from .latex import number
from .messages import CATALOGUE, text
from .values import exact, plain_decimal


@dataclass(frozen=True)
class Line:
    lhs: str
    parts: tuple          # right-hand sides, to be joined by " = "


@dataclass(frozen=True)
class Block:
    heading: str          # "" when the block needs none
    lines: tuple


@dataclass(frozen=True)
class StepView:
    heading: str
    forward: tuple        # Blocks, one per sample
    loss: tuple           # Lines
    deltas: tuple         # Lines: the shared upstream gradients (delta style), else ()
    backward: tuple       # Lines
    notes: tuple          # sentences under the backward pass
    updates: tuple        # Lines


FLAVORS = ("github", "kramdown", "katex", "mathjax")
LATEX = "latex"


class Math(str):
    """LaTeX that the product generated: the LaTeX templates print it unescaped."""


@dataclass(frozen=True)
class SolutionView:
    title: str
    flavor: str           # the Markdown flavour whose delimiters the template uses
    words: dict           # the catalogue's prose in the chosen language
    given: tuple          # (LaTeX name, value text) pairs
    steps: tuple
    after: tuple          # Blocks, or () without a learning rate
    loss_change: str
    notes: tuple


class Names:
    """LaTeX of every node key: its name as written or as [symbols] says, and its sample."""

    def __init__(self, graph):
        base = dict(graph.display)
        self.tex = {}
        for node in graph.nodes:
            name = base.get(node.name) or latex.plain_name(node.name, {})
            self.tex[node.key] = f"{name}^{{({node.sample})}}" if node.sample else name

    def __getitem__(self, key):
        return self.tex[key]


#: Above this many parameters a page writes out only each layer's first KEEP gradients and
#: updates (thousands of display lines help no one); ``full=True`` writes every one.
MAX_LISTED = 300
KEEP = 2


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


def view(solution, digits=4, lang=None, flavor="github", full=False):
    lang = lang or solution.lang
    graph = solution.graph
    names = Names(graph)
    given = tuple((names[n.key], plain_decimal(n.value)) for n in graph.leaves)
    if solution.learning_rate is not None:
        given += ((r"\eta" + r"\ \text{(" + text(lang, "learning_rate") + ")}", plain_decimal(solution.learning_rate)),)
    many = len(solution.steps) > 1
    written = listed(graph, full)
    steps = tuple(_step(solution, step, names, digits, lang, many, written) for step in solution.steps)
    after, change = (), ""
    if solution.after is not None:
        after = _forward_blocks(graph, solution.after, names, digits, lang, symbolic=False)
        after += (Block(text(lang, "loss"), tuple(_node_line(graph, graph.node(k), solution.after, names, digits, symbolic=False)
                                  for k in _loss_keys(graph))),)
        before, after_loss = solution.first.forward.loss, solution.after.loss
        shown = digits  # enough digits to see the change: 0.49514 to 0.49511, not 0.4951 to 0.4951
        while shown < 15 and number(before, shown) == number(after_loss, shown) and before != after_loss:
            shown += 1
        change = text(lang, "loss_down" if after_loss <= before else "loss_up", before=number(before, shown),
                      after=number(after_loss, shown))
    rounding = text(lang, "rounding_carried", digits=solution.carry) if solution.carry else text(
        lang, "rounding", digits=digits)
    notes = tuple(text(lang, n) for n in graph.notes) + (rounding,)
    result = SolutionView(solution.title, flavor, dict(CATALOGUE[lang]), given, steps, after, change, notes)
    return _for_flavor(result, flavor)


def _for_flavor(result, flavor):
    """Math that survives the site it is pasted into (DESIGN.md, output formats)."""

    def fix(tex):
        # a bare | ends a Markdown table cell; \lvert and \rvert print the same bars
        tex = tex.replace(r"\left|", r"\left\lvert ").replace(r"\right|", r"\right\rvert ")
        if flavor == "kramdown":  # Liquid reads {{ and {% as its own tags
            tex = tex.replace("{{", "{ {").replace("{%", "{ %")
        return Math(tex) if flavor == LATEX else tex

    def lines(items):
        return tuple(Line(fix(i.lhs), tuple(fix(p) for p in i.parts)) for i in items)

    def blocks(items):
        return tuple(replace(b, lines=lines(b.lines)) for b in items)

    return replace(
        result,
        title=_markdown_text(result.title, flavor) if flavor in FLAVORS else result.title,
        given=tuple((fix(name), value) for name, value in result.given),
        steps=tuple(replace(s, forward=blocks(s.forward), loss=lines(s.loss), deltas=lines(s.deltas),
                            backward=lines(s.backward),
                            updates=lines(s.updates)) for s in result.steps),
        after=blocks(result.after))


_MARKDOWN_SPECIALS = {"\\": "\\\\", "&": "&amp;", "<": "&lt;", ">": "&gt;", "`": "\\`", "*": "\\*", "_": "\\_",
                      "[": "\\[", "]": "\\]", "|": "\\|", "$": "\\$", "#": "\\#"}


def _markdown_text(text, flavor):
    """A spec's own words (its title) as plain Markdown text: no HTML, link, emphasis,
    math or, for Jekyll, Liquid tag can come out of them."""
    text = "".join(_MARKDOWN_SPECIALS.get(c, c) for c in text)
    if flavor == "kramdown":
        text = text.replace("{{", "{ {").replace("{%", "{ %")
    return text


def _step(solution, step, names, digits, lang, many, written):
    graph = solution.graph
    forward = _forward_blocks(graph, step.forward, names, digits, lang, symbolic=True)
    loss = tuple(_node_line(graph, graph.node(k), step.forward, names, digits, symbolic=True)
                 for k in _loss_keys(graph))
    shown = _shown_derivatives(graph, solution.locals)
    outputs = graph.function_outputs()
    backward, notes = [], []
    factor_text = _FactorText(graph, names, shown, outputs, step.forward, digits)
    delta_values = {d.node: d.value for d in step.deltas}
    deltas = tuple(_delta_line(d, delta_values, graph.loss, names, factor_text, digits)
                   for d in sorted(step.deltas, key=lambda d: graph.node(d.node).sample or 0))
    # backward, as backpropagation runs: the last layer's parameters first
    for gradient in sorted((g for g in step.gradients if g.parameter in written),
                           key=lambda g: -graph.node(g.parameter).layer):
        lhs = latex.partial(graph.loss, gradient.parameter, names.tex)
        if gradient.via:
            parts = _distinct(_through_deltas([(top, [f]) for top, f in gradient.via], delta_values, names,
                                              factor_text, digits)
                              + (number(gradient.value, digits),))
        elif gradient.paths:
            # a chain-rule path is a route from the loss with no delta above it
            parts = _distinct(_through_deltas([(None, p.factors) for p in gradient.paths], delta_values, names,
                                              factor_text, digits) + (number(gradient.value, digits),))
        else:
            parts = (number(gradient.value, digits),)
            if gradient.path_count:
                notes.append(text(lang, "many_paths", count=gradient.path_count))
        backward.append(Line(lhs, parts))
    updates = tuple(_update_line(u, solution.learning_rate, names, graph.loss, digits) for u in step.updates
                    if u.parameter in written)
    if solution.style == "matrix":
        from . import matrix

        deltas, backward, updates = (tuple(Line(lhs, _distinct(parts)) for lhs, parts in part)
                                     for part in matrix.lines(solution, step, names, digits))
        notes, written = [text(lang, "matrix")], set(graph.parameters)
    if len(written) < len(graph.parameters):
        notes.insert(0, text(lang, "summarised", count=len(graph.parameters), keep=KEEP))
    notes[:0] = _saturated(graph, step.forward, digits, lang)
    heading = text(lang, "step", number=step.number) if many else ""
    return StepView(heading, forward, loss, deltas, tuple(backward), tuple(dict.fromkeys(notes)), updates)


def _saturated(graph, forward, digits, lang):
    """A note for each sigmoid or tanh whose shown value is its bound: the page then shows
    a derivative of 0, and the reader should know why."""
    notes = []
    for node in graph.computed:
        bounds = squashing_bounds(node.expr)
        shown = number(forward.values[node.key], digits) if bounds else None
        if bounds and shown in (number(b, digits) for b in bounds):
            notes.append(text(lang, "saturated", name=node.name, function=node.expr.func.__name__, value=shown,
                              digits=digits))
    return notes


class _FactorText:
    """A local derivative as its partial, its symbolic form, and with numbers."""

    def __init__(self, graph, names, shown, outputs, a_pass, digits):
        self.graph, self.names, self.shown, self.outputs = graph, names, shown, outputs
        self.a_pass, self.digits = a_pass, digits
        self.plain = latex.Printer(names.tex)

    def partial(self, f):
        return latex.partial(f.child, f.parent, self.names.tex)

    def symbolic(self, f):
        return self.plain.factor(self.shown[(f.child, f.parent)])

    def numbers(self, f):
        return _substituted_factor(self.graph, self.shown[(f.child, f.parent)], self.outputs, self.names,
                                   self.a_pass, self.digits)


def _delta_name(key, names):
    return rf"\delta_{{{names[key]}}}"


def _through_deltas(terms, delta_values, names, factor_text, digits):
    """The three stages of sum(delta_top * factors): partials, symbolic, numbers."""
    stages = []
    for kind in ("partial", "symbolic", "numbers"):
        texts = []
        for top, factors in terms:
            head = []
            if top is not None:
                head = [_signed(delta_values[top], digits) if kind == "numbers" else _delta_name(top, names)]
            texts.append(_product(head + [getattr(factor_text, kind)(f) for f in factors]))
        stages.append(_sum(texts))
    return tuple(stages)


def _delta_line(delta, delta_values, loss, names, factor_text, digits):
    terms = [(top, path.factors) for top, path in delta.routes]
    parts = (latex.partial(loss, delta.node, names.tex),) + _through_deltas(terms, delta_values, names, factor_text,
                                                                        digits) + (number(delta.value, digits),)
    return Line(_delta_name(delta.node, names), _distinct(parts))


def _loss_keys(graph):
    return [n.key for n in graph.computed if n.role in ("sample_loss", "loss")]


def _forward_blocks(graph, a_pass, names, digits, lang, symbolic):
    blocks = []
    samples = range(1, graph.samples + 1) if graph.samples > 1 else [None]
    for s in samples:
        lines = tuple(_node_line(graph, n, a_pass, names, digits, symbolic) for n in graph.computed
                      if n.sample == s and n.role not in ("sample_loss", "loss"))
        if lines:
            blocks.append(Block(text(lang, "sample", number=s) if s else "", lines))
    return tuple(blocks)


def _numbers(graph, expr, a_pass, digits):
    """LaTeX of the number of every symbol in ``expr``: given values as given, others rounded."""
    numbers = {}
    for s in expr.free_symbols:
        node = graph.node(s.name)
        value = a_pass.values[s.name]
        given = node.is_leaf and value == exact(node.value)
        numbers[s.name] = plain_decimal(node.value) if given else number(value, digits)
    return numbers


def _node_line(graph, node, a_pass, names, digits, symbolic):
    # sigma(z1) = 1/(1 + e^{-z1}) = 1/(1 + e^{-0.21}): numbers go into a form a calculator knows
    spelled = getattr(node.expr, "spelled_out", None)
    shown = spelled() if spelled else node.expr
    stages = (node.expr, shown) if symbolic else ()
    parts = tuple(latex.symbolic(e, names.tex) for e in stages) + (
        latex.substituted(shown, names.tex, _numbers(graph, shown, a_pass, digits)),
        number(a_pass.values[node.key], digits))
    return Line(names[node.key], _distinct(parts))


def _update_line(update, rate, names, loss, digits):
    p = names[update.parameter]
    rule = rf"{p} - \eta \cdot {latex.partial(loss, update.parameter, names.tex)}"
    numbers = rf"{number(update.old, digits)} - {plain_decimal(rate)} \cdot {_signed(update.gradient, digits)}"
    return Line(latex.primed(p), (rule, numbers, number(update.new, digits)))


def _shown_derivatives(graph, local):
    """Each local derivative in the form a person writes it (see ``latex.readable``)."""
    return {edge: latex.readable(d, graph.node(edge[0]).expr) for edge, d in local.items()}


def _substituted_factor(graph, shown, outputs, names, a_pass, digits):
    expr = shown.xreplace(outputs)
    return latex.Printer(names.tex, _numbers(graph, expr, a_pass, digits)).factor(expr)


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
    shown = number(value, digits)
    return rf"\left({shown}\right)" if shown.startswith("-") else shown


def _distinct(parts):
    """Drop a stage that repeats the one before it (a given number needs no `= 0.5 = 0.5`)."""
    kept = []
    for part in parts:
        if not kept or kept[-1] != part:
            kept.append(part)
    return tuple(kept)
