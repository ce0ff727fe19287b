"""One measurement in a fresh process; prints JSON on standard output.

    python bench/network.py page 16-16-16-16     # derivation + Markdown page
    python bench/network.py gradients 4-6-6-2    # the derivation alone
    python bench/network.py naive 4-6-6-2        # every gradient by sympy.diff of the expanded loss
    python bench/network.py diamond 60           # a 60-level diamond graph: derivation + page

The time excludes starting Python and importing; the memory is the process's peak.
"""

import json
import resource
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import sympy  # noqa: E402

import derive  # noqa: E402
from specs import diamond, network  # noqa: E402


def page(spec):
    """What a user waits for: the derivation and its Markdown page."""
    solution = derive.solve(spec)
    solution.to_markdown()
    return {g.parameter: float(g.value) for g in solution.first.gradients}


def gradients(spec):
    """The derivation alone (forward pass, every gradient, the update)."""
    return {g.parameter: float(g.value) for g in derive.solve(spec).first.gradients}


def naive(spec):
    """The loss expanded into one expression of the leaves, then sympy.diff for each parameter."""
    checked, graph = derive.build(spec)
    expanded = {}
    for node in graph.computed:
        expanded[node.key] = node.expr.xreplace({s: expanded[s.name] for s in node.expr.free_symbols
                                                 if s.name in expanded})
    loss = expanded[graph.loss]
    at = {graph.node(n.key).symbol: n.value for n in graph.leaves}
    return {p: float(sympy.diff(loss, graph.node(p).symbol).xreplace(at).evalf(30)) for p in graph.parameters}


def main():
    mode, sizes = sys.argv[1], [int(n) for n in sys.argv[2].split("-")]
    spec = diamond(sizes[0]) if mode == "diamond" else network(sizes)
    mode = "page" if mode == "diamond" else mode
    start = time.perf_counter()
    gradients = {"page": page, "gradients": globals()["gradients"], "naive": naive}[mode](spec)
    seconds = time.perf_counter() - start
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # kilobytes on Linux
    json.dump({"seconds": seconds, "peak_mb": peak, "parameters": len(gradients), "gradients": gradients},
              sys.stdout)


if __name__ == "__main__":
    main()
