"""A page proves itself: read a printed worked solution back and recompute every line.

This reads the *text* of a page (a Markdown page of any flavour, or a LaTeX document or
fragment), never the ``Solution`` records behind it, so a printer bug cannot hide behind
correct numbers. It parses exactly the subset of LaTeX the printer emits into a small
tree of its own, and for every line ``lhs = stage = ... = result`` checks:

- every stage made of numbers alone gives the printed result at the printed precision:
  the result lies in the interval the stage spans when each printed number stands for
  every value that rounds to it (interval arithmetic, ``mpmath.iv``), and a reader who
  computes with the printed numbers lands within ``FACE_TOLERANCE`` (or one unit of the
  last digit) of the printed result, as ``derive check`` would accept it. With ``carry`` (``--carry-rounded``) the printed numbers are taken as exact and
  the result must be their value rounded half up to ``digits`` significant digits;
- every stage with names, evaluated with the values the page printed for those names,
  agrees with the result in the same sense;
- a chain of partial derivatives is followed by its factors: each printed symbolic factor
  equals ``sympy.diff`` of the printed definition of its numerator (the first stage of
  that quantity's own line), at random points; and each factor with numbers agrees with
  its symbolic factor at the page's values;
- no stage repeats the one before it or the left-hand side, no display is empty, and the
  prose carries no raw LaTeX.

``check(page, digits, carry)`` returns a list of findings (strings); an empty list is a
page every line of which a calculator confirms.
"""

import random
import re
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

import sympy
from mpmath import iv, mp, mpf

mp.dps = 60
iv.dps = 60

#: How far a line computed with its printed numbers may land from its printed result: the
#: floor of ``derive check``'s default tolerance, which accepts rounded intermediates.
FACE_TOLERANCE = mpf("0.005")

_TOKEN = re.compile(r"(?P<num>\d+(?:\.\d+)?)|(?P<cmd>\\[A-Za-z]+)|(?P<sym>\\.)|(?P<ch>\S)")


class Unevaluable(Exception):
    """A stage that holds something without a value on the page (a local partial, a matrix name)."""


class ParseError(Exception):
    pass


def tokens(tex):
    out = []
    for m in _TOKEN.finditer(tex):
        out.append(m.group())
    return tuple(out)


# --- the tree -----------------------------------------------------------------------------

@dataclass(frozen=True)
class Num:
    value: Decimal
    half: Decimal        # half the width of the values that print as this number
    text: str


@dataclass(frozen=True)
class Name:
    key: tuple           # the name's tokens


@dataclass(frozen=True)
class Partial:
    top: tuple
    bottom: tuple


@dataclass(frozen=True)
class Op:
    kind: str            # add, mul, dot (a product written with \cdot), div, pow, neg, fn, cases, rel,
    args: tuple          # matrix, T, had, elided, const
    name: str = ""


def _is_name_free(node):
    return not any(isinstance(n, (Name, Partial)) for n in walk(node))


def walk(node):
    yield node
    if isinstance(node, Op):
        for a in node.args:
            if isinstance(a, tuple):
                for b in a:
                    yield from walk(b)
            else:
                yield from walk(a)


# --- the parser ---------------------------------------------------------------------------

_FUNCTIONS = {r"\sigma": "sigmoid", r"\log": "log", r"\ln": "log", r"\tanh": "tanh", r"\sin": "sin",
              r"\cos": "cos", r"\exp": "exp", r"\max": "max", r"\min": "min", r"\theta": "heaviside"}
_OPERATORNAMES = {"ReLU": "relu", "LeakyReLU": "leaky_relu", "step": "step", "sign": "sign",
                  "softplus": "softplus"}
_SPACES = {r"\,", r"\;", r"\:", r"\!", "\\ ", r"\quad", r"\qquad"}
_SYMBOL_COMMANDS = {r"\mathbf", r"\boldsymbol", r"\mathrm", r"\delta"}
_RELATIONS = {">": ">", "<": "<", r"\geq": ">=", r"\leq": "<=", r"\ge": ">=", r"\le": "<=", r"\neq": "!="}


