"""Read a spec (TOML text, a file or a dict), check every key, and return plain records.

Every message names the file and the key path (``network.layers[2].weights``, counting
from 1 as a person does) and says what would be right. An unknown key is an error, never
ignored, because a typo must not silently change a result.
"""

import difflib
import sys
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from ..errors import SpecError, one_line, unplain
from ..languages import CODES as LANGUAGE_CODES
from ..numbers import as_written, exact, is_finite_number, plain_decimal, range_problem
from ..registry.functions import ACTIVATIONS as ACTIVATION_ENTRIES
from ..registry.losses import LOSSES as LOSS_ENTRIES
from .expressions import check_name, check_symbol_latex, parse_equation, parse_expression

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised only on Python 3.10
    import tomli as tomllib

ACTIVATIONS = tuple(ACTIVATION_ENTRIES)
LOSSES = tuple(LOSS_ENTRIES)
REDUCTIONS = ("mean", "sum")


@dataclass(frozen=True)
class Layer:
    activation: str            # a name of ACTIVATIONS, or "custom"
    custom: object             # the SymPy expression in x of a custom activation, else None
    slope: object              # leaky_relu's slope (exact), else None
    weights: tuple             # rows (units) of exact numbers, one column per input
    weight_names: tuple        # rows of names, or None for the default names
    bias: tuple                # exact numbers, or None for no bias
    bias_names: tuple          # names, or None
    pre_names: tuple           # names, or None
    post_names: tuple          # names, or None


@dataclass(frozen=True)
class Sample:
    inputs: tuple              # ((name, exact value), ...) in order
    targets: tuple


@dataclass(frozen=True)
class Network:
    samples: tuple
    layers: tuple
    loss: str                  # a name of LOSSES, or "custom"
    loss_expr: object          # SymPy expression of a custom loss, else None
    reduction: str


@dataclass(frozen=True)
class GraphForm:
    equations: tuple           # parse.Equation records, as written
    output: str
    wrt: tuple                 # names, or None for every leaf
    values: tuple              # ((name, exact value), ...)


@dataclass(frozen=True)
class Train:
    learning_rate: object      # exact
    steps: int


@dataclass(frozen=True)
class Range:
    """Where ``derive worksheet`` draws a quantity (or a group of them) from: low, low + step, ..., high."""

    name: str                  # a quantity's name, or a group: inputs, targets, weights, biases, parameters, values
    low: object                # exact
    high: object
    step: object
    where: str                 # randomize.<name>, for messages

    @property
    def count(self):
        return int((self.high - self.low) / self.step) + 1


@dataclass(frozen=True)
class Spec:
    source: str                # the file name used in messages
    title: str
    lang: str
    loss_name: str
    symbols: tuple             # ((name, LaTeX), ...)
    network: Network           # exactly one of network and graph is set
    graph: GraphForm
    train: Train               # None without a learning rate
    randomize: tuple = ()      # Range records, in the order written


class _Reader:
    """Checks one spec's values; ``fail`` prefixes the file name to every message."""

    def __init__(self, source):
        self.source = source

    def fail(self, where, message):
        raise SpecError(f"{self.source}: {where}: {message}" if where else f"{self.source}: {message}")

    def table(self, value, where, allowed, required=()):
        if not isinstance(value, dict):
            self.fail(where, f"expected a table, got {_kind(value)}")
        for key in value:
            if key not in allowed:
                close = difflib.get_close_matches(key, allowed, n=1)
                hint = f" (did you mean {close[0]!r}?)" if close else f" (known keys: {', '.join(allowed)})"
                self.fail(_join(where, key), f"unknown key{hint}")
        for key in required:
            if key not in value:
                self.fail(where or None, f"missing key {key!r}")
        return value

    def number(self, value, where):
        if isinstance(value, bool) or not isinstance(value, (int, float, Decimal)):
            self.fail(where, f"expected a number, got {_kind(value)}")
        if not is_finite_number(value):
            self.fail(where, f"{as_written(value)} is not a finite number")
        problem = range_problem(value)
        if problem:
            self.fail(where, problem)
        return exact(value)

    def string(self, value, where, choices=None):
        if not isinstance(value, str):
            self.fail(where, f"expected a string, got {_kind(value)}")
        if choices is not None and value not in choices:
            self.fail(where, f"{value!r} is not one of {', '.join(choices)}")
        return value

    def name(self, value, where):
        self.string(value, where)
        check_name(value, f"{self.source}: {where}")
        return value

    def latex(self, value, where):
        self.string(value, where)
        check_symbol_latex(value, f"{self.source}: {where}")
        return value

    def array(self, value, where, length=None, what="entries"):
        if not isinstance(value, list):
            self.fail(where, f"expected an array, got {_kind(value)}")
        if length is not None and len(value) != length:
            self.fail(where, f"expected {length} {what}, got {len(value)}")
        return value

    def mapping(self, value, where):
        """A table whose keys are the user's own names (any key is allowed)."""
        if not isinstance(value, dict):
            self.fail(where, f"expected a table, got {_kind(value)}")
        return value

    def named_numbers(self, value, where):
        """An inline table of name = number, in order."""
        self.mapping(value, where)
        if not value:
            self.fail(where, "is empty")
        return tuple((self.name(k, _join(where, k)), self.number(v, _join(where, k))) for k, v in value.items())


