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
from .placement import Board, Rect, text_width

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
#: Printed, a picture is scaled to at least PRINT_LEAST if the page is wide enough (its 10 pt
#: labels at 6 pt), and left out below PRINT_FLOOR (4 pt labels are no longer read).
PRINT_LEAST, PRINT_FLOOR = 0.6, 0.4
#: Font sizes of the pictures' texts, in points (the SVG style's and the layout's).
LABEL_SIZE, VALUE_SIZE, EXTRA_SIZE, NAME_SIZE = 10, 11, 10, 13
#: The least a page may shrink a picture to fit a narrow screen (a phone's): its 10 px labels
#: stay 8 px, and the page scrolls the picture sideways instead of shrinking it further.
LEAST_SCALE = 0.8
#: A label's baseline below the point it is centred on (a third of its height), and a
#: gradient's baseline below its wire's point.
DROP, GRADIENT_DROP = 3.5, 10.5
#: The curve's tick labels' font size.
TICK_SIZE = 10
#: The height of a lane that a wire skipping columns runs in, above the nodes.
LANE = 34
#: A legend line's height.
LEGEND_LINE = 18
#: The room a label keeps from a node's outline.
NODE_CLEAR = 4
#: Where a circuit's output wire ends: no node's key (keys are names; this has a space).
OUTPUT_END = " output end"


#: How far a superscript is raised and a subscript lowered, in em of the text around them;
#: a script is set at SCRIPT of that size.
RAISE, LOWER, SCRIPT = 0.375, 0.26, 0.75


@dataclass(frozen=True)
class Label:
    tex: str              # LaTeX, for TikZ
    runs: tuple           # ((text, "" | "sub" | "sup"), ...), for SVG

    @property
    def spans(self):
        """((text, class, dy), ...): each run with the vertical move that puts it in place,
        in em of its own size (explicit moves, which every SVG renderer follows)."""
        made, now = [], 0.0
        for piece, shift in self.runs:
            at = -RAISE if shift == "sup" else LOWER if shift == "sub" else 0.0
            own = SCRIPT if shift else 1.0
            made.append((piece, shift or "base", f"{(at - now) / own:.3f}em"))
            now = at
        return tuple(made)

    def extent(self, size):
        """(above, below) the baseline, in points, at font ``size``."""
        shifts = {shift for _, shift in self.runs}
        return (size * (0.8 + (RAISE if "sup" in shifts else 0.0)),
                size * (0.25 + (LOWER if "sub" in shifts else 0.0)))


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

    def rects(self):
        """What the node occupies: its outline, and the value and extra lines under it."""
        half = self.radius * (1.6 if self.shape == "rect" else 1.0)
        pad = NODE_CLEAR  # a label keeps off the outline, not only out of it
        made = [Rect(self.x - half - pad, self.y - self.radius - pad, self.x + half + pad, self.y + self.radius + pad)]
        for label, baseline, size in ((self.value, self.value_y, VALUE_SIZE), (self.extra, self.extra_y, EXTRA_SIZE)):
            if label.runs:
                width = text_width(label.runs, size)
                above, below = label.extent(size)
                made.append(Rect(self.x - width / 2, baseline - above, self.x + width / 2, baseline + below))
        return made


@dataclass(frozen=True)
class Wire:
    x1: float
    y1: float
    x2: float
    y2: float
    label: Label          # the weight (network) or the value (graph), or empty
    below: Label          # the gradient (graph), or empty
    lx: float             # where the labels go: the centre of the label (network), or the
    ly: float             # point between the value above and the gradient below (graph)
    bends: tuple = ()     # the points a wire routed around other nodes passes through
    plates: tuple = ()    # the white ground under each text that stands on the wire

    @property
    def path(self):
        """Every point of the wire, start to end."""
        return ((self.x1, self.y1), *self.bends, (self.x2, self.y2))

    @property
    def svg_points(self):
        return " ".join(f"{x},{y}" for x, y in self.path)

    @property
    def label_y(self):
        """The label's baseline: centred on the point, or just above it over a gradient."""
        return self.ly + _baseline(self.below)

    @property
    def below_y(self):
        return self.ly + GRADIENT_DROP


