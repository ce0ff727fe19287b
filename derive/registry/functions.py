"""The functions a spec may use and the activations a layer may apply: one entry each.

An entry carries everything any stage needs to know about its function: the SymPy form
the parser builds, how its derivative is printed, where its kink is, the band it squashes
into, and its NumPy and PyTorch source for the scripts. Adding a function is one entry
here (and its golden files); nothing else lists them.

The SymPy forms print and differentiate as taught: ``sigmoid`` differentiates to
``sigma(x)(1 - sigma(x))`` rather than to a tangle of exponentials. At a kink the
derivative is PyTorch's (relu'(0) = 0, leaky_relu's slope, |x|'(0) = 0, a tie of max or
min split in halves); ``step`` is not differentiable, and the perceptron rule takes its
derivative as 1, which the page says wherever it is used. The functions stay symbolic
until ``evalf``, so ``sigmoid(0.21)`` can still be printed as written.
"""

from dataclasses import dataclass

import sympy


def _wrap(printer, name, args, exp):
    inner = ", ".join(_bare(printer._print(a)) for a in args)
    text = name + r"\left(" + inner + r"\right)"
    return text if exp is None else r"{%s}^{%s}" % (text, exp)


def _number(arg, prec):
    """``arg`` as a real Float of precision ``prec``, or None while it is still symbolic."""
    value = arg.evalf(prec)
    return value if value.is_Number else None


def _bare(text):
    """A lone bracketed number needs no second pair of brackets inside f( )."""
    if text.startswith(r"\left(") and text.endswith(r"\right)") and text.count(r"\left(") == 1:
        return text[len(r"\left("):-len(r"\right)")]
    return text


class sigmoid(sympy.Function):
    """The logistic function 1 / (1 + e^-x)."""

    def _eval_evalf(self, prec):
        x = _number(self.args[0], prec)
        return None if x is None else (1 / (1 + sympy.exp(-x))).evalf(prec)

    def fdiff(self, argindex=1):
        return sigmoid(self.args[0]) * (1 - sigmoid(self.args[0]))

    def _eval_rewrite_as_exp(self, x, **kwargs):
        return 1 / (1 + sympy.exp(-x))

    def spelled_out(self):
        """The form a calculator can evaluate, shown before the numbers go in."""
        return 1 / (1 + sympy.exp(-self.args[0]))

    def _latex(self, printer, exp=None):
        return _wrap(printer, r"\sigma", self.args, exp)


class softplus(sympy.Function):
    """ln(1 + e^x), the smooth relu; its derivative is the sigmoid."""

    def _eval_evalf(self, prec):
        x = _number(self.args[0], prec)
        return None if x is None else sympy.log(1 + sympy.exp(x)).evalf(prec)

    def fdiff(self, argindex=1):
        return sigmoid(self.args[0])

    def spelled_out(self):
        return sympy.log(1 + sympy.exp(self.args[0]))

    def _latex(self, printer, exp=None):
        return _wrap(printer, r"\operatorname{softplus}", self.args, exp)


class relu(sympy.Function):
    """max(0, x); its derivative at 0 is taken as 0."""

    def _eval_evalf(self, prec):
        x = _number(self.args[0], prec)
        return None if x is None else (x if x > 0 else sympy.Float(0, prec))

    def fdiff(self, argindex=1):
        return sympy.Heaviside(self.args[0], 0)

    def _latex(self, printer, exp=None):
        return _wrap(printer, r"\operatorname{ReLU}", self.args, exp)


class leaky_relu(sympy.Function):
    """x for x > 0, slope * x otherwise."""

    nargs = 2

    def _eval_evalf(self, prec):
        x, slope = _number(self.args[0], prec), _number(self.args[1], prec)
        if x is None or slope is None:
            return None
        return x if x > 0 else slope * x

    def fdiff(self, argindex=1):
        x, slope = self.args
        if argindex == 1:
            return sympy.Piecewise((1, x > 0), (slope, True))
        return sympy.Piecewise((0, x > 0), (x, True))

    def _latex(self, printer, exp=None):
        return _wrap(printer, r"\operatorname{LeakyReLU}", self.args, exp)


