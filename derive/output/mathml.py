"""LaTeX the product generated, as MathML that a browser's MathML Core lays out the way TeX
(the PDF) and KaTeX do, with no script.

latex2mathml parses the LaTeX; its tree is then reworked with ElementTree, never as text:

- every operator's spacing is TeX's own: each row's children are classed as TeX's atoms
  (Ord, Op, Bin, Rel, Open, Close, Punct, Inner), a Bin with nothing to combine becomes
  an Ord (a unary minus, ``form="prefix"``, hugging its number), and the space between two
  atoms comes from TeX's table (thin, medium, thick; the bracketed ones dropped in scripts).
  Every ``mo`` gets an explicit ``lspace``/``rspace``, so the browser's operator dictionary
  (which spaces an inner bracket or a minus after a bracket like a binary operator) adds
  nothing; a fence keeps 0 on both sides, and a space TeX puts next to one (``\\sigma``
  before ``\\left(``, an Inner atom) is an ``mspace`` or the ``rspace`` of the function
  application after a function name;
- a function name (``log``, ``\\operatorname{ReLU}``, a ``\\sigma`` taking a bracket) is
  followed by U+2061 FUNCTION APPLICATION;
- ``\\left...\\right`` brackets stretch only around a fraction or a matrix of more than one
  row (Chromium widens a stretchy bracket's box to its widest variant: the gaps this page
  had inside every bracket); a plain bracket never stretches; a matrix's brackets are
  grouped with it, and a matrix of one row is a row (its cells 1em apart), not a table;
- a prime is set after its base, not as a second superscript; ``\\hat`` is a non-stretchy
  accent; ``\\cdot`` is U+22C5; fonts the browser does not apply (``mathvariant`` other
  than normal) become Unicode's mathematical letters; ``aligned`` becomes a table.

If latex2mathml's tree cannot be reworked (it never happens for what derive writes), its
own serialization is returned, as the page had it before."""

import unicodedata
import xml.etree.ElementTree as ET
from html import unescape

# TeX's atoms
ORD, OP, BIN, REL, OPEN, CLOSE, PUNCT, INNER = "ord op bin rel open close punct inner".split()
# TeXbook p. 170: the space between two adjacent atoms, in mu; a negative entry is dropped in
# script and scriptscript style (the table's parenthesised entries)
_TABLE = """
       ord  op  bin  rel  open close punct inner
ord     0    3  -4   -5    0    0     0    -3
op      3    3   0   -5    0    0     0    -3
bin    -4   -4   0    0   -4    0     0    -4
rel    -5   -5   0    0   -5    0     0    -5
open    0    0   0    0    0    0     0     0
close   0    3  -4   -5    0    0     0    -3
punct  -3   -3   0   -3   -3   -3    -3    -3
inner  -3    3  -4   -5   -3    0    -3    -3
"""
_ROWS = [line.split() for line in _TABLE.strip().splitlines()]
SPACING = {(row[0], col): int(cell) for row in _ROWS[1:] for col, cell in zip(_ROWS[0], row[1:])}
EM = {0: "0", 3: "0.1667em", 4: "0.2222em", 5: "0.2778em"}

RELATIONS = set("=<>≤≥≠≈≡∼≃≅∝∈∉∋⊂⊃⊆⊇→←↔⇒⇐⇔↦:≔≪≫⊥∣")
BINARIES = set("+−-±∓⋅·×÷⊙⊕⊗⊖∘∙∗*⋆∧∨∩∪∖†")
OPENING = set("([{⟨⌊⌈")
CLOSING = set(")]}⟩⌋⌉")
BRACKETS = OPENING | CLOSING | set("|‖/")
PUNCTUATION = set(",;")
LARGE = set("∑∏∐∫∬∭∮⋃⋂⋁⋀")
PRIMES = set("′″‴")
#: Single letters that name a function when a bracket follows (the sigmoid).
FUNCTION_LETTERS = {"σ"}
FUNCTION_APPLICATION = "\u2061"