class Parser:
    def __init__(self, toks, names, digits):
        self.t = [t for t in toks if t not in _SPACES]
        self.k = 0
        self.names = names          # {first token: [name token tuples, longest first]}
        self.digits = digits

    def peek(self, offset=0):
        k = self.k + offset
        return self.t[k] if k < len(self.t) else None

    def take(self, expected=None):
        tok = self.peek()
        if tok is None or (expected is not None and tok != expected):
            raise ParseError(f"expected {expected!r} at {' '.join(self.t[self.k:self.k + 8])!r}")
        self.k += 1
        return tok

    def done(self):
        return self.k >= len(self.t)

    def group_tokens(self):
        """The tokens of a {...} group (without its braces)."""
        self.take("{")
        start, depth = self.k, 1
        while depth:
            tok = self.take()
            depth += {"{": 1, "}": -1}.get(tok, 0)
        return self.t[start:self.k - 1]

    def sub(self, toks):
        return Parser(toks, self.names, self.digits)

    # expr := term (('+'|'-') term)*
    def expr(self):
        terms = []
        sign = "+"
        if self.peek() in ("+", "-"):
            sign = self.take()
        terms.append((sign, self.term()))
        while self.peek() in ("+", "-"):
            sign = self.take()
            terms.append((sign, self.term()))
        if len(terms) == 1:
            return terms[0][1] if terms[0][0] == "+" else Op("neg", (terms[0][1],))
        return Op("add", tuple(Op("neg", (t,)) if s == "-" else t for s, t in terms))

    def term(self):
        factors = [self.implicit()]
        kinds = []
        while self.peek() in (r"\cdot", r"\times", r"\odot"):
            kinds.append(self.take())
            factors.append(self.implicit())
        if not kinds:
            return factors[0]
        if r"\odot" in kinds:
            node = factors[0]
            for kind, f in zip(kinds, factors[1:]):
                node = Op("had", (node, f)) if kind == r"\odot" else Op("dot", (node, f))
            return node
        return Op("dot", tuple(factors))

    def implicit(self):
        if self.peek() == "-":
            self.take()
            return Op("neg", (self.implicit(),))
        if self.peek() == "+":
            self.take()
        factors = [self.postfix()]
        while self.starts_atom():
            factors.append(self.postfix())
        return factors[0] if len(factors) == 1 else Op("mul", tuple(factors))

    def starts_atom(self):
        tok = self.peek()
        if tok is None:
            return False
        if tok in ("(", "{", r"\left", r"\frac", r"\sqrt", r"\begin", r"\operatorname", r"\mathbb"):
            return True
        if tok in _FUNCTIONS or tok in self.names:
            return True
        if re.fullmatch(r"\d+(\.\d+)?", tok) or re.fullmatch(r"[A-Za-z]", tok) or tok in _SYMBOL_COMMANDS:
            return True
        return False

    def postfix(self):
        node = self.atom()
        while self.peek() == "^":
            self.take()
            if self.peek() == "{":
                toks = self.group_tokens()
            else:
                toks = [self.take()]
            if toks in ([r"\top"], ["T"]):
                node = Op("T", (node,))
                continue
            exponent = self.sub(toks).number_or_expr()
            node = Op("pow", (node, exponent))
        return node

    def number_or_expr(self):
        node = self.expr()
        if not self.done():
            raise ParseError(f"left over: {' '.join(self.t[self.k:])!r}")
        return node

    def number(self):
        text = self.take()
        value = Decimal(text)
        # 1.23 \times 10^{-5}: one printed number
        if self.peek() == r"\times" and self.peek(1) == "10" and self.peek(2) == "^":
            self.k += 3
            toks = self.group_tokens() if self.peek() == "{" else [self.take()]
            exponent = int("".join(toks))
            value = value.scaleb(exponent)
            shown = Decimal(text).scaleb(exponent)
        else:
            shown = value
        return Num(value, _half(shown, text, self.digits), text)

    def name(self):
        for candidate in self.names.get(self.peek(), ()):
            if tuple(self.t[self.k:self.k + len(candidate)]) == candidate:
                self.k += len(candidate)
                return Name(candidate)
        return None

    def atom(self):
        tok = self.peek()
        if tok is None:
            raise ParseError("an expression ends too early")
        if re.fullmatch(r"\d+(\.\d+)?", tok):
            return self.number()
        named = self.name()
        if named is not None:
            return named
        if tok == "{":
            return self.sub(self.group_tokens()).number_or_expr()
        if tok == "(":
            self.take()
            return Op("paren", (self.until(")"),))
        if tok == r"\left":
            return self.left()
        if tok == r"\frac":
            self.take()
            top, bottom = self.group_tokens(), self.group_tokens()
            if top and top[0] == r"\partial":
                return Partial(tuple(top[1:]), tuple(bottom[1:]))
            return Op("div", (self.sub(top).number_or_expr(), self.sub(bottom).number_or_expr()))
        if tok == r"\sqrt":
            self.take()
            degree = None
            if self.peek() == "[":
                self.take()
                degree = self.until("]")
            inner = self.sub(self.group_tokens()).number_or_expr()
            return Op("pow", (inner, Op("div", (_one(), degree)) if degree else _half_power()))
        if tok == "e":
            self.take()
            if self.peek() == "^":
                self.take()
                toks = self.group_tokens() if self.peek() == "{" else [self.take()]
                return Op("fn", (self.sub(toks).number_or_expr(),), "exp")
            return Op("const", (), "e")
        if tok == r"\operatorname":
            self.take()
            word = "".join(self.group_tokens())
            if word not in _OPERATORNAMES:
                raise ParseError(f"unknown operator {word}")
            return self.call(_OPERATORNAMES[word])
        if tok in (r"\mathbb", r"\mathbf") and self.t[self.k + 1:self.k + 4] == ["{", "1", "}"]:
            self.take()
            self.group_tokens()
            # the indicator 1[condition]
            if self.peek() == r"\left":
                self.take()
            self.take("[")
            condition = self.until_right("]")
            return Op("indicator", (condition,))
        if tok in _FUNCTIONS:
            self.take()
            return self.call(_FUNCTIONS[tok])
        if tok == r"\begin":
            self.take()
            env = "".join(self.group_tokens())
            if env == "bmatrix":
                return self.matrix()
            if env == "cases":
                return self.cases()
            raise ParseError(f"unknown environment {env}")
        if tok in (r"\vdots", r"\cdots", r"\ddots"):
            self.take()
            return Op("elided", ())
        if re.fullmatch(r"[A-Za-z]", tok) or tok in _SYMBOL_COMMANDS:
            return self.unknown()
        raise ParseError(f"cannot read {' '.join(self.t[self.k:self.k + 6])!r}")

    def unknown(self):
        """A symbol the page gives no value (a matrix's name, such as W^{(2)\\top}): it makes
        its stage one that cannot be recomputed, which the caller may or may not allow."""
        start = self.k
        tok = self.take()
        if tok in _SYMBOL_COMMANDS and self.peek() == "{":
            self.group_tokens()
        while self.peek() in ("_", "'") or (self.peek() == "^" and self.peek(1) == "{" and any(
                t in (r"\top", r"\prime", "(") for t in self.t[self.k + 2:self.k + 4])):
            if self.take() != "'":
                if self.peek() == "{":
                    self.group_tokens()
                else:
                    self.take()
        return Op("unknown", (), "".join(self.t[start:self.k]))

    def until(self, closing):
        start, depth = self.k, 0
        while True:
            tok = self.take()
            if tok in ("(", "[", "{"):
                depth += 1
            elif tok in (")", "]", "}"):
                if depth == 0 and tok == closing:
                    return self.sub(self.t[start:self.k - 1]).number_or_expr()
                depth -= 1

    def enclosed(self, opening, closing, stop=None):
        """The tokens up to the ``closing`` that matches an ``opening`` just taken (nested
        pairs skipped), the closing token taken too; or up to ``stop`` at depth 0."""
        start, depth = self.k, 0
        while True:
            tok = self.take()
            if tok == opening:
                depth += 1
            elif tok == closing:
                if depth == 0:
                    return self.t[start:self.k - 1]
                depth -= 1
            elif stop is not None and tok == stop and depth == 0:
                return self.t[start:self.k - 1]

    def until_right(self, closing):
        """A condition up to the matching \\right<closing> (or a bare closing at depth 0)."""
        inner = self.enclosed(r"\left", r"\right", stop=closing)
        if self.t[self.k - 1] == r"\right":
            self.take()  # the delimiter
        return self.sub(inner).condition_or_expr()

    def left(self):
        self.take(r"\left")
        opening = self.take()
        inner = self.enclosed(r"\left", r"\right")
        self.take()  # the closing delimiter
        body = self.sub(inner)
        if opening in ("|", r"\lvert"):
            return Op("fn", (body.number_or_expr(),), "abs")
        if opening == "[":
            return body.condition_or_expr()
        return Op("paren", (body.number_or_expr(),))

    def condition_or_expr(self):
        left = self.expr()
        if self.peek() in _RELATIONS:
            op = _RELATIONS[self.take()]
            right = self.expr()
            if not self.done():
                raise ParseError("left over after a relation")
            return Op("rel", (left, right), op)
        if not self.done():
            raise ParseError(f"left over: {' '.join(self.t[self.k:])!r}")
        return left

    def arguments(self):
        """\\left( a, b \\right) -> [a, b]."""
        if self.peek() == "{":  # \log{\left(x \right)}
            inner = self.group_tokens()
            return self.sub(inner).arguments()
        self.take(r"\left")
        self.take("(")
        inner = self.enclosed(r"\left", r"\right")
        self.take(")")
        parts, depth, begin = [], 0, 0
        for i, tok in enumerate(inner):
            if tok in (r"\left", "{", r"\begin"):
                depth += 1
            elif tok in (r"\right", "}", r"\end"):
                depth -= 1
            elif tok == "," and depth == 0:
                parts.append(inner[begin:i])
                begin = i + 1
        parts.append(inner[begin:])
        return [self.sub(p).number_or_expr() for p in parts]

    def call(self, function):
        power = None
        if self.peek() == "^":  # \tanh^{2}{\left(x \right)}
            self.take()
            power = self.sub(self.group_tokens()).number_or_expr()
        node = Op("fn", tuple(self.arguments()), function)
        return Op("pow", (node, power)) if power is not None else node

    def environment_rows(self, env):
        inner = self.enclosed(r"\begin", r"\end")
        if "".join(self.group_tokens()) != env:
            raise ParseError(f"unbalanced {env}")
        return _split(inner, r"\\")

    def matrix(self):
        rows = []
        for row in self.environment_rows("bmatrix"):
            rows.append(tuple(self.sub(cell).number_or_expr() for cell in _split(row, "&")))
        return Op("matrix", tuple(rows))

    def cases(self):
        branches = []
        for row in self.environment_rows("cases"):
            value, *condition = _split(row, "&")
            cond = condition[0] if condition else []
            cond = [t for t in cond if t not in _SPACES]
            if cond[:4] == [r"\text", "{", "o", "t"] or not cond:  # \text{otherwise}
                test = None
            else:
                if cond[:5] == [r"\text", "{", "f", "o", "r"]:
                    cond = cond[cond.index("}") + 1:]
                test = self.sub(cond).condition_or_expr()
            branches.append(Op("branch", (self.sub(value).number_or_expr(), test) if test else
                                          (self.sub(value).number_or_expr(),)))
        return Op("cases", tuple(branches))


