"""Pictures of a solution, laid out: the network, the computational graph, the loss curve.

Everything is placed here, in one coordinate system of points (1/72 in), so that the SVG
and the TikZ templates only draw: a layered spec becomes a network (inputs, units and the
loss in columns, each weight on its wire); a graph spec becomes a circuit (each quantity
a box, each wire with its value above and its gradient below). The layout depends on the
graph alone, so the same spec always gives the same picture.

Beyond ``MAX_UNITS`` units a column shows its first and last units and one "n more" box;
beyond ``MAX_LABELLED`` wires the weights are left to the table of given values. Both
say so in the picture's notice.
"""

import re
from dataclasses import dataclass
from decimal import ROUND_CEILING, ROUND_FLOOR, Decimal

import sympy

from ..engine.network import layers_of
from ..languages import text
from ..numbers import rounded, written_text
from . import latex, present

#: Units a column shows in full; above this, the first FIRST and the last LAST, and a box.
MAX_UNITS = 10
FIRST, LAST = 7, 2
#: Wires that carry their weight's name and value; above this, none do.
MAX_LABELLED = 40
#: Distances, in points.
COLUMN, ROW, MARGIN, RADIUS = 150, 62, 40, 20
#: Where along a wire its label sits: near the start, where wires fan out.
LABEL_AT = 0.3
#: The width a printed picture may take, in points (an A4 page's text width).
TEXT_WIDTH = 470


@dataclass(frozen=True)
class Label:
    tex: str              # LaTeX, for TikZ
    runs: tuple           # ((text, "" | "sub" | "sup"), ...), for SVG


@dataclass(frozen=True)
class Box:
    key: str
    kind: str             # input, unit, output, loss, leaf, op, more
    name: Label
    value: Label          # the forward value, or empty
    extra: Label          # a second line: the bias, the operation, or empty
    x: float
    y: float
    radius: float = RADIUS
    shape: str = "circle"  # circle (a network's unit) or rect (a graph's quantity)

    # where each part is drawn: SVG places a text by its baseline, TikZ below an anchor
    @property
    def name_y(self):
        return self.y + 4

    @property
    def value_y(self):
        return self.y + self.radius + 13

    @property
    def extra_y(self):
        return self.y + self.radius + (25 if self.value.runs else 13)

    @property
    def value_top(self):
        return self.y + self.radius

    @property
    def extra_top(self):
        return self.y + self.radius + (11 if self.value.tex else 0)

    @property
    def left(self):
        return self.x - self.radius * 1.6

    @property
    def top(self):
        return self.y - self.radius

    @property
    def width(self):
        return self.radius * 3.2

    @property
    def height(self):
        return self.radius * 2

    @property
    def highlighted(self):
        return self.kind == "loss"


@dataclass(frozen=True)
class Wire:
    x1: float
    y1: float
    x2: float
    y2: float
    label: Label          # the weight (network) or the value (graph), or empty
    below: Label          # the gradient (graph), or empty
    lx: float             # where the labels go
    ly: float

    @property
    def label_y(self):
        return self.ly - 5

    @property
    def below_y(self):
        return self.ly + 14


@dataclass(frozen=True)
class Diagram:
    kind: str             # network or graph
    boxes: tuple
    wires: tuple
    width: float
    height: float
    radius: float
    caption: str          # what the picture shows, in the solution's language
    notice: str           # what was left out, or ""
    fit: float = 0        # the printed width it may take, in points (0: a page's text width)

    @property
    def scale(self):
        """Points of print per point of layout, so that the picture fits its width."""
        return round(min(0.8, (self.fit or TEXT_WIDTH) / self.width), 3)

    @property
    def wire_class(self):
        """A network's wires carry weights, a graph's carry values."""
        return "label" if self.kind == "network" else "value"

    # the printed sizes of a node, for TikZ
    @property
    def circle_size(self):
        return self.radius * 2 * self.scale

    @property
    def box_width(self):
        return self.radius * 3.2 * self.scale

    @property
    def box_height(self):
        return self.radius * 2 * self.scale


