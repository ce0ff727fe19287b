"""Solution records -> the view of a runnable NumPy or PyTorch script that recomputes them.

The script is a second opinion on the worked solution, written the way people write such
code by hand (seeds 000 and 002): the given numbers, the forward pass one quantity per
line, the gradients, the update, and the JSON fields ``loss``, ``gradients`` and
``updated`` printed at the end. The NumPy script walks the chain rule itself, one local
derivative per factor, in double precision; the PyTorch script leaves the gradients to
autograd and the update to ``torch.optim.SGD``, so it shares nothing with the derivation
but the forward equations.
"""

import builtins
import keyword
from dataclasses import dataclass

import sympy
from sympy.printing.precedence import PRECEDENCE
from sympy.printing.pycode import PythonCodePrinter

from ..registry.functions import BY_SYMPY, FUNCTIONS, TIE_TEXT
from ..version import __version__

# names the scripts use themselves; a quantity of the same name gets a trailing _
_TAKEN = {"np", "torch", "json", "math", "learning_rate", "steps", "number", "parameters", "optimizer",
          "first_loss", "first_gradients", "updated", "x", "slope", "TIE", "snap", "a", "b", "loss", "gradients",
          "result", "key", "value", "p"} | {
    name.split(".")[0] for entry in FUNCTIONS.values() for name, _ in (entry.numpy, entry.torch)}

#: The NumPy script's own helper: a value within TIE of a kink is taken to be at it.
SNAP = "def snap(x):\n    return 0.0 if abs(x) <= TIE else x"
_MODULE = {"numpy": "np", "torch": "torch"}


@dataclass(frozen=True)
class Script:
    library: str          # "numpy" or "torch"
    title: str
    source: str           # the spec's file name
    version: str
    helpers: tuple        # definitions of the spec's functions the script uses
    inputs: tuple         # (identifier, value text) of the leaves that are not trained
    parameters: tuple     # (identifier, value text) of the trained leaves
    learning_rate: str    # value text, or "" without a learning rate
    steps: int
    forward: tuple        # (identifier, Python expression), in evaluation order
    loss: str             # identifier of the loss
    loss_name: str        # its name in the JSON solution
    backward: tuple       # (identifier of d loss/d node, Python expression): NumPy only
    trained: tuple        # (JSON key, identifier) of each parameter
    gradients: tuple      # (JSON key, identifier of the gradient): NumPy only
    updates: tuple        # (identifier, identifier of its gradient), or () without a learning rate


def identifiers(graph):
    """{node key: a Python identifier}: the name as written, the sample as _s1, never a
    keyword, a builtin or a name the script uses itself."""
    made, used = {}, set()
    for node in graph.nodes:
        name = node.name if node.sample is None else f"{node.name}_s{node.sample}"
        while keyword.iskeyword(name) or hasattr(builtins, name) or name in _TAKEN or name in used:
            name += "_"
        made[node.key] = name
        used.add(name)
    return made


class _Printer(PythonCodePrinter):
    """Python source of a SymPy expression over node keys, for one library."""

    def __init__(self, library, names):
        module = _MODULE[library]
        # the spec's own functions (sigmoid, relu, ...) by the names each library's script gives them
        functions = {entry.sympy.__name__: getattr(entry, library)[0] for entry in FUNCTIONS.values()
                     if isinstance(entry.sympy, type) and entry.sympy.__module__.startswith("derive")}
        super().__init__({"user_functions": functions, "fully_qualified_modules": True})
        self.library, self.module, self.names, self.used = library, module, names, set()

    def _print(self, expr, **kwargs):
        if isinstance(expr, sympy.Expr) and expr.is_number and not expr.is_Rational:
            return repr(float(expr))   # e, pi, sqrt(2) as the numbers they are
        found = BY_SYMPY.get(type(expr)) if isinstance(expr, sympy.Basic) else None
        if found is not None:
            self.used.add(found.name)
        return super()._print(expr, **kwargs)

    def _snapped(self, expr):
        """``expr`` as a value compared with a kink: within TIE of 0 it is 0."""
        self.used.add("snap")
        return f"snap({self._print(expr)})"

    def _module_format(self, fqn, register=True):
        # math.exp -> np.exp / torch.exp: the library works on its own numbers (and keeps autograd's graph)
        if fqn.startswith("math."):
            return f"{self.module}.{fqn[len('math.'):]}"
        return super()._module_format(fqn, register)

    def _print_Symbol(self, expr):
        return self.names[expr.name]

    # the derivatives of relu, max, min and abs, as NumPy writes them, each kink within TIE
    def _print_Heaviside(self, expr):
        at_zero = expr.args[1] if len(expr.args) > 1 else sympy.Rational(1, 2)
        return f"{self.module}.heaviside({self._snapped(expr.args[0])}, {self._print(at_zero)})"

    def _print_sign(self, expr):
        return f"{self.module}.sign({self._snapped(expr.args[0])})"

    def _print_Relational(self, expr):
        # a Piecewise's condition (leaky_relu's z > 0) is taken at its kink within TIE
        if self.library == "numpy" and expr.rhs.is_number:
            return f"({self._snapped(expr.lhs - expr.rhs)} {expr.rel_op} 0)"
        return super()._print_Relational(expr)

    def _called(self, name):
        return getattr(FUNCTIONS[name], self.library)[0]

    def _print_Abs(self, expr):
        return f"{self._called('abs')}({self._print(expr.args[0])})"

    def _print_Max(self, expr):
        return self._extreme(expr, "max")

    def _print_Min(self, expr):
        return self._extreme(expr, "min")

    def _extreme(self, expr, name):
        if self.library == "numpy":
            return f"{self._called(name)}({', '.join(self._print(a) for a in expr.args)})"
        args = [self._print(a) if not a.is_number else f"torch.tensor({float(a)!r})" for a in expr.args]
        text = args[0]
        for arg in args[1:]:
            text = f"{self._called(name)}({text}, {arg})"
        return text


