"""Every printed line computes: the page self-check (tests/pagecheck.py) reads each page
back, not the records behind it, and recomputes every line.

It runs over every example in each language and text format, and over the generated
specs (tests/specgen.py: every activation, loss and function, kinks included) in every
style, at 3, 4 and 6 significant digits, with carried rounding and without.
"""

import pytest

import derive
import pagecheck
import specgen
from conftest import EXAMPLES, ROOT
from derive.errors import SpecError
from derive.registry.functions import FUNCTIONS
from derive.reading.spec import ACTIVATIONS, LOSSES

SETTINGS = [(digits, carry) for digits in (3, 4, 6) for carry in (False, True)]
SEED004 = ROOT / "examples" / "seed004_221_network.toml"
GENERATED = specgen.network_specs() + specgen.graph_specs()


def findings(solution, digits, carry, **options):
    page = solution.to(options.pop("fmt", "md"), digits=digits, **options)
    report = pagecheck.check(page, digits, carry)
    assert report.checked > 0, "the check read nothing on the page"
    return report.findings


def test_the_generated_specs_cover_every_activation_loss_and_function():
    activations, losses, functions = specgen.covered()
    assert activations == set(ACTIVATIONS) and losses == set(LOSSES) and functions == set(FUNCTIONS)
    assert len(GENERATED) >= 40


@pytest.mark.parametrize("spec", EXAMPLES, ids=[p.stem for p in EXAMPLES])
def test_examples(spec):
    for digits, carry in SETTINGS:
        solution = derive.solve(spec, carry_rounded=carry, digits=digits)
        for lang in ("en", "ko"):
            for options in ({"flavor": "katex"}, {"flavor": "github"}, {"fmt": "tex-body"}):
                assert findings(solution, digits, carry, lang=lang, **options) == [], (digits, carry, lang, options)


@pytest.mark.parametrize("style", ["chain", "delta", "matrix"])
@pytest.mark.parametrize("name,spec", GENERATED, ids=[g[0] for g in GENERATED])
def test_generated(name, spec, style):
    for digits, carry in SETTINGS:
        try:
            solution = derive.solve(spec, carry_rounded=carry, digits=digits, style=style)
        except SpecError as err:
            assert style == "matrix" and "--style matrix" in str(err), err
            return
        assert findings(solution, digits, carry, lang="en", flavor="katex") == [], (digits, carry)


def test_the_check_finds_a_line_that_does_not_compute():
    """The reader is not a rubber stamp: a wrong digit, a wrong derivative and a number that
    a calculator cannot reach are each found."""
    page = derive.solve(SEED004).to("md", lang="en", flavor="katex")
    assert pagecheck.check(page).findings == []
    wrong_digit = page.replace(r"0.3 \cdot 0.5 + 0.2 \cdot 0.3 = 0.2100", r"0.3 \cdot 0.5 + 0.2 \cdot 0.3 = 0.2200")
    assert any("z_{1}" in f and "not the printed" in f for f in pagecheck.check(wrong_digit).findings)
    wrong_factor = page.replace(r"  &= - 2 \left(y_{1} - \hat{y}\right) \cdot a_{1} \\",
                                r"  &= - 2 \left(y_{1} - \hat{y}\right) \cdot w_{5} \\", 1)
    assert any("derivative of the printed definition" in f for f in pagecheck.check(wrong_factor).findings)
    wrong_definition = page.replace(r"\frac{\partial \left(w_{5} a_{1} + w_{6} a_{2}\right)}{\partial a_{1}}",
                                    r"\frac{\partial \left(w_{5} a_{1} + w_{5} a_{2}\right)}{\partial a_{1}}", 1)
    assert any("is not the definition of" in f for f in pagecheck.check(wrong_definition).findings)
    carried = derive.solve(SEED004, carry_rounded=True).to("md", lang="en", flavor="katex")
    assert pagecheck.check(carried, 4, carry=True).findings == []
    off_by_one = carried.replace(r"0.4 \cdot 0.5523 + 0.5 \cdot 0.5474 = 0.4946", r"0.4 \cdot 0.5523 + 0.5 \cdot 0.5474 = 0.4947")
    assert any("rounds to 0.4946, not the printed 0.4947" in f for f in pagecheck.check(off_by_one, 4, True).findings)
