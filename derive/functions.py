"""The functions a spec may use, as SymPy functions that print and differentiate as taught.

``sigmoid`` differentiates to ``sigma(x)(1 - sigma(x))`` rather than to a tangle of
exponentials, because that is the form every worked solution writes. ``relu`` and
``leaky_relu`` take the derivative at 0 from the left (0 and the slope), as PyTorch does.
``step`` is not differentiable; the perceptron rule takes its derivative as 1, and the
solution says so wherever it is used.

They stay symbolic until ``evalf``: the derivation substitutes numbers and then evaluates,
so an expression such as ``sigmoid(0.21)`` can still be printed as written.
"""

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


def kink_arguments(expr):
    """For each function in ``expr`` that has a kink: the expression that is 0 there (relu,
    leaky_relu and abs at 0, a max or a min where two of its arguments are equal). At a
    kink the derivative is a convention (PyTorch's), which the page states."""
    for sub in sympy.preorder_traversal(expr):
        if isinstance(sub, (relu, leaky_relu, sympy.Abs)):
            yield sub.args[0]
        elif isinstance(sub, (sympy.Max, sympy.Min)):
            args = sub.args
            yield from (a - b for k, a in enumerate(args) for b in args[k + 1:])


def uses_step(expr):
    return expr.has(step)


#: The functions that squash into a band, and its bounds: near a bound such a unit is
#: saturated and passes almost no gradient back.
SQUASHING = {sigmoid: (0, 1), sympy.tanh: (-1, 1)}


def squashing_bounds(expr):
    """(low, high) when ``expr`` applies a squashing function, else None."""
    return SQUASHING.get(expr.func) if expr is not None and expr.is_Function else None


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
