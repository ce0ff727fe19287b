"""Check a student's answers against a solution, with error carried forward.

Each answer is compared with the exact value and with the *carried* value: what follows
from the student's own earlier answers. The student's world is the solution recomputed
node by node, taking the student's value wherever one is given: a forward value from
the given values of the quantities it uses, a gradient from the chain of local
derivatives at the student's forward values, an update from the student's gradient, the
forward pass after the update from the student's updated parameters.

- ``right``: close to the exact value, or close to the carried value when every earlier
  answer it follows from is right (rounded intermediates, as in seed 004, are no error).
- ``carried``: wrong against the exact value, but what follows from earlier answers of
  which at least one is wrong or carried. The result names them.
- ``wrong``: neither.

"Close" is measured in the digits the student wrote: one unit in the last written digit
(0.302 may be off by 0.001), at least 0.5% of the value, never more than 2% (so an
answer 5% away is never close). The floor is for rounded intermediates, which move
later digits: seed 004's L = 0.04231 comes from its rounded 0.4943 and is 0.29% off the
exact 0.04219, so it is accepted even when the 0.4943 it follows from is not given.
"""

from dataclasses import dataclass
from decimal import Decimal

import sympy

from ..errors import SpecError, UndefinedValueError
from ..numbers import as_written, exact, is_finite_number
from . import chain

#: The default tolerance: one unit in the last written digit, within these bounds.
REL_FLOOR = Decimal("0.005")
REL_CAP = Decimal("0.02")
STATUSES = ("right", "carried", "wrong")


@dataclass(frozen=True)
class Result:
    key: str              # as in the JSON solution: forward.a1, gradients.w1, after.forward.yhat, forward[2].a1
    given: Decimal        # as written
    expected: object      # the exact value
    carried_from: object  # the value that follows from the student's earlier answers, or None
    status: str           # one of STATUSES
    follows_from: tuple   # keys of the wrong or carried answers a carried value follows from
    matches: str = ""     # "exact" or "carried": which value the answer is close to, or "" for none


@dataclass(frozen=True)
class Report:
    results: tuple
    source: str
    lang: str = "en"      # the spec's language, for the report's words

    def count(self, status):
        return sum(1 for r in self.results if r.status == status)

    @property
    def any_wrong(self):
        return self.count("wrong") > 0

    def as_json(self):
        """The report of SPEC.md section 4 (``follows_from`` added to carried results)."""
        results = []
        for r in self.results:
            item = {"key": r.key, "given": float(r.given), "expected": float(r.expected)}
            if r.carried_from is not None:
                item["carried_from"] = float(r.carried_from)
            item["status"] = r.status
            if r.follows_from:
                item["follows_from"] = list(r.follows_from)
            results.append(item)
        return {"results": results, **{s: self.count(s) for s in STATUSES}}


class _Keys:
    """The quantities an answers file may name, as JSON keys, and where each one lives."""

    def __init__(self, graph):
        self.graph = graph
        many = graph.samples > 1
        self.forward = {}
        for node in graph.computed:
            if many and node.sample is None:
                continue  # the reduced loss of several samples is `loss`
            self.forward[(node.sample, node.name)] = node.key
        self.parameters = {graph.node(p).name: p for p in graph.parameters}

    def valid(self, learning_rate):
        keys = [self.label("forward", s, n) for s, n in self.forward] + ["loss"]
        keys += [f"gradients.{n}" for n in self.parameters]
        if learning_rate is not None:
            keys += [f"updated.{n}" for n in self.parameters]
            keys += [self.label("after.forward", s, n) for s, n in self.forward] + ["after.loss"]
        return keys

    @staticmethod
    def label(part, sample, name):
        return f"{part}[{sample}].{name}" if sample else f"{part}.{name}"


