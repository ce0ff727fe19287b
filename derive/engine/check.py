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

import re
from dataclasses import dataclass, replace
from decimal import Decimal

import sympy

from ..errors import SpecError, UndefinedValueError, one_line
from ..numbers import as_written, exact, is_finite_number, range_problem
from . import chain, slips

#: The default tolerance: one unit in the last written digit, within these bounds.
REL_FLOOR = Decimal("0.005")
REL_CAP = Decimal("0.02")
STATUSES = ("right", "carried", "wrong")
#: A number as a spreadsheet cell holds one: 0.5, -0.02, .5, 1e-3 (no 1_000, no 0x10).
_NUMBER = re.compile(r"[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][+-]?[0-9]{1,4})?")
#: The points of one blank of a sheet (the exam class's \question[n] counts them).
POINTS = 1


@dataclass(frozen=True)
class Working:
    """What a wrong answer should have been computed from, with the student's own earlier
    values where they were given: one of a definition, a chain step or an update."""

    result: object        # what it comes to
    expr: object = None   # a forward value: its definition (SymPy), and
    values: tuple = ()    # ((name, value), ...) of the quantities in it
    terms: tuple = ()     # a gradient: ((gradient of the node above, local derivative), ...)
    update: tuple = ()    # an update: (value before, learning rate, gradient)


@dataclass(frozen=True)
class Result:
    key: str              # as in the JSON solution: forward.a1, gradients.w1, after.forward.yhat, forward[2].a1
    given: Decimal        # as written
    expected: object      # the exact value
    carried_from: object  # the value that follows from the student's earlier answers, or None
    status: str           # one of STATUSES
    follows_from: tuple   # keys of the wrong or carried answers a carried value follows from
    matches: str = ""     # "exact" or "carried": which value the answer is close to, or "" for none
    diagnosis: str = ""   # a wrong answer's slip (slips.IDS), or "" when none reproduces it
    points: int = POINTS  # what the answer is worth on the sheet
    working: Working = None  # a wrong answer's right line, in the student's world


@dataclass(frozen=True)
class Unknown:
    key: str              # as written in the answers
    suggestion: str       # the valid key it most likely means, or ""


@dataclass(frozen=True)
class Report:
    results: tuple
    source: str
    lang: str = "en"      # the spec's language, for the report's words
    unknown: tuple = ()   # Unknown keys: listed, the rest still checked
    maximum: int = 0      # the points of every blank of the sheet
    carried_credit: Decimal = Decimal(1)  # the share of its points a carried answer gets

    def count(self, status):
        return sum(1 for r in self.results if r.status == status)

    @property
    def any_wrong(self):
        return self.count("wrong") > 0 or bool(self.unknown)

    def credit(self, result):
        """The points an answer scores: all when right, ``carried_credit`` of them when carried."""
        share = {"right": Decimal(1), "carried": self.carried_credit}.get(result.status, Decimal(0))
        return result.points * share

    @property
    def score(self):
        return sum((self.credit(r) for r in self.results), Decimal(0))

    def as_json(self):
        """The report of SPEC.md section 4 (``follows_from`` added to carried results;
        ``diagnosis``, ``points`` and ``score`` to each result; ``score``, ``max`` and
        ``unknown`` to the report)."""
        results = []
        for r in self.results:
            item = {"key": r.key, "given": float(r.given), "expected": float(r.expected)}
            if r.carried_from is not None:
                item["carried_from"] = float(r.carried_from)
            item["status"] = r.status
            if r.follows_from:
                item["follows_from"] = list(r.follows_from)
            if r.diagnosis:
                item["diagnosis"] = r.diagnosis
            item["points"] = r.points
            item["score"] = _number(self.credit(r))
            results.append(item)
        return {"results": results, **{s: self.count(s) for s in STATUSES},
                "score": _number(self.score), "max": self.maximum,
                "unknown": [{"key": u.key, "suggestion": u.suggestion} if u.suggestion else {"key": u.key}
                            for u in self.unknown]}


def _number(value):
    """A score for JSON: a whole number as an int, else a float."""
    return int(value) if value == value.to_integral_value() else float(value)


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
        return list(self.flat(learning_rate))

    def factors(self):
        """{factors.child.parent: (child key, parent key)} of a one-sample graph's chain links."""
        graph = self.graph
        if graph.samples > 1:
            return {}
        return {f"factors.{graph.node(c).name}.{graph.node(p).name}": (c, p) for c, p in chain_links(graph)}

    def flat(self, learning_rate):
        """{answer key: (part, node key)} of every quantity an answer may name."""
        graph = self.graph
        keys = {self.label("forward", s, n): ("forward", k) for (s, n), k in self.forward.items()}
        keys["loss"] = ("forward", graph.loss)
        keys.update({k: ("factors", edge) for k, edge in self.factors().items()})
        keys.update({f"gradients.{n}": ("gradients", p) for n, p in self.parameters.items()})
        if learning_rate is not None:
            keys.update({f"updated.{n}": ("updated", p) for n, p in self.parameters.items()})
            keys.update({self.label("after.forward", s, n): ("after", k) for (s, n), k in self.forward.items()})
            keys["after.loss"] = ("after", graph.loss)
        return keys

    @staticmethod
    def label(part, sample, name):
        return f"{part}[{sample}].{name}" if sample else f"{part}.{name}"


