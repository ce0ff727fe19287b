"""Generated specs for the page self-check: every activation, loss and function the spec
format knows, in networks and graphs of a few nodes, drawn from a fixed seed.

``network_specs()`` and ``graph_specs()`` return (name, spec dict) pairs; the same call
gives the same specs on any machine. Some are built to meet the places where a function
has a kink (relu at 0, a max at a tie), so that the conventions there are exercised too.
"""

import random
from decimal import Decimal

from derive.registry.functions import FUNCTIONS
from derive.reading.spec import ACTIVATIONS, LOSSES

#: Activations given as expressions in x: they use the functions a built-in one does not.
CUSTOM_ACTIVATIONS = ("x / (1 + abs(x))", "log(1 + exp(x))", "x * sigmoid(x)", "sqrt(x ** 2 + 1) - 1")
#: A loss given as an expression over the target y1 and the output yhat1.
CUSTOM_LOSS = "(yhat1 - y1) ** 2 + abs(yhat1 - y1) / 2"


def _draw(rng, low, high, step="0.1", nonzero=True):
    low, high, step = Decimal(str(low)), Decimal(str(high)), Decimal(step)
    while True:
        value = low + step * rng.randint(0, int((high - low) / step))
        if value or not nonzero:
            return value


def _layer(rng, units, width, activation):
    layer = {"activation": activation,
             "weights": [[_draw(rng, -0.9, 0.9) for _ in range(width)] for _ in range(units)]}
    if activation == "leaky_relu":
        layer["slope"] = Decimal("0.1")
    return layer