def _split(toks, separator):
    parts, depth, begin = [], 0, 0
    for i, tok in enumerate(toks):
        if tok in (r"\left", "{", r"\begin"):
            depth += 1
        elif tok in (r"\right", "}", r"\end"):
            depth -= 1
        elif tok == separator and depth == 0:
            parts.append(list(toks[begin:i]))
            begin = i + 1
    parts.append(list(toks[begin:]))
    return [p for p in parts if p or separator != r"\\"]


def _one():
    return Num(Decimal(1), Decimal(0), "1")


def _half_power():
    return Num(Decimal("0.5"), Decimal(0), "1/2")


def _unit_of(value, text, digits):
    """The unit of the last digit ``text`` is correct to: its ``digits``-th significant digit
    (trailing zeros are not printed: 0.302 may be 0.3020), or its last written digit when
    it is written with more digits than that (a given value, or a value printed with more
    digits to keep its line computable)."""
    if "." not in text:
        return Decimal(0)  # an integer is exact: a structural constant or a given value
    if not value:
        return Decimal(1).scaleb(-len(text.split(".")[1]))
    significant = Decimal(1).scaleb(value.adjusted() - digits + 1)
    written = Decimal(1).scaleb(-len(text.split(".")[1])) if "." in text else Decimal(1)
    return min(significant, written)


def _half(value, text, digits):
    """Half the width of the values that print as ``text``."""
    return _unit_of(value, text, digits) / 2


# --- values ---------------------------------------------------------------------------------

def _iv(lo, hi=None):
    return iv.mpf([lo, hi if hi is not None else lo])


def _monotone(f, x):
    lo, hi = f(mpf(x.a)), f(mpf(x.b))
    return iv.mpf([min(lo, hi), max(lo, hi)])


def _tri(x, op, y):
    """True, False or None (undecided) for a relation between intervals."""
    if op in (">", ">="):
        x, y, op = y, x, {">": "<", ">=": "<="}[op]
    if op == "<":
        return True if x.b < y.a else False if x.a >= y.b else None
    if op == "<=":
        return True if x.b <= y.a else False if x.a > y.b else None
    if op == "!=":
        return True if x.b < y.a or x.a > y.b else None
    raise ValueError(op)


def _hull(values):
    return iv.mpf([min(v.a for v in values), max(v.b for v in values)])