@dataclass(frozen=True)
class Curve:
    """The loss before each step and after the last, as a polyline with its axes."""

    points: tuple         # ((x, y), ...) in points, y downwards
    marks: tuple          # ((x, y, value text), ...) at the first and the last point
    xticks: tuple         # ((x, label), ...)
    yticks: tuple         # ((y, label), ...)
    width: float
    height: float
    left: float           # the plot area
    top: float
    right: float
    bottom: float
    history: tuple        # ((step, loss text), ...) for pgfplots
    caption: str
    xlabel: str
    ylabel: str
    yvalues: tuple        # the y ticks' values, for pgfplots (the labels are yticks' texts)
    xvalues: tuple        # the steps that carry a tick: whole numbers

    # the axes' ranges, for pgfplots
    @property
    def xmin(self):
        return self.xvalues[0]

    @property
    def xmax(self):
        return self.history[-1][0]

    @property
    def ymin(self):
        return self.yvalues[0]

    @property
    def ymax(self):
        return self.yvalues[-1]

    @property
    def tex_ylabels(self):
        """The y ticks' labels for TeX, which sets a minus sign from an ASCII hyphen in math."""
        return tuple(label.replace("\u2212", "-") for _, label in self.yticks)

    # where the axes' parts are drawn
    @property
    def tick_bottom(self):
        return self.bottom + 4

    @property
    def xlabel_y(self):
        return self.bottom + 16

    @property
    def tick_left(self):
        return self.left - 4

    @property
    def ylabel_x(self):
        return self.left - 7

    @property
    def yticks_at(self):
        """((y of the tick, y of its label's baseline, label), ...)."""
        return tuple((y, y + 4, label) for y, label in self.yticks)

    @property
    def axis_title_x(self):
        return ((self.left + self.right) / 2, self.height - 6)

    @property
    def axis_title_y(self):
        return (14, (self.top + self.bottom) / 2)

    @property
    def marks_at(self):
        """((x, y of the text, text, anchor), ...): the first value to the right, the last to the left."""
        return tuple((x, y - 7, text, "start" if k == 0 else "end") for k, (x, y, text) in enumerate(self.marks))


EMPTY = Label("", ())


def _label(tex):
    return Label(present.Math(tex), latex.text_segments(tex)) if tex else EMPTY


def _number(value, digits):
    """A value as text for a picture: 0.5523, −0.02032, 1.2×10⁻⁵."""
    shown = rounded(value, digits)
    if "e" in shown:
        mantissa, exponent = shown.split("e")
        shown = mantissa + "×10" + exponent.translate(str.maketrans("-0123456789", "⁻⁰¹²³⁴⁵⁶⁷⁸⁹"))
    return shown.replace("-", "−")


def _value_label(value, digits, given=False):
    tex = latex.written(value) if given else latex.number(value, digits)
    return Label(present.Math(tex), ((written_text(value).replace("-", "−") if given else _number(value, digits), ""),))


def diagram(solution, options, values=True):
    """The picture of ``solution``: a network for a layered spec, a circuit for a graph.

    With ``values=False`` only the given numbers are shown (a problem sheet's picture).
    """
    graph = solution.graph
    digits, lang = options.digits, options.language(solution.lang)
    if any(n.role == "weight" for n in graph.leaves):
        return _network(solution, digits, lang, values)
    return _circuit(solution, digits, lang, values, options.logarithm(solution.lang))


def _place(columns):
    """{key: (x, y)} for columns of keys, each column centred on the tallest."""
    tallest = max(len(c) for c in columns)
    places = {}
    for c, keys in enumerate(columns):
        for r, key in enumerate(keys):
            places[key] = (MARGIN + RADIUS + c * COLUMN, MARGIN + RADIUS + (r + (tallest - len(keys)) / 2) * ROW)
    width = 2 * (MARGIN + RADIUS) + (len(columns) - 1) * COLUMN
    height = 2 * (MARGIN + RADIUS) + (tallest - 1) * ROW
    return places, width, height


def _shown(keys):
    """The keys a column shows, with None standing for the box of those left out."""
    if len(keys) <= MAX_UNITS:
        return list(keys), 0
    return list(keys[:FIRST]) + [None] + list(keys[-LAST:]), len(keys) - FIRST - LAST


