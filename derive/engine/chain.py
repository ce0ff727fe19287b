"""The derivation: forward pass, local partial derivatives, the chain rule, the update.

Like a reverse-mode autodiff walk (topological order forward, then its reverse), but each
local derivative d(child)/d(parent) is kept as a symbolic expression and a value, so that
every gradient can be shown as its chain-rule paths. Values are computed at
``values.PRECISION`` digits and rounded only when shown.
"""

from functools import lru_cache
from types import MappingProxyType

import sympy

from ..errors import SpecError, UndefinedValueError
from ..numbers import PRECISION, round_significant, rounded
from ..registry.functions import kink_arguments, squashing_bounds
from . import layerwise
from .solution import Delta, Factor, Gradient, Pass, Path, Solution, Step, Update

#: Above this many chain-rule paths to one parameter, paths are counted, not listed.
MAX_PATHS = 64
#: Exact rationals with a larger denominator are carried as Floats instead.
MAX_DENOMINATOR = 10**40
#: Values beyond this magnitude would not survive as doubles in the JSON solution.
MAX_MAGNITUDE = sympy.Float("1e300")


#: Local derivatives evaluated over all steps, checked before any work (a minute's worth).
MAX_WORK = 40000
#: auto picks chain while the whole backward pass has at most this many paths, and no
#: parameter more than AUTO_MAX_PATHS of them; beyond, shared deltas read better, and
#: above AUTO_MATRIX parameters a layered network reads best as matrices.
AUTO_TOTAL_PATHS = 24
AUTO_MAX_PATHS = 4
AUTO_MATRIX = 300


def derive(graph, title, lang, learning_rate, steps, carry, style):
    """Run ``steps`` gradient-descent steps (one pass without a learning rate).

    With ``carry`` (a number of significant digits), every value a page shows is rounded
    to it and the rounded value is used from then on, as with a calculator: forward
    values, each gradient (from the shown factors) and each updated parameter.
    """
    runs = steps if learning_rate is not None else 1
    work = sum(len(graph.parents(n.key)) for n in graph.computed) * runs
    if work > MAX_WORK:
        raise SpecError(f"{graph.source}: {runs} steps of a graph of this size are {work} local derivatives to "
                        f"evaluate; at most {MAX_WORK} are worked out (take fewer steps)")
    local = local_derivatives(graph)
    params = {n.key: n.value for n in graph.leaves}
    keep = (lambda v: carried(v, carry)) if carry else _bounded
    counts = path_counts(graph)
    if style == "auto":
        style = _auto(graph, counts)
    elif style == "matrix":
        layerwise.check(graph)
    done = []
    for number in range(1, (steps if learning_rate is not None else 1) + 1):
        forward = forward_pass(graph, params, carry)
        adjoints, factors = backward(graph, local, forward.values)
        deltas, layers = (), ()
        if style == "matrix":
            layers, values = layerwise.backward(graph, factors, adjoints, forward.values, keep)
            gradients = tuple(Gradient(p, values[p], (), counts[p]) for p in graph.parameters)
        elif style == "delta":
            deltas = _deltas(graph, factors, keep if carry else None)
            gradients = _delta_gradients(graph, deltas, factors, adjoints, counts, keep if carry else None)
        else:
            gradients = tuple(_gradient(graph, p, adjoints, factors, counts[p], keep if carry else None)
                              for p in graph.parameters)
        updates = ()
        if learning_rate is not None:
            updates = tuple(Update(g.parameter, params[g.parameter], g.value,
                                   keep(params[g.parameter] - learning_rate * g.value)) for g in gradients)
            params = dict(params, **{u.parameter: u.new for u in updates})
        done.append(Step(number, forward, MappingProxyType(adjoints), gradients, updates, deltas, layers,
                         _kinks(graph, forward.values)))
    after = forward_pass(graph, params, carry) if learning_rate is not None else None
    return Solution(title, lang, graph, MappingProxyType(local), learning_rate, tuple(done), after, carry, style)