def suggestion(key, valid):
    """The valid key an unknown ``key`` most likely means: the same name in its part
    (after.yhat: after.forward.yhat), else the closest name in its part (gradients.w9:
    gradients.w1), else the closest part (forwards: forward); "" when nothing is close."""
    import difflib

    def part(k):
        return k.split(".")[0].split("[")[0]

    head, name = part(key), key.rsplit(".", 1)[-1]
    within = [v for v in valid if part(v) == head] if "." in key else []
    same = [v for v in within if v.rsplit(".", 1)[-1] == name]
    if same:
        return same[0]
    names = {v.rsplit(".", 1)[-1]: v for v in within}
    close = difflib.get_close_matches(name, list(names), n=1, cutoff=0.5)
    if close:
        return names[close[0]]
    parts = list(dict.fromkeys(part(v) for v in valid))
    close = difflib.get_close_matches(head, parts, n=1, cutoff=0.6)
    if "." not in key:
        return close[0] if close else ""
    if not within and close:  # a misspelt part: gradient.w1 is gradients.w1
        return suggestion(close[0] + key[len(head):], valid)
    return ""


def answers(data, solution, source):
    """({(part, key in the graph): (report key, Decimal)}, (Unknown, ...)) from raw answers:
    every value checked (a value that is not a number is bad input); a key that names no
    quantity is listed with the valid key it most likely means, and the rest is kept."""
    graph = solution.graph
    keys = _Keys(graph)
    trains = solution.learning_rate is not None
    found, missing = {}, []

    def fail(where, message):
        raise SpecError(f"{source}: {where}: {message}")

    def unknown(where):
        missing.append(Unknown(where, suggestion(where, keys.valid(solution.learning_rate))))

    def number(value, where):
        if isinstance(value, bool) or not isinstance(value, (int, Decimal, float)):
            fail(where, f"expected a number, got {value!r}")
        if not is_finite_number(value):
            fail(where, f"{as_written(value)} is not a finite number")
        problem = range_problem(value)
        if problem:
            fail(where, problem)
        return Decimal(value) if not isinstance(value, float) else Decimal(repr(value))

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
                    continue
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
                continue
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
        elif top == "factors":
            links = keys.factors()
            for child, inner in table(value, "factors").items():
                for parent, given in table(inner, f"factors.{child}").items():
                    label = f"factors.{child}.{parent}"
                    if label not in links:
                        unknown(label)
                        continue
                    put("factors", links[label], label, given)
        elif top in ("title", "history", "steps"):
            continue  # parts of a JSON solution that are not answers
        else:
            unknown(top)
    if not found and not missing:
        valid = keys.valid(solution.learning_rate)
        fail("answers", f"holds no answers; name quantities of the solution, such as {', '.join(valid[:4])}")
    return found, tuple(missing)


def flat_answers(row, solution, source):
    """The same from one flat row {answer key: number or ""}: a spreadsheet's columns, an
    empty cell unanswered."""
    keys = _Keys(solution.graph).flat(solution.learning_rate)
    found, missing = {}, []
    for label, value in row.items():
        if value is None or str(value).strip() == "":
            continue
        if label not in keys:
            missing.append(Unknown(label, suggestion(label, list(keys))))
            continue
        written = str(value).strip()
        text = written.replace("\u2212", "-")
        if not _NUMBER.fullmatch(text):
            raise SpecError(f"{source}: {label}: expected a number, got {one_line(written)[:40]!r}")
        number = Decimal(text)
        if not number.is_finite() or (number and not -300 <= number.adjusted() <= 300):
            raise SpecError(f"{source}: {label}: {text} is not a finite number from 1e-300 to 1e300 in size")
        found[keys[label]] = (label, number)
    return found, tuple(missing)


def chain_links(graph):
    """(child, parent) of every chain link between the loss and a parameter, from the loss
    down: the local derivatives a sheet with factor blanks asks for."""
    above = {graph.loss}
    for node in reversed(graph.computed):
        if node.key in above:
            above.update(graph.parents(node.key))
    below = set(graph.parameters)
    for node in graph.computed:
        if any(p in below for p in graph.parents(node.key)):
            below.add(node.key)
    on_path = above & below
    return [(n.key, p) for n in reversed(graph.computed) if n.key in on_path
            for p in graph.parents(n.key) if p in on_path]


