"""LaTeX of SymPy expressions, the way the worked solutions write them.

One ``LatexPrinter`` subclass prints both the symbolic form (names as people write them:
``yhat`` as \\hat{y}, ``w1`` as w_{1}, overridable by ``[symbols]``) and the substituted
form, where each symbol prints as its number. Printing numbers in place of symbols, rather
than substituting and letting SymPy evaluate, is what keeps ``0.3 \\cdot 0.5`` from being
multiplied out, and keeps every term in the order it was written.
"""

import re

import sympy
from sympy.printing.latex import LatexPrinter
from sympy.printing.precedence import PRECEDENCE

from ..numbers import exact, plain_decimal, rounded, scientific
from ..reading.expressions import symbol


#: The indicator function's sign: 1[condition] is 1 when the condition holds, else 0.
INDICATOR = r"\mathbf{1}"


class Printer(LatexPrinter):
    def __init__(self, names, numbers=None, written=()):
        super().__init__({"order": "none"})
        self.names = names          # symbol name -> LaTeX
        self.numbers = numbers      # symbol name -> LaTeX of its number, or None
        # where each symbol and number first stands in the spec's text: terms, factors and
        # the arguments of max and min are printed in that order (SymPy sorts them)
        self.place = {}
        for k, atom in enumerate(written):
            self.place.setdefault(atom, k)

    def _written_order(self, items):
        if not self.place:
            return list(items)

        def where(item):
            found = [self.place[a] for a in item.atoms(sympy.Symbol, sympy.Number) if a in self.place]
            return min(found) if found else len(self.place)
        return sorted(items, key=where)

    def _as_ordered_terms(self, expr, order=None):
        return self._written_order(super()._as_ordered_terms(expr, order=order))

    def _print_Max(self, expr, exp=None):
        return self._print_MinMax(r"\max", expr, exp)

    def _print_Min(self, expr, exp=None):
        return self._print_MinMax(r"\min", expr, exp)

    def _print_MinMax(self, name, expr, exp):
        args = self._written_order(expr.args) if self.place else sorted(expr.args, key=sympy.default_sort_key)
        tex = name + r"\left(" + ", ".join(self._print(a) for a in args) + r"\right)"
        return tex if exp is None else rf"{tex}^{{{exp}}}"

    def _print_Symbol(self, expr, style="plain"):
        if self.numbers is not None and expr.name in self.numbers:
            number = self.numbers[expr.name]
            # a negative number, or one in powers of ten, is bracketed where it stands for a name
            return rf"\left({number}\right)" if number.startswith("-") or r"\times" in number else number
        if expr.name in self.names:
            return self.names[expr.name]
        return super()._print_Symbol(expr, style)

    def _print_ExpBase(self, expr, exp=None):
        # an exponent is its own group: e^{-0.5}, never e^{(-0.5)}
        argument = expr.args[0]
        if self.numbers is not None and argument.is_Symbol and argument.name in self.numbers:
            return self._do_exponent(rf"e^{{{self.numbers[argument.name]}}}", exp)
        return super()._print_ExpBase(expr, exp)

    def _print_Heaviside(self, expr, exp=None):
        # the indicator a textbook writes for relu', max and min: 1[a > 0], 1[h > y] (a bold
        # 1, which every TeX font, KaTeX and MathJax have; a double-struck 1 is not in them);
        # SymPy's theta(a, 0) is read by no student. At a tie of max or min (H(0) = 1/2)
        # the numbers stage prints the 1/2 itself (present._ties), with the page's note
        argument = expr.args[0]
        at_zero = expr.args[1] if len(expr.args) > 1 else sympy.S.Half
        relation = r"\geq" if at_zero == 1 else ">"
        terms = sympy.Add.make_args(argument)
        larger = [t for t in terms if not t.could_extract_minus_sign()]
        smaller = [-t for t in terms if t.could_extract_minus_sign()]
        side = lambda ts: self._print(sympy.Add(*ts, evaluate=False)) if ts else "0"  # noqa: E731
        tex = rf"{INDICATOR}\left[{side(larger)} {relation} {side(smaller)}\right]"
        return tex if exp is None else rf"{{{tex}}}^{{{exp}}}"

    def _print_Rational(self, expr):
        # a constant is printed as it is written: 0.3, not 3/10. A fraction the spec did
        # not write as a decimal (the 1/2 of half the squared error, x / 10) is built
        # unevaluated and never reaches here; 1/3 has no decimal and stays a fraction
        if _terminates(expr):
            return written(expr)
        return super()._print_Rational(expr)

    def _print_Mul(self, expr):
        if not expr.is_Mul:  # SymPy's printer comes here for 1/x, which stays a fraction
            return super()._print_Mul(expr)
        if self.place:
            coefficient = [a for a in expr.args[:1] if a.is_Number]
            rest = list(expr.args[len(coefficient):])
            ordered = coefficient + self._written_order(rest)
            if ordered != list(expr.args):
                expr = sympy.Mul(*ordered, evaluate=False)
        numbers = self.numbers is not None
        if numbers and all(a.is_Symbol or a.is_Number for a in expr.args):
            # a product of plain numbers is written with dots: 0.3 \cdot 0.5, (-0.4) \cdot 0.5
            args = list(expr.args)
            sign = ""
            if args[0] == -1 and len(args) > 1:
                sign, args = "- ", args[1:]
            return sign + r" \cdot ".join(self.parenthesize(a, PRECEDENCE["Mul"], strict=True) for a in args)
        coefficient, rest = expr.as_coeff_Mul()
        if coefficient.is_Rational and not coefficient.is_Integer and _terminates(coefficient) and rest != 1:
            sign = "- " if coefficient < 0 else ""
            body = self.parenthesize(rest, PRECEDENCE["Mul"])
            return f"{sign}{plain_decimal(abs(coefficient))}{_joint(body) if numbers else ' '}{body}"
        text = super()._print_Mul(expr)
        # a number before an indicator would read as 21[...]: a thin space keeps them apart
        # (a \cdot would look like the dot between the chain's factors)
        text = re.sub(rf"(\d) (?={re.escape(INDICATOR)})", r"\1 \\, ", text) if INDICATOR in text else text
        # two numbers side by side would read as one: 0.5 \cdot 3, never 0.5 3
        return _JUXTAPOSED.sub(r"\1 \\cdot ", text) if numbers else text

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