def network_specs(count=26, seed=14):
    """Networks over every activation and loss: (name, spec dict) pairs."""
    rng = random.Random(seed)
    activations = [a for a in ACTIVATIONS if a not in ("softmax", "step")] + list(CUSTOM_ACTIVATIONS)
    losses = list(LOSSES) + [CUSTOM_LOSS]
    specs = []
    for n in range(count):
        hidden = activations[n % len(activations)]
        loss = losses[n % len(losses)]
        inputs = 1 + n % 3
        units = 1 + (n // 3) % 3
        outputs = 1
        last = "identity" if n % 2 else "sigmoid"
        if loss in ("binary_cross_entropy",):
            last = "sigmoid"
        if loss == "cross_entropy":
            last, outputs = "softmax", 2
        elif n % 9 == 4:
            last, outputs = "softmax", 2
        elif n % 9 == 7:
            last = "step"
            loss = "half_squared_error"
        layers = [_layer(rng, units, inputs, hidden), _layer(rng, outputs, units, last)]
        if n % 4 == 1:
            layers[0]["bias"] = [_draw(rng, -0.5, 0.5) for _ in range(units)]
        if n % 4 == 2 and units > 1:
            layers[0]["bias"] = [Decimal("0.2")] * units
            layers[0]["bias_names"] = ["b"] * units
        if n % 5 == 3:
            layers[1]["bias"] = [_draw(rng, -0.5, 0.5) for _ in range(outputs)]
        names = {"x": [f"x{i}" for i in range(1, inputs + 1)], "y": [f"y{k}" for k in range(1, outputs + 1)]}
        layers[-1]["post_names"] = [f"yhat{k}" for k in range(1, outputs + 1)]

        def sample():
            xs = {x: _draw(rng, -1, 1) for x in names["x"]}
            if loss == "cross_entropy":
                hot = rng.randrange(outputs)
                ys = {y: Decimal(int(k == hot)) for k, y in enumerate(names["y"])}
            elif loss == "binary_cross_entropy" or last in ("sigmoid", "softmax"):
                ys = {y: _draw(rng, 0, 1, nonzero=False) for y in names["y"]}
            elif last == "step":
                ys = {y: Decimal(rng.randint(0, 1)) for y in names["y"]}
            else:
                ys = {y: _draw(rng, -1, 1, nonzero=False) for y in names["y"]}
            return xs, ys

        network = {"loss": loss if loss != CUSTOM_LOSS or outputs == 1 else "squared_error", "layers": layers}
        if n % 6 == 5:
            network["samples"] = [dict(zip(("inputs", "targets"), sample())) for _ in range(2)]
            network["reduction"] = "sum" if n % 12 == 11 else "mean"
        else:
            network["inputs"], network["targets"] = sample()
        spec = {"title": f"generated network {n + 1}", "network": network,
                "train": {"learning_rate": Decimal("0.5") if n % 2 else Decimal("0.1"), "steps": 1 + (n % 7 == 0)}}
        specs.append((f"net{n + 1:02d}-{hidden.split(' ')[0]}-{network['loss'].split(' ')[0]}", spec))
    return specs


#: Graphs: equations, and for each leaf a range (low, high) or a fixed value.
GRAPHS = [
    (["f = 1 / x + log(x)"], {"x": (0.5, 4)}),
    (["f = x ** -2 + sqrt(y)"], {"x": (0.5, 2), "y": (0.1, 3)}),
    (["q = x * y", "f = min(q, 0.3)"], {"x": "0.1", "y": "3"}),            # a tie
    (["q = x * y", "f = max(q, 0.3) + min(x, y)"], {"x": (0.1, 1), "y": (0.1, 2)}),
    (["u = exp(-a) * b", "f = sqrt(u + 1) - abs(b - 2)"], {"a": (-1, 1), "b": (0.1, 3)}),
    (["f = sin(x) * cos(y) + tanh(x * y)"], {"x": (-1, 1), "y": (-1, 1)}),
    (["m = max(x, y)", "f = m * relu(x - y) + leaky_relu(y, 0.1)"], {"x": (-1, 1), "y": (-1, 1)}),
    (["z = w * x + b", "p = sigmoid(z)", "L = -(t * log(p) + (1 - t) * log(1 - p))"],
     {"w": (-1, 1), "x": (-1, 1), "b": (-0.5, 0.5), "t": "1"}),
    (["z = x - y", "f = relu(z) * 2 + abs(z)"], {"x": "0.3", "y": "0.3"}),  # kinks at 0
    (["z = x - y", "f = leaky_relu(z, 0.2) * y"], {"x": "0.5", "y": "0.5"}),
    (["f = step(x - 0.5) * x"], {"x": (0.1, 1)}),
    (["a = x * y", "b = a + y", "f = a * b"], {"x": (-1, 1), "y": (-1, 1)}),
    (["f = x ** y"], {"x": (0.5, 2), "y": (0.5, 3)}),
    (["q = x + y", "f = q * z"], {"x": "-2", "y": "5", "z": "-4"}),
    (["g = 3 * x ** 2 - 2 * x + 1", "f = exp(g / 10)"], {"x": (-1, 1)}),
    (["f = log(1 + exp(x)) - x / 2"], {"x": (-2, 2)}),
    (["h = tanh(w1 * x)", "yhat = w2 * h", "L = (y - yhat) ** 2"],
     {"w1": (-1, 1), "w2": (-1, 1), "x": (0.1, 1), "y": (0, 1)}),
    (["s = exp(a) + exp(b)", "p = exp(a) / s", "L = -log(p)"], {"a": (-1, 1), "b": (-1, 1)}),
    (["r = sqrt(x ** 2 + y ** 2)", "f = r * cos(x) - abs(y)"], {"x": (0.1, 1), "y": (-1, 1)}),
    (["f = 2 / (1 + x ** 2) + y / x"], {"x": (0.5, 2), "y": (-1, 1)}),
    (["z = w * x + b", "f = softplus(z) * y - softplus(-y)"], {"w": (-1, 1), "x": (-1, 1), "b": (-1, 1), "y": (0.1, 2)}),
]


def graph_specs(seed=14):
    """Graphs over every function: (name, spec dict) pairs."""
    rng = random.Random(seed)
    specs = []
    for n, (equations, leaves) in enumerate(GRAPHS):
        values = {}
        for name, rule in leaves.items():
            values[name] = Decimal(rule) if isinstance(rule, str) else _draw(rng, *rule)
        spec = {"title": f"generated graph {n + 1}", "graph": {"equations": list(equations), "values": values}}
        if n % 2 == 0:
            spec["train"] = {"learning_rate": Decimal("0.1"), "steps": 1 + (n % 4 == 0)}
        specs.append((f"graph{n + 1:02d}", spec))
    return specs


def covered():
    """The activations, losses and functions the generated specs use, to show none is missed."""
    text = repr([s for _, s in network_specs() + graph_specs()])
    return ({a for a in ACTIVATIONS if f"'{a}'" in text}, {l for l in LOSSES if f"'{l}'" in text},
            {f for f in FUNCTIONS if f"{f}(" in text})