class Values:
    """Evaluates a tree: as intervals (every printed number stands for what rounds to it),
    or at face value (``exact``: the printed numbers as they are)."""

    def __init__(self, env, exact=False):
        self.env = env
        self.exact = exact

    def number(self, node):
        if self.exact or not node.half:
            return _iv(str(node.value))
        return _iv(str(node.value - node.half), str(node.value + node.half))

    def __call__(self, node):
        if isinstance(node, Num):
            return self.number(node)
        if isinstance(node, Name):
            if node.key not in self.env:
                raise Unevaluable(node)
            return self.env[node.key]
        if isinstance(node, Partial):
            key = ("partial", node.top, node.bottom)
            if key not in self.env:
                raise Unevaluable(node)
            return self.env[key]
        kind, args = node.kind, node.args
        if kind == "matrix":
            return [[self(c) for c in row] for row in args]
        if kind in ("elided", "unknown"):
            raise Unevaluable(node)
        if kind == "const":
            return _iv(mp.e)
        if kind == "indicator":
            truth = self.condition(args[0])
            return _iv(1 if truth else 0) if truth is not None else _iv(0, 1)
        if kind == "cases":
            possible = []
            for branch in args:
                truth = True if len(branch.args) == 1 else self.condition(branch.args[1])
                if truth is False:
                    continue
                possible.append(self(branch.args[0]))
                if truth is True:
                    return _hull(possible)
            if not possible:
                raise ValueError("no branch of a cases block applies")
            return _hull(possible)
        values = [self(a) for a in args if not isinstance(a, tuple)]
        if any(isinstance(v, list) for v in values) or kind in ("T", "had"):
            return self.matrices(kind, values)
        if kind == "add":
            total = values[0]
            for v in values[1:]:
                total = total + v
            return total
        if kind in ("mul", "dot"):
            total = values[0]
            for v in values[1:]:
                total = total * v
            return total
        if kind == "neg":
            return -values[0]
        if kind == "paren":
            return values[0]
        if kind == "div":
            if values[1].a <= 0 <= values[1].b:
                raise ZeroDivisionError("division by a number that may be 0")
            return values[0] / values[1]
        if kind == "pow":
            base, exponent = values
            if exponent.a == exponent.b and exponent.a == int(exponent.a):
                n = int(exponent.a)
                if n < 0 and base.a <= 0 <= base.b:
                    raise ZeroDivisionError("a negative power of a number that may be 0")
                return base ** n
            if base.a <= 0:
                raise ValueError("a fractional power of a number that may be negative")
            return iv.exp(exponent * iv.log(base))
        if kind == "fn":
            return self.function(node.name, values)
        raise ParseError(f"cannot evaluate {kind}")

    def condition(self, node):
        if not (isinstance(node, Op) and node.kind == "rel"):
            raise ParseError("expected a relation")
        return _tri(self(node.args[0]), node.name, self(node.args[1]))

    def function(self, name, values):
        x = values[0]
        if name == "exp":
            return iv.exp(x)
        if name == "log":
            if x.a <= 0:
                raise ValueError("log of a number that may be 0 or negative")
            return iv.log(x)
        if name == "sqrt":
            return iv.sqrt(x)
        if name == "sin":
            return iv.sin(x)
        if name == "cos":
            return iv.cos(x)
        if name == "abs":
            return abs(x)
        if name == "tanh":
            return _monotone(mp.tanh, x)
        if name == "sigmoid":
            return _monotone(lambda v: 1 / (1 + mp.exp(-v)), x)
        if name == "softplus":
            return _monotone(lambda v: mp.log(1 + mp.exp(v)), x)
        if name == "relu":
            return _monotone(lambda v: max(v, mpf(0)), x)
        if name == "leaky_relu":
            slope = values[1]
            corners = [v if v > 0 else s * v for v in (mpf(x.a), mpf(x.b), mpf(0)) if x.a <= v <= x.b
                       for s in (mpf(slope.a), mpf(slope.b))]
            return iv.mpf([min(corners), max(corners)])
        if name in ("max", "min"):
            pick = max if name == "max" else min
            return iv.mpf([pick(v.a for v in values), pick(v.b for v in values)])
        if name == "heaviside":
            at_zero = values[1] if len(values) > 1 else _iv(mpf(1) / 2)
            if x.a > 0:
                return _iv(1)
            if x.b < 0:
                return _iv(0)
            if x.a == x.b == 0:
                return at_zero
            return _hull([_iv(0), _iv(1), at_zero])
        if name == "step":
            return _iv(1) if x.a >= 0 else _iv(0) if x.b < 0 else _iv(0, 1)
        if name == "sign":
            return _iv(1) if x.a > 0 else _iv(-1) if x.b < 0 else _iv(0) if x.a == x.b == 0 else _iv(-1, 1)
        raise ParseError(f"unknown function {name}")

    @staticmethod
    def matrices(kind, values):
        def shape(v):
            return v if isinstance(v, list) else None

        if kind == "T":
            m = values[0]
            return [list(col) for col in zip(*m)]
        if kind == "had":
            a, b = values
            if len(a) != len(b) or len(a[0]) != len(b[0]):
                raise ValueError("an entrywise product of matrices of different shapes")
            return [[x * y for x, y in zip(ra, rb)] for ra, rb in zip(a, b)]
        if kind == "neg":
            return [[-x for x in row] for row in values[0]]
        if kind == "paren":
            return values[0]
        if kind == "add":
            a = values[0]
            for b in values[1:]:
                if shape(a) is None or shape(b) is None:
                    raise ValueError("a matrix added to a number")
                a = [[x + y for x, y in zip(ra, rb)] for ra, rb in zip(a, b)]
            return a
        if kind in ("mul", "dot"):
            a = values[0]
            for b in values[1:]:
                if isinstance(a, list) and isinstance(b, list):
                    if len(a[0]) != len(b):
                        raise ValueError("a product of matrices whose shapes do not fit")
                    a = [[sum((a[i][k] * b[k][j] for k in range(len(b))), _iv(0)) for j in range(len(b[0]))]
                         for i in range(len(a))]
                elif isinstance(a, list):
                    a = [[x * b for x in row] for row in a]
                else:
                    a = [[a * x for x in row] for row in b]
            return a
        raise ParseError(f"cannot apply {kind} to matrices")


# --- SymPy, for the derivatives ------------------------------------------------------------

class _Step(sympy.Function):
    """The perceptron's threshold; the page takes its derivative as 1 (and says so)."""

    def fdiff(self, argindex=1):
        return sympy.Integer(1)

    def _eval_evalf(self, prec):
        x = self.args[0].evalf(prec)
        return sympy.Float(1 if x >= 0 else 0) if x.is_Number else None


def _sigmoid(u):
    return 1 / (1 + sympy.exp(-u))


_SYMPY_FUNCTIONS = {
    "exp": sympy.exp, "log": sympy.log, "sqrt": sympy.sqrt, "sin": sympy.sin, "cos": sympy.cos,
    "tanh": sympy.tanh, "abs": sympy.Abs, "sigmoid": _sigmoid, "sign": sympy.sign,
    "softplus": lambda u: sympy.log(1 + sympy.exp(u)),
    "relu": lambda u: sympy.Piecewise((u, u > 0), (0, True)),
    "leaky_relu": lambda u, s: sympy.Piecewise((u, u > 0), (s * u, True)),
    "max": sympy.Max, "min": sympy.Min, "step": _Step,
    "heaviside": lambda u, h=sympy.Rational(1, 2): sympy.Heaviside(u, h),
}