def _kind(value):
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, (int, float, Decimal)):
        return f"the number {value}"
    if isinstance(value, str):
        return f"the string {value!r}"
    if isinstance(value, list):
        return "an array"
    if isinstance(value, dict):
        return "a table"
    return type(value).__name__


def _join(where, key):
    return f"{where}.{key}" if where else str(key)


#: A spec or an answers file is a few kilobytes; a megabyte is refused before it is read further.
MAX_BYTES = 1_000_000
#: Tables and arrays nested deeper than this are no spec (and would exhaust Python's stack).
MAX_NESTING = 40


def _text(text):
    """The text of a file, without the byte-order mark some editors put first."""
    return text[1:] if text.startswith("\ufeff") else text


def toml(text, source):
    try:
        data = tomllib.loads(_text(text), parse_float=Decimal)
    except tomllib.TOMLDecodeError as err:
        raise SpecError(f"{source}: TOML syntax error: {one_line(str(err))}") from None
    except RecursionError:
        raise SpecError(f"{source}: tables or arrays nested too deep") from None
    check_nesting(data, source)
    return data


def check_nesting(data, source, depth=0):
    """Refuse data nested deeper than MAX_NESTING (checked without recursion's own limit)."""
    stack = [(data, 0)]
    while stack:
        value, level = stack.pop()
        if level > MAX_NESTING:
            raise SpecError(f"{source}: tables or arrays nested more than {MAX_NESTING} deep")
        if isinstance(value, dict):
            stack.extend((v, level + 1) for v in value.values())
        elif isinstance(value, list):
            stack.extend((v, level + 1) for v in value)


def read_text(value, source=None, what="spec file"):
    """(text, name for messages) of a path, or of text given as it is.

    One line without "=" (and not a JSON object) cannot be a document worth reading, so it
    is taken as a file name.
    """
    if isinstance(value, Path) or (isinstance(value, str) and "\n" not in value and (
            value.endswith((".toml", ".json")) or ("=" not in value and not value.lstrip().startswith("{")))):
        path = Path(value)
        name = source or str(path)
        try:
            with path.open("rb") as stream:
                data = stream.read(MAX_BYTES + 1)
            if len(data) > MAX_BYTES:
                raise SpecError(f"{name}: is larger than {MAX_BYTES // 1_000_000} MB; a {what} is a short text file")
            return _text(data.decode("utf-8")), name
        except FileNotFoundError:
            raise SpecError(f"{name}: no such file") from None
        except IsADirectoryError:
            raise SpecError(f"{name}: is a folder, not a {what}") from None
        except UnicodeDecodeError:
            raise SpecError(f"{name}: not UTF-8 text") from None
        except OSError as err:
            raise SpecError(f"{name}: cannot be read ({err.strerror})") from None
    if isinstance(value, str):
        if len(value) > MAX_BYTES:
            raise SpecError(f"{source or '<string>'}: is longer than {MAX_BYTES} characters")
        return _text(value), source or "<string>"
    raise SpecError(f"{source or '<spec>'}: expected a path, TOML text, a dict or a derive.Network/Graph, got {type(value).__name__}")