_JUXTAPOSED = re.compile(r"(\d) (?=\d)")


def _joint(following):
    return r" \cdot " if following[:1].isdigit() else " "


def _terminates(number):
    """True for a rational number with a finite decimal expansion (3/10, 3/5; not 1/3)."""
    q = int(number.q)
    for prime in (2, 5):
        while q % prime == 0:
            q //= prime
    return q == 1


_LOG = re.compile(r"\\log(?![A-Za-z])")


def logarithm(tex, written):
    """``tex`` with the natural logarithm written ``written`` ("ln" or "log")."""
    return _LOG.sub(r"\\ln", tex) if written == "ln" else tex


def symbolic(expr, names, written=()):
    return Printer(names, written=written).doprint(expr)


def substituted(expr, names, numbers, written=()):
    return Printer(names, numbers, written).doprint(expr)


def partial(top, bottom, names):
    """d(top)/d(bottom) of two keys, printed as a partial derivative."""
    return Printer(names).doprint(sympy.Derivative(symbol(top), symbol(bottom)))


def number(value, digits):
    """A computed value as LaTeX: ``-0.02032``, ``1.2 \\times 10^{-5}``."""
    shown = rounded(value, digits)
    if "e" in shown:
        mantissa, exponent = shown.split("e")
        return rf"{mantissa} \times 10^{{{exponent}}}"
    return shown


def shown(node, value, digits):
    """A value as every page shows it: a given value exactly as written, a computed one
    rounded to ``digits`` significant digits."""
    if node.is_leaf and value == exact(node.value):
        return written(node.value)
    return number(value, digits)


def written(value):
    """A given value as LaTeX, as written: 0.3, or 1 \\times 10^{-300} where it would run long."""
    parts = scientific(value)
    if parts is None:
        return plain_decimal(value)
    mantissa, exponent = parts
    return rf"{mantissa} \times 10^{{{exponent}}}"


def _scripted(name, mark):
    """True when ``name`` carries ``mark`` (^ or _) outside braces."""
    depth = 0
    for char in name:
        depth += {"{": 1, "}": -1}.get(char, 0)
        if depth == 0 and char == mark:
            return True
    return False


def sample_of(name, sample):
    """``name`` of sample ``sample``: x_{1}^{(2)}; a name with a superscript of its own
    (w^{(1)}_{11}) is grouped first, as TeX takes one superscript per base."""
    return f"{{{name}}}^{{({sample})}}" if _scripted(name, "^") else f"{name}^{{({sample})}}"