ROW_TAGS = {"math", "mrow", "mtd", "msqrt", "mstyle", "mpadded", "mphantom", "menclose", "merror"}
SCRIPT_TAGS = {"msub", "msup", "msubsup", "munder", "mover", "munderover"}
#: What makes \left...\right brackets stretch: in TeX a superscript makes them a little bigger
#: too, but Chromium makes a stretchy bracket's box as wide as its widest variant (a gap of
#: about 0.4em inside), so only what needs much more than the font's own bracket stretches
_TALL = {"mfrac", "msqrt", "mroot", "munderover"}
_NAMED_SPACES = {"veryverythinmathspace": "0.0556em", "verythinmathspace": "0.1111em",
                 "thinmathspace": "0.1667em", "mediummathspace": "0.2222em", "thickmathspace": "0.2778em",
                 "verythickmathspace": "0.3333em", "veryverythickmathspace": "0.3889em"}
_NAMED_SPACES.update({"negative" + name: "-" + width for name, width in _NAMED_SPACES.items()})

#: mathvariant -> the words of Unicode's names for mathematical letters
_VARIANTS = {"bold": "BOLD", "italic": "ITALIC", "bold-italic": "BOLD ITALIC", "double-struck": "DOUBLE-STRUCK",
             "script": "SCRIPT", "bold-script": "BOLD SCRIPT", "fraktur": "FRAKTUR", "bold-fraktur": "BOLD FRAKTUR",
             "sans-serif": "SANS-SERIF", "bold-sans-serif": "SANS-SERIF BOLD",
             "sans-serif-italic": "SANS-SERIF ITALIC", "sans-serif-bold-italic": "SANS-SERIF BOLD ITALIC",
             "monospace": "MONOSPACE"}
#: the letters Unicode keeps in its Letterlike Symbols block instead
_LETTERLIKE = {("italic", "h"): "ℎ", **{("double-struck", c): u for c, u in zip("CHNPQRZ", "ℂℍℕℙℚℝℤ")},
               **{("script", c): u for c, u in zip("BEFHILMRego", "ℬℰℱℋℐℒℳℛℯℊℴ")},
               **{("fraktur", c): u for c, u in zip("CHIRZ", "ℭℌℑℜℨ")}}


def convert(tex, display=True):
    """MathML markup (a string) for ``tex``, a display block or inline."""
    from latex2mathml.converter import Converter  # only a page in HTML needs it

    converter = Converter(display="block" if display else "inline")
    tex = str(tex).replace(r"\begin{aligned}", r"\begin{align*}").replace(r"\end{aligned}", r"\end{align*}")
    math = converter.convert_to_element(tex)
    try:
        _Layout(display).run(math)
    except Exception:  # noqa: BLE001 - the converter's own markup, as the page had it before
        return converter.convert(str(tex))
    return ET.tostring(math, encoding="unicode")


def _text(element):
    return element.text or ""


def _element(tag, text=None, **attributes):
    element = ET.Element(tag, attributes)
    element.text = text
    return element


def _mathematical(char, variant):
    if (variant, char) in _LETTERLIKE:
        return _LETTERLIKE[(variant, char)]
    try:
        name = unicodedata.name(char)
    except ValueError:
        return None
    for prefix, kind in (("LATIN SMALL LETTER ", "SMALL "), ("LATIN CAPITAL LETTER ", "CAPITAL "),
                         ("GREEK SMALL LETTER ", "SMALL "), ("GREEK CAPITAL LETTER ", "CAPITAL "),
                         ("DIGIT ", "DIGIT ")):
        if name.startswith(prefix):
            try:
                return unicodedata.lookup(f"MATHEMATICAL {_VARIANTS[variant]} {kind}{name[len(prefix):]}")
            except KeyError:
                return None
    return None