def read(spec, source=None):
    """The raw TOML data and a file name for messages, from a path, TOML text, a dict, or a
    spec built in Python (``builders.Network``, ``builders.Graph``)."""
    if isinstance(spec, dict):
        return spec, source or "<dict>"
    if callable(getattr(spec, "as_dict", None)) and not isinstance(spec, type):
        return spec.as_dict(), source or f"<{type(spec).__name__}>"
    text, name = read_text(spec, source)
    return toml(text, name), name


def load(spec, source=None):
    """Read and check a spec; return a ``Spec`` record."""
    data, source = read(spec, source)
    r = _Reader(source)
    r.table(data, "", allowed=("title", "lang", "loss_name", "symbols", "network", "graph", "train", "randomize"))
    if ("network" in data) == ("graph" in data):
        r.fail(None, "a spec has exactly one of a [network] table and a [graph] table"
                     + (", not both" if "network" in data else "; it has neither"))
    title = _title(r, data.get("title", ""))
    lang = r.string(data.get("lang", "en"), "lang", LANGUAGE_CODES)
    symbols = r.mapping(data.get("symbols", {}), "symbols")
    symbols = tuple((r.name(k, f"symbols.{k}"), r.latex(v, f"symbols.{k}")) for k, v in symbols.items())
    randomize = _randomize(r, data.get("randomize", {}))
    train = _train(r, data["train"]) if "train" in data else None
    loss_name = data.get("loss_name")
    if "network" in data:
        network_data = data["network"]
        if isinstance(network_data, dict) and "loss_name" in network_data:
            if loss_name is not None:
                r.fail("network.loss_name", "loss_name is given twice (top level and in [network]); keep one")
            loss_name = network_data["loss_name"]
            where = "network.loss_name"
        else:
            where = "loss_name"
        loss_name = r.name(loss_name if loss_name is not None else "L", where)
        spec = Spec(source, title, lang, loss_name, symbols, _network(r, network_data), None, train, randomize)
    else:
        if loss_name is not None:
            r.fail("loss_name", "belongs to a [network] spec; a graph's loss is its 'output'")
        graph = _graph(r, data["graph"])
        spec = Spec(source, title, lang, graph.output, symbols, None, graph, train, randomize)
    if train is not None:
        _learning_rate_symbol(r, spec)
    return spec


def _learning_rate_symbol(r, spec):
    """With a learning rate, η is its symbol on every update line: no quantity may print so."""
    shown = dict(spec.symbols)
    for name in _names_of(spec):
        if shown.get(name, name) in ("eta", r"\eta"):
            where = f"symbols.{name}" if name in shown else "names"
            r.fail(where, f"{name!r} would print as η, the learning rate's symbol on every update line; "
                          "choose another name (or another [symbols] entry)")


def _names_of(spec):
    """The names a checked spec gives its quantities."""
    yield spec.loss_name
    if spec.graph is not None:
        yield from (eq.name for eq in spec.graph.equations)
        yield from (name for name, _ in spec.graph.values)
        return
    for sample in spec.network.samples:
        yield from (name for name, _ in sample.inputs + sample.targets)
    for layer in spec.network.layers:
        for names in (layer.bias_names, layer.pre_names, layer.post_names, *(layer.weight_names or ())):
            yield from names or ()


#: A title is a heading: one line, short enough to read as one.
MAX_TITLE = 200


def _title(r, value):
    title = r.string(value, "title")
    bad = unplain(title)
    if bad is not None:
        # a line break would split the heading; a direction override would make it lie; a
        # noncharacter (U+FFFE) is refused by YAML, so a blog's front matter would be lost
        r.fail("title", f"must be one line of plain text; it holds the control character {bad!r}")
    if len(title) > MAX_TITLE:
        r.fail("title", f"is {len(title)} characters long; a title is at most {MAX_TITLE}")
    return title


#: More choices than this in one range would make the draws no easier to check by hand.
MAX_CHOICES = 100_000