def answers(data, solution, source):
    """{(part, key in the graph): (report key, Decimal)} from raw answers, every key checked."""
    graph = solution.graph
    keys = _Keys(graph)
    trains = solution.learning_rate is not None
    found = {}

    def fail(where, message):
        raise SpecError(f"{source}: {where}: {message}")

    def unknown(where):
        valid = keys.valid(solution.learning_rate)
        fail(where, f"names no quantity of the solution; valid keys: {', '.join(valid)}")

    def number(value, where):
        if isinstance(value, bool) or not isinstance(value, (int, Decimal, float)):
            fail(where, f"expected a number, got {value!r}")
        if not is_finite_number(value):
            fail(where, f"{as_written(value)} is not a finite number")
        number = Decimal(value) if not isinstance(value, float) else Decimal(repr(value))
        if number and not -300 <= number.adjusted() <= 300:
            fail(where, f"{value} is outside the range of numbers accepted (1e-300 to 1e300 in size)")
        return number

    def put(part, key, label, value):
        value = number(value, label)
        if (part, key) in found:
            if found[(part, key)][1] == value:
                return  # a JSON solution holds the loss twice: forward.L and loss.value
            fail(label, f"is given twice, differently (also as {found[(part, key)][0]})")
        found[(part, key)] = (label, value)

    def table(value, where):
        if not isinstance(value, dict):
            fail(where, f"expected a table of name = number, got {type(value).__name__}")
        return value

    def forward(value, part, where):
        many = graph.samples > 1
        if many:
            if not isinstance(value, list) or len(value) > graph.samples:
                fail(where, f"expected a list of {graph.samples} tables, one per sample ([[{where}]] in TOML)")
            tables = [(s, table(t, f"{where}[{s}]")) for s, t in enumerate(value, 1)]
        else:
            if isinstance(value, list):
                fail(where, "expected one table: this spec has one sample")
            tables = [(None, table(value, where))]
        for sample, names in tables:
            for name, given in names.items():
                label = keys.label(where, sample, name)
                if (sample, name) not in keys.forward:
                    unknown(label)
                put(part, keys.forward[(sample, name)], label, given)

    def loss(value, part, where):
        if isinstance(value, dict):
            allowed = {"name", "value"}
            if set(value) - allowed or "value" not in value:
                fail(where, "expected a number, or a table with value (and name)")
            value = value["value"]
        put(part, graph.loss, where, value)

    def parameters(value, part, where):
        for name, given in table(value, where).items():
            if name not in keys.parameters:
                unknown(f"{where}.{name}")
            put(part, keys.parameters[name], f"{where}.{name}", given)

    if not isinstance(data, dict):
        raise SpecError(f"{source}: expected a table of answers shaped like the JSON solution")
    for top, value in data.items():
        if top == "forward":
            forward(value, "forward", "forward")
        elif top == "loss":
            loss(value, "forward", "loss")
        elif top == "gradients":
            parameters(value, "gradients", "gradients")
        elif top in ("updated", "after") and trains:
            if top == "updated":
                parameters(value, "updated", "updated")
                continue
            for sub, inner in table(value, "after").items():
                if sub == "forward":
                    forward(inner, "after", "after.forward")
                elif sub == "loss":
                    loss(inner, "after", "after.loss")
                else:
                    unknown(f"after.{sub}")
        elif top in ("title", "history", "steps"):
            continue  # parts of a JSON solution that are not answers
        else:
            unknown(top)
    if not found:
        unknown("answers")
    return found


