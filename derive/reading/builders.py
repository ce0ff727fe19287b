"""Specs built in Python: ``Network``, ``Layer`` and ``Graph``, for people who would rather
not write TOML.

Each is only a spec in another dress: ``as_dict()`` is the data a TOML spec would hold,
so the spec loader checks it with the same words as a file (naming the table and key),
and ``to_toml()`` writes the file, to keep or to hand out. ``derive.solve`` takes them
as they are.
"""

import json
import re
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction


@dataclass
class Layer:
    """One layer: a row of ``weights`` per unit, one column per input (torch.nn.Linear order)."""

    weights: list
    activation: str = "sigmoid"
    bias: list = None
    slope: object = None           # leaky_relu only
    weight_names: list = None
    bias_names: list = None
    pre_names: list = None
    post_names: list = None

    def as_dict(self):
        data = {"activation": self.activation}
        if self.slope is not None:
            data["slope"] = self.slope
        data["weights"] = self.weights
        for key in ("weight_names", "bias", "bias_names", "pre_names", "post_names"):
            if getattr(self, key) is not None:
                data[key] = getattr(self, key)
        return data


@dataclass
class Network:
    """A layered network: ``inputs`` and ``targets`` as {name: value} in order, or
    ``samples`` as a list of (inputs, targets) pairs; ``layers`` a list of ``Layer``."""

    layers: list
    inputs: dict = None
    targets: dict = None
    loss: str = "squared_error"
    learning_rate: object = None
    steps: int = 1
    samples: list = None
    reduction: str = None
    title: str = ""
    lang: str = None
    loss_name: str = None
    symbols: dict = field(default_factory=dict)

    def as_dict(self):
        network = {}
        if self.inputs is not None:
            network["inputs"] = dict(self.inputs)
        if self.targets is not None:
            network["targets"] = dict(self.targets)
        if self.samples is not None:
            network["samples"] = [{"inputs": dict(i), "targets": dict(t)} for i, t in self.samples]
        network["loss"] = self.loss
        if self.reduction is not None:
            network["reduction"] = self.reduction
        network["layers"] = [layer.as_dict() if isinstance(layer, Layer) else layer for layer in self.layers]
        data = _head(self)
        if self.loss_name is not None:
            data["loss_name"] = self.loss_name
        data["network"] = network
        return _tail(self, data)

    def to_toml(self):
        return to_toml(self.as_dict())


@dataclass
class Graph:
    """A computational graph: ``equations`` such as "q = x + y", evaluated in order, and
    the leaves' ``values``; ``output`` defaults to the last equation, ``wrt`` to every leaf."""

    equations: list
    values: dict
    output: str = None
    wrt: list = None
    learning_rate: object = None
    steps: int = 1
    title: str = ""
    lang: str = None
    symbols: dict = field(default_factory=dict)

    def as_dict(self):
        graph = {"equations": list(self.equations)}
        if self.output is not None:
            graph["output"] = self.output
        if self.wrt is not None:
            graph["wrt"] = list(self.wrt)
        graph["values"] = dict(self.values)
        data = _head(self)
        data["graph"] = graph
        return _tail(self, data)

    def to_toml(self):
        return to_toml(self.as_dict())


def _head(spec):
    data = {}
    if spec.title:
        data["title"] = spec.title
    if spec.lang is not None:
        data["lang"] = spec.lang
    return data


def _tail(spec, data):
    if spec.learning_rate is not None:
        data["train"] = {"learning_rate": spec.learning_rate, "steps": spec.steps}
    elif spec.steps != 1:
        data["train"] = {"steps": spec.steps}   # the loader says a learning rate is missing
    if spec.symbols:
        data["symbols"] = dict(spec.symbols)
    return data


_BARE_KEY = re.compile(r"[A-Za-z0-9_-]+")


def to_toml(data):
    """Spec data as TOML, laid out as SPEC.md writes specs: plain keys first, then tables,
    a [[network.layers]] table per layer."""
    lines, tables = [], []
    for key, value in data.items():
        (tables if isinstance(value, dict) else lines).append((key, value))
    out = [f"{_key(k)} = {_value(v)}" for k, v in lines]
    for name, table in tables:
        out += ["", f"[{_key(name)}]"]
        arrays = []
        for key, value in table.items():
            if isinstance(value, list) and value and all(isinstance(v, dict) for v in value):
                arrays.append((key, value))
            else:
                out.append(f"{_key(key)} = {_value(value)}")
        for key, entries in arrays:
            for entry in entries:
                out += ["", f"[[{_key(name)}.{_key(key)}]]"]
                out += [f"{_key(k)} = {_value(v)}" for k, v in entry.items()]
    return "\n".join(out).lstrip("\n") + "\n"


def _key(key):
    return key if isinstance(key, str) and _BARE_KEY.fullmatch(key) else json.dumps(str(key), ensure_ascii=False)


def _value(value):
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, (int, Decimal)):
        return str(value)
    if isinstance(value, float):
        return repr(value)       # the shortest text that reads back as the same double
    if isinstance(value, Fraction):
        return repr(value.numerator / value.denominator)
    if isinstance(value, dict):
        return "{ " + ", ".join(f"{_key(k)} = {_value(v)}" for k, v in value.items()) + " }" if value else "{}"
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(_value(v) for v in value) + "]"
    raise ValueError(f"{value!r} ({type(value).__name__}) has no TOML form; give numbers, strings, lists or dicts")
