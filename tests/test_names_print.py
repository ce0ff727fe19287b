"""Every name and [symbols] entry the spec checks accept can be printed by every output:
drawn at random from near the edge of the grammar, the accepted ones are put into one
spec each, whose document compiles in XeLaTeX, whose page converts to MathML, and whose
math parses in both KaTeX versions."""

import random
import string

import pytest

import derive
from derive.engine.graph import looks
from conftest import require_tex
from derive.output import pdf, safety
from derive.errors import SpecError
from derive.reading.expressions import check_name, check_symbol_latex
from test_katex import katex, math_spans  # noqa: F401  (the fixture)

PIECES = (list(string.ascii_letters) + list(string.digits) + ["_", "__", "hat", "bar", "dot", "vec", "tilde",
          "alpha", "eta", "lambda", "scr", "frak", "bold", "prime", "sub", "x", "y", "w", "1"])
SYMBOL_PIECES = (list("xyzwabAB0123") + ["^", "_", "{", "}", "'", "(", ")", ",", ".", "+", "-", " ", r"\hat",
                 r"\bar", r"\alpha", r"\mathbf", r"\mathbb", r"\text", r"\operatorname", r"\,", r"\prime",
                 r"\partial", r"\boldsymbol", r"\mathcal", r"\widehat", "^{", "_{", r"\text{a b}"])


def candidates(pieces, count, seed, joined=""):
    rng = random.Random(seed)
    return [joined.join(rng.choice(pieces) for _ in range(rng.randint(1, 5))) for _ in range(count)]


def accepted_names():
    names = []
    for name in candidates(PIECES, 400, 14):
        try:
            check_name(name, "name")
        except SpecError:
            continue
        names.append(name)
    return sorted(set(names))


def accepted_symbols():
    made = []
    for text in candidates(SYMBOL_PIECES, 600, 15):
        try:
            check_symbol_latex(text, "symbol")
        except SpecError:
            continue
        made.append(text)
    return sorted(set(made))


def spec_of(names, symbols=None):
    """One graph that uses every name, each printed as its own or as given in ``symbols``."""
    names = list(names)
    spec = {"title": "names", "graph": {"equations": ["f = " + " + ".join(names)], "values": dict.fromkeys(names, 1)}}
    if symbols:
        spec["symbols"] = dict(zip(names, symbols))
    return spec


def printable_specs():
    """The accepted names and symbols, in specs that keep apart those printed alike."""
    specs, names = [], accepted_names()
    while names:
        chosen, shown, rest = [], set(), []
        for name in names:
            try:
                derive.solve(spec_of([name]))
            except SpecError:
                continue
            key = derive.solve(spec_of([name])).to_latex(standalone=False).split("f &= ")[1].split(" =")[0]
            (rest if key in shown else chosen).append(name)
            shown.add(key)
        specs.extend(spec_of(chosen[start:start + 40]) for start in range(0, len(chosen), 40))
        names = rest
    symbols = accepted_symbols()
    while symbols:  # symbols that print alike (\, and \,  with a space) go to separate specs
        chosen, shown, rest = [], set(), []
        for symbol in symbols:
            (rest if looks(symbol) in shown else chosen).append(symbol)
            shown.add(looks(symbol))
        for start in range(0, len(chosen), 40):
            group = chosen[start:start + 40]
            specs.append(spec_of([f"v{k}" for k in range(len(group))], group))
        symbols = rest
    return specs


SPECS = printable_specs()


def test_the_draw_reaches_the_edge_of_the_grammar():
    names, symbols = accepted_names(), accepted_symbols()
    assert len(names) > 60 and len(symbols) > 60
    assert any("_" in n for n in names) and any("hat" in n for n in names)
    assert any("\\text" in s for s in symbols) and any("^" in s for s in symbols)


@pytest.mark.parametrize("spec", SPECS, ids=range(len(SPECS)))
def test_every_accepted_name_prints_everywhere(spec, katex):  # noqa: F811
    solution = derive.solve(spec)
    solution.to_html()  # MathML through latex2mathml
    page = solution.to_markdown(flavor="katex")
    path_like = type("P", (), {"name": "katex.x.md", "read_text": lambda self, encoding=None: page})()
    failures = katex(math_spans(path_like))
    assert failures == [], failures[:3]


def test_every_accepted_name_compiles_in_one_document():
    require_tex()
    parts = [derive.solve(spec).to_latex(standalone=False) for spec in SPECS]
    document = derive.solve(SPECS[0]).to_latex()
    head, tail = document.split("\\begin{document}")
    text = pdf.compile_tex(head + "\\begin{document}\n" + "\n\\clearpage\n".join(parts) + "\n\\end{document}\n")
    assert text.startswith(b"%PDF")
    assert safety.guarded(head) == head