class Symbols:
    def __init__(self):
        self.by_key = {}

    def __call__(self, key):
        if key not in self.by_key:
            self.by_key[key] = sympy.Symbol(f"n{len(self.by_key)}", real=True)
        return self.by_key[key]

    def key_of(self, symbol):
        return next(k for k, s in self.by_key.items() if s == symbol)


def to_sympy(node, symbols):
    if isinstance(node, Num):
        return sympy.Rational(str(node.value))
    if isinstance(node, Name):
        return symbols(node.key)
    if isinstance(node, Partial):
        raise Unevaluable(node)
    kind, args = node.kind, node.args
    if kind == "const":
        return sympy.E
    if kind in ("matrix", "T", "had", "elided", "unknown"):
        raise Unevaluable(node)
    if kind == "cases":
        pieces = []
        for branch in args:
            value = to_sympy(branch.args[0], symbols)
            pieces.append((value, _relation(branch.args[1], symbols) if len(branch.args) > 1 else True))
        return sympy.Piecewise(*pieces)
    if kind == "indicator":
        return sympy.Piecewise((1, _relation(args[0], symbols)), (0, True))
    parts = [to_sympy(a, symbols) for a in args]
    if kind == "add":
        return sympy.Add(*parts)
    if kind in ("mul", "dot"):
        return sympy.Mul(*parts)
    if kind == "neg":
        return -parts[0]
    if kind == "paren":
        return parts[0]
    if kind == "div":
        return parts[0] / parts[1]
    if kind == "pow":
        return parts[0] ** parts[1]
    if kind == "fn":
        return _SYMPY_FUNCTIONS[node.name](*parts)
    raise ParseError(kind)


def _relation(node, symbols):
    a, b = (to_sympy(x, symbols) for x in node.args)
    return {">": sympy.Gt, "<": sympy.Lt, ">=": sympy.Ge, "<=": sympy.Le, "!=": sympy.Ne}[node.name](a, b)


# --- the page -------------------------------------------------------------------------------

@dataclass
class Line:
    lhs: tuple
    stages: list          # token lists
    where: str


@dataclass
class Page:
    given: list = field(default_factory=list)     # (name tokens, value text)
    blocks: list = field(default_factory=list)    # lists of Lines
    prose: list = field(default_factory=list)
    empty_blocks: int = 0


_MD_DISPLAY = re.compile(r"^(\$\$|```math|\\\[|\\begin\{align\*\})\s*$")
_MD_END = {"$$": "$$", "```math": "```", r"\[": r"\]", r"\begin{align*}": r"\end{align*}"}


def read_page(text):
    """The given values, the displays and the prose of a Markdown or LaTeX page."""
    page = Page()
    lines = text.splitlines()
    k = 0
    while k < len(lines):
        line = lines[k]
        given = re.fullmatch(r"\|\s*\$`?(.*?)`?\$\s*\|\s*\$?(-?[\d.]+(?:e-?\d+)?)\$?\s*\|", line) or \
            re.fullmatch(r"\$(.*)\$ & \$(-?[\d.]+)\$ \\\\(?:\[\w+\])?", line)
        if given:
            page.given.append((tokens(given.group(1)), given.group(2)))
            k += 1
            continue
        grouped = re.fullmatch(r"\|\s*\$`?(\\begin\{bmatrix\}.*?)`?\$\s*\|\s*\$`?(\\begin\{bmatrix\}.*?)`?\$\s*\|", line) or \
            re.fullmatch(r"\$(\\begin\{bmatrix\}.*)\$ & \$(\\begin\{bmatrix\}.*)\$ \\\\(?:\[\w+\])?", line)
        if grouped:
            # a matrix of names beside the matrix of their values: entry by entry
            names, values = (_matrix_cells(grouped.group(g)) for g in (1, 2))
            if len(names) != len(values):
                raise ParseError(f"line {k + 1}: a matrix of {len(names)} names has {len(values)} values")
            page.given += [(tokens(n), v) for n, v in zip(names, values)]
            k += 1
            continue
        opening = _MD_DISPLAY.match(line.strip())
        if opening or line.strip().startswith(r"\begin{aligned}"):
            end = _MD_END.get(opening.group(1)) if opening else None
            body = []
            if not opening:
                body.append(line)
            k += 1
            while k < len(lines) and (lines[k].strip() != end if end else True):
                body.append(lines[k])
                if not end and lines[k].strip().startswith(r"\end{aligned}"):
                    break
                k += 1
            k += 1
            block = _aligned_lines("\n".join(body), f"display at line {k}")
            if block is None:
                pass
            elif not block:
                page.empty_blocks += 1
            else:
                page.blocks.append(block)
            continue
        if line.strip() and not line.startswith(("|", "#", "<", "!", "\\", "%")):
            page.prose.append(line)
        k += 1
    return page


def _aligned_lines(body, where):
    if r"\begin{aligned}" in body:
        start = body.find(r"\begin{aligned}") + len(r"\begin{aligned}")
        end = body.rfind(r"\end{aligned}")
    elif "&" in body:  # the rows of a LaTeX document's align*
        start, end = 0, len(body)
    else:
        return None
    toks = tokens(body[start:end])
    rows = _split(toks, r"\\")
    result = []
    for row in rows:
        if not row:
            continue
        if "&" not in row:
            raise ParseError(f"{where}: a row without &: {' '.join(row)}")
        amp = row.index("&")
        lhs, rest = row[:amp], row[amp + 1:]
        if rest[:1] == [r"\quad"] and not lhs:
            # a long stage goes on: `&\quad + ...` continues the stage before it
            if not result:
                raise ParseError(f"{where}: a continuation row with no line before it")
            more = _split(rest[1:], "=")
            result[-1].stages[-1] = result[-1].stages[-1] + more[0]
            result[-1].stages.extend(more[1:])
            continue
        if rest[:1] != ["="]:
            raise ParseError(f"{where}: a row whose & is not followed by =")
        stages = _split(rest[1:], "=")
        if lhs:
            result.append(Line(tuple(lhs), stages, f"{where}: {''.join(lhs)}"))
        else:
            if not result:
                raise ParseError(f"{where}: a continuation row with no line before it")
            result[-1].stages.extend(stages)
    return result