def _auto(graph, counts):
    per = [counts[p] for p in graph.parameters]
    if sum(per) <= AUTO_TOTAL_PATHS and max(per, default=0) <= AUTO_MAX_PATHS:
        return "chain"
    if len(graph.parameters) > AUTO_MATRIX:
        try:
            layerwise.check(graph)
            return "matrix"
        except SpecError:
            pass
    return "delta"


def _kinks(graph, values):
    """Keys of the nodes whose function sits exactly at a kink at these values."""
    found = []
    for node in graph.computed:
        for argument in kink_arguments(node.expr):
            if argument.free_symbols and argument.xreplace({s: values[s.name] for s in argument.free_symbols}) == 0:
                found.append(node.key)
                break
    return tuple(found)


def local_derivatives(graph):
    """Symbolic d(child)/d(parent) for every edge of the graph, keyed (child, parent).

    With several samples, sample s's nodes are sample 1's with their own inputs: each of
    their derivatives is sample 1's with the symbols renamed, not differentiated again.
    """
    local, first = {}, {}
    for node in graph.computed:
        if node.sample is not None and node.sample > 1 and (node.name, 1) in first:
            model = first[(node.name, 1)]
            rename = {graph.node(p).symbol: graph.node(q).symbol
                      for p, q in zip(graph.parents(model.key), graph.parents(node.key))}
            if all(graph.node(p).name == graph.node(q).name
                   for p, q in zip(graph.parents(model.key), graph.parents(node.key))) and \
                    len(graph.parents(model.key)) == len(graph.parents(node.key)):
                for p, q in zip(graph.parents(model.key), graph.parents(node.key)):
                    local[(node.key, q)] = local[(model.key, p)].xreplace(rename)
                continue
        if node.sample == 1:
            first[(node.name, 1)] = node
        for p in graph.parents(node.key):
            local[(node.key, p)] = _diff(node.expr, graph.node(p).symbol)
    return local


def _diff(expr, symbol):
    """sympy.diff, taking only the terms of a long sum that hold ``symbol``: the mean of
    2000 samples' losses is 2000 derivatives of one term each, not of 2000 terms each."""
    if expr == symbol:
        return sympy.Integer(1)
    if expr.is_Mul and symbol in expr.args and sum(symbol in a.free_symbols for a in expr.args) == 1:
        # w x differentiated by w is x: a weighted sum's terms, thousands of them in a big network
        return sympy.Mul(*(a for a in expr.args if a != symbol))
    if expr.is_Mul and len(expr.args) == 2 and expr.args[0].is_number and expr.args[1].is_Add:
        return expr.args[0] * _diff(expr.args[1], symbol)
    if expr.is_Add and len(expr.args) > LONG_SUM:
        return sympy.Add(*(_diff(a, symbol) for a in expr.args if symbol in a.free_symbols))
    return sympy.diff(expr, symbol)


#: A sum of more terms than this is differentiated a term at a time.
LONG_SUM = 8


def forward_pass(graph, leaf_values, carry=None):
    """Every node's value, given the leaves' values (by key); with ``carry``, each rounded."""
    values = dict(leaf_values)
    for node in graph.computed:
        value = evaluate(graph, node.expr, values, f"{node.where}: {node.name}")
        values[node.key] = carried(value, carry) if carry else value
    return Pass(MappingProxyType(values), values[graph.loss])


