"""The losses a network may be trained on: one entry each (name -> builder).

A builder takes the (target, output) pairs of one sample, as SymPy symbols, and returns
that sample's loss; the samples are then reduced (mean or sum) by the network. A loss the
spec writes as an expression is read by the parser instead and needs no entry.
"""

from dataclasses import dataclass

import sympy


def fraction(n):
    """1/n as a fraction the page prints as one (a spec's own decimals print as decimals)."""
    return sympy.Pow(sympy.Integer(n), -1, evaluate=False)


def _sum(terms):
    return sympy.Add(*terms, evaluate=False) if len(terms) > 1 else terms[0]


@dataclass(frozen=True)
class Loss:
    name: str
    formula: str           # for the reference: per sample, k over the output units
    build: object          # [(target, output), ...] -> the sample's loss
    needs_softmax: bool = False  # the outputs must sum to 1 (else the loss can be 0 for nothing)


LOSSES = {loss.name: loss for loss in (
    Loss("squared_error", "Σ_k (y_k − ŷ_k)²", lambda pairs: _sum([(y - p) ** 2 for y, p in pairs])),
    Loss("half_squared_error", "½ Σ_k (y_k − ŷ_k)²",
         lambda pairs: sympy.Mul(fraction(2), _sum([(y - p) ** 2 for y, p in pairs]), evaluate=False)),
    Loss("mse", "(1/K) Σ_k (y_k − ŷ_k)², the mean over the K outputs",
         lambda pairs: (sympy.Mul(fraction(len(pairs)), _sum([(y - p) ** 2 for y, p in pairs]), evaluate=False)
                        if len(pairs) > 1 else (pairs[0][0] - pairs[0][1]) ** 2)),
    Loss("binary_cross_entropy", "−Σ_k [y_k ln ŷ_k + (1 − y_k) ln(1 − ŷ_k)]",
         lambda pairs: _sum([-(y * sympy.log(p) + (1 - y) * sympy.log(1 - p)) for y, p in pairs])),
    Loss("cross_entropy", "−Σ_k y_k ln ŷ_k",
         lambda pairs: _sum([-(y * sympy.log(p)) for y, p in pairs]), needs_softmax=True),
)}