class step(sympy.Function):
    """The perceptron's threshold: 1 for x >= 0, else 0. Its derivative is taken as 1."""

    def _eval_evalf(self, prec):
        x = _number(self.args[0], prec)
        return None if x is None else sympy.Float(1 if x >= 0 else 0, prec)

    def fdiff(self, argindex=1):
        return sympy.Integer(1)

    def _latex(self, printer, exp=None):
        return _wrap(printer, r"\operatorname{step}", self.args, exp)


@dataclass(frozen=True)
class Function:
    """One function of the spec's expressions."""

    name: str              # as a spec writes it: sigmoid(z)
    sympy: object          # what the parser builds from it
    arity: int
    formula: str           # what it is, as a reader writes it
    derivative: str        # its derivative as the page prints it
    numpy: tuple           # (its name in the NumPy script, the definition the script holds, or None)
    torch: tuple           # (its name in the PyTorch script, the definition the script holds, or None)
    kink: object = None    # the arguments -> the expressions that are 0 at a kink, or None
    band: tuple = None     # (low, high): a squashing function's bounds, near which a unit saturates
    arguments: str = ""    # the arguments as the reference names them; default x (and y)

    @property
    def signature(self):
        return f"{self.name}({self.arguments or ', '.join('xy'[:self.arity])})"

    def __call__(self, *arguments):
        return self.sympy(*arguments)


#: A value within TIE of a kink is taken to be at it in the scripts: derive's exact numbers
#: meet a kink exactly, double precision only to within its rounding.
TIE_TEXT = ("# a value within TIE of a kink is taken to be at it: derive's exact numbers meet\n"
            "# a kink exactly, double precision only to within its rounding\nTIE = 1e-12")


def _pairwise(a, b):
    return (a - b,)


FUNCTIONS = {f.name: f for f in (
    Function("exp", sympy.exp, 1, "e^x", "e^x", ("np.exp", None), ("torch.exp", None)),
    Function("log", sympy.log, 1, "ln x", "1/x", ("np.log", None), ("torch.log", None)),
    Function("sqrt", sympy.sqrt, 1, "√x", "1/(2√x)", ("np.sqrt", None), ("torch.sqrt", None)),
    Function("abs", sympy.Abs, 1, "|x|", "sign(x), 0 at 0", ("abs", None),
             ("absolute", "def absolute(x):\n    return torch.where(x > TIE, x, torch.where(x < -TIE, -x, 0 * x))"),
             kink=lambda x: (x,)),
    Function("sin", sympy.sin, 1, "sin x", "cos x", ("np.sin", None), ("torch.sin", None)),
    Function("cos", sympy.cos, 1, "cos x", "−sin x", ("np.cos", None), ("torch.cos", None)),
    Function("tanh", sympy.tanh, 1, "tanh x", "1 − tanh²x", ("np.tanh", None), ("torch.tanh", None), band=(-1, 1)),
    Function("max", sympy.Max, 2, "max(x, y)", "1 for the larger, ½ each at a tie", ("max", None),
             ("maximum", "def maximum(a, b):\n    # at a tie each side gets half the gradient\n"
                         "    return torch.where(abs(a - b) <= TIE, (a + b) / 2, torch.maximum(a, b))"),
             kink=_pairwise),
    Function("min", sympy.Min, 2, "min(x, y)", "1 for the smaller, ½ each at a tie", ("min", None),
             ("minimum", "def minimum(a, b):\n    # at a tie each side gets half the gradient\n"
                         "    return torch.where(abs(a - b) <= TIE, (a + b) / 2, torch.minimum(a, b))"),
             kink=_pairwise),
    Function("sigmoid", sigmoid, 1, "σ(x) = 1/(1 + e^(−x))", "σ(x)(1 − σ(x))",
             ("sigmoid", "def sigmoid(x):\n    return 1 / (1 + np.exp(-x))"), ("torch.sigmoid", None), band=(0, 1)),
    Function("softplus", softplus, 1, "ln(1 + e^x)", "σ(x)",
             ("softplus", "def softplus(x):\n    return np.logaddexp(0.0, x)"),
             ("torch.nn.functional.softplus", None)),
    Function("relu", relu, 1, "max(0, x)", "1 for x > 0, else 0 (0 at 0)",
             ("relu", "def relu(x):\n    return np.maximum(x, 0.0)"),
             ("relu", "def relu(x):\n    return torch.where(x > TIE, x, 0 * x)"), kink=lambda x: (x,)),
    Function("leaky_relu", leaky_relu, 2, "x for x > 0, else slope·x", "1 for x > 0, else the slope (the slope at 0)",
             ("leaky_relu", "def leaky_relu(x, slope):\n    return x if x > 0 else slope * x"),
             ("leaky_relu", "def leaky_relu(x, slope):\n    return torch.where(x > TIE, x, slope * x)"),
             kink=lambda x, slope: (x,), arguments="x, slope"),
    Function("step", step, 1, "1 for x ≥ 0, else 0", "taken as 1 (the perceptron rule)",
             ("step", "def step(x):\n    return 1.0 if snap(x) >= 0 else 0.0"),
             ("step", "def step(x):\n    # forward: the threshold; backward: 1, as the perceptron rule takes it\n"
                      "    return x + ((x >= -TIE).to(x.dtype) - x).detach()")),
)}
#: The entry of each SymPy function a parsed expression may hold.
BY_SYMPY = {f.sympy: f for f in FUNCTIONS.values()}


