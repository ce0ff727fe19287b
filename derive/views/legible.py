"""How many digits a printed line needs for a reader to follow it with a calculator.

A line's numbers stage is printed to the page's digits; when the numbers, as printed, do
not give the printed result (a small difference of large numbers, a product of rounded
factors), the stage is printed again with more digits until they do.
"""

import sympy

from ..numbers import round_significant

#: The most significant digits a line's numbers are given to keep the line computable.
MAX_DIGITS = 30
#: How close a line's numbers, as printed, must bring a calculator to the exact result
#: (or within half a unit of the result's last digit): well inside the 0.5% that
#: ``derive check`` forgives a student for rounded intermediates.
FACE_TOLERANCE = sympy.Rational(2, 1000)


def face(value, digits):
    """``value`` as a reader takes it from the page: rounded to ``digits``."""
    return sympy.Rational(str(round_significant(value, digits)))


def computable(exact_value, build, digits, carry):
    """The text of a line's numbers stage: ``build(d)`` gives (text, value with the
    numbers as printed) for computed numbers shown to ``d`` digits. Carried numbers are the
    ones computed with, so they give the result as they are; otherwise ``d`` grows until
    the printed numbers give the result."""
    text, printed = build(digits)
    if carry:
        return text
    tolerance = max(FACE_TOLERANCE * abs(exact_value), half_unit(exact_value, digits))
    d = digits
    while (printed is None or abs(printed - exact_value) > tolerance) and d < MAX_DIGITS:
        d += 1
        text, printed = build(d)
    return text


def half_unit(value, digits):
    """Half a unit in the last digit ``value`` is shown to (0 for an exact 0)."""
    shown = round_significant(value, digits)
    return sympy.Rational(1, 2) * sympy.Integer(10) ** (shown.adjusted() - digits + 1) if shown else sympy.Integer(0)