def _randomize(r, data):
    """[randomize]: name = { low, high, step }; names are checked against the graph when drawing."""
    r.mapping(data, "randomize")
    ranges = []
    for name, entry in data.items():
        where = f"randomize.{name}"
        r.name(name, where)
        r.table(entry, where, allowed=("low", "high", "step"), required=("low", "high", "step"))
        low, high, step = (r.number(entry[k], f"{where}.{k}") for k in ("low", "high", "step"))
        if step <= 0:
            r.fail(f"{where}.step", f"must be positive, got {entry['step']}")
        if high < low:
            r.fail(where, f"high ({entry['high']}) is below low ({entry['low']})")
        steps = (high - low) / step
        if not steps.is_integer:
            below = low + int(steps) * step
            r.fail(where, f"{entry['low']} to {entry['high']} is not a whole number of steps of {entry['step']} "
                          f"(high = {plain_decimal(below)} or {plain_decimal(below + step)} would be)")
        if steps + 1 > MAX_CHOICES:
            r.fail(where, f"gives {steps + 1} choices; at most {MAX_CHOICES} are allowed (take a larger step)")
        ranges.append(Range(name, low, high, step, where))
    return tuple(ranges)


def _train(r, data):
    r.table(data, "train", allowed=("learning_rate", "steps"), required=("learning_rate",))
    rate = r.number(data["learning_rate"], "train.learning_rate")
    if rate <= 0:
        r.fail("train.learning_rate", f"must be positive, got {data['learning_rate']}")
    steps = data.get("steps", 1)
    if isinstance(steps, bool) or not isinstance(steps, int):
        r.fail("train.steps", f"expected a whole number, got {_kind(steps)}")
    if not 1 <= steps <= 1000:
        r.fail("train.steps", f"must be between 1 and 1000, got {steps}")
    return Train(rate, steps)


def _network(r, data):
    r.table(data, "network", allowed=("inputs", "targets", "samples", "loss", "loss_name", "reduction", "layers"),
            required=("loss", "layers"))
    if "samples" in data:
        if "inputs" in data or "targets" in data:
            r.fail("network.samples", "[[network.samples]] replaces network.inputs and network.targets; give one or the other")
        r.array(data["samples"], "network.samples")
        if not data["samples"]:
            r.fail("network.samples", "is empty")
        samples = []
        for s, sample in enumerate(data["samples"], 1):
            where = f"network.samples[{s}]"
            r.table(sample, where, allowed=("inputs", "targets"), required=("inputs", "targets"))
            samples.append(Sample(r.named_numbers(sample["inputs"], f"{where}.inputs"),
                                  r.named_numbers(sample["targets"], f"{where}.targets")))
        first = samples[0]
        for s, sample in enumerate(samples[1:], 2):
            for part in ("inputs", "targets"):
                names, expected = [n for n, _ in getattr(sample, part)], [n for n, _ in getattr(first, part)]
                if names != expected:
                    r.fail(f"network.samples[{s}].{part}", f"names {', '.join(names)} differ from sample 1's "
                                                           f"({', '.join(expected)}); every sample names the same {part} in the same order")
    else:
        for key in ("inputs", "targets"):
            if key not in data:
                r.fail("network", f"missing key {key!r} (or give [[network.samples]])")
        samples = [Sample(r.named_numbers(data["inputs"], "network.inputs"),
                          r.named_numbers(data["targets"], "network.targets"))]
    reduction = r.string(data.get("reduction", "mean"), "network.reduction", REDUCTIONS)
    r.array(data["layers"], "network.layers")
    if not data["layers"]:
        r.fail("network.layers", "a network needs at least one [[network.layers]]")
    width = len(samples[0].inputs)
    written = sum(len(layer["weights"]) * len(layer["weights"][0]) for layer in data["layers"]
                  if isinstance(layer, dict) and isinstance(layer.get("weights"), list) and layer["weights"]
                  and isinstance(layer["weights"][0], list))
    if written > MAX_PARAMETERS:  # before reading a million numbers one by one
        r.fail("network.layers", f"the network has {written} weights; at most {MAX_PARAMETERS} parameters are "
                                 "worked out (a smaller network shows the same steps)")
    layers = []
    for l, layer in enumerate(data["layers"], 1):
        layers.append(_layer(r, layer, f"network.layers[{l}]", width, last=l == len(data["layers"])))
        width = len(layers[-1].weights)
    _network_budget(r, layers, samples)
    targets = samples[0].targets
    if len(targets) != width:
        where = "network.targets" if "targets" in data else "network.samples[1].targets"
        r.fail(where, f"the last layer has {width} unit{'s' * (width != 1)}, so {width} target{'s' * (width != 1)} "
                      f"{'are' if width != 1 else 'is'} needed, got {len(targets)} ({', '.join(n for n, _ in targets)})")
    loss = r.string(data["loss"], "network.loss")
    if loss in LOSS_ENTRIES and LOSS_ENTRIES[loss].needs_softmax and layers[-1].activation != "softmax":
        r.fail("network.loss", f"{loss} needs a softmax output layer, whose outputs sum to 1 (otherwise a "
                               "target of 0 makes the loss and every gradient 0); after sigmoid units use "
                               "binary_cross_entropy, or make the last layer's activation \"softmax\"")
    loss_expr = None
    if loss not in LOSSES:
        allowed = {n for n, _ in targets} | set(_output_names(layers))
        if loss.isidentifier() and loss not in allowed:
            close = difflib.get_close_matches(loss, LOSSES, n=1)
            hint = f"did you mean {close[0]!r}? " if close else ""
            r.fail("network.loss", f"unknown loss {loss!r}; {hint}known: {', '.join(LOSSES)}, "
                                   "or an expression over the target and output names")
        loss_expr, _ = parse_expression(loss, f"{r.source}: network.loss", allowed=allowed)
        loss = "custom"
    return Network(tuple(samples), tuple(layers), loss, loss_expr, reduction)