def entry(expr):
    """The registry entry of the function ``expr`` applies, or None."""
    return BY_SYMPY.get(expr.func) if expr is not None and expr.is_Function else None


def squashing_bounds(expr):
    """(low, high) when ``expr`` applies a squashing function, else None."""
    found = entry(expr)
    return found.band if found is not None else None


def kink_arguments(expr):
    """For each function in ``expr`` that has a kink: the expressions that are 0 there. At
    a kink the derivative is a convention (PyTorch's), which the page states."""
    for sub in sympy.preorder_traversal(expr):
        found = BY_SYMPY.get(sub.func) if isinstance(sub, sympy.Basic) and not sub.is_Atom else None
        if found is not None and found.kink is not None:
            args = sub.args
            if found.arity == 2 and len(args) > 2:  # SymPy folds max(max(a, b), c) into one
                yield from (a - b for k, a in enumerate(args) for b in args[k + 1:])
            else:
                yield from found.kink(*args)


def uses_step(expr):
    return expr.has(step)


@dataclass(frozen=True)
class Activation:
    """What a layer may apply to its weighted sums."""

    name: str
    formula: str           # for the reference
    function: str = ""     # the function applied to each unit, by name ("" for identity and softmax)
    options: tuple = ()    # the layer keys it takes, with their defaults: (("slope", "0.01"),)
    last_only: bool = False  # allowed only in the last layer (step: not differentiable)


ACTIVATIONS = {a.name: a for a in (
    Activation("identity", "a = z (one quantity a unit: its post name)"),
    Activation("sigmoid", "σ(z)", "sigmoid"),
    Activation("tanh", "tanh z", "tanh"),
    Activation("relu", "max(0, z)", "relu"),
    Activation("leaky_relu", "z for z > 0, else slope·z", "leaky_relu", options=(("slope", "0.01"),)),
    Activation("softplus", "ln(1 + e^z)", "softplus"),
    Activation("softmax", "e^(z_k) / Σ_j e^(z_j), over the layer"),
    Activation("step", "1 for z ≥ 0, else 0 (the perceptron)", "step", last_only=True),
)}