def primed(name):
    """The LaTeX of ``name`` after an update: ``{w_{1}}'``.

    TeX takes a group holding one accent with scripts (``{\\hat{y}^{(1)}}``) for the
    accent itself, so a prime on it would be a second superscript; an empty group keeps
    the braces a group.
    """
    accented = name.startswith("\\") and ("^" in name or "_" in name)
    return f"{{{name}{{}}}}'" if accented else f"{{{name}}}'"


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


_UNICODE = {
    "alpha": "α", "beta": "β", "gamma": "γ", "delta": "δ", "epsilon": "ϵ", "varepsilon": "ε", "zeta": "ζ",
    "eta": "η", "theta": "θ", "vartheta": "ϑ", "iota": "ι", "kappa": "κ", "lambda": "λ", "mu": "μ", "nu": "ν",
    "xi": "ξ", "pi": "π", "varpi": "ϖ", "rho": "ρ", "varrho": "ϱ", "sigma": "σ", "varsigma": "ς", "tau": "τ",
    "upsilon": "υ", "phi": "ϕ", "varphi": "φ", "chi": "χ", "psi": "ψ", "omega": "ω", "Gamma": "Γ", "Delta": "Δ",
    "Theta": "Θ", "Lambda": "Λ", "Xi": "Ξ", "Pi": "Π", "Sigma": "Σ", "Upsilon": "Υ", "Phi": "Φ", "Psi": "Ψ",
    "Omega": "Ω", "ell": "ℓ", "partial": "∂", "nabla": "∇", "prime": "′", "star": "⋆", "ast": "∗", "circ": "∘",
    "cdot": "·", "times": "×", "odot": "⊙", "oplus": "⊕", "otimes": "⊗", "dagger": "†", "infty": "∞",
}
_ACCENTS = {"hat": "\u0302", "widehat": "\u0302", "bar": "\u0304", "overline": "\u0305", "underline": "\u0332",
            "tilde": "\u0303", "widetilde": "\u0303", "vec": "\u20d7", "dot": "\u0307", "ddot": "\u0308",
            "check": "\u030c", "breve": "\u0306"}


def text_segments(tex):
    """A name's LaTeX as plain text runs for pictures: ((text, "" | "sub" | "sup"), ...).

    Covers what names are printed with: letters, digits, Greek letters, accents (as
    combining marks), fonts (dropped), \\text, primes and scripts; ``\\hat{y}_{1}`` becomes
    ("ŷ", ""), ("1", "sub").
    """
    runs = []

    def add(text, shift):
        if runs and runs[-1][1] == shift:
            runs[-1] = (runs[-1][0] + text, shift)
        elif text:
            runs.append((text, shift))

    def group(k):
        """The text of the group or single token at ``k``, and the index after it."""
        if k < len(tex) and tex[k] == "{":
            depth, end = 1, k + 1
            while end < len(tex) and depth:
                depth += {"{": 1, "}": -1}.get(tex[end], 0)
                end += 1
            return plain(tex[k + 1:end - 1]), end
        if k < len(tex) and tex[k] == "\\":
            end = k + 1
            while end < len(tex) and tex[end].isalpha():
                end += 1
            return plain(tex[k:end]), end
        return (tex[k] if k < len(tex) else ""), k + 1

    def plain(part):
        return "".join(text for text, _ in text_segments(part))

    k, shift = 0, ""
    while k < len(tex):
        char = tex[k]
        if char in "_^":
            text, k = group(k + 1)
            add(text, "sub" if char == "_" else "sup")
            continue
        if char == "\\":
            end = k + 1
            while end < len(tex) and tex[end].isalpha():
                end += 1
            command = tex[k + 1:end]
            if not command:  # \, \; \! and "\ " are spaces
                add(" " if tex[end:end + 1] in (",", ";", " ") else "", shift)
                k = end + 1
            elif command in _ACCENTS:
                text, k = group(end)
                add(text[:1] + _ACCENTS[command] + text[1:], shift)
            elif command in _UNICODE:
                add(_UNICODE[command], shift)
                k = end
            else:  # fonts, \text, \operatorname: their content
                text, k = group(end)
                add(text, shift)
            continue
        if char in "{}":
            k += 1
            continue
        add({"'": "′", "-": "−"}.get(char, char), shift)
        k += 1
    return tuple(runs)
