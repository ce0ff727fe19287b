"""The backward pass of a layered network in matrix form, as textbooks write it:

    δ^(L) = ∂L/∂a^(L) ⊙ f'(z^(L))
    δ^(l) = (W^(l+1)ᵀ δ^(l+1)) ⊙ f'(z^(l))
    ∂L/∂W^(l) = δ^(l) a^(l-1)ᵀ,   ∂L/∂b^(l) = δ^(l),   W^(l)' = W^(l) - η ∂L/∂W^(l)

with the numbers in the matrices. The numbers are the solution's own (its deltas, its
gradients, its updates), so the matrix page and the per-parameter page cannot disagree.
Matrices of more than ``MAX_SHOWN`` rows or columns show their first and last entries
with dots between; every value is in the JSON output. The numbers come from the
solution's own records (``layerwise.LayerStep``); this module only prints them.
"""

from ..numbers import exact
from .latex import number, shown, written
from .legible import computable, face

MAX_SHOWN = 8
HEAD, TAIL = 5, 2


def lines(solution, step, names, digits, carry=False):
    """(deltas, gradients, updates): each a tuple of (lhs, parts) in LaTeX, last layer first."""
    graph = solution.graph
    values = step.forward.values
    gradient = {g.parameter: g.value for g in step.gradients}
    new = {u.parameter: u.new for u in step.updates}
    loss = names[graph.loss]
    deltas, gradients, updates = [], [], []

    def column(entries):
        return _matrix([[number(v, digits)] for v in entries])

    def given(keys):
        return [shown(graph.node(k), values[k], digits) for k in keys]

    def pair(key):
        """(old, gradient) of one parameter as its update prints them."""
        node, rate = graph.node(key), solution.learning_rate
        old_value = values[key]
        is_given = node.is_leaf and old_value == exact(node.value)

        def build(d):
            old = exact(node.value) if is_given else face(old_value, d)
            return ((shown(node, old_value, d), number(gradient[key], d)),
                    old - exact(rate) * face(gradient[key], d))
        return computable(new[key], build, digits, carry)

    def weights(layer, table=None):
        if table is None:
            return _matrix([given(row) for row in layer.weights])
        return _matrix([[number(table[w], digits) for w in row] for row in layer.weights])

    for k, part in enumerate(step.layers):
        layer, l = part.layer, part.layer.number
        d = rf"\boldsymbol{{\delta}}^{{({l})}}"
        f = rf"f'\left(\mathbf{{z}}^{{({l})}}\right)"
        if part.upstream is not None:
            upstream = rf"\frac{{\partial {loss}}}{{\partial \mathbf{{a}}^{{({l})}}}}"
            upstream_numbers = column(part.upstream)
        else:
            above = step.layers[k - 1]
            upstream = rf"\left(W^{{({l + 1})\top}} \boldsymbol{{\delta}}^{{({l + 1})}}\right)"
            upstream_numbers = rf"\left({weights(above.layer)}^{{\top}} {column(above.deltas)}\right)"
        if part.slopes:
            parts = (rf"{upstream} \odot {f}", rf"{upstream_numbers} \odot {column(part.slopes)}")
        else:
            parts = (upstream, upstream_numbers)
        deltas.append((d, parts + (column(part.deltas),)))
        below = rf"\mathbf{{a}}^{{({l - 1})\top}}" if l > 1 else r"\mathbf{x}^{\top}"
        gradients.append((rf"\frac{{\partial {loss}}}{{\partial W^{{({l})}}}}",
                          (rf"{d} {below}", f"{column(part.deltas)} {_matrix([given(layer.sources)])}",
                           weights(layer, gradient))))
        if layer.biases:
            gradients.append((rf"\frac{{\partial {loss}}}{{\partial \mathbf{{b}}^{{({l})}}}}",
                              (d, _matrix([[number(gradient[b], digits)] for b in layer.biases]))))
        if step.updates:
            rate = written(solution.learning_rate)
            # each entry printed to the digits that let old - rate * gradient give the new one
            pairs = {key: pair(key) for row in layer.weights for key in row}
            pairs.update((key, pair(key)) for key in layer.biases or ())
            updates.insert(0, [])  # updates read first layer first, as the parameters are listed
            updates[0].append((rf"W^{{({l})\prime}}",
                               (rf"W^{{({l})}} - \eta \frac{{\partial {loss}}}{{\partial W^{{({l})}}}}",
                                rf"{_matrix([[pairs[k][0] for k in row] for row in layer.weights])} - {rate} \cdot "
                                rf"{_matrix([[pairs[k][1] for k in row] for row in layer.weights])}",
                                weights(layer, new))))
            if layer.biases:
                updates[0].append((rf"\mathbf{{b}}^{{({l})\prime}}",
                                   (rf"\mathbf{{b}}^{{({l})}} - \eta \frac{{\partial {loss}}}"
                                    rf"{{\partial \mathbf{{b}}^{{({l})}}}}",
                                    rf"{_matrix([[pairs[b][0]] for b in layer.biases])} - {rate} \cdot "
                                    rf"{_matrix([[pairs[b][1]] for b in layer.biases])}",
                                    _matrix([[number(new[b], digits)] for b in layer.biases]))))
    return tuple(deltas), tuple(gradients), tuple(line for layer in updates for line in layer)


def _matrix(rows):
    """A bmatrix; beyond MAX_SHOWN rows or columns, the first HEAD and last TAIL with dots."""
    rows = [list(r) for r in rows]
    if len(rows) > MAX_SHOWN:
        rows = rows[:HEAD] + [[r"\vdots"] * len(rows[0])] + rows[-TAIL:]
    if len(rows[0]) > MAX_SHOWN:
        rows = [r[:HEAD] + [r"\ddots" if r[0] == r"\vdots" else r"\cdots"] + r[-TAIL:] for r in rows]
    return r"\begin{bmatrix} " + r" \\ ".join(" & ".join(r) for r in rows) + r" \end{bmatrix}"