def _wire(a, b, label=EMPTY, below=EMPTY, at=LABEL_AT):
    (x1, y1), (x2, y2) = a, b
    return Wire(x1, y1, x2, y2, label, below, x1 + (x2 - x1) * at, y1 + (y2 - y1) * at)


def _network(solution, digits, lang, values):
    graph, step = solution.graph, solution.first
    names = present.Names(graph)
    first = 1 if graph.samples > 1 else None
    layers = layers_of(graph)
    inputs = list(layers[0].sources)
    units = [list(layer.units) for layer in layers]
    bias_of = {u: b for layer in layers for u, b in zip(layer.units, layer.biases or [None] * len(layer.units))}
    loss = next(n.key for n in graph.computed if n.role in ("loss", "sample_loss") and n.sample == first)
    columns, hidden = [], {}
    for keys in [inputs, *units, [loss]]:
        shown, more = _shown(keys)
        column = [k if k is not None else f"more:{len(columns)}" for k in shown]
        if more:
            hidden[f"more:{len(columns)}"] = more
        columns.append(column)
    places, width, height = _place(columns)
    a_pass = step.forward.values
    boxes = []
    for c, column in enumerate(columns):
        for key in column:
            x, y = places[key]
            if key in hidden:
                boxes.append(Box(key, "more", Label(present.Math(r"\vdots"), (("⋮", ""),)),
                                 Label(present.Math(f"+{hidden[key]}"), ((f"+{hidden[key]}", ""),)), EMPTY, x, y))
                continue
            node = graph.node(key)
            kind = "input" if c == 0 else "loss" if key == loss else "output" if c == len(columns) - 2 else "unit"
            given = node.is_leaf
            shown_value = _value_label(node.value if given else a_pass[key], digits, given) if (values or given) else EMPTY
            extra = EMPTY
            bias = bias_of.get(key)
            if bias is not None:
                extra = _label(f"{names[bias]} = {latex.written(graph.node(bias).value)}")
            boxes.append(Box(key, kind, _label(names[key]), shown_value, extra, x, y))
    wires = []
    edges = [(source, unit, weight) for layer in layers for unit, row in zip(layer.units, layer.weights)
             for source, weight in zip(layer.sources, row) if unit in places and source in places]
    edges += [(source, loss, None) for source in columns[-2] if source not in hidden]
    labelled = len(edges) <= MAX_LABELLED
    for source, target, weight in edges:
        label = EMPTY
        if weight is not None and labelled:
            label = _label(f"{names[weight]} = {latex.written(graph.node(weight).value)}")
        wires.append(_wire(places[source], places[target], label))
    notices = []
    if hidden:
        notices.append(text(lang, "picture_more", limit=MAX_UNITS))
    if not labelled and edges:
        notices.append(text(lang, "picture_unlabelled", count=len(edges)))
    caption = text(lang, "picture_network_given" if not values else
                   "picture_network_sample" if first else "picture_network")
    return Diagram("network", tuple(boxes), tuple(wires), width, height, RADIUS, caption, " ".join(notices))


def _circuit(solution, digits, lang, values, log):
    graph, step = solution.graph, solution.first
    names = present.Names(graph)
    depth = {}
    for node in graph.computed:
        depth[node.key] = 1 + max(depth.get(p, 0) for p in graph.parents(node.key) if not graph.node(p).is_leaf) \
            if any(not graph.node(p).is_leaf for p in graph.parents(node.key)) else 1
    for node in graph.leaves:  # a leaf stands just before its first use, as in a circuit
        uses = [depth[n.key] for n in graph.computed if node.key in graph.parents(n.key)]
        depth[node.key] = min(uses) - 1 if uses else 0
    columns = [[n.key for n in graph.nodes if depth[n.key] == d] for d in range(max(depth.values()) + 1)]
    columns.append(["out"])
    places, width, height = _place(columns)
    a_pass = step.forward.values
    boxes = []
    for node in graph.nodes:
        x, y = places[node.key]
        extra = EMPTY if node.is_leaf else Label(
            present.Math(latex.logarithm(latex.symbolic(node.expr, names.tex, node.written), log)),
            ((_plain_expr(node.expr, log), ""),))
        boxes.append(Box(node.key, "leaf" if node.is_leaf else "op", _label(names[node.key]), EMPTY, extra, x, y,
                         shape="rect"))
    wires = []
    parameters = set(graph.parameters)
    for node in graph.computed:
        for parent in graph.parents(node.key):
            wires.append(_circuit_wire(graph, places[parent], places[node.key], parent, a_pass, step.adjoints,
                                       digits, values, parent in parameters))
    out = _circuit_wire(graph, places[graph.loss], places["out"], graph.loss, a_pass, step.adjoints, digits, values,
                        True)
    wires.append(out)
    return Diagram("graph", tuple(boxes), tuple(wires), width - COLUMN / 2, height, RADIUS,
                   text(lang, "picture_graph" if values else "picture_graph_given"), "")