@dataclass(frozen=True)
class Legend:
    marker: str           # what stands on the wire
    label: Label          # what it stands for
    x: float
    y: float              # the baseline
    below: Label = None   # a graph wire's gradient, after its value


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
    legend: tuple = ()    # Legend lines under the picture, for labels no wire had room for
    too_wide: str = ""    # what a PDF says in its place when it is too wide to print legibly

    @property
    def scale(self):
        """Points of print per point of layout, so that the picture fits its width; a
        picture that would come out smaller than PRINT_LEAST takes up to the page's width."""
        scale = min(0.8, (self.fit or TEXT_WIDTH) / self.width)
        if scale < PRINT_LEAST:
            scale = min(PRINT_LEAST, TEXT_WIDTH / self.width)
        return round(scale, 3)

    @property
    def printable(self):
        """Whether its printed texts stay legible: a picture too wide for that is left out
        of a PDF (the SVG, PNG and HTML show it at full size, scrolled)."""
        return self.scale >= PRINT_FLOOR

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

    # the printed font sizes, (size, leading) in points: the layout's sizes at the picture's
    # scale, so that the printed picture is the laid-out one made smaller, every text in place
    def _printed(self, size):
        return round(size * self.scale, 2), round(size * self.scale * 1.2, 2)

    @property
    def name_pt(self):
        return self._printed(NAME_SIZE)

    @property
    def label_pt(self):
        return self._printed(LABEL_SIZE if self.kind == "network" else VALUE_SIZE)

    @property
    def value_pt(self):
        return self._printed(VALUE_SIZE)

    @property
    def extra_pt(self):
        return self._printed(EXTRA_SIZE)


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
    rows: tuple           # ((step, loss as LaTeX), ...): the table beside the PDF's curve

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
        return tuple((x + 5 if k == 0 else x - 5, y - 7, text, "start" if k == 0 else "end")
                     for k, (x, y, text) in enumerate(self.marks))


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


def _place(columns, gaps=None, row=ROW):
    """{key: (x, y)} for columns of keys, each column centred on the tallest; ``gaps`` are
    the distances between neighbouring columns (COLUMN each by default)."""
    gaps = list(gaps or [COLUMN] * (len(columns) - 1))
    tallest = max(len(c) for c in columns)
    places, x = {}, MARGIN + RADIUS
    for c, keys in enumerate(columns):
        for r, key in enumerate(keys):
            places[key] = (x, MARGIN + RADIUS + (r + (tallest - len(keys)) / 2) * row)
        x += gaps[c] if c < len(gaps) else 0
    width = 2 * (MARGIN + RADIUS) + sum(gaps)
    height = 2 * (MARGIN + RADIUS) + (tallest - 1) * row
    return places, width, height


def _shown(keys):
    """The keys a column shows, with None standing for the box of those left out."""
    if len(keys) <= MAX_UNITS:
        return list(keys), 0
    return list(keys[:FIRST]) + [None] + list(keys[-LAST:]), len(keys) - FIRST - LAST


def _placed(paths, labels, boxes, height, prefer, belows=None, size=LABEL_SIZE):
    """The wires with each label placed clear of the others (placement.Board), and the
    legend of those that had no room, under the picture; and the picture's new height.
    Labels are placed widest first; those that found no room are then tried first, and
    the arrangement that leaves the fewest to the legend is kept."""
    belows = belows or [EMPTY] * len(paths)
    wanted = [k for k in range(len(paths)) if labels[k].runs or belows[k].runs]
    order = sorted(wanted, key=lambda k: -max(text_width(labels[k].runs, size), text_width(belows[k].runs, VALUE_SIZE)))
    best = None
    for _ in range(4):
        spots, missed = _attempt(paths, labels, belows, boxes, prefer, size, order)
        if best is None or len(missed) < len(best[1]):
            best = (spots, missed)
        if not missed:
            break
        order = missed + [k for k in order if k not in missed]
    spots, missed = best
    board = Board(paths)
    for box in boxes:
        for rect in box.rects():
            board.take(rect)
    for k, spot in spots.items():
        board.take(spot[1])
    labels, belows, legend = list(labels), list(belows), []
    for k in sorted(missed):  # no room on the wire: a marker there, the labels in the legend
        marker = f"[{len(legend) + 1}]"
        legend.append((marker, labels[k], belows[k]))
        labels[k] = Label(present.Math(r"\text{" + marker + "}"), ((marker, ""),))
        belows[k] = EMPTY
        found = board.place(paths[k], _label_box(labels[k], EMPTY, size), prefer)
        spots[k] = (found or _point(paths[k], prefer), None)
    wires = []
    for k, path in enumerate(paths):
        (x1, y1), (x2, y2) = path[0], path[-1]
        lx, ly = spots[k][0] if k in spots else _point(path, prefer)
        wires.append(Wire(x1, y1, x2, y2, labels[k], belows[k], lx, ly, tuple(path[1:-1]),
                          _plates(labels[k], belows[k], size, lx, ly)))
    lines = tuple(Legend(marker, label, MARGIN, height + (n + 0.5) * LEGEND_LINE, below if below.runs else None)
                  for n, (marker, label, below) in enumerate(legend))
    return wires, lines, height + len(lines) * LEGEND_LINE


