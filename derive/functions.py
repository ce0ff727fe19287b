"""The functions a spec may use, as SymPy functions that print and differentiate as taught.

``sigmoid`` differentiates to ``sigma(x)(1 - sigma(x))`` rather than to a tangle of
exponentials, because that is the form every worked solution writes. ``relu`` and
``leaky_relu`` take the derivative at 0 from the left (0 and the slope), as PyTorch does.
``step`` is not differentiable; the perceptron rule takes its derivative as 1, and the
solution says so wherever it is used.
"""

import sympy

from .values import PRECISION


def _wrap(printer, name, args, exp):
    inner = ", ".join(_bare(printer._print(a)) for a in args)
    text = name + r"\left(" + inner + r"\right)"
    return text if exp is None else r"{%s}^{%s}" % (text, exp)


def _bare(text):
    """A lone bracketed number needs no second pair of brackets inside f( )."""
    if text.startswith(r"\left(") and text.endswith(r"\right)") and text.count(r"\left(") == 1:
        return text[len(r"\left("):-len(r"\right)")]
    return text


class sigmoid(sympy.Function):
    """The logistic function 1 / (1 + e^-x)."""

    @classmethod
    def eval(cls, x):
        if x.is_Number:
            return 1 / (1 + sympy.exp(-sympy.Float(x, PRECISION)))
        return None

    def fdiff(self, argindex=1):
        return sigmoid(self.args[0]) * (1 - sigmoid(self.args[0]))

    def _eval_rewrite_as_exp(self, x, **kwargs):
        return 1 / (1 + sympy.exp(-x))

    def _latex(self, printer, exp=None):
        return _wrap(printer, r"\sigma", self.args, exp)


class relu(sympy.Function):
    """max(0, x); its derivative at 0 is taken as 0."""

    @classmethod
    def eval(cls, x):
        if x.is_Number:
            return x if x > 0 else sympy.Integer(0)
        return None

    def fdiff(self, argindex=1):
        return sympy.Heaviside(self.args[0], 0)

    def _latex(self, printer, exp=None):
        return _wrap(printer, r"\operatorname{ReLU}", self.args, exp)


class leaky_relu(sympy.Function):
    """x for x > 0, slope * x otherwise."""

    nargs = 2

    @classmethod
    def eval(cls, x, slope):
        if x.is_Number and slope.is_Number:
            return x if x > 0 else slope * x
        return None

    def fdiff(self, argindex=1):
        x, slope = self.args
        if argindex == 1:
            return sympy.Piecewise((1, x > 0), (slope, True))
        return sympy.Piecewise((0, x > 0), (x, True))

    def _latex(self, printer, exp=None):
        return _wrap(printer, r"\operatorname{LeakyReLU}", self.args, exp)


class step(sympy.Function):
    """The perceptron's threshold: 1 for x >= 0, else 0. Its derivative is taken as 1."""

    @classmethod
    def eval(cls, x):
        if x.is_Number:
            return sympy.Integer(1 if x >= 0 else 0)
        return None

    def fdiff(self, argindex=1):
        return sympy.Integer(1)

    def _latex(self, printer, exp=None):
        return _wrap(printer, r"\operatorname{step}", self.args, exp)


#: name -> (builder, number of arguments): the whole vocabulary of spec expressions.
FUNCTIONS = {
    "exp": (sympy.exp, 1),
    "log": (sympy.log, 1),
    "sqrt": (sympy.sqrt, 1),
    "abs": (sympy.Abs, 1),
    "sin": (sympy.sin, 1),
    "cos": (sympy.cos, 1),
    "tanh": (sympy.tanh, 1),
    "max": (sympy.Max, 2),
    "min": (sympy.Min, 2),
    "sigmoid": (sigmoid, 1),
    "relu": (relu, 1),
    "leaky_relu": (leaky_relu, 2),
    "step": (step, 1),
}

#: Functions whose derivative is a convention, not calculus; the solution notes each.
NOT_DIFFERENTIABLE = (step,)