def _name_table(page):
    """{first token: [name tokens, longest first]} from the given table and every left-hand side."""
    names = set()
    for toks, _ in page.given:
        names.add(_given_name(toks))
    for block in page.blocks:
        for line in block:
            if line.lhs[:1] != (r"\frac",) and not _primed(line.lhs):
                names.add(line.lhs)
    table = {}
    for name in sorted(names, key=len, reverse=True):
        table.setdefault(name[0], []).append(name)
    return table


def _scripts_valid(toks):
    """At most one ^ and one _ outside braces, as TeX requires of a name."""
    depth, count = 0, {"^": 0, "_": 0}
    for tok in toks:
        depth += {"{": 1, "}": -1}.get(tok, 0)
        if depth == 0 and tok in count:
            count[tok] += 1
    return max(count.values()) <= 1


def _matrix_cells(tex):
    body = tex[len(r"\begin{bmatrix}"):tex.rindex(r"\end{bmatrix}")]
    return [cell.strip() for row in body.split(r"\\") for cell in row.split("&")]


def _given_name(toks):
    # the learning rate's row reads "\eta\ \text{(learning rate)}"
    return (toks[0],) if toks[0] == r"\eta" else tuple(toks)


def _primed(lhs):
    return lhs[-1:] == ("'",) or r"\prime" in lhs


def _unprimed(lhs):
    """{w_{1}}' -> w_{1}; {\\hat{y}{}}' -> \\hat{y}."""
    inner = list(lhs[1:-2]) if lhs[0] == "{" and lhs[-2:] == ("}", "'") else list(lhs[:-1])
    if inner[-2:] == ["{", "}"]:
        inner = inner[:-2]
    return tuple(inner)


@dataclass
class Checker:
    digits: int
    carry: bool
    findings: list = field(default_factory=list)
    names: dict = field(default_factory=dict)
    checked: int = 0         # stages recomputed
    spread: float = 0        # the largest relative distance of a face-value stage from its result

    def fail(self, where, message):
        self.findings.append(f"{where}: {message}")


def check(text, digits=4, carry=False):
    """Findings (strings) for the page ``text``; an empty list means every line computes."""
    report = Checker(digits, carry)
    try:
        page = read_page(text)
    except ParseError as err:
        return [f"unreadable: {err}"]
    if page.empty_blocks:
        report.fail("page", f"{page.empty_blocks} empty display(s)")
    for line in page.prose:
        line = re.sub(r"\$`?[^$]*`?\$|\\\(.*?\\\)", "", line)
        if re.search(r"\\(times|text|frac|left|textbackslash)|\\\{|\^\{", line):
            report.fail("prose", f"raw LaTeX in a sentence: {line!r}")
    names = _name_table(page)
    report.names = names
    for first in names.values():
        for name in first:
            if not _scripts_valid(name):
                report.fail("page", f"{''.join(name)} has two superscripts or two subscripts, which TeX refuses")
    env, definitions = {}, {}
    symbols = Symbols()
    for toks, value in page.given:
        env[_given_name(toks)] = _iv(value)
    for block in page.blocks:
        for line in block:
            _check_line(report, line, names, env, definitions, symbols)
    report.findings.extend([])
    return report


def _parse(toks, names, digits):
    parser = Parser(toks, names, digits)
    return parser.number_or_expr()


def _check_line(report, line, names, env, definitions, symbols):
    where = line.where
    try:
        stages = [_parse(s, names, report.digits) for s in line.stages]
    except (ParseError, ValueError, IndexError) as err:
        report.fail(where, f"cannot read the line: {err}")
        return
    texts = [tuple(s) for s in line.stages]
    for k, text in enumerate(texts):
        if text == line.lhs:
            report.fail(where, "a stage repeats the left-hand side")
        if k and text == texts[k - 1]:
            report.fail(where, "a stage repeats the one before it")
    result = stages[-1]
    if not _is_number(result):
        report.fail(where, "the last stage is not a number")
        return
    shown = Values({})(result)
    lhs = _parse(line.lhs, names, report.digits) if line.lhs[:1] == (r"\frac",) else None
    for k, stage in enumerate(stages[:-1]):
        if _is_chain(stage):
            if k + 1 < len(stages) - 1 and _is_chain(stages[k + 1]):
                # dL/dz, then the chain it is made of; or the chain, then the same chain with
                # each definition put in (d(w5 a1 + w6 a2)/d a1), which must be that definition
                _check_defined(report, where, stage, stages[k + 1], definitions, symbols, env)
                continue
            if k + 1 < len(stages) - 1:
                _check_chain(report, where, stage, stages[k + 1], stages[k + 2] if k + 2 < len(stages) - 1 else None,
                             env, definitions, symbols)
            continue
        numbers_only = _is_name_free(stage)
        try:
            spans = Values(env)(stage)
        except Unevaluable:
            continue
        except (ValueError, ZeroDivisionError) as err:
            if numbers_only:  # a symbolic stage at values rounded elsewhere may not be; its numbers must
                report.fail(where, f"stage {k + 1} is undefined with the printed numbers ({err}): "
                                   f"{' '.join(line.stages[k])}")
            continue
        report.checked += 1
        if not _agree(spans, shown):
            report.fail(where, f"stage {k + 1} gives {_show(spans)}, not the printed {_show(shown)}: "
                               f"{' '.join(line.stages[k])}")
            continue
        if numbers_only:
            if report.carry:
                _carried(report, where, k, stage, result)
            else:
                _conditioning(report, where, k, stage, result)
    # what the page now knows
    value = shown
    if lhs is not None and isinstance(lhs, Partial):
        env[("partial", lhs.top, lhs.bottom)] = value
    elif _primed(line.lhs):
        if r"\prime" in line.lhs:  # a matrix update: the names of its entries are not on the page
            for key in [k for k in env if isinstance(k, tuple) and k and k[0] != "partial"]:
                if key != (r"\eta",):
                    env.pop(key)
        else:
            env[_unprimed(line.lhs)] = value
    else:
        env[line.lhs] = value
        if line.lhs not in definitions and not _is_name_free(stages[0]) and len(stages) > 1:
            definitions[line.lhs] = stages[0]


