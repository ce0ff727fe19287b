"""How a name is shown, and the one grammar every name's LaTeX must fit.

A name is shown as people write it (``yhat`` as \\hat{y}, ``w1`` as w_{1}, ``eta`` as
\\eta: SymPy's rules) or as ``[symbols]`` says. Either way the LaTeX goes into documents,
web pages and Markdown as it is, so it must fit one strict grammar: letters, digits, the
commands of ``COMMANDS`` (each with its argument), scripts on a base (at most one ^ and one
_ each), primes, balanced braces and a little punctuation. Nothing else: no ^^ (TeX's
character escapes), no other control sequence, no < or > (which would be markup in HTML),
no empty or double script. A name whose printed form does not fit is refused at once, with
the form it would have printed.
"""

import sympy
from sympy.printing.latex import LatexPrinter

from ..errors import SpecError, quoted

#: Letters and signs that take no argument.
LETTERS = frozenset("""
    alpha beta gamma delta epsilon varepsilon zeta eta theta vartheta iota kappa lambda mu nu xi pi
    varpi rho varrho sigma varsigma tau upsilon phi varphi chi psi omega Gamma Delta Theta Lambda Xi
    Pi Sigma Upsilon Phi Psi Omega ell partial nabla
    prime star ast circ cdot times odot oplus otimes dagger infty
""".split())
#: Accents and fonts: each applies to the group or the one character after it.
WRAPPERS = frozenset("""
    hat bar tilde vec dot ddot check breve widehat widetilde overline underline
    mathbf mathrm mathit mathsf mathcal mathbb boldsymbol operatorname text
""".split())
COMMANDS = LETTERS | WRAPPERS
#: Spacing: \, \; \! and "\ ".
SPACES = frozenset(",;! ")
#: Characters besides ASCII letters and digits.
PUNCTUATION = frozenset(" '()[],.+-*/:;!")
#: What \text{...} may hold.
TEXT = frozenset(" ()[],.-:;!'")
MAX_LENGTH = 100
MAX_DEPTH = 10


class _NamePrinter(LatexPrinter):
    """SymPy's printing of a bare name, nothing more."""


def name_latex(name):
    """The LaTeX a name is shown as without [symbols]: SymPy's rules (w1 -> w_{1}), without
    the empty scripts a trailing _ leaves (lambda_ -> \\lambda)."""
    shown = _NamePrinter().doprint(sympy.Symbol(name))
    while shown.endswith(("_{}", "^{}")):
        shown = shown[:-3]
    return shown


def check_name_prints(name, where):
    """Refuse a name whose printed form would not fit the grammar (xscr -> \\mathscr{x})."""
    shown = name_latex(name)
    try:
        check_latex(shown, where)
    except SpecError:
        raise SpecError(f"{where}: {name!r} would be shown as {quoted(shown)}, which not every output can print; "
                        f"choose another name, or show it your own way with [symbols] {name} = \"...\"") from None


def check_latex(text, where):
    """Refuse LaTeX that could do more than print a name (see the module's grammar)."""
    if not text.strip():
        raise SpecError(f"{where}: is empty; give the LaTeX the name is shown as, such as \"net_{{h1}}\"")
    if len(text) > MAX_LENGTH:
        raise SpecError(f"{where}: is {len(text)} characters long; a symbol's LaTeX is at most {MAX_LENGTH}")
    _Reader(text, where).sequence(0, top=True)


class _Reader:
    def __init__(self, text, where):
        self.text, self.where, self.k = text, where, 0

    def fail(self, what):
        raise SpecError(f"{self.where}: {what} in {quoted(self.text)}; a symbol's LaTeX holds letters, digits, scripts "
                        "(x_{1}, x^{2}), braces and commands such as \\hat{y}, \\alpha or \\mathbf{w}")

    def peek(self):
        return self.text[self.k] if self.k < len(self.text) else ""

    def command(self):
        start = self.k
        self.k += 1
        while self.peek().isascii() and self.peek().isalpha():
            self.k += 1
        name = self.text[start + 1:self.k]
        if not name:
            char = self.peek()
            if char not in SPACES:
                self.fail(f"'\\{char}' is not allowed")
            self.k += 1
            return None
        if name not in COMMANDS:
            self.fail(f"\\{name} is not allowed")
        return name

    def argument(self, depth, name):
        """The group, or the single letter or digit, a wrapper or a script applies to (not a
        bare command: KaTeX refuses \\operatorname\\alpha)."""
        char = self.peek()
        if char == "{":
            self.k += 1
            if self.peek() == "}":
                self.fail(f"\\{name} has an empty argument" if name else "an empty script")
            if name == "text":
                self.text_group()
            else:
                self.sequence(depth + 1)
            return
        if char.isascii() and char.isalnum():
            self.k += 1
            return
        self.fail(f"\\{name} needs an argument" if name else "a script needs something to raise or lower")

    def text_group(self):
        while self.peek() != "}":
            char = self.peek()
            if not char:
                self.fail("a brace is not closed")
            if not (char.isascii() and char.isalnum()) and char not in TEXT:
                self.fail(f"the character {char!r} is not allowed in \\text")
            self.k += 1
        self.k += 1

    def sequence(self, depth, top=False):
        if depth > MAX_DEPTH:
            self.fail("braces nested too deep")
        base, scripts = False, set()
        while True:
            char = self.peek()
            if not char:
                if not top:
                    self.fail("a brace is not closed")
                return
            if char == "}":
                if top:
                    self.fail("a brace closes that was not opened")
                self.k += 1
                return
            if char in "^_":
                if not base:
                    self.fail(f"'{char}' has nothing before it")
                if char in scripts:
                    self.fail("a double superscript or subscript")
                scripts.add(char)
                self.k += 1
                self.argument(depth, "")
                continue
            if char == "'":
                if not base:
                    self.fail("a prime has nothing before it")
                self.k += 1
                continue
            base, scripts = True, set()
            if char == "{":
                self.k += 1
                self.sequence(depth + 1)
            elif char == "\\":
                name = self.command()
                if name is None:
                    base = False
                elif name in WRAPPERS:
                    self.argument(depth, name)
            elif char.isascii() and char.isalnum():
                self.k += 1
            elif char in PUNCTUATION:
                self.k += 1
                base = char not in " ,;:!+-*/"
            else:
                self.fail(f"the character {char!r} is not allowed")