def _attempt(paths, labels, belows, boxes, prefer, size, order):
    """One greedy pass in ``order``: ({wire: ((x, y), rect)}, [wires with no room])."""
    board = Board(paths)
    for box in boxes:
        for rect in box.rects():
            board.take(rect)
    spots, missed = {}, []
    for k in order:
        spot = board.place(paths[k], _label_box(labels[k], belows[k], size), prefer)
        if spot is None:
            missed.append(k)
        else:
            spots[k] = (spot, board.rects[-1])
    return spots, missed


def _label_box(label, below, size):
    """(left, top, right, bottom) of a wire's labels around their point: a label alone is
    centred on its wire (the baseline 3.5 below the point); a value sits above the wire and
    the gradient below it."""
    half = max(text_width(label.runs, size), text_width(below.runs, VALUE_SIZE)) / 2 + 1.5
    if below.runs:
        return (-half, -DROP - sum(label.extent(size)) - 1, half, GRADIENT_DROP + below.extent(VALUE_SIZE)[1] + 1)
    up, down = label.extent(size)
    return (-half, DROP - up - 1, half, DROP + down + 1)


def _baseline(below):
    """A wire label's baseline below its point: centred on the wire, or above it over a gradient."""
    return -DROP if below.runs else DROP


def _plates(label, below, size, x, y):
    """The white ground under each text on a wire, as tight as the text: the wire shows
    between a value and its gradient and is hidden only where a text stands."""
    made = []
    for shown, own, baseline in ((label, size, _baseline(below)), (below, VALUE_SIZE, GRADIENT_DROP)):
        if shown.runs:
            half = text_width(shown.runs, own) / 2 + 1.5
            up, down = shown.extent(own)
            made.append(Rect(round(x - half, 2), round(y + baseline - up - 0.5, 2),
                             round(x + half, 2), round(y + baseline + down + 0.5, 2)))
    return tuple(made)


def _point(path, t):
    """The point a fraction ``t`` along a straight wire, or midway along a routed wire's
    longest part."""
    (x1, y1), (x2, y2) = path if len(path) == 2 else max(zip(path, path[1:]), key=_length)
    t = t if len(path) == 2 else 0.5
    return x1 + (x2 - x1) * t, y1 + (y2 - y1) * t