def _is_number(node):
    if isinstance(node, Num):
        return True
    if isinstance(node, Op) and node.kind in ("neg", "paren"):
        return _is_number(node.args[0])
    if isinstance(node, Op) and node.kind == "matrix":
        return all(_is_number(c) for row in node.args for c in row)
    return False


def _agree(spans, shown):
    if isinstance(spans, list) or isinstance(shown, list):
        if not (isinstance(spans, list) and isinstance(shown, list)):
            return False
        if len(spans) != len(shown) or any(len(a) != len(b) for a, b in zip(spans, shown)):
            return False
        return all(_agree(a, b) for ra, rb in zip(spans, shown) for a, b in zip(ra, rb))
    return spans.a <= shown.b and shown.a <= spans.b


def _show(value):
    if isinstance(value, list):
        return "[" + "; ".join(", ".join(_show(v) for v in row) for row in value) + "]"
    if value.a == value.b:
        return mp.nstr(mpf(value.a), 8)
    return f"[{mp.nstr(mpf(value.a), 8)}, {mp.nstr(mpf(value.b), 8)}]"


def _unit(num, digits):
    mantissa = num.text
    exponent = num.value.adjusted() - Decimal(mantissa).adjusted()
    return _unit_of(Decimal(mantissa), mantissa, digits).scaleb(exponent) if num.value else _unit_of(
        num.value, mantissa, digits)


def _numbers(node):
    if isinstance(node, Num):
        return [node]
    if isinstance(node, Op) and node.kind in ("neg", "paren"):
        return _numbers(node.args[0])
    if isinstance(node, Op) and node.kind == "matrix":
        return [n for row in node.args for c in row for n in _numbers(c)]
    return []


def _face(stage):
    """The stage computed with its printed numbers as they are: exactly where SymPy can
    (so that 0.3 - 0.300 is 0 at a tie), as intervals of width 0 for matrices."""
    try:
        value = to_sympy(stage, Symbols())
    except Unevaluable:
        return Values({}, exact=True)(stage)
    value = value if value.is_Rational else value.evalf(60)
    return _iv(str(value)) if value.is_Rational else _iv(mp.mpf(str(value)))


def _conditioning(report, where, k, stage, result):
    """A reader who computes with the printed numbers must land on the printed result, as
    ``derive check`` would accept it from a student: within one unit of its last digit or
    ``FACE_TOLERANCE`` of it, whichever is larger."""
    face = _face(stage)
    entries = face if isinstance(face, list) else [[face]]
    for value, num in zip([v for row in entries for v in row], _numbers(result)):
        printed = -num.value if _negative(result, num) else num.value
        printed = mpf(str(printed))
        got = mpf(value.a)
        unit = mpf(str(_unit(num, report.digits)))
        allowed = max(unit, FACE_TOLERANCE * abs(printed), mpf("1e-40"))
        off = abs(got - printed)
        report.spread = max(report.spread, float(off / abs(printed)) if printed else 0)
        if off > allowed:
            report.fail(where, f"stage {k + 1} gives {mp.nstr(got, 8)} with the printed numbers, "
                               f"{mp.nstr(100 * off / abs(printed) if printed else off, 2)}% from the printed "
                               f"{printed}: print more digits so that the line can be followed")


def _carried(report, where, k, stage, result):
    face = _face(stage)
    entries = face if isinstance(face, list) else [[face]]
    for value, num in zip([v for row in entries for v in row], _numbers(result)):
        sign = -1 if _negative(result, num) else 1
        exact = Decimal(mp.nstr(mpf(value.a), 50, strip_zeros=False))
        if abs(exact) < Decimal("1e-45"):  # the residue of mpmath's binary arithmetic on an exact 0
            exact = Decimal(0)
        rounded = _round(exact, report.digits)
        if rounded != sign * num.value:
            report.fail(where, f"stage {k + 1} gives {exact:.12g}, which rounds to {rounded}, not the printed "
                               f"{sign * num.value} (--carry-rounded takes the printed numbers as they are)")


def _negative(result, num):
    def find(node, negative):
        if node is num:
            return negative
        if isinstance(node, Op):
            for a in node.args:
                for b in (a if isinstance(a, tuple) else (a,)):
                    found = find(b, negative ^ (node.kind == "neg"))
                    if found is not None:
                        return found
        return None

    return bool(find(result, False))


def _round(value, digits):
    if not value:
        return Decimal(0)
    return value.quantize(Decimal(1).scaleb(value.adjusted() - digits + 1), rounding=ROUND_HALF_UP)


# --- chains of partial derivatives ---------------------------------------------------------

def _terms(node, whole=False):
    """A stage as signed terms, each a list of factors (joined by \\cdot); ``whole``: one term."""
    items = node.args if isinstance(node, Op) and node.kind == "add" and not whole else (node,)
    terms = []
    for item in items:
        sign = 1
        while isinstance(item, Op) and item.kind == "neg":
            sign, item = -sign, item.args[0]
        factors = list(item.args) if isinstance(item, Op) and item.kind == "dot" else [item]
        terms.append((sign, factors))
    return terms


def _is_chain(node):
    try:
        terms = _terms(node)
    except Exception:  # noqa: BLE001
        return False
    factors = [f for _, fs in terms for f in fs]
    return any(isinstance(f, Partial) for f in factors) and all(
        isinstance(f, Partial) or (isinstance(f, Name) and f.key[:1] == (r"\delta",)) for f in factors)


