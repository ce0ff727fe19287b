"""The backward pass of a layered network a layer at a time: the numbers of the matrix form.

    δ^(L) = ∂L/∂a^(L) ⊙ f'(z^(L)),   δ^(l) = (W^(l+1)ᵀ δ^(l+1)) ⊙ f'(z^(l)),
    ∂L/∂W^(l) = δ^(l) a^(l-1)ᵀ,       ∂L/∂b^(l) = δ^(l)

Each quantity is computed from the ones a matrix page shows, so that with carried
rounding every entry follows from the printed entries: the slopes f'(z) and the last
layer's ∂L/∂a are rounded as they are shown, each δ is the rounded product of shown
numbers, and each gradient the rounded product of a shown δ and a shown input.
"""

from dataclasses import dataclass

import sympy

from ..errors import SpecError
from .network import layers_of


@dataclass(frozen=True)
class LayerStep:
    """One layer of one step's backward pass."""

    layer: object          # network.Layering: the keys of its units, sums, sources, weights and biases
    upstream: tuple        # ∂L/∂a of each unit (the last layer only), else None: Wᵀδ of the layer above
    slopes: tuple          # f'(z) of each unit, or None for an identity layer
    deltas: tuple          # ∂L/∂z of each unit


def check(graph):
    """Refuse, in one clear line, a graph the matrix form does not describe."""
    where = f"{graph.source}: --style matrix"
    if not any(n.role == "weight" for n in graph.leaves):
        raise SpecError(f"{where} needs a [network] spec; a graph has no layers (use chain or delta)")
    if graph.samples > 1:
        raise SpecError(f"{where} takes one sample; this spec has {graph.samples} (use delta)")
    for layer in layers_of(graph):
        for unit, total in zip(layer.units, layer.sums):
            if unit != total and graph.parents(unit) != (total,):
                raise SpecError(f"{where}: layer {layer.number}'s activation mixes its units (softmax); "
                                "the matrix form needs one that acts on each unit alone (use delta)")
        if layer.biases and len(set(layer.biases)) < len(layer.biases):
            raise SpecError(f"{where}: layer {layer.number} shares a bias between units (use delta)")


def backward(graph, factors, adjoints, values, keep):
    """The ``LayerStep``s from the last layer down, and {parameter: gradient}.

    ``factors`` are the step's local derivatives at its values, ``adjoints`` the exact
    ∂L/∂node; ``keep`` rounds a shown value (carried rounding) or is None for exact values.
    """
    keep = keep or (lambda value: value)
    layers = layers_of(graph)
    made, gradients = [], {}
    above = None
    for layer in reversed(layers):
        slopes = None
        if any(unit != total for unit, total in zip(layer.units, layer.sums)):
            slopes = tuple(keep(factors[(unit, total)].value) for unit, total in zip(layer.units, layer.sums))
        if above is None:
            upstream = tuple(keep(adjoints[unit]) for unit in layer.units)
            before = upstream
        else:
            upstream = None
            before = tuple(sympy.Add(*(values[row[i]] * d for row, d in zip(above.layer.weights, above.deltas)))
                           for i in range(len(layer.units)))
        deltas = tuple(keep(b * s) if slopes else keep(b) for b, s in zip(before, slopes or before))
        step = LayerStep(layer, upstream, slopes, deltas)
        for row, delta in zip(layer.weights, deltas):
            for weight, source in zip(row, layer.sources):
                gradients[weight] = keep(delta * values[source])
        for bias, delta in zip(layer.biases or (), deltas):
            gradients[bias] = delta
        made.append(step)
        above = step
    return tuple(made), gradients
