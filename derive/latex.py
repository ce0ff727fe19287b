"""LaTeX of SymPy expressions, the way the worked solutions write them.

One ``LatexPrinter`` subclass prints both the symbolic form (names as people write them:
``yhat`` as \\hat{y}, ``w1`` as w_{1}, overridable by ``[symbols]``) and the substituted
form, where each symbol prints as its number. Printing numbers in place of symbols, rather
than substituting and letting SymPy evaluate, is what keeps ``0.3 \\cdot 0.5`` from being
multiplied out, and keeps every term in the order it was written.
"""

import sympy
from sympy.printing.latex import LatexPrinter
from sympy.printing.precedence import PRECEDENCE


class Printer(LatexPrinter):
    def __init__(self, names, numbers=None):
        super().__init__({"order": "none"})
        self.names = names          # symbol name -> LaTeX
        self.numbers = numbers      # symbol name -> LaTeX of its number, or None

    def _print_Symbol(self, expr, style="plain"):
        if self.numbers is not None and expr.name in self.numbers:
            number = self.numbers[expr.name]
            return rf"\left({number}\right)" if number.startswith("-") else number
        if expr.name in self.names:
            return self.names[expr.name]
        return super()._print_Symbol(expr, style)

    def _print_Mul(self, expr):
        # a product of plain numbers is written with a dot: 0.3 \cdot 0.5, (-0.4) \cdot 0.5
        if self.numbers is not None and all(a.is_Symbol or a.is_Number for a in expr.args):
            args = list(expr.args)
            sign = ""
            if args[0] == -1 and len(args) > 1:
                sign, args = "- ", args[1:]
            return sign + r" \cdot ".join(self.parenthesize(a, PRECEDENCE["Mul"], strict=True) for a in args)
        return super()._print_Mul(expr)

    def _print_Derivative(self, expr):
        # always the partial, written over the whole names: \frac{\partial L}{\partial w_{1}}
        (variable, count), = expr.variable_count
        top = self._print(expr.expr)
        bottom = self._print(variable)
        if count == 1:
            return rf"\frac{{\partial {top}}}{{\partial {bottom}}}"
        return rf"\frac{{\partial^{{{count}}} {top}}}{{\partial {bottom}^{{{count}}}}}"

    def factor(self, expr):
        """``expr`` as one factor of a product, bracketed when it needs to be."""
        return self.parenthesize(expr, PRECEDENCE["Mul"], strict=True)


def symbolic(expr, names):
    return Printer(names).doprint(expr)


def substituted(expr, names, numbers):
    return Printer(names, numbers).doprint(expr)


def partial(top, bottom, names):
    """d(top)/d(bottom) of two keys, printed as a partial derivative."""
    from .parse import symbol

    return Printer(names).doprint(sympy.Derivative(symbol(top), symbol(bottom)))


def primed(name):
    """The LaTeX of ``name`` after an update: ``{w_{1}}'``.

    TeX takes a group holding one accent with scripts (``{\\hat{y}^{(1)}}``) for the
    accent itself, so a prime on it would be a second superscript; an empty group keeps
    the braces a group.
    """
    accented = name.startswith("\\") and ("^" in name or "_" in name)
    return f"{{{name}{{}}}}'" if accented else f"{{{name}}}'"


def plain_name(name, names):
    """The LaTeX of a bare name (no sample superscript), as ``symbolic`` prints it."""
    from .parse import symbol

    return Printer(names).doprint(symbol(name))


def readable(derivative, within):
    """``derivative`` as a person writes it.

    A constant multiple of a bracket of ``within`` (the expression differentiated) is
    written as that multiple, ``-2(y - yhat)`` rather than ``-2y + 2yhat``; the factors of
    a product are ordered constants, names and functions, then brackets, so that
    ``sigma(z)(1 - sigma(z))`` reads as it is taught. The value is unchanged.
    """
    if derivative.is_Add:
        for sub in sympy.preorder_traversal(within):
            if sub.is_Add and sub.free_symbols <= derivative.free_symbols | sub.free_symbols:
                ratio = sympy.cancel(derivative / sub)
                if ratio == 1:
                    return sub
                if ratio == -1:  # -(y - yhat) is written yhat - y
                    terms = sorted((-t for t in sub.args), key=lambda t: t.could_extract_minus_sign())
                    return sympy.Add(*terms, evaluate=False)
                if ratio.is_number and ratio != 0:
                    return sympy.Mul(ratio, sub, evaluate=False)
    return _ordered(derivative)


def _ordered(expr):
    if not expr.is_Mul:
        return expr

    def rank(factor):
        if factor.is_Number:
            return 0
        if factor.is_Add or (factor.is_Pow and factor.base.is_Add):
            return 2
        return 1

    return sympy.Mul(*sorted(expr.args, key=rank), evaluate=False)
