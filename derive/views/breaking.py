"""Lines that fit: how wide a line of the page's LaTeX is, and where a long one breaks.

KaTeX, MathJax and MathML never break display math, and TeX does not break inside an
align* row, so a line too long for its page runs off it. Each line is therefore laid out
here for the width its output has: a line that does not fit on one row is written one
stage a row, and a stage that still does not fit is broken before a + or a \\cdot at its
top level (never inside brackets or a fraction) onto continuation rows that start a
\\quad in from the relation sign, as a textbook does.

Widths are estimated in em of the display's font from the glyphs of the LaTeX the
product writes (Computer Modern's metrics, rounded up); the tests compile every example
and check that TeX reports no overfull line, and measure the HTML in Chromium.
"""

import re

#: The widest a row may be, in em, by output: an A4 page's text at 11 pt (43 em, less the
#: exam class's indent), a blog's column, a 400 px phone screen.
BUDGETS = {"latex": 36.0, "markdown": 32.0, "html": 20.0}
#: The indent of a continuation row after the relation sign (\quad).
INDENT = 1.0

_TOKEN = re.compile(r"\\[A-Za-z]+\*?|\\.|[{}]|\s+|.", re.S)
_RELATION = 0.78 + 2 * 0.28      # = > < with thick spaces
_BINARY = 0.78 + 2 * 0.22        # + - with medium spaces
_DOT = 0.28 + 2 * 0.22           # \cdot
_GLYPHS = {
    r"\sigma": 0.57, r"\delta": 0.45, r"\eta": 0.5, r"\partial": 0.56, r"\theta": 0.47, r"\alpha": 0.64,
    r"\beta": 0.57, r"\lambda": 0.58, r"\mu": 0.6, r"\pi": 0.57, r"\epsilon": 0.41, r"\varepsilon": 0.47,
    r"\top": 0.78, r"\prime": 0.28, r"\infty": 1.0, r"\vdots": 0.28, r"\cdots": 1.17, r"\ddots": 1.17,
    r"\ldots": 1.17, r"\lvert": 0.28, r"\rvert": 0.28, r"\|": 0.5,
}
_SPACES = {r"\,": 0.17, r"\:": 0.22, r"\;": 0.28, r"\!": -0.17, "\\ ": 0.33, r"\quad": 1.0, r"\qquad": 2.0,
           r"\enspace": 0.5}
_OPERATORS = {r"\cdot": _DOT, r"\odot": _DOT + 0.3, r"\times": _DOT + 0.3, "+": _BINARY, "-": _BINARY,
              "=": _RELATION, ">": _RELATION, "<": _RELATION, r"\geq": _RELATION, r"\leq": _RELATION,
              r"\neq": _RELATION, r"\approx": _RELATION}
_NAMED = {r"\log", r"\ln", r"\exp", r"\max", r"\min", r"\sin", r"\cos", r"\tanh", r"\tan", r"\operatorname"}


def width(tex):
    """The width of ``tex`` (display math) in em."""
    return _Measure(_TOKEN.findall(tex)).run(1.0)