def script(solution, library):
    """The ``Script`` view of ``solution`` for ``library`` ("numpy" or "torch")."""
    graph = solution.graph
    names = identifiers(graph)
    gradient = gradient_names(graph, names)
    printer = _Printer(library, names)
    trained = set(graph.parameters)
    inputs = tuple((names[n.key], _literal(n.value)) for n in graph.leaves if n.key not in trained)
    parameters = tuple((names[n.key], _literal(n.value)) for n in graph.leaves if n.key in trained)
    forward = tuple((names[n.key], printer.doprint(n.expr)) for n in graph.computed)
    backward = _backward(graph, solution.locals, names, printer) if library == "numpy" else ()
    helpers = tuple(getattr(entry, library)[1] for entry in FUNCTIONS.values()
                    if entry.name in printer.used and getattr(entry, library)[1])
    if "snap" in printer.used or "snap(" in "".join(helpers):
        helpers += (SNAP,)
    if any("TIE" in helper for helper in helpers):
        helpers = (TIE_TEXT,) + helpers
    rate = solution.learning_rate
    return Script(library, _docstring_text(solution.title), _docstring_text(graph.source), __version__, helpers,
                  inputs, parameters,
                  _literal(rate) if rate is not None else "", len(solution.steps), forward, names[graph.loss], graph.node(graph.loss).name,
                  backward, tuple((p, names[p]) for p in graph.parameters),
                  tuple((p, gradient[p]) for p in graph.parameters),
                  tuple((names[p], gradient[p]) for p in graph.parameters) if rate is not None else ())


def _docstring_text(text):
    """A spec's own words inside the script's docstring: one line, every quote and
    backslash escaped, so nothing in them can end the string and become code."""
    text = " ".join(str(text).split())
    return "".join(f"\\x{ord(c):02x}" if c in '"\\' else c.encode("unicode_escape").decode("ascii")
                   if not c.isprintable() else c for c in text)


def gradient_names(graph, names):
    """{node key: the identifier of d(loss)/d(node)}: dL_dw1, made unique against every
    quantity's identifier and the script's own names (a spec may call a quantity dL_dq)."""
    used = set(names.values()) | _TAKEN
    made = {}
    for node in graph.nodes:
        name = f"d{names[graph.loss]}_d{names[node.key]}"
        while name in used:
            name += "_"
        made[node.key] = name
        used.add(name)
    return made


def _backward(graph, local, names, printer):
    """d loss/d node from the loss down: each node's upstream gradients times its local
    derivatives, summed over the nodes that use it. Only nodes a parameter lies under."""
    outputs = graph.function_outputs()
    under = set(graph.parameters)
    for node in graph.computed:
        if any(p in under for p in graph.parents(node.key)):
            under.add(node.key)
    gradient = gradient_names(graph, names)
    lines = [(gradient[graph.loss], "1.0")]
    for node in reversed(graph.nodes):
        if node.key == graph.loss or node.key not in under:
            continue
        terms = []
        for child in graph.children(node.key):
            factor = local[(child, node.key)].xreplace(outputs)
            upstream = gradient[child]
            # after "*" only a name, a number or a call goes unbracketed: dL_da1 * (a1*(1 - a1))
            terms.append(upstream if factor == 1 else
                         f"{upstream} * {printer.parenthesize(factor, PRECEDENCE['Pow'], strict=False)}")
        lines.append((gradient[node.key], " + ".join(terms) or "0.0"))
    return tuple(lines)


def _literal(value):
    """An exact given value as the double closest to it, written the shortest way."""
    return repr(float(value))

