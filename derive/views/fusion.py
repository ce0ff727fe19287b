"""p - y: where a loss and its output layer's activation cancel, the page says so.

Binary cross-entropy after a sigmoid, and cross-entropy after a softmax (whose targets sum
to 1), differentiate to the output minus the target: dL/dz = yhat - y. Written as two
factors, dL/dyhat * dyhat/dz, the page would show a long quotient times sigma(1 - sigma)
that cancels to it; a textbook writes the one factor, and one sentence says why.

A pair of links (A <- p), (p <- z) of a chain is fused into the one link (A <- z) when the
sum over every output p that z feeds, dA/dp * dp/dz, equals some output minus some
target, at the step's values and nearby. The numbers are the solution's own; only the
way they are written changes.
"""

import random

import sympy

from ..engine.solution import Factor

#: How far the check moves each weighted sum from its value, and how many times.
NEARBY, TRIES = 0.3, 4


def fusions(graph, local, values):
    """{(loss key, sum key): (output key, target key)} of every pair that cancels to p - y."""
    found = {}
    for loss in (n for n in graph.computed if n.role in ("loss", "sample_loss")):
        outputs = [p for p in graph.parents(loss.key) if graph.node(p).role == "post"]
        sums = {z for p in outputs for z in graph.parents(p) if graph.node(z).role == "pre"}
        targets = [k for k in graph.parents(loss.key) if graph.node(k).kind == "target"]
        for z in sums:
            users = graph.children(z)
            if not users or any(u not in outputs for u in users):
                continue
            total = sum(local[(loss.key, p)] * local[(p, z)] for p in users)
            for p in users:
                target = _target(graph, total, p, targets, values)
                if target is not None:
                    found[(loss.key, z)] = (p, target)
                    break
    return found


def _target(graph, total, output, targets, values):
    """The target y with total == output - y near the step's values, or None."""
    rng = random.Random(7)
    outputs = {n.symbol: n.expr for n in graph.computed if n.role == "post"}
    expanded = total.xreplace(outputs)
    free = expanded.free_symbols | graph.node(output).expr.free_symbols
    sums = [s for s in free if graph.node(s.name).role == "pre"]
    for target in targets:
        candidate = graph.node(output).expr - graph.node(target).symbol
        for _ in range(TRIES):
            at = {s: values[s.name] if s not in sums else
                  sympy.Float(values[s.name], 30) + sympy.Float(rng.uniform(-NEARBY, NEARBY), 30) for s in free}
            at[graph.node(target).symbol] = values[target]
            difference = (expanded - candidate).xreplace(at).evalf(30)
            if not difference.is_number or abs(difference) > sympy.Float("1e-20"):
                break
        else:
            return target
    return None


def kind(graph, output):
    """"sigmoid" when the output applies a sigmoid to its own sum, else "softmax"."""
    return "sigmoid" if graph.node(output).expr.is_Function else "softmax"


def fuse(terms, found, graph, values):
    """``terms`` ((top, factors) pairs) with each fusable pair of links made one; terms that
    become the same (a softmax's sum over its outputs) are written once. Returns
    (terms, the kinds fused: "sigmoid", "softmax")."""
    made, seen, used = [], set(), set()
    for top, factors in terms:
        chain, k = [], 0
        factors = list(factors)
        while k < len(factors):
            f = factors[k]
            after = factors[k + 1] if k + 1 < len(factors) else None
            if after is not None and f.parent == after.child and (f.child, after.parent) in found:
                output, target = found[(f.child, after.parent)]
                expr = graph.node(output).symbol - graph.node(target).symbol
                chain.append(Factor(f.child, after.parent, expr, values[output] - values[target]))
                used.add(kind(graph, output))
                k += 2
                continue
            chain.append(f)
            k += 1
        key = (top, tuple((f.child, f.parent) for f in chain))
        if key not in seen:
            seen.add(key)
            made.append((top, chain))
    return made, used