def _check_chain(report, where, chain, symbolic, numbers, env, definitions, symbols):
    chain_terms = _terms(chain)
    # a chain of one partial is followed by that one derivative, whatever its shape
    single = len(chain_terms) == 1 and len(chain_terms[0][1]) == 1

    def split(stage):
        terms = _terms(stage, single)
        return [(sign, [_product(factors)]) for sign, factors in terms] if single else terms

    symbolic_terms = split(symbolic)
    if len(chain_terms) != len(symbolic_terms) or any(
            len(a[1]) != len(b[1]) for a, b in zip(chain_terms, symbolic_terms)):
        report.fail(where, "the factors under the chain of partials do not match it one for one")
        return
    for t, ((sign, partials), (ssign, factors)) in enumerate(zip(chain_terms, symbolic_terms)):
        for f, (partial, factor) in enumerate(zip(partials, factors)):
            if isinstance(partial, Name):
                if partial != factor:
                    report.fail(where, f"term {t + 1}: {''.join(partial.key)} is written as something else")
                continue
            signed = factor if (f or ssign == sign) else Op("neg", (factor,))
            _check_derivative(report, where, partial, signed, definitions, symbols, env)
    if numbers is None:
        return
    number_terms = split(numbers)
    if len(number_terms) != len(symbolic_terms):
        report.fail(where, "the numbers do not match the symbolic terms one for one")
        return
    for t, ((ssign, factors), (nsign, nfactors)) in enumerate(zip(symbolic_terms, number_terms)):
        if len(factors) != len(nfactors):
            # a factor may print as a product of numbers (0.1 \\cdot 1.22): compare the term whole
            pairs = [(_product(factors), _product(nfactors))]
        else:
            pairs = list(zip(factors, nfactors))
        for f, (factor, number) in enumerate(pairs):
            if f == 0 and nsign != ssign:
                number = Op("neg", (number,))
            try:
                shown = Values(env)(number)
            except Unevaluable:
                continue
            except (ValueError, ZeroDivisionError) as err:
                report.fail(where, f"term {t + 1}, factor {f + 1} is undefined with the printed numbers ({err})")
                continue
            try:  # at values rounded in their own lines a factor may be undefined; its numbers may not
                expected = Values(env)(factor)
            except (Unevaluable, ValueError, ZeroDivisionError):
                continue
            report.checked += 1
            if not _agree(expected, shown):
                report.fail(where, f"term {t + 1}, factor {f + 1}: the numbers give {_show(shown)} where the "
                                   f"factor is {_show(expected)} at the page's values")


def _product(factors):
    return factors[0] if len(factors) == 1 else Op("dot", tuple(factors))


_DERIVATIVES = {}


def _check_defined(report, where, chain, defined, definitions, symbols, env):
    first, second = _terms(chain), _terms(defined)
    if [len(fs) for _, fs in first] != [len(fs) for _, fs in second]:
        return  # a partial and the chain it is made of: checked as a chain below
    for (_, partials), (_, written) in zip(first, second):
        for a, b in zip(partials, written):
            if not (isinstance(a, Partial) and isinstance(b, Partial)) or a.top == b.top:
                continue
            report.checked += 1
            if a.bottom != b.bottom:
                report.fail(where, f"d{''.join(b.top)}/d{''.join(b.bottom)} stands where d{''.join(a.top)}/"
                                   f"d{''.join(a.bottom)} did")
                continue
            if a.top not in definitions:
                report.fail(where, f"{''.join(a.top)} has no printed definition to put into its partial")
                continue
            try:
                put_in = to_sympy(_parse(b.top, report.names, report.digits), symbols)
                known = to_sympy(definitions[a.top], symbols)
            except (ParseError, Unevaluable):
                continue
            if not _same(known, put_in, definitions, symbols, env):
                report.fail(where, f"d({''.join(b.top)}) is not the definition of {''.join(a.top)}")


def _check_derivative(report, where, partial, factor, definitions, symbols, env):
    if partial.top in definitions:
        written = definitions[partial.top]
    else:
        try:  # the definition written into the partial: d(w x + b)/dx
            written = _parse(partial.top, report.names, report.digits)
        except ParseError:
            report.fail(where, f"{''.join(partial.top)} has no printed definition to differentiate")
            return
    try:
        definition = to_sympy(written, symbols)
        printed = to_sympy(factor, symbols)
    except Unevaluable:
        return
    variable = symbols(partial.bottom)
    through = False
    for _ in range(5):  # dL/dz of a loss written in yhat: through yhat's own definition (the p - y factor)
        if variable in definition.free_symbols:
            break
        through = True
        inner = {s: to_sympy(definitions[symbols.key_of(s)], symbols) for s in definition.free_symbols
                 if symbols.key_of(s) in definitions}
        if not inner:
            break
        definition = definition.xreplace(inner)
    key = (definition, variable, printed)
    if key not in _DERIVATIVES:
        derivative = sympy.diff(definition, variable)
        # p - y after a softmax holds where the targets sum to 1, as the page's are: a
        # derivative taken through definitions is compared with the given values held
        _DERIVATIVES[key] = _same(derivative, printed, definitions, symbols, env) or (through and _same(
            derivative, printed, definitions, symbols, env, held=lambda k: k not in definitions))
    report.checked += 1
    if not _DERIVATIVES[key]:
        report.fail(where, f"d{''.join(partial.top)}/d{''.join(partial.bottom)} is printed as {printed}, but the "
                           f"derivative of the printed definition is {sympy.diff(definition, variable)}")


def _same(expected, printed, definitions, symbols, env, held=lambda key: False):
    """Equal as functions: compared at random points near the page's values (the
    quantities ``held`` picks stay at them)."""
    free = expected.free_symbols
    for _ in range(5):  # a quantity used through its definition: a1 for sigma(z1)
        extra = printed.free_symbols - free
        defined = {s: to_sympy(definitions[symbols.key_of(s)], symbols) for s in extra
                   if symbols.key_of(s) in definitions}
        if not defined:
            break
        printed = printed.xreplace(defined)
    rng = random.Random(1)
    compared = 0
    for _ in range(12):
        point = {}
        for s in expected.free_symbols | printed.free_symbols:
            value = env.get(symbols.key_of(s))
            base = (mpf(value.a) + mpf(value.b)) / 2 if value is not None and not isinstance(value, list) else mpf("0.5")
            if held(symbols.key_of(s)) and value is not None:
                point[s] = sympy.Float(base, 40)
                continue
            point[s] = sympy.Float(base * (1 + mpf(rng.uniform(-0.2, 0.2))) + mpf(rng.uniform(-0.05, 0.05)), 40)
        a = expected.evalf(40, subs=point)
        b = printed.evalf(40, subs=point)
        if not (a.is_real and b.is_real and a.is_finite and b.is_finite):
            continue
        compared += 1
        if abs(a - b) > sympy.Float("1e-25") * (1 + abs(a)):
            return False
        if compared == 3:
            return True
    return compared > 0
