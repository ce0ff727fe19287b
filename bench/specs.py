"""Specs for the benchmark and the tests' big cases: layered sigmoid networks with biases
and reproducible one-decimal numbers, and a graph that branches and joins level after level."""

import random


def network(sizes, activation="sigmoid", seed=0, samples=1):
    """TOML of a network with layer sizes ``sizes`` (inputs first), MSE loss, one step at 0.1."""
    rnd = random.Random(seed)

    def numbers(count):
        return ", ".join(str(rnd.randint(-5, 5) / 10) for _ in range(count))

    def named(prefix, count):
        return ", ".join(f"{prefix}{i + 1} = {rnd.randint(1, 9) / 10}" for i in range(count))

    text = "[network]\nloss = 'mse'\n"
    if samples == 1:
        text += f"inputs = {{ {named('x', sizes[0])} }}\ntargets = {{ {named('y', sizes[-1])} }}\n"
    else:
        text += "".join(f"[[network.samples]]\ninputs = {{ {named('x', sizes[0])} }}\n"
                        f"targets = {{ {named('y', sizes[-1])} }}\n" for _ in range(samples))
    for a, b in zip(sizes, sizes[1:]):
        rows = ", ".join(f"[{numbers(a)}]" for _ in range(b))
        text += f"[[network.layers]]\nactivation = '{activation}'\nweights = [{rows}]\nbias = [{numbers(b)}]\n"
    return text + "[train]\nlearning_rate = 0.1\n"


def diamond(levels):
    """TOML of a graph that branches and joins again at every level: a_i = a_{i-1} + b_{i-1},
    b_i = a_{i-1} - b_{i-1}; 2**levels chain-rule paths lead to each leaf."""
    equations = []
    for i in range(1, levels + 1):
        equations += [f"a{i} = a{i - 1} + b{i - 1}", f"b{i} = a{i - 1} - b{i - 1}"]
    equations.append(f"f = a{levels} * b{levels}")
    listed = ", ".join(f'"{e}"' for e in equations)
    return f"[graph]\nequations = [{listed}]\nvalues = {{ a0 = 1, b0 = 0.5 }}\n"
