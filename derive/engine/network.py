"""A layered network, turned into equations: from here on it is an ordinary graph.

Layer l, unit j computes ``z_j = sum_i w_ji in_i (+ b_j)`` and ``a_j = f(z_j)``; an
identity layer has one node per unit (the weighted sum is its output). Terms are kept in
the order a person writes them (``w1 x1 + w3 x2``). With several samples, every node that
depends on a sample is copied once per sample (key ``name#s``); the parameters are shared,
and the loss is the mean or the sum of the samples' losses.
"""

import re
from dataclasses import dataclass

import sympy

from ..errors import SpecError
from ..reading.expressions import symbol
from ..reading.spec import unit_names
from ..registry.functions import ACTIVATIONS, FUNCTIONS
from ..registry.losses import LOSSES, fraction
from .graph import Node, assemble


def lower(spec):
    """The ``Graph`` of a ``[network]`` spec."""
    net, source = spec.network, spec.source
    many = len(net.samples) > 1
    names = _Names(source)
    display = []

    def key(name, s):
        return f"{name}#{s}" if many else name

    leaves, parameters = [], []
    for s, sample in enumerate(net.samples, 1):
        base = f"network.samples[{s}]" if many else "network"
        for part, kind in (("inputs", "input"), ("targets", "target")):
            for name, value in getattr(sample, part):
                if s == 1:
                    names.claim(name, f"{base}.{part}.{name}")
                leaves.append(Node(key(name, s), name, s if many else None, kind, kind, f"{base}.{part}.{name}",
                                   value=value))
    layer_names = []
    for l, layer in enumerate(net.layers, 1):
        where = f"network.layers[{l}]"
        units, width = len(layer.weights), len(layer.weights[0])
        wide = max(units, width) > 9
        weights, layer_parameters = [], []
        for j in range(units):
            row = []
            for i in range(width):
                if layer.weight_names:
                    name, at = layer.weight_names[j][i], f"{where}.weight_names[{j + 1}][{i + 1}]"
                else:
                    name, at = f"w{l}_{j + 1}_{i + 1}", f"{where}.weights[{j + 1}][{i + 1}]"
                    display.append((name, f"w^{{({l})}}_{{{j + 1}{',' if wide else ''}{i + 1}}}"))
                names.claim(name, at)
                row.append(name)
                layer_parameters.append(Node(name, name, None, "parameter", "weight", at, value=layer.weights[j][i],
                                             layer=l))
            weights.append(row)
        # a reader expects w1, w2, w3 whichever way the matrix is written
        layer_parameters.sort(key=lambda n: _natural(n.name))
        leaves.extend(layer_parameters)
        parameters.extend(n.key for n in layer_parameters)
        biases = None
        if layer.bias is not None:
            biases = []
            for j in range(units):
                if layer.bias_names:
                    name, at = layer.bias_names[j], f"{where}.bias_names[{j + 1}]"
                else:
                    name, at = f"b{l}_{j + 1}", f"{where}.bias[{j + 1}]"
                    display.append((name, f"b^{{({l})}}_{{{j + 1}}}"))
                if name not in biases:  # a repeated bias name is one shared parameter
                    names.claim(name, at)
                    parameters.append(name)
                    leaves.append(Node(name, name, None, "parameter", "bias", at, value=layer.bias[j], layer=l))
                biases.append(name)
        pre, post = _unit_names(layer, l, units, display)
        for j in range(units):
            if layer.activation != "identity":
                names.claim(pre[j], f"{where}.pre_names[{j + 1}]" if layer.pre_names else where)
            names.claim(post[j], f"{where}.post_names[{j + 1}]" if layer.post_names else where)
        layer_names.append((weights, biases, pre, post))

    computed = []
    loss_parts = []
    for s, sample in enumerate(net.samples, 1):
        sample_no = s if many else None
        inputs = [key(n, s) for n, _ in sample.inputs]
        for l, (layer, (weights, biases, pre, post)) in enumerate(zip(net.layers, layer_names), 1):
            where = f"network.layers[{l}]"
            sums = []
            for j, row in enumerate(weights):
                terms = [sympy.Mul(symbol(w), symbol(x), evaluate=False) for w, x in zip(row, inputs)]
                if biases:
                    terms.append(symbol(biases[j]))
                sums.append(sympy.Add(*terms, evaluate=False) if len(terms) > 1 else terms[0])
            if layer.activation == "identity":
                outs = [Node(key(post[j], s), post[j], sample_no, "computed", "post", where, expr=sums[j], layer=l)
                        for j in range(len(sums))]
                computed.extend(outs)
            else:
                zs = [Node(key(pre[j], s), pre[j], sample_no, "computed", "pre", where, expr=sums[j], layer=l)
                      for j in range(len(sums))]
                computed.extend(zs)
                activations = _activate(layer, [z.symbol for z in zs])
                outs = [Node(key(post[j], s), post[j], sample_no, "computed", "post", where, expr=activations[j],
                             layer=l) for j in range(len(sums))]
                computed.extend(outs)
            inputs = [n.key for n in outs]
        targets = [symbol(key(n, s)) for n, _ in sample.targets]
        outputs = [symbol(k) for k in inputs]
        loss = _loss(net, targets, outputs, sample, [n.name for n in outs])
        loss_key = key(spec.loss_name, s) if many else spec.loss_name
        if s == 1:
            names.claim(spec.loss_name, "loss_name")
        computed.append(Node(loss_key, spec.loss_name, sample_no, "computed", "sample_loss" if many else "loss",
                             "network.loss", expr=loss))
        loss_parts.append(symbol(loss_key))
    if many:
        total = sympy.Add(*loss_parts, evaluate=False)
        if net.reduction == "mean":
            total = sympy.Mul(fraction(len(loss_parts)), total, evaluate=False)
        computed.append(Node(spec.loss_name, spec.loss_name, None, "computed", "loss", "network.reduction",
                             expr=total))
    last = ACTIVATIONS.get(net.layers[-1].activation)
    notes = ("perceptron",) if last is not None and last.last_only else ()
    return assemble(source, leaves, computed, spec.loss_name, parameters, samples=len(net.samples),
                    display=tuple(display) + spec.symbols, notes=notes)


