"""The project's own safe parser for spec expressions and equations.

Spec text is data. An expression is read with Python's ``ast`` module, every node is
checked against a short whitelist, and SymPy objects are built directly from the checked
tree; nothing is ever handed to ``eval``, ``exec``, ``sympify`` or ``parse_expr``.
Numbers are read exactly from their source text (``0.1`` is one tenth).
"""

import ast
import math
from dataclasses import dataclass

import sympy

from ..errors import SpecError
from ..numbers import exact
from ..registry.functions import FUNCTIONS
from .symbols import check_latex, check_name_prints

MAX_LENGTH = 2000
MAX_DEPTH = 60
MAX_EXPONENT = 1000
MAX_MAGNITUDE = 1e300

_BINARY = {
    ast.Add: lambda a, b: a + b,
    ast.Sub: lambda a, b: a - b,
    ast.Mult: lambda a, b: a * b,
    ast.Div: lambda a, b: a / b,
    ast.Pow: lambda a, b: a**b,
}
_OPERATOR_TEXT = {ast.MatMult: "@", ast.Mod: "%", ast.FloorDiv: "//", ast.BitXor: "^",
                  ast.BitAnd: "&", ast.BitOr: "|", ast.LShift: "<<", ast.RShift: ">>"}


@dataclass(frozen=True)
class Equation:
    """``name = expr`` as parsed: the defined name and its SymPy expression."""

    name: str
    expr: sympy.Expr
    names: tuple  # the names the expression uses, in order of first use
    written: tuple = ()  # its symbols and numbers in the order written, for printing it so


def symbol(name):
    """The SymPy symbol of a spec name. Every quantity here is real."""
    return sympy.Symbol(name, real=True)


def check_name(name, where):
    """Refuse a name that could not be a quantity: not an identifier, a dunder, a function."""
    if not isinstance(name, str) or not name.isidentifier() or not name.isascii():
        raise SpecError(f"{where}: {name!r} is not a valid name (letters, digits and _, not starting with a digit)")
    if name.startswith("__"):
        raise SpecError(f"{where}: names may not start with '__' ({name!r})")
    if name in FUNCTIONS:
        raise SpecError(f"{where}: {name!r} is the name of a function and cannot name a quantity")
    if name in CONSTANT_LOOKALIKES:
        raise SpecError(f"{where}: {name!r} would print as {CONSTANT_LOOKALIKES[name]}, which reads as the constant; "
                        f"choose another name, such as {name}1")
    if not name[0].isalpha():
        raise SpecError(f"{where}: {name!r} does not start with a letter; a name starts with one")
    check_name_prints(name, where)


#: Names that would print like a mathematical constant on the page (e^{-a} is the exponential).
CONSTANT_LOOKALIKES = {"e": "e", "pi": "\\pi"}


def check_symbol_latex(text, where):
    """Refuse [symbols] LaTeX outside the one grammar of names (see ``symbols``)."""
    check_latex(text, where)
    if text.strip() in CONSTANT_LOOKALIKES.values():
        raise SpecError(f"{where}: {text.strip()!r} reads as a mathematical constant; show the name another way")