def check(solution, given, rel_tol=None, abs_tol=None, source=""):
    """The ``Report`` of the answers ``given`` (as made by ``answers``) against ``solution``."""
    graph, step = solution.graph, solution.first
    closeness = _Closeness(rel_tol, abs_tol)
    results = {}
    status_of = {}

    def judge(part, key, exact_value, carried, sources):
        label, value = given[(part, key)]
        wrong_before = tuple(s for s in sources if status_of[s] != "right")
        if closeness(value, exact_value):
            status, matches = "right", "exact"
        elif carried is not None and sources and closeness(value, carried):
            status, matches = ("carried" if wrong_before else "right"), "carried"
        else:
            status, matches = "wrong", ""
        status_of[label] = status
        results[(part, key)] = Result(label, value, exact_value, carried if sources else None, status,
                                      wrong_before if status == "carried" else (), matches)

    def world_pass(part, leaf_values, leaf_sources, exact_pass):
        """The student's values of one forward pass, and the answers each one follows from."""
        values, sources = dict(leaf_values), dict(leaf_sources)
        for node in graph.computed:
            upstream = tuple(dict.fromkeys(s for p in graph.parents(node.key) for s in sources.get(p, ())))
            carried = _value(graph, node.expr, values)
            if (part, node.key) in given:
                judge(part, node.key, exact_pass.values[node.key], carried, upstream)
                values[node.key] = exact(given[(part, node.key)][1])
                sources[node.key] = (given[(part, node.key)][0],)
            else:
                values[node.key] = carried if carried is not None else exact_pass.values[node.key]
                sources[node.key] = upstream
        return values, sources

    leaves = {n.key: n.value for n in graph.leaves}
    values, sources = world_pass("forward", leaves, {}, step.forward)

    # gradients: the chain of local derivatives at the student's forward values
    try:
        adjoints, _ = chain.backward(graph, solution.locals, values)
    except UndefinedValueError:
        adjoints = None
    gradient_sources, gradients = {}, {}
    for p in graph.parameters:
        upstream = _chain_sources(graph, solution.locals, p, sources)
        carried = adjoints[p] if adjoints else None
        if ("gradients", p) in given:
            judge("gradients", p, step.adjoints[p], carried, upstream)
            gradients[p] = exact(given[("gradients", p)][1])
            gradient_sources[p] = (given[("gradients", p)][0],)
        else:
            gradients[p] = carried if carried is not None else step.adjoints[p]
            gradient_sources[p] = upstream

    if solution.learning_rate is not None:
        rate = solution.learning_rate
        updated, update_sources = dict(leaves), {}
        for u in step.updates:
            p = u.parameter
            carried = leaves[p] - rate * gradients[p]
            if ("updated", p) in given:
                judge("updated", p, u.new, carried, gradient_sources[p])
                updated[p] = exact(given[("updated", p)][1])
                update_sources[p] = (given[("updated", p)][0],)
            else:
                updated[p] = carried
                update_sources[p] = gradient_sources[p]
        world_pass("after", updated, update_sources, solution.after)

    order = [("forward", n.key) for n in graph.computed] + [("gradients", p) for p in graph.parameters]
    order += [("updated", p) for p in graph.parameters] + [("after", n.key) for n in graph.computed]
    return Report(tuple(results[k] for k in order if k in results), source)


class _Closeness:
    def __init__(self, rel_tol, abs_tol):
        self.fixed = rel_tol is not None or abs_tol is not None
        self.rel = Decimal(str(rel_tol or 0))
        self.abs = Decimal(str(abs_tol or 0))

    def __call__(self, given, reference):
        reference = Decimal(str(sympy.Float(reference, 30)))
        size = abs(reference)
        if self.fixed:
            tolerance = max(self.abs, self.rel * size)
        else:
            unit = Decimal(1).scaleb(given.as_tuple().exponent)  # one unit in the last written digit
            tolerance = min(max(unit, REL_FLOOR * size), REL_CAP * size) if size else unit
        return abs(given - reference) <= tolerance


def _value(graph, expr, values):
    try:
        return chain.evaluate(graph, expr, values, "")
    except UndefinedValueError:
        return None


def _chain_sources(graph, local, parameter, sources):
    """The answers a gradient's chain uses: the given values its local derivatives are taken at."""
    depends = chain.depends_on(graph, parameter)
    outputs = graph.function_outputs()
    used = [s.name for (child, parent), d in local.items() if child in depends and parent in depends
            for s in d.xreplace(outputs).free_symbols]
    return tuple(dict.fromkeys(s for key in used for s in sources.get(key, ())))