def _circuit_wire(graph, a, b, key, a_pass, adjoints, digits, values, gradient):
    node = graph.node(key)
    shown = node.is_leaf or values
    value = _value_label(node.value if node.is_leaf else a_pass[key], digits, node.is_leaf) if shown else EMPTY
    below = _value_label(adjoints[key], digits) if values and (gradient or not node.is_leaf) else EMPTY
    (x1, y1), (x2, y2) = a, b
    if b[0] - a[0] > COLUMN:  # the output wire ends halfway to the next column
        x2 = x1 + COLUMN / 2
    return _wire((x1, y1), (x2, y2), value, below, at=0.5)


def _plain_expr(expr, log):
    text = str(expr).replace("**", "^").replace("*", "·").replace("-", "−")
    return re.sub(r"\blog\(", "ln(", text) if log == "ln" else text


def nice_ticks(low, high, count=5):
    """Tick values in steps of 1, 2 or 5 times a power of ten that cover [low, high], as
    exact Decimals: about ``count`` of them, the first at or below ``low``, the last at or
    above ``high``."""
    low, high = Decimal(str(sympy.Float(low, 30))), Decimal(str(sympy.Float(high, 30)))
    if high == low:
        spread = abs(high) / 10 or Decimal(1)
        low, high = low - spread, high + spread
    raw = (high - low) / (count - 1)
    power = Decimal(1).scaleb(raw.adjusted())
    step = next(m * power for m in (1, 2, 5, 10) if m * power >= raw)
    first = (low / step).to_integral_value(rounding=ROUND_FLOOR) * step
    last = (high / step).to_integral_value(rounding=ROUND_CEILING) * step
    ticks, value = [], first
    while value <= last:
        ticks.append(value)
        value += step
    return tuple(ticks)


def _tick_text(value):
    text = format(value.normalize(), "f") if value else "0"
    return text.replace("-", "−")


def curve(solution, options):
    """The loss curve of a solution with several steps, or None."""
    digits, lang = options.digits, options.language(solution.lang)
    history = solution.history
    if len(history) < 3:
        return None
    width, height = 420.0, 240.0
    left, top, right, bottom = 64.0, 20.0, width - 20.0, height - 40.0
    yticks = nice_ticks(min(history), max(history))
    low, high = yticks[0], yticks[-1]
    n = len(history) - 1
    xstep = next(m for m in (1, 2, 5, 10, 20, 50, 100, 200, 500, 1000) if n / m <= 10)

    def at(k, value):
        return (round(left + (right - left) * k / n, 2),
                round(bottom - (bottom - top) * float((Decimal(str(sympy.Float(value, 30))) - low) / (high - low)), 2))

    points = tuple(at(k, v) for k, v in enumerate(history))
    marks = tuple((*points[k], _number(history[k], digits)) for k in (0, n))
    xticks = tuple((at(k, low)[0], str(k)) for k in range(0, n + 1, xstep))
    ytick_places = tuple((at(0, v)[1], _tick_text(v)) for v in yticks)
    table = tuple((k, rounded(v, 10)) for k, v in enumerate(history))
    return Curve(points, marks, xticks, ytick_places, width, height, left, top, right, bottom, table,
                 text(lang, "picture_curve"), text(lang, "picture_step"), text(lang, "loss"),
                 tuple(str(v) for v in yticks), tuple(range(0, n + 1, xstep)))