def _length(segment):
    (x1, y1), (x2, y2) = segment
    return ((x2 - x1) ** 2 + (y2 - y1) ** 2) ** 0.5


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
    # a gap whose wires carry labels is as wide as they need: about one label's width a wire
    # beyond the first few, so that each finds a place of its own
    drawn = {k for column in columns for k in column if k not in hidden}
    edges = [(source, unit, weight) for layer in layers for unit, row in zip(layer.units, layer.weights)
             for source, weight in zip(layer.sources, row) if unit in drawn and source in drawn]
    edges += [(source, loss, None) for source in columns[-2] if source not in hidden]
    wired = [len(a) * len(b) for a, b in zip(columns, columns[1:])]
    unlabelled = len(edges) > MAX_LABELLED  # then no wire carries a label: no gap needs room
    gaps = [COLUMN if n <= 4 or unlabelled else min(COLUMN + 14 * (n - 4), 3 * COLUMN) for n in wired]
    # a unit with a bias has a third line under it: the rows make room for it
    biased = any(bias_of.get(k) is not None for column in columns for k in column)
    places, width, height = _place(columns, gaps, ROW + (EXTRA_SIZE + 4 if biased else 0))
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
    labelled = not unlabelled
    labels = [_label(f"{names[weight]} = {latex.written(graph.node(weight).value)}")
              if weight is not None and labelled else EMPTY for _, _, weight in edges]
    wires, legend, height = _placed([[places[a], places[b]] for a, b, _ in edges], labels, boxes, height,
                                    prefer=LABEL_AT)
    notices = []
    if hidden:
        notices.append(text(lang, "picture_more", limit=MAX_UNITS))
    if not labelled and edges:
        notices.append(text(lang, "picture_unlabelled", count=sum(1 for n in graph.leaves if n.role == "weight")))
    caption = text(lang, "picture_network_given" if not values else
                   "picture_network_sample" if first else "picture_network")
    return Diagram("network", tuple(boxes), tuple(wires), width, height, RADIUS, caption, " ".join(notices),
                   legend=legend, too_wide=text(lang, "picture_too_wide"))


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
    columns.append([OUTPUT_END])
    places, width, height = _place(columns)
    column_of = {key: c for c, keys in enumerate(columns) for key in keys}
    parameters = set(graph.parameters)
    ends = [(parent, node.key, parent in parameters) for node in graph.computed for parent in graph.parents(node.key)]
    ends.append((graph.loss, OUTPUT_END, True))
    # a wire that skips a column runs above the nodes between, in a lane of its own
    lanes, routes = [], {}
    for parent, child, _ in sorted(ends, key=lambda e: column_of[e[1]] - column_of[e[0]]):
        first, last = column_of[parent], column_of[child]
        if child == OUTPUT_END or last - first < 2:
            continue
        lane = next((k for k, taken in enumerate(lanes) if all(last <= a or first >= b for a, b in taken)), None)
        if lane is None:
            lanes.append([])
            lane = len(lanes) - 1
        lanes[lane].append((first, last))
        routes[(parent, child)] = lane
    top = min(y for _, y in places.values()) - RADIUS
    lift = LANE * len(lanes)  # room above the nodes for the lanes
    places = {k: (x, y + lift) for k, (x, y) in places.items()}
    height += lift
    a_pass = step.forward.values
    boxes = []
    for node in graph.nodes:
        x, y = places[node.key]
        extra = EMPTY if node.is_leaf else Label(
            present.Math(latex.logarithm(latex.symbolic(node.expr, names.tex, node.written), log)),
            ((_plain_expr(node.expr, log), ""),))
        boxes.append(Box(node.key, "leaf" if node.is_leaf else "op", _label(names[node.key]), EMPTY, extra, x, y,
                         shape="rect"))
    segments, values_, gradients = [], [], []
    for parent, child, gradient in ends:
        (x1, y1), (x2, y2) = places[parent], places[child]
        if child == OUTPUT_END:  # the output wire runs on for most of a column, room for its labels
            x2 = x1 + COLUMN * 0.8
        path = [(x1, y1), (x2, y2)]
        if (parent, child) in routes:
            lane_y = top + lift - LANE * (routes[(parent, child)] + 0.5)
            path = [(x1, y1), (x1 + COLUMN / 3, lane_y), (x2 - COLUMN / 3, lane_y), (x2, y2)]
        value, below = _circuit_labels(graph, parent, a_pass, step.adjoints, digits, values, gradient)
        segments.append(path)
        values_.append(value)
        gradients.append(below)
    wires, legend, height = _placed(segments, values_, boxes, height, prefer=0.5, belows=gradients, size=VALUE_SIZE)
    return Diagram("graph", tuple(boxes), tuple(wires), width - COLUMN * 0.2, height, RADIUS,
                   text(lang, "picture_graph" if values else "picture_graph_given"), "", legend=legend,
                   too_wide=text(lang, "picture_too_wide"))


def _circuit_labels(graph, key, a_pass, adjoints, digits, values, gradient):
    """A circuit wire's value (above) and gradient (below)."""
    node = graph.node(key)
    shown = node.is_leaf or values
    value = _value_label(node.value if node.is_leaf else a_pass[key], digits, node.is_leaf) if shown else EMPTY
    below = _value_label(adjoints[key], digits) if values and (gradient or not node.is_leaf) else EMPTY
    return value, below


def _plain_expr(expr, log):
    """A node's expression as a short line under its box, in the page's function names."""
    text = str(expr).replace("**", "^").replace("*", "·").replace("-", "−")
    text = re.sub(r"\b(Max|Min|Abs|Heaviside)\(", lambda m: {"Heaviside": "step"}.get(m.group(1), m.group(1).lower()) + "(",
                  text)
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
    yticks = nice_ticks(min(history), max(history))
    # the plot starts right of the widest tick label, which stands right of the axis title
    widest = max(text_width(((_tick_text(v), ""),), TICK_SIZE) for v in yticks)
    width, height = 420.0, 240.0
    left, top, right, bottom = max(64.0, 30.0 + widest + 10), 20.0, width - 20.0, height - 40.0
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
    # the numbers beside the PDF's curve: at each tick, and the last one
    listed = sorted(set(range(0, n + 1, xstep)) | {n})
    rows = tuple((k, latex.number(history[k], digits)) for k in listed)
    return Curve(points, marks, xticks, ytick_places, width, height, left, top, right, bottom, table,
                 text(lang, "picture_curve"), text(lang, "picture_step"), text(lang, "loss"),
                 tuple(str(v) for v in yticks), tuple(range(0, n + 1, xstep)), rows)
