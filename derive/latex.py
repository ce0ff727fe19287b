"""LaTeX of SymPy expressions, the way the worked solutions write them.

One ``LatexPrinter`` subclass prints both the symbolic form (names as people write them:
``yhat`` as \\hat{y}, ``w1`` as w_{1}, overridable by ``[symbols]``) and the substituted
form, where each symbol prints as its number. Printing numbers in place of symbols, rather
than substituting and letting SymPy evaluate, is what keeps ``0.3 \\cdot 0.5`` from being
multiplied out, and keeps every term in the order it was written.
"""

from sympy.printing.latex import LatexPrinter


class Printer(LatexPrinter):
    def __init__(self, names, numbers=None):
        super().__init__({"mul_symbol": "dot", "order": "none"})
        self.names = names          # symbol name -> LaTeX
        self.numbers = numbers      # symbol name -> LaTeX of its number, or None

    def _print_Symbol(self, expr, style="plain"):
        if self.numbers is not None and expr.name in self.numbers:
            number = self.numbers[expr.name]
            return rf"\left({number}\right)" if number.startswith("-") else number
        if expr.name in self.names:
            return self.names[expr.name]
        return super()._print_Symbol(expr, style)


def symbolic(expr, names):
    return Printer(names).doprint(expr)


def substituted(expr, names, numbers):
    return Printer(names, numbers).doprint(expr)


def plain_name(name, names):
    """The LaTeX of a bare name (no sample superscript), as ``symbolic`` prints it."""
    from .parse import symbol

    return Printer(names).doprint(symbol(name))