def sheet_keys(solution, factors=False):
    """The answer keys a worksheet of ``solution`` has a blank for, in its order: every
    forward value, the loss, (with ``factors``, every chain link,) every gradient, every
    update, and after the update the outputs and losses."""
    graph = solution.graph
    keys = _Keys(graph)
    flat = keys.flat(solution.learning_rate)
    parts = ("forward", "factors", "gradients", "updated") if factors else ("forward", "gradients", "updated")
    asked = [k for k, (part, _) in flat.items() if part in parts]
    if solution.learning_rate is not None:
        losses = {n.key for n in graph.computed if n.role in ("loss", "sample_loss")}
        outputs = {p for k in losses for p in graph.parents(k) if not graph.node(p).is_leaf and p not in losses}
        asked += [k for k, (part, node) in flat.items() if part == "after" and node in outputs | losses]
    # the loss of one sample is both forward.L and loss: one blank
    return list({flat[k]: k for k in reversed(asked)}.values())[::-1]


def answer_values(solution, factors=False):
    """[(answer key, exact value), ...] of every blank of the sheet, in its order."""
    graph, step = solution.graph, solution.first
    flat = _Keys(graph).flat(solution.learning_rate)
    updates = {u.parameter: u.new for u in step.updates}
    outputs = graph.function_outputs()

    def value(part, key):
        if part == "forward":
            return step.forward.values[key]
        if part == "gradients":
            return step.adjoints[key]
        if part == "updated":
            return updates[key]
        if part == "after":
            return solution.after.values[key]
        return chain.evaluate(graph, solution.locals[key].xreplace(outputs), step.forward.values, "")

    return [(k, value(*flat[k])) for k in sheet_keys(solution, factors)]


def answer_places(solution):
    """{answer key: (part, node key or (child, parent))} of every quantity an answer may name."""
    return _Keys(solution.graph).flat(solution.learning_rate)


def tolerance(value, digits):
    """How far a platform may let an answer be from ``value`` when the sheet asks for
    ``digits`` significant digits: the default closeness of ``check`` (one unit in the last
    digit, at least REL_FLOOR and at most REL_CAP of the value), as an absolute margin."""
    size = abs(Decimal(str(sympy.Float(value, 30))))
    if not size:
        return Decimal(0)  # as check takes a right value of 0: 0 alone
    unit = Decimal(1).scaleb(size.adjusted() - digits + 1)
    return min(max(unit, REL_FLOOR * size), REL_CAP * size)