def backward(graph, local, values):
    """d(loss)/d(node) for every node, and every edge's factor at these values."""
    factors = {}
    outputs = graph.function_outputs()
    for (child, parent), derivative in local.items():
        where = f"{graph.node(child).where}: d{graph.node(child).name}/d{graph.node(parent).name}"
        value = evaluate(graph, derivative.xreplace(outputs), values, where)
        factors[(child, parent)] = Factor(child, parent, derivative, value)
    contributions = {n.key: [] for n in graph.nodes}
    adjoints = {}
    for node in reversed(graph.computed):  # a node comes after every node that uses it
        key = node.key
        adjoints[key] = sympy.Integer(1) if key == graph.loss else total(contributions[key])
        for parent in graph.parents(key):
            contributions[parent].append(adjoints[key] * factors[(key, parent)].value)
    for node in graph.leaves:
        adjoints[node.key] = total(contributions[node.key])
    return adjoints, factors


#: A sum of working-precision values this much smaller than its largest term is their
#: rounding, not a value: exactly cancelling paths (equal weights into a softmax, say).
NOISE = sympy.Float(10) ** (12 - PRECISION)


def total(terms):
    """The sum of ``terms``, 0 where they cancel to within the working precision."""
    value = sympy.Add(*terms) if terms else sympy.Integer(0)
    if not value.is_Rational and value != 0 and abs(value) <= NOISE * max(abs(t) for t in terms):
        return sympy.Integer(0)
    return _bounded(value)


def _gradient(graph, parameter, adjoints, factors, count, keep=None):
    paths = tuple(_paths(graph, parameter, factors)) if count <= MAX_PATHS else ()
    value = adjoints[parameter]
    if keep is not None:
        # the sum of the shown paths' products, which is what a calculator gives
        value = keep(total([p.value for p in paths]) if paths else value)
    return Gradient(parameter, value, paths, count)


#: A delta line sums the routes from its node up to the nearest delta above; where more
#: than this many would meet at an unnamed node (a graph that branches and joins again, level
#: after level), that node is named a delta too, so that no page and no step of the
#: derivation grows faster than the graph's edges.
MAX_ROUTES = 64


def delta_nodes(graph):
    """Keys of the nodes that get a delta: those with a parameter directly below them, and
    those where more than MAX_ROUTES routes up to the nearest delta would meet."""
    parameters = set(graph.parameters)
    marked = {n.key for n in graph.computed
              if n.key != graph.loss and any(p in parameters for p in graph.parents(n.key))}
    routes = {}
    for node in reversed(graph.computed):  # every node after the nodes that use it
        key = node.key
        if key == graph.loss:
            continue
        count = sum(1 if c == graph.loss or c in marked else routes[c] for c in graph.children(key))
        if count > MAX_ROUTES and key not in marked:
            marked.add(key)
        routes[key] = count
    return tuple(n.key for n in graph.computed if n.key in marked)


def _deltas(graph, factors, keep):
    """Each delta from the loss down, built on the deltas above it (rounded, with ``keep``)."""
    marked = set(delta_nodes(graph))
    values = {}

    def routes(key):
        # walk up from ``key`` to the loss or to the nearest delta, collecting factors
        pending = [(key, [])]
        while pending:
            at, below = pending.pop()
            for child in reversed(graph.children(at)):
                chain = [factors[(child, at)]] + below
                if child == graph.loss or child in marked:
                    yield (None if child == graph.loss else child), Path(
                        tuple(chain), _bounded(sympy.Mul(*(f.value for f in chain))))
                else:
                    pending.append((child, chain))

    made = []
    for node in reversed(graph.computed):
        if node.key not in marked:
            continue
        found = tuple(routes(node.key))
        value = total([(values[top] if top else 1) * path.value for top, path in found])
        values[node.key] = keep(value) if keep else value
        made.append(Delta(node.key, found, values[node.key]))
    return tuple(made)


def _delta_gradients(graph, deltas, factors, adjoints, counts, keep):
    values = {d.node: d.value for d in deltas}
    gradients = []
    for p in graph.parameters:
        via = tuple((c if c != graph.loss else None, factors[(c, p)]) for c in graph.children(p))
        value = total([(values[c] if c else 1) * f.value for c, f in via]) if keep else adjoints[p]
        gradients.append(Gradient(p, keep(value) if keep else value, (), counts[p], via))
    return tuple(gradients)