class _Layout:
    def __init__(self, display):
        self.display = display
        self.kinds = {}  # an element made here -> its atom, where its tag alone does not say

    def run(self, math):
        for element in math.iter():
            element.text = unescape(element.text) if element.text else element.text
            element.tail = None  # latex2mathml writes no text between elements
        self.fonts(math)
        self.rework(math)
        self.lay(math, 0 if self.display else 1)

    # -- the tree, reworked before it is spaced
    @staticmethod
    def fonts(math):
        for element in math.iter():
            variant = element.get("mathvariant")
            if element.tag not in ("mi", "mn", "mo") or variant in (None, "normal") or variant not in _VARIANTS:
                continue
            chars = [_mathematical(c, variant) for c in _text(element)]
            if chars and all(chars):
                element.text = "".join(chars)
                del element.attrib["mathvariant"]

    def rework(self, parent):
        if parent.tag in ROW_TAGS:  # before the brackets are touched: a matrix's have no attributes
            parent[:] = self.matrices(list(parent))
        children = list(parent)
        for child in children:
            self.rework(child)
        if parent.tag == "mo":
            self.operator(parent)
            return
        if parent.tag == "mover" and len(parent) == 2 and parent.get("accent") == "true" and parent[1].tag == "mo":
            if _text(parent[1]) in ("^", "\u02c6", "\u0302"):
                parent[1].text = "\u02c6"  # \hat: one accent's width, as KaTeX and TeX set it
                parent[1].set("stretchy", "false")
        parent[:] = [self.primed(child) for child in children]

    def operator(self, mo):
        text = _text(mo)
        if text == "\u00b7":
            mo.text = "\u22c5"  # \cdot
        if text in BRACKETS and mo.get("fence") != "true":
            mo.set("stretchy", "false")
        if text.isalpha():  # \operatorname{ReLU}, \max: a name, upright, spaced as TeX's Op
            mo.tag = "mi"
            mo.attrib.clear()
            self.kinds[mo] = OP
            if len(text) == 1:
                mo.set("mathvariant", "normal")

    def primed(self, element):
        """x' as x followed by the prime (its glyph is already raised), not as a superscript."""
        if element.tag not in ("msup", "msubsup") or len(element) != (2 if element.tag == "msup" else 3):
            return element
        script = element[-1]
        if script.tag == "mrow" and len(script) == 1:
            script = script[0]
        if script.tag not in ("mi", "mo") or not _text(script) or set(_text(script)) - PRIMES:
            return element
        base = element[0]
        inner = base[0] if base.tag == "mrow" and len(base) == 1 else base
        if element.tag == "msup" and inner.tag in ("msup", "msubsup") and len(inner) in (2, 3):
            # {w^{(1)}}': the prime joins the superscript there, as in W^{(1)\prime}
            sup = inner[-1]
            if sup.tag != "mrow":
                wrapped = _element("mrow")
                wrapped.append(sup)
                inner[-1] = sup = wrapped
            sup.append(_element("mi", _text(script)))
            return inner
        if element.tag == "msubsup":
            base = _element("msub")
            base[:] = [element[0], element[1]]
        row = _element("mrow")
        row[:] = [base, _element("mi", _text(script))]
        self.kinds[row] = self.kind(base)
        return row

    def matrices(self, children):
        """[ mtable ] side by side in a row: each matrix with its brackets, as \\left[ \\right]."""
        out = []
        index = 0
        while index < len(children):
            window = children[index:index + 3]
            if (len(window) == 3 and [e.tag for e in window] == ["mo", "mtable", "mo"]
                    and _text(window[0]) in OPENING | {"|", "‖"} and _text(window[2]) in CLOSING | {"|", "‖"}
                    and not window[0].attrib and not window[2].attrib):
                window[0].attrib.update(fence="true", form="prefix")
                window[2].attrib.update(fence="true", form="postfix")
                row = _element("mrow")
                row[:] = window
                lines = list(window[1])
                if len(lines) == 1:  # one row: its cells 1em apart (TeX's 2 \arraycolsep), no table
                    cells = []
                    for cell in lines[0]:
                        if cells:
                            cells.append(_element("mspace", width="1em"))
                        cells.append(_element("mrow"))
                        cells[-1][:] = list(cell)
                    row[:] = [window[0], *cells, window[2]]
                out.append(row)
                index += 3
            else:
                out.append(children[index])
                index += 1
        return out

    # -- atoms
    def kind(self, element):
        """The TeX atom ``element`` is, or None for a space (no atom)."""
        if element in self.kinds:
            return self.kinds[element]
        tag, text = element.tag, _text(element)
        if tag == "mo":
            if element.get("fence") == "true":
                return OPEN if element.get("form") == "prefix" else CLOSE
            if text == FUNCTION_APPLICATION or text == "\u2062":
                return None
            if text in RELATIONS:
                return REL
            if text in BINARIES:
                return BIN
            if text in OPENING:
                return OPEN
            if text in CLOSING:
                return CLOSE
            if text in PUNCTUATION:
                return PUNCT
            if text in LARGE or text.isalpha() and len(text) > 1:
                return OP
            return ORD
        if tag == "mi":
            return OP if len(text) > 1 and text.isalpha() else ORD
        if tag == "mspace":
            return None
        if tag == "mtext":
            return None if not text.strip() else ORD
        if tag in SCRIPT_TAGS and len(element):
            return self.kind(element[0]) or ORD
        if tag == "mfrac":
            return INNER  # as TeX has it (TeXbook, chapter 17); KaTeX makes it an Ord
        if tag == "mrow" and self.fenced(element):
            return INNER
        return ORD

    @staticmethod
    def fenced(row):
        return (len(row) >= 2 and row[0].tag == "mo" and row[0].get("fence") == "true"
                and row[0].get("form") == "prefix" and row[-1].tag == "mo" and row[-1].get("fence") == "true")

    def core(self, element):
        """The mo that carries an embellished operator's spacing, or None."""
        if element.tag == "mo":
            return element
        if element.tag in SCRIPT_TAGS | {"mfrac"} and len(element):
            return self.core(element[0])
        if element.tag in ("mrow", "mstyle", "mpadded", "mphantom") and element not in self.kinds:
            flowing = [e for e in element if self.kind(e) is not None]
            if len(flowing) == 1:
                return self.core(flowing[0])
        return None

    def name(self, element):
        """The function name ``element`` starts with (log, ReLU, σ), or None."""
        if element.tag == "mi":
            text = _text(element)
            return text if text in FUNCTION_LETTERS or self.kind(element) == OP else None
        if element.tag in SCRIPT_TAGS or element.tag == "mrow" and len(element) and not self.fenced(element):
            return self.name(element[0]) if len(element) else None
        return None

    def takes_argument(self, left, second):
        """Whether ``left`` is a function name applied to the atom after it: any atom after
        log or ReLU, a bracket after σ (which alone may be a standard deviation)."""
        name = self.name(left)
        if name is None:
            return False
        return second in (INNER, OPEN) or name not in FUNCTION_LETTERS and second in (ORD, OP)

    # -- layout
    def lay(self, element, style):
        """Space ``element`` and everything in it; ``style`` is TeX's: 0 display, 1 text,
        2 script, 3 scriptscript."""
        tag = element.tag
        if tag in ROW_TAGS:
            self.row(element, style)
        elif tag in SCRIPT_TAGS:
            for index, child in enumerate(element):
                # an accent (a hat) is set in the base's style; a script or a limit is smaller
                accent = (index == 1 and tag == "mover" and element.get("accent") == "true"
                          or index == 1 and tag in ("munder", "munderover") and element.get("accentunder") == "true"
                          or index == 2 and tag == "munderover" and element.get("accent") == "true")
                self.slot(child, style if index == 0 or accent else 2 if style < 2 else 3)
        elif tag == "mfrac":
            for child in element:
                self.slot(child, min(style + 1, 3) if style < 2 else 3)
        elif tag == "mroot" and len(element) == 2:
            self.slot(element[0], style)
            self.slot(element[1], 3)
        elif tag == "mtable":
            cells = 0 if element.get("displaystyle") == "true" else 1
            for row in element:
                for cell in row:
                    self.lay(cell, cells)
        elif tag == "mspace":
            width = element.get("width")
            if width in _NAMED_SPACES:
                element.set("width", _NAMED_SPACES[width])

    def slot(self, child, style):
        if child.tag in ROW_TAGS:
            self.row(child, style)
        else:
            self.lay(child, style)
            self.space([child], style)

    def row(self, row, style):
        for child in row:
            self.lay(child, style)
        if row.tag == "mrow" and self.fenced(row):
            tall = any(e.tag in _TALL or e.tag == "mtable" and len(e) > 1 for child in row[1:-1] for e in child.iter())
            for fence in (row[0], row[-1]):
                fence.set("stretchy", "true" if tall else "false")
        row[:] = self.space(list(row), style)

    def space(self, children, style):
        """``children`` of one row, with TeX's spacing; returns them with any U+2061 and
        mspace put in."""
        atoms = [[child, self.kind(child)] for child in children]
        atoms = [atom for atom in atoms if atom[1] is not None]
        # TeX's rules 5 and 6: a Bin with nothing to combine is an Ord
        for index, atom in enumerate(atoms):
            before = atoms[index - 1][1] if index else None
            after = atoms[index + 1][1] if index + 1 < len(atoms) else None
            if atom[1] == BIN and (before in (None, BIN, OP, REL, OPEN, PUNCT) or after in (None, REL, CLOSE, PUNCT)):
                atom[1] = ORD
                mo = self.core(atom[0])
                if mo is not None:
                    mo.set("form", "prefix" if before in (None, BIN, OP, REL, OPEN, PUNCT) else "postfix")
        for element, kind in atoms:
            mo = self.core(element)
            if mo is not None:
                mo.set("lspace", "0")
                mo.set("rspace", "0")
                if kind == OPEN:
                    mo.set("form", "prefix")
                elif kind == CLOSE:
                    mo.set("form", "postfix")
        out = list(children)
        for (left, first), (right, second) in zip(atoms, atoms[1:]):
            width = SPACING[first, second]
            width = 0 if width < 0 and style >= 2 else abs(width)
            between = out[out.index(left) + 1:out.index(right)]
            applied = next((e for e in between if e.tag == "mo" and _text(e) == FUNCTION_APPLICATION), None)
            if applied is None and self.takes_argument(left, second):
                applied = _element("mo", FUNCTION_APPLICATION, lspace="0", rspace="0")
                out.insert(out.index(left) + 1, applied)
            if not width:
                continue
            carrier = self.carrier(left, first, right, second, applied)
            if carrier is None:
                out.insert(out.index(right), _element("mspace", width=EM[width]))
            else:
                mo, side = carrier
                mo.set(side, EM[width])
        return out

    def carrier(self, left, first, right, second, applied):
        """Which mo takes the space between two atoms: a relation's, a binary operator's or a
        comma's own side, else the function application's, else a large operator's; never a
        bracket's (None: an mspace)."""
        left_mo, right_mo = self.core(left), self.core(right)
        if left_mo is not None and first in (REL, BIN, PUNCT):
            return left_mo, "rspace"
        if right_mo is not None and second in (REL, BIN, PUNCT):
            return right_mo, "lspace"
        if applied is not None:
            return applied, "rspace"
        if left_mo is not None and first == OP:
            return left_mo, "rspace"
        if right_mo is not None and second == OP:
            return right_mo, "lspace"
        return None