def check(solution, given, rel_tol=None, abs_tol=None, source="", unknown=(), carried_credit=1, factors=None):
    """The ``Report`` of the answers ``given`` (as made by ``answers``) against ``solution``:
    each wrong answer diagnosed (``slips``), scored against every blank of the sheet."""
    graph, step = solution.graph, solution.first
    closeness = _Closeness(rel_tol, abs_tol)
    results, status_of, workings = {}, {}, {}
    # an answer is clean when it is right and so is every answer it stands on: a wrong
    # answer's line is worked from the clean answers, and from corrected values elsewhere
    clean = {}

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
        clean[label] = status == "right" and all(clean[s] for s in sources)
        results[(part, key)] = Result(label, value, exact_value, carried if sources else None, status,
                                      wrong_before if status == "carried" else (), matches)

    def world_pass(part, leaf_values, leaf_sources, exact_pass, fair_leaves):
        """The student's values of one forward pass, the answers each one follows from, and
        the fair values a wrong answer's right line is worked from: the student's own where
        clean, what follows from the fair values elsewhere (a value that stands on a wrong
        one would make a line that is neither right nor what follows from the answers)."""
        values, sources, fair = dict(leaf_values), dict(leaf_sources), dict(fair_leaves)
        for node in graph.computed:
            upstream = tuple(dict.fromkeys(s for p in graph.parents(node.key) for s in sources.get(p, ())))
            carried = _value(graph, node.expr, values)
            should = _value(graph, node.expr, fair)
            if (part, node.key) in given:
                judge(part, node.key, exact_pass.values[node.key], carried, upstream)
                used = tuple((k, fair[k]) for k in graph.reading_order([s.name for s in node.expr.free_symbols],
                                                                       node.key))
                workings[(part, node.key)] = Working(should, node.expr, used)
                values[node.key] = exact(given[(part, node.key)][1])
                sources[node.key] = (given[(part, node.key)][0],)
                fair[node.key] = values[node.key] if clean[sources[node.key][0]] or should is None else should
            else:
                values[node.key] = carried if carried is not None else exact_pass.values[node.key]
                sources[node.key] = upstream
                fair[node.key] = should if should is not None else exact_pass.values[node.key]
        return values, sources, fair

    leaves = {n.key: n.value for n in graph.leaves}
    values, sources, fair = world_pass("forward", leaves, {}, step.forward, leaves)

    # gradients: the chain of local derivatives at the student's forward values
    adjoints, _ = _backward(graph, solution.locals, values)
    fair_adjoints, fair_factors = _backward(graph, solution.locals, fair)
    gradient_sources, gradients, fair_gradients = {}, {}, {}
    for p in graph.parameters:
        upstream = _chain_sources(graph, solution.locals, p, sources)
        carried = adjoints[p] if adjoints else None
        fair_gradients[p] = fair_adjoints[p] if fair_adjoints else step.adjoints[p]
        if ("gradients", p) in given:
            judge("gradients", p, step.adjoints[p], carried, upstream)
            if fair_adjoints:
                workings[("gradients", p)] = Working(fair_adjoints[p], terms=tuple(
                    (fair_adjoints[c], fair_factors[(c, p)].value) for c in graph.children(p)
                    if (c, p) in fair_factors))
            gradients[p] = exact(given[("gradients", p)][1])
            gradient_sources[p] = (given[("gradients", p)][0],)
            if clean[gradient_sources[p][0]]:
                fair_gradients[p] = gradients[p]
        else:
            gradients[p] = carried if carried is not None else step.adjoints[p]
            gradient_sources[p] = upstream

    # chain links: the local derivative at the student's forward values
    outputs = graph.function_outputs()
    for (part, edge) in [k for k in given if k[0] == "factors"]:
        derivative = solution.locals[edge].xreplace(outputs)
        used = graph.in_order(s.name for s in derivative.free_symbols)
        exact_link = _value(graph, derivative, step.forward.values)
        carried = _value(graph, derivative, values)
        judge("factors", edge, exact_link, carried, tuple(dict.fromkeys(s for k in used for s in sources.get(k, ()))))
        fair_link = _value(graph, derivative, fair)
        if fair_link is not None:
            workings[("factors", edge)] = Working(fair_link, derivative, tuple(
                (k, fair[k]) for k in graph.reading_order(used, edge[0])))

    if solution.learning_rate is not None:
        rate = solution.learning_rate
        updated, update_sources, fair_updated = dict(leaves), {}, dict(leaves)
        for u in step.updates:
            p = u.parameter
            carried = leaves[p] - rate * gradients[p]
            should = leaves[p] - rate * fair_gradients[p]
            fair_updated[p] = should
            if ("updated", p) in given:
                judge("updated", p, u.new, carried, gradient_sources[p])
                workings[("updated", p)] = Working(should, update=(leaves[p], rate, fair_gradients[p]))
                updated[p] = exact(given[("updated", p)][1])
                update_sources[p] = (given[("updated", p)][0],)
                if clean[update_sources[p][0]]:
                    fair_updated[p] = updated[p]
            else:
                updated[p] = carried
                update_sources[p] = gradient_sources[p]
        world_pass("after", updated, update_sources, solution.after, fair_updated)

    world = slips.World(solution, values, gradients, dict(step.forward.values))
    for (part, key), result in results.items():
        if result.status == "wrong":
            results[(part, key)] = replace(result, diagnosis=slips.diagnose(world, part, key, result.given, closeness),
                                           working=workings.get((part, key)))
    order = [("forward", n.key) for n in graph.computed] + [("factors", e) for e in chain_links(graph)]
    order += [("gradients", p) for p in graph.parameters]
    order += [("updated", p) for p in graph.parameters] + [("after", n.key) for n in graph.computed]
    # a sheet with factor blanks is the one whose answers name a chain link
    factors = any(part == "factors" for part, _ in given) if factors is None else factors
    return Report(tuple(results[k] for k in order if k in results), source, unknown=tuple(unknown),
                  maximum=POINTS * len(sheet_keys(solution, factors)), carried_credit=Decimal(str(carried_credit)))


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
            # a right value of 0 takes 0 alone: 1 is not "one unit off" 0, however it is written
            tolerance = min(max(unit, REL_FLOOR * size), REL_CAP * size) if size else unit / 2
        return abs(given - reference) <= tolerance


def _backward(graph, local, values):
    """(adjoints, factors) at ``values``, or (None, None) where the chain is undefined there."""
    try:
        return chain.backward(graph, local, values)
    except UndefinedValueError:
        return None, None


def _value(graph, expr, values):
    try:
        return chain.evaluate(graph, expr, values, "")
    except UndefinedValueError:
        return None


def _chain_sources(graph, local, parameter, sources):
    """The answers a gradient's chain uses: the given values its local derivatives are taken at."""
    depends = chain.depends_on(graph, parameter)
    outputs = graph.function_outputs()
    used = [key for (child, parent), d in local.items() if child in depends and parent in depends
            for key in graph.in_order(s.name for s in d.xreplace(outputs).free_symbols)]
    return tuple(dict.fromkeys(s for key in used for s in sources.get(key, ())))