class _Measure:
    def __init__(self, tokens):
        self.t = [t for t in tokens if not t.isspace() or t == " "]
        self.k = 0
        self.fractions = 0  # how many fractions deep: a display's first is full size

    def peek(self):
        return self.t[self.k] if self.k < len(self.t) else None

    def take(self):
        tok = self.t[self.k]
        self.k += 1
        return tok

    def group(self, scale):
        """The width of the next argument: a {group} or one token."""
        if self.peek() == "{":
            self.take()
            return self.run(scale, closing="}")
        if self.peek() is None:
            return 0.0
        return self.atom(self.take(), scale, previous=None)

    def raw_group(self):
        """The text of the next {group}, unmeasured (an \\operatorname's name, a \\text)."""
        if self.peek() != "{":
            return self.take() if self.peek() is not None else ""
        self.take()
        depth, text = 0, []
        while self.peek() is not None:
            tok = self.take()
            if tok == "{":
                depth += 1
            elif tok == "}":
                if depth == 0:
                    break
                depth -= 1
            text.append(tok)
        return "".join(text)

    def run(self, scale, closing=None):
        total, previous = 0.0, "start"
        while self.peek() is not None:
            tok = self.peek()
            if closing is not None and tok == closing:
                self.take()
                break
            if tok == r"\end":
                break
            self.take()
            if tok == " ":
                continue
            total += self.atom(tok, scale, previous)
            previous = tok
        return total

    def atom(self, tok, scale, previous):
        if tok in ("^", "_"):
            script = self.group(scale * 0.8)
            if self.peek() in ("^", "_") and self.peek() != tok:  # x^{a}_{b}: stacked, not side by side
                self.take()
                script = max(script, self.group(scale * 0.8))
            return script
        if tok == r"\frac":
            inner = scale if self.fractions == 0 else scale * 0.75
            self.fractions += 1
            top, bottom = self.group(inner), self.group(inner)
            self.fractions -= 1
            return max(top, bottom) + 0.24 * scale
        if tok == r"\sqrt":
            return self.group(scale) + 0.85 * scale
        if tok in (r"\left", r"\right", r"\big", r"\Big", r"\bigl", r"\bigr"):
            delimiter = self.take() if self.peek() is not None else ""
            return (0.0 if delimiter == "." else 0.5) * scale
        if tok in (r"\hat", r"\bar", r"\tilde", r"\vec", r"\widehat", r"\overline", r"\dot", r"\mathbf",
                   r"\boldsymbol", r"\mathrm", r"\mathit", r"\mathbb", r"\mathcal", r"\underline"):
            return self.group(scale) * (1.1 if tok in (r"\mathbf", r"\boldsymbol") else 1.0)
        if tok in (r"\text", r"\textrm", r"\mathrm", r"\textbf"):
            return sum(1.0 if ord(c) > 0x2E7F else 0.5 for c in self.raw_group()) * scale
        if tok == r"\operatorname":
            return (0.5 * len(self.raw_group()) + 0.17) * scale
        if tok in _NAMED:
            return (0.5 * (len(tok) - 1) + 0.17) * scale
        if tok == r"\begin":
            return self.environment(self.raw_group(), scale)
        if tok in _SPACES:
            return _SPACES[tok] * scale
        if tok in _OPERATORS:
            unary = tok in ("+", "-") and previous in ("start", "(", "[", "{", "=", r"\left", ",", "&")
            return (0.78 if unary else _OPERATORS[tok]) * scale
        if tok in _GLYPHS:
            return _GLYPHS[tok] * scale
        if tok in ("{",):
            return self.run(scale, closing="}")
        if tok in ("}", "&"):
            return 0.0
        if tok.startswith("\\"):
            return 0.6 * scale  # another symbol
        if tok.isdigit():
            return 0.5 * scale
        if tok in ".,;:":
            return (0.28 if tok in ".," else 0.28 + 0.17) * scale
        if tok in "()[]|":
            return 0.39 * scale
        if tok == "'":
            return 0.3 * scale
        if tok.isalpha():
            return (1.0 if ord(tok) > 0x2E7F else 0.72 if tok.isupper() else 0.55) * scale
        return 0.6 * scale

    def environment(self, name, scale):
        """A bmatrix or cases: its widest cell of each column, with the gaps and brackets."""
        rows, cells, start = [], [], self.k
        depth = 0
        while self.peek() is not None:
            tok = self.take()
            if tok == r"\begin":
                depth += 1
            elif tok == r"\end":
                if depth == 0:
                    self.raw_group()
                    break
                depth -= 1
        body = self.t[start:self.k]
        text = "".join(body)
        text = text[:text.rfind(r"\end")] if r"\end" in text else text
        for row in _split_top(text, r"\\"):
            cells = [width(cell) for cell in _split_top(row, "&")]
            rows.append(cells)
        if not rows:
            return 0.0
        columns = max(len(r) for r in rows)
        widest = [max((r[c] for r in rows if c < len(r)), default=0.0) for c in range(columns)]
        gaps = 1.0 if name != "cases" else 1.0
        return (sum(widest) + gaps * (columns - 1) + 0.9) * scale


def _split_top(text, separator):
    """``text`` split at ``separator`` where no {group} or \\begin...\\end is open."""
    parts, depth, start, k = [], 0, 0, 0
    while k < len(text):
        if text.startswith(r"\begin", k):
            depth += 1
        elif text.startswith(r"\end", k):
            depth -= 1
        elif text[k] == "{":
            depth += 1
        elif text[k] == "}":
            depth -= 1
        elif depth == 0 and text.startswith(separator, k):
            parts.append(text[start:k])
            k += len(separator)
            start = k
            continue
        k += 1
    parts.append(text[start:])
    return [p for p in parts if p.strip()]


def pieces(tex):
    """``tex`` cut before each + , - and \\cdot at its top level (not in a group, brackets or
    an environment, and not a leading sign): the places a long stage may break."""
    cuts, depth, k = [], 0, 0
    while k < len(tex):
        if tex.startswith(r"\left", k) or tex.startswith(r"\begin", k):
            depth += 1
            k += 5
            continue
        if tex.startswith(r"\right", k) or tex.startswith(r"\end", k):
            depth -= 1
            k += 4
            continue
        char = tex[k]
        if char in "{(":
            depth += 1
        elif char in "})":
            depth -= 1
        elif depth == 0 and k > 0:
            for op in (" + ", " - ", r" \cdot "):
                if tex.startswith(op, k):
                    cuts.append(k + 1)
                    break
        k += 1
    bounds = [0] + cuts + [len(tex)]
    return [tex[a:b].strip() for a, b in zip(bounds, bounds[1:])]


def layout(lhs, parts, stacked, budget):
    """The rows of one line: ((lead, tex), ...), the first led by its relation sign "=", a
    continuation of a stage by "" (it begins with its + or \\cdot, a \\quad in)."""
    room = budget - width(lhs) - _RELATION
    joined = " = ".join(parts)
    if not stacked and width(joined) <= room:
        return (("=", joined),)
    rows = []
    for part in parts:
        rows += _broken(part, room)
    return tuple(rows)


def _broken(part, room):
    if width(part) <= room:
        return [("=", part)]
    rows, current = [], ""
    for piece in pieces(part):
        trial = f"{current} {piece}" if current else piece
        if current and width(trial) > (room if not rows else room - INDENT):
            rows.append(current)
            current = piece
        else:
            current = trial
    rows.append(current)
    return [("=" if k == 0 else "", row) for k, row in enumerate(rows)]