#: The size of what is worked out, checked before any work: a worked solution is read by a
#: person, and beyond these a run would take minutes (bench/ measures 3,232 parameters).
MAX_PARAMETERS = 5000
MAX_QUANTITIES = 10000
MAX_EQUATIONS = 2000


def _network_budget(r, layers, samples):
    parameters = sum(len(l.weights) * len(l.weights[0]) + len(set(l.bias_names or range(len(l.bias or ()))))
                     for l in layers)
    if parameters > MAX_PARAMETERS:
        r.fail("network.layers", f"the network has {parameters} parameters; at most {MAX_PARAMETERS} are worked "
                                 "out (a smaller network shows the same steps)")
    quantities = len(samples) * sum(2 * len(l.weights) for l in layers)
    if quantities > MAX_QUANTITIES:
        r.fail("network", f"{len(samples)} samples through this network make {quantities} quantities to compute; "
                          f"at most {MAX_QUANTITIES} are worked out (fewer samples show the same steps)")


def unit_names(layer, l):
    """The names of layer ``l``'s weighted sums and outputs: as given, or z{l}_{j} and a{l}_{j}."""
    units = range(1, len(layer.weights) + 1)
    return (layer.pre_names or tuple(f"z{l}_{j}" for j in units),
            layer.post_names or tuple(f"a{l}_{j}" for j in units))


def _output_names(layers):
    return unit_names(layers[-1], len(layers))[1]