class _Builder:
    def __init__(self, text, where, allowed, shown):
        self.text = text
        self.where = where
        self.allowed = allowed
        self.shown = shown  # (the text quoted in messages, the column where ``text`` starts in it)
        self.names = []
        self.written = []  # symbols and numbers, as they come in the text

    def fail(self, node, message):
        column = getattr(node, "col_offset", None)
        quoted, shift = self.shown
        place = f"{self.where}: column {column + 1 + shift}" if column is not None else self.where
        raise SpecError(f"{place}: {message} in {quoted!r}")

    def build(self, node, depth=0):
        """The SymPy form of ``node``; a part made of numbers alone must be a real, finite
        number within the range a spec's numbers have (0/0, sqrt(-1), 1e-300 * 1e-300 are not)."""
        made = self._build(node, depth)
        if made.is_number:
            if made.has(sympy.nan, sympy.zoo, sympy.oo, -sympy.oo):
                self.fail(node, "this part is undefined (a division by zero)")
            value = made.evalf(20)
            if not value.is_extended_real:
                self.fail(node, "this part is not a real number")
            if value and not 1e-300 <= abs(value) <= MAX_MAGNITUDE:
                self.fail(node, "this part is outside the range of numbers accepted (1e-300 to 1e300 in size)")
        return made

    def _build(self, node, depth):
        if depth > MAX_DEPTH:
            self.fail(node, f"nesting deeper than {MAX_DEPTH} levels")
        if isinstance(node, ast.Constant):
            value = node.value
            if isinstance(value, bool) or not isinstance(value, (int, float)):
                self.fail(node, f"{value!r} is not a number")
            if abs(value) > MAX_MAGNITUDE:
                self.fail(node, f"the number {ast.get_source_segment(self.text, node)} is too large")
            source = ast.get_source_segment(self.text, node)
            number = exact(int(value) if isinstance(value, int) else sympy.Rational(source))
            self.written.append(number)
            return number
        if isinstance(node, ast.Name):
            return self.name(node)
        if isinstance(node, ast.UnaryOp) and isinstance(node.op, (ast.USub, ast.UAdd)):
            operand = self.build(node.operand, depth + 1)
            return -operand if isinstance(node.op, ast.USub) else operand
        if isinstance(node, ast.BinOp) and type(node.op) in _BINARY:
            left = self.build(node.left, depth + 1)
            right = self.build(node.right, depth + 1)
            if isinstance(node.op, ast.Pow) and right.is_Number:
                if abs(right) > MAX_EXPONENT:
                    self.fail(node, f"an exponent above {MAX_EXPONENT} is not allowed")
                if left.is_Number and left != 0 and abs(float(right) * math.log10(abs(float(left)))) > 300:
                    self.fail(node, "this power is outside the range of numbers accepted (1e-300 to 1e300 in size)")
            if isinstance(node.op, ast.Mult) and (left == 0 or right == 0) and (left.free_symbols or right.free_symbols):
                # 0 * log(x) stays written out: log(x) must still be defined where it is computed
                return sympy.Mul(left, right, evaluate=False)
            if isinstance(node.op, ast.Div) and right.is_Integer and right not in (0, 1, -1):
                # x / 10 stays a division by 10, so that it prints as written
                return sympy.Mul(left, sympy.Pow(right, -1, evaluate=False), evaluate=False)
            return _BINARY[type(node.op)](left, right)
        if isinstance(node, ast.BinOp):
            text = _OPERATOR_TEXT.get(type(node.op), type(node.op).__name__)
            self.fail(node, f"operator {text!r} is not allowed (use + - * / **)")
        if isinstance(node, ast.Call):
            return self.call(node, depth)
        self.fail(node, f"{_describe(node)} is not allowed; an expression holds numbers, names, "
                        "+ - * / **, parentheses and the functions " + ", ".join(sorted(FUNCTIONS)))

    def name(self, node):
        name = node.id
        if name.startswith("__"):
            self.fail(node, f"name {name!r} is not allowed")
        if name in FUNCTIONS:
            self.fail(node, f"{name!r} is a function: call it, as {name}(...)")
        if self.allowed is not None and name not in self.allowed:
            known = ", ".join(sorted(self.allowed)) or "none"
            self.fail(node, f"unknown name {name!r} (known here: {known})")
        if name not in self.names:
            self.names.append(name)
        self.written.append(symbol(name))
        return symbol(name)

    def call(self, node, depth):
        if not isinstance(node.func, ast.Name):
            self.fail(node, "only the listed functions may be called, by name")
        name = node.func.id
        if name not in FUNCTIONS:
            self.fail(node, f"unknown function {name!r} (known: {', '.join(sorted(FUNCTIONS))})")
        if node.keywords or any(isinstance(a, ast.Starred) for a in node.args):
            self.fail(node, f"{name}() takes plain arguments only")
        function = FUNCTIONS[name]
        builder, arity = function.sympy, function.arity
        if len(node.args) != arity:
            self.fail(node, f"{name}() takes {arity} argument{'s' if arity > 1 else ''}, not {len(node.args)}")
        arguments = [self.build(a, depth + 1) for a in node.args]
        try:
            return builder(*arguments)
        except (ValueError, TypeError, ArithmeticError):  # SymPy refuses max(x, sqrt(-1)): not comparable
            self.fail(node, f"{name}() cannot take these arguments (a value that is not a real number)")


def _describe(node):
    return {
        ast.Attribute: "attribute access", ast.Subscript: "a subscript", ast.Lambda: "a lambda",
        ast.IfExp: "a conditional expression", ast.Compare: "a comparison", ast.BoolOp: "and/or",
        ast.ListComp: "a comprehension", ast.GeneratorExp: "a comprehension", ast.List: "a list",
        ast.Tuple: "a tuple", ast.Dict: "a dict", ast.JoinedStr: "a string",
    }.get(type(node), type(node).__name__)


def _tree(text, where, shown):
    quoted, shift = shown
    try:
        return ast.parse(text, mode="eval")
    except SyntaxError as err:
        # Python puts a statement that ends too soon (f = q * z +) at offset 0: its last character
        offset = err.offset if err.offset else len(text.rstrip()) if err.offset == 0 else None
        column = f"column {offset + shift}: " if offset else ""
        raise SpecError(f"{where}: {column}does not parse: {quoted!r}") from None
    except (ValueError, RecursionError, MemoryError):
        raise SpecError(f"{where}: does not parse: {quoted!r}") from None


def parse_expression(text, where, allowed=None, shown=None):
    """Parse ``text`` into a SymPy expression, using only names in ``allowed`` (if given).

    ``shown`` is the text quoted in messages and the column at which ``text`` stands in it
    (an equation's right-hand side is reported within the whole equation).
    """
    expr, names, _ = _parse(text, where, allowed, shown)
    return expr, names


def _parse(text, where, allowed, shown):
    """(expression, names in order of first use, symbols and numbers in the order written)."""
    if not isinstance(text, str):
        raise SpecError(f"{where}: expected a string, got {type(text).__name__}")
    if len(text) > MAX_LENGTH:
        raise SpecError(f"{where}: longer than {MAX_LENGTH} characters")
    stripped = text.strip()
    if shown is None:
        shown = (stripped, 0)
    else:
        shown = (shown[0], shown[1] + len(text) - len(text.lstrip()))
    if "#" in stripped:
        # Python's reader would drop the rest as a comment: what is written would not be what counts
        raise SpecError(f"{where}: column {shown[1] + stripped.index('#') + 1}: '#' is not allowed in an expression "
                        f"(a comment in TOML goes after the closing quote) in {shown[0]!r}")
    tree = _tree(stripped, where, shown)
    builder = _Builder(stripped, where, allowed, shown)
    try:
        return builder.build(tree.body), tuple(builder.names), tuple(builder.written)
    except RecursionError:
        raise SpecError(f"{where}: nesting too deep in {shown[0]!r}") from None


def parse_equation(text, where):
    """Parse ``name = expression``."""
    if not isinstance(text, str) or text.count("=") != 1:
        raise SpecError(f"{where}: an equation has the form 'name = expression', got {text!r}")
    left, right = text.split("=")
    name = left.strip()
    check_name(name, where)
    expr, names, written = _parse(right, where, None, (text, len(left) + 1))
    return Equation(name, expr, names, written)