def _natural(name):
    return [int(part) if part.isdigit() else part for part in re.split(r"(\d+)", name)]


class _Names:
    """Each name names one thing; the second use is an error that names both places."""

    def __init__(self, source):
        self.source = source
        self.seen = {}

    def claim(self, name, where):
        if name in self.seen:
            raise SpecError(f"{self.source}: {where}: the name {name!r} is defined twice (also at {self.seen[name]})")
        self.seen[name] = where


def _unit_names(layer, l, units, display):
    pre, post = unit_names(layer, l)
    if not layer.pre_names and layer.activation != "identity":
        display.extend((f"z{l}_{j}", f"z^{{({l})}}_{{{j}}}") for j in range(1, units + 1))
    if not layer.post_names:
        display.extend((f"a{l}_{j}", f"a^{{({l})}}_{{{j}}}") for j in range(1, units + 1))
    return pre, post


def _activate(layer, zs):
    """The layer's activation applied to its weighted sums, as the registry describes it:
    a function of each unit (with the layer's options, such as leaky_relu's slope), the
    softmax of the layer, or the spec's own expression in x."""
    if layer.activation == "custom":
        x = symbol("x")
        return [layer.custom.xreplace({x: z}) for z in zs]
    entry = ACTIVATIONS[layer.activation]
    if not entry.function:  # softmax: each unit over the whole layer
        total = sympy.Add(*[sympy.exp(z) for z in zs], evaluate=False) if len(zs) > 1 else sympy.exp(zs[0])
        return [sympy.exp(z) / total for z in zs]
    options = [getattr(layer, key) for key, _ in entry.options]
    return [FUNCTIONS[entry.function](z, *options) for z in zs]


def _loss(net, targets, outputs, sample, output_names):
    if net.loss == "custom":
        mapping = {symbol(n): t for (n, _), t in zip(sample.targets, targets)}
        mapping.update({symbol(n): o for n, o in zip(output_names, outputs)})
        return net.loss_expr.xreplace(mapping)
    return LOSSES[net.loss].build(list(zip(targets, outputs)))


@dataclass(frozen=True)
class Layering:
    """One layer of a lowered network, as the matrices a textbook writes."""

    number: int            # 1-based
    units: tuple           # keys of the units' outputs (a), one per unit
    sums: tuple            # keys of the weighted sums (z); an identity layer's are its outputs
    sources: tuple         # keys of what the layer takes in: the inputs or the previous outputs
    weights: tuple         # rows of weight keys: weights[j][i] joins sources[i] to unit j
    biases: tuple          # one bias key per unit, or None


def layers_of(graph, sample=None):
    """The layers of a graph made by ``lower``, for one sample (None: the only one, or 1)."""
    if sample is None and graph.samples > 1:
        sample = 1
    layers = []
    sources = tuple(n.key for n in graph.leaves if n.kind == "input" and n.sample == sample)
    for number in sorted({n.layer for n in graph.computed if n.role == "post"}):
        units = tuple(n.key for n in graph.computed if n.role == "post" and n.layer == number and n.sample == sample)
        # unit j's weighted sum is the layer's j-th (a softmax unit uses every sum of its layer)
        sums = tuple(n.key for n in graph.computed if n.role == "pre" and n.layer == number and n.sample == sample)
        sums = sums or units
        position = {key: i for i, key in enumerate(sources)}
        rows, biases = [], []
        for total in sums:
            row = [None] * len(sources)
            bias = None
            for term in graph.node(total).expr.args if graph.node(total).expr.is_Add else (graph.node(total).expr,):
                names = [s.name for s in term.free_symbols]
                weights = [k for k in names if graph.node(k).role == "weight"]
                if weights and len(names) == 2:
                    row[position[next(k for k in names if k not in weights)]] = weights[0]
                elif len(names) == 1 and graph.node(names[0]).role == "bias":
                    bias = names[0]
            rows.append(tuple(row))
            biases.append(bias)
        layers.append(Layering(number, units, sums, sources, tuple(rows),
                               tuple(biases) if any(biases) else None))
        sources = units
    return tuple(layers)