def depends_on(graph, parameter):
    """Keys of the computed nodes whose value depends on ``parameter``."""
    found = {parameter}
    for node in graph.computed:
        if any(p in found for p in graph.parents(node.key)):
            found.add(node.key)
    return found


def path_counts(graph):
    """{key: how many chain-rule paths lead from the loss down to it}, for every node at once."""
    count = {n.key: 0 for n in graph.nodes}
    count[graph.loss] = 1
    for node in reversed(graph.nodes):
        if node.key != graph.loss:
            count[node.key] = sum(count[c] for c in graph.children(node.key))
    return count


def _paths(graph, parameter, factors):
    """Every chain-rule path from the loss down to ``parameter`` (called where they are few)."""
    depends = depends_on(graph, parameter)
    if graph.loss not in depends:
        return
    pending = [(graph.loss, [])]
    while pending:
        key, chain = pending.pop()
        if key == parameter:
            yield Path(tuple(chain), _bounded(sympy.Mul(*(f.value for f in chain))))
            continue
        for parent in reversed(graph.parents(key)):
            if parent in depends:
                pending.append((parent, chain + [factors[(key, parent)]]))


def carried(value, digits):
    """``value`` as a person carries it on: rounded to ``digits`` significant digits."""
    return sympy.Rational(str(round_significant(value, digits)))


def _bounded(value):
    """Exact while the numbers stay small (0.5 - 0.6 + 0.1 is 0, not 1e-52), else a Float."""
    if value.is_Rational and value.q <= MAX_DENOMINATOR and abs(value.p) <= MAX_DENOMINATOR ** 2:
        return value
    return sympy.Float(value, PRECISION)


def evaluate(graph, expr, values, what):
    """The value of ``expr`` at these values: exact where it stays small, else at the working
    precision. Undefined (log of 0, x/0, the root of a negative number, anywhere inside
    it), not real, beyond 1e300 in size, or a power beyond MAX_EXPONENT: bad input."""
    mapping = {s: values[s.name] for s in expr.free_symbols}
    for part in _guarded_parts(expr):
        _check_part(graph, expr, part, mapping, what)
    try:
        value = expr.xreplace(mapping)
        if not value.is_Rational:
            value = value.evalf(PRECISION)
    except (OverflowError, ValueError, ArithmeticError):  # exp(1e300): no number of any size holds it
        raise UndefinedValueError(f"{graph.source}: {what} is too large to compute with at the given values "
                                  "(the limit is 1e300 in size)") from None
    if value.is_Rational:
        if abs(value) > MAX_MAGNITUDE:
            raise UndefinedValueError(f"{graph.source}: {_sized(what, value)} is too large to compute with "
                                      "(the limit is 1e300 in size)")
        return _bounded(value)
    if not value.is_number or value.has(sympy.zoo, sympy.nan, sympy.oo, -sympy.oo) or not value.is_finite:
        raise UndefinedValueError(f"{graph.source}: {what} is undefined at the given values ({_why(graph, expr, mapping)})")
    if not value.is_extended_real:
        raise UndefinedValueError(f"{graph.source}: {what} is not a real number at the given values "
                                  f"({_why(graph, expr, mapping)})")
    if abs(value) > MAX_MAGNITUDE:
        raise UndefinedValueError(f"{graph.source}: {_sized(what, value)} is too large to compute with "
                                  "(the limit is 1e300 in size)")
    if abs(value) < MIN_MAGNITUDE:
        return sympy.Integer(0)  # below what a double holds: e^-1e7, a saturated unit's slope
    return sympy.Float(value, PRECISION)


def _sized(what, value):
    """``what = 1.9701e434``, or ``what`` alone where the number is too large even to write."""
    try:
        return f"{what} = {rounded(value, 5)}"
    except (ArithmeticError, ValueError):  # exp(exp(700)): an exponent of 300 digits
        return what