def _layer(r, data, where, width, last):
    r.table(data, where, allowed=("activation", "slope", "weights", "weight_names", "bias", "bias_names",
                                  "pre_names", "post_names"), required=("activation", "weights"))
    activation = r.string(data["activation"], f"{where}.activation")
    custom = None
    if activation not in ACTIVATIONS:
        if activation.isidentifier() and activation != "x":
            close = difflib.get_close_matches(activation, ACTIVATIONS, n=1)
            hint = f"did you mean {close[0]!r}? " if close else ""
            r.fail(f"{where}.activation", f"unknown activation {activation!r}; {hint}known: "
                                          f"{', '.join(ACTIVATIONS)}, or an expression in x such as \"x / (1 + abs(x))\"")
        custom, _ = parse_expression(activation, f"{r.source}: {where}.activation", allowed={"x"})
        activation = "custom"
    entry = ACTIVATION_ENTRIES.get(activation)
    if entry is not None and entry.last_only and not last:
        r.fail(f"{where}.activation", f"{activation} is not differentiable, so it is allowed only in the last layer, "
                                      "where the perceptron rule trains it")
    slope = None
    options = dict(entry.options) if entry is not None else {}
    if "slope" in data:
        if "slope" not in options:
            takes = [a.name for a in ACTIVATION_ENTRIES.values() if "slope" in dict(a.options)]
            r.fail(f"{where}.slope", f"slope belongs to activation = \"{takes[0]}\"")
        slope = r.number(data["slope"], f"{where}.slope")
    elif "slope" in options:
        slope = exact(Decimal(options["slope"]))
    rows = r.array(data["weights"], f"{where}.weights")
    if not rows:
        r.fail(f"{where}.weights", "needs at least one row (one row per unit)")
    weights = []
    for j, row in enumerate(rows, 1):
        if not isinstance(row, list):
            r.fail(f"{where}.weights", f"expected an array of rows, one per unit, each with {width} "
                                       f"number{'s' * (width != 1)} (one per input); row {j} is {_kind(row)}")
        if len(row) != width:
            r.fail(f"{where}.weights", f"row {j} has {len(row)} number{'s' * (len(row) != 1)}, but this layer has "
                                       f"{width} input{'s' * (width != 1)}: each row holds one weight per input "
                                       "(torch.nn.Linear order: one row per unit)")
        weights.append(tuple(r.number(v, f"{where}.weights[{j}][{i}]") for i, v in enumerate(row, 1)))
    units = len(weights)
    weight_names = None
    if "weight_names" in data:
        names = r.array(data["weight_names"], f"{where}.weight_names", units, "rows (one per unit)")
        weight_names = []
        for j, row in enumerate(names, 1):
            r.array(row, f"{where}.weight_names[{j}]", width, "names (one per input)")
            weight_names.append(tuple(r.name(n, f"{where}.weight_names[{j}][{i}]") for i, n in enumerate(row, 1)))
        weight_names = tuple(weight_names)
    bias = None
    if "bias" in data:
        bias = tuple(r.number(v, f"{where}.bias[{j}]") for j, v in
                     enumerate(r.array(data["bias"], f"{where}.bias", units, "numbers (one per unit)"), 1))
    elif "bias_names" in data:
        r.fail(f"{where}.bias_names", "given without bias values (add bias = [...])")
    bias_names = _names(r, data, "bias_names", where, units)
    if bias_names:
        for j, name in enumerate(bias_names):
            first = bias_names.index(name)
            if bias[first] != bias[j]:
                r.fail(f"{where}.bias", f"{name} is one shared bias, but it is given two values "
                                        f"({data['bias'][first]} and {data['bias'][j]})")
    pre_names = _names(r, data, "pre_names", where, units)
    if pre_names and activation == "identity":
        r.fail(f"{where}.pre_names", "an identity layer has one node per unit, named by post_names")
    post_names = _names(r, data, "post_names", where, units)
    return Layer(activation, custom, slope, tuple(weights), weight_names, bias, bias_names, pre_names, post_names)


def _names(r, data, key, where, units):
    if key not in data:
        return None
    names = r.array(data[key], f"{where}.{key}", units, "names (one per unit)")
    return tuple(r.name(n, f"{where}.{key}[{j}]") for j, n in enumerate(names, 1))


def _graph(r, data):
    r.table(data, "graph", allowed=("equations", "output", "wrt", "values"), required=("equations",))
    texts = r.array(data["equations"], "graph.equations")
    if not texts:
        r.fail("graph.equations", "is empty")
    if len(texts) > MAX_EQUATIONS:
        r.fail("graph.equations", f"has {len(texts)} equations; at most {MAX_EQUATIONS} are worked out")
    equations = tuple(parse_equation(t, f"{r.source}: graph.equations[{k}]") for k, t in enumerate(texts, 1))
    output = r.name(data.get("output", equations[-1].name), "graph.output")
    wrt = None
    if "wrt" in data:
        wrt = tuple(r.name(n, f"graph.wrt[{k}]") for k, n in enumerate(r.array(data["wrt"], "graph.wrt"), 1))
        if not wrt:
            r.fail("graph.wrt", "is empty; leave it out to differentiate with respect to every leaf")
    values = r.named_numbers(data.get("values", {}), "graph.values") if data.get("values") else ()
    return GraphForm(equations, output, wrt, values)
