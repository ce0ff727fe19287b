"""The backward pass of a layered network in matrix form, as textbooks write it:

    δ^(L) = ∂L/∂a^(L) ⊙ f'(z^(L))
    δ^(l) = (W^(l+1)ᵀ δ^(l+1)) ⊙ f'(z^(l))
    ∂L/∂W^(l) = δ^(l) a^(l-1)ᵀ,   ∂L/∂b^(l) = δ^(l),   W^(l)' = W^(l) - η ∂L/∂W^(l)

with the numbers in the matrices. The numbers are the solution's own (its deltas, its
gradients, its updates), so the matrix page and the per-parameter page cannot disagree.
Matrices of more than ``MAX_SHOWN`` rows or columns show their first and last entries
with dots between; every value is in the JSON output.
"""

from . import chain
from .errors import SpecError
from .latex import number
from .network import layers_of
from .values import plain_decimal

MAX_SHOWN = 8
HEAD, TAIL = 5, 2


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


def lines(solution, step, names, digits):
    """(deltas, gradients, updates): each a tuple of (lhs, parts) in LaTeX, last layer first."""
    graph = solution.graph
    values = step.forward.values
    delta = {d.node: d.value for d in step.deltas}
    gradient = {g.parameter: g.value for g in step.gradients}
    new = {u.parameter: u.new for u in step.updates}
    outputs = graph.function_outputs()
    layers = layers_of(graph)
    deltas, gradients, updates = [], [], []

    def column(keys, table):
        return _matrix([[number(table[k], digits)] for k in keys])

    def weights(layer, table):
        return _matrix([[number(table[w], digits) for w in row] for row in layer.weights])

    for k in range(len(layers) - 1, -1, -1):
        layer, l = layers[k], layers[k].number
        slopes = {}
        for unit, total in zip(layer.units, layer.sums):
            if unit != total:
                derivative = solution.locals[(unit, total)].xreplace(outputs)
                slopes[unit] = chain.evaluate(graph, derivative, values, "")
        d = rf"\boldsymbol{{\delta}}^{{({l})}}"
        f = rf"f'\left(\mathbf{{z}}^{{({l})}}\right)"
        if k == len(layers) - 1:
            upstream = rf"\frac{{\partial {names[graph.loss]}}}{{\partial \mathbf{{a}}^{{({l})}}}}"
            upstream_numbers = column(layer.units, step.adjoints)
        else:
            above = layers[k + 1]
            upstream = rf"\left(W^{{({l + 1})\top}} \boldsymbol{{\delta}}^{{({l + 1})}}\right)"
            upstream_numbers = (rf"\left({weights(above, values)}^{{\top}} "
                                rf"{column(above.sums, delta)}\right)")
        if slopes:
            parts = (rf"{upstream} \odot {f}", rf"{upstream_numbers} \odot {column(layer.units, slopes)}")
        else:
            parts = (upstream, upstream_numbers)
        deltas.append((d, parts + (column(layer.sums, delta),)))
        below = rf"\mathbf{{a}}^{{({l - 1})\top}}" if k else r"\mathbf{x}^{\top}"
        gradients.append((rf"\frac{{\partial {names[graph.loss]}}}{{\partial W^{{({l})}}}}",
                          (rf"{d} {below}",
                           f"{column(layer.sums, delta)} "
                           f"{_matrix([[_given(graph, values, s, digits) for s in layer.sources]])}",
                           weights(layer, gradient))))
        if layer.biases:
            gradients.append((rf"\frac{{\partial {names[graph.loss]}}}{{\partial \mathbf{{b}}^{{({l})}}}}",
                              (d, column(layer.biases, gradient))))
        if step.updates:
            rate = plain_decimal(solution.learning_rate)
            updates.insert(0, [])  # updates read first layer first, as the parameters are listed
            updates[0].append((rf"W^{{({l})\prime}}",
                            (rf"W^{{({l})}} - \eta \frac{{\partial {names[graph.loss]}}}{{\partial W^{{({l})}}}}",
                             rf"{weights(layer, values)} - {rate} \cdot {weights(layer, gradient)}",
                             weights(layer, new))))
            if layer.biases:
                updates[0].append((rf"\mathbf{{b}}^{{({l})\prime}}",
                                (rf"\mathbf{{b}}^{{({l})}} - \eta \frac{{\partial {names[graph.loss]}}}"
                                 rf"{{\partial \mathbf{{b}}^{{({l})}}}}",
                                 rf"{column(layer.biases, values)} - {rate} \cdot {column(layer.biases, gradient)}",
                                 column(layer.biases, new))))
    return tuple(deltas), tuple(gradients), tuple(line for layer in updates for line in layer)


def _given(graph, values, key, digits):
    node = graph.node(key)
    return plain_decimal(node.value) if node.is_leaf and values[key] == node.value else number(values[key], digits)


def _matrix(rows):
    """A bmatrix; beyond MAX_SHOWN rows or columns, the first HEAD and last TAIL with dots."""
    rows = [list(r) for r in rows]
    if len(rows) > MAX_SHOWN:
        rows = rows[:HEAD] + [[r"\vdots"] * len(rows[0])] + rows[-TAIL:]
    if len(rows[0]) > MAX_SHOWN:
        rows = [r[:HEAD] + [r"\ddots" if r[0] == r"\vdots" else r"\cdots"] + r[-TAIL:] for r in rows]
    return r"\begin{bmatrix} " + r" \\ ".join(" & ".join(r) for r in rows) + r" \end{bmatrix}"