#: Nonzero values smaller than this are 0, as in double precision (and in the JSON solution).
MIN_MAGNITUDE = sympy.Float("1e-300")
#: The largest exponent a power is computed with; the parser allows no larger one written.
MAX_EXPONENT = 1000


@lru_cache(maxsize=4096)
def _guarded_parts(expr):
    """The parts of ``expr`` whose arguments must be checked before it is computed: logs,
    roots and fractional powers, divisions, and powers whose exponent is not a fixed number."""
    parts = []
    for sub in sympy.preorder_traversal(expr):
        if isinstance(sub, sympy.log) and sub.args[0].free_symbols:
            parts.append(sub)
        elif isinstance(sub, sympy.Pow) and sub.free_symbols and (
                not sub.exp.is_number or not sub.exp.is_integer or sub.exp.is_negative):
            parts.append(sub)
    return tuple(parts)


def _check_part(graph, expr, part, mapping, what):
    def number(sub):
        value = sub.xreplace(mapping)
        return value if value.is_Rational else value.evalf(20)

    if isinstance(part, sympy.log):
        argument = number(part.args[0])
        if argument.is_number and argument.is_extended_real and argument <= 0:
            raise UndefinedValueError(f"{graph.source}: {what} is undefined at the given values "
                                      f"({_why(graph, expr, mapping)})")
        return
    exponent = number(part.exp)
    if exponent.is_number and exponent.is_extended_real and abs(exponent) > MAX_EXPONENT:
        raise UndefinedValueError(f"{graph.source}: {what} raises a number to the power {rounded(exponent, 5)}, "
                                  f"beyond the {MAX_EXPONENT} this tool computes with")
    base = number(part.base)
    if base.is_number and base.is_extended_real and base < 0 and not exponent.is_integer:
        raise UndefinedValueError(f"{graph.source}: {what} is not a real number at the given values "
                                  f"({_why(graph, expr, mapping)})")
    if base.is_number and base == 0 and exponent.is_extended_real and exponent < 0:
        raise UndefinedValueError(f"{graph.source}: {what} is undefined at the given values "
                                  f"({_why(graph, expr, mapping)})")


def _saturated(graph, expr, mapping):
    """Why a log's argument is 0 when no given number is: a sigmoid or tanh that equals its
    bound to the working precision (cross-entropy of a saturated output)."""
    for s in sorted(expr.free_symbols, key=lambda s: s.name):
        node = graph.node(s.name) if s in mapping else None
        bounds = squashing_bounds(node.expr) if node is not None and not node.is_leaf else None
        bound = next((b for b in bounds or () if abs(mapping[s] - b) < sympy.Rational(1, 10 ** (PRECISION - 5))), None)
        if bound is not None:
            return (f", because {node.name} = {node.expr.func.__name__}(...) is {bound} to the {PRECISION} "
                    f"digits computed: the unit is saturated; smaller inputs or weights keep it away from its bound")
    return ""


def _why(graph, expr, mapping):
    """A reader's reason for an undefined value: which log, root or division fails."""
    for sub in sympy.preorder_traversal(expr):
        if isinstance(sub, sympy.log):
            arg = sub.args[0].xreplace(mapping).evalf(PRECISION)
            if arg.is_number and arg.is_extended_real and arg <= 0:
                return f"log of {sympy.Float(arg, 4) if arg else 0}" + (_saturated(graph, sub.args[0], mapping)
                                                                          if not arg else "")
        if isinstance(sub, sympy.Pow) and sub.exp.is_number:
            base = sub.base.xreplace(mapping).evalf(PRECISION)
            if sub.exp.is_negative and base.is_number and base == 0:
                return "division by zero"
            if not sub.exp.is_integer and base.is_number and base.is_extended_real and base < 0:
                return f"a fractional power of the negative number {sympy.Float(base, 4)}"
    return "division by zero, or a function outside its domain"
