"""Exact numbers in, rounded numbers out.

Spec values are read as decimals and kept as exact ``Rational``s, so ``0.1`` is one tenth
and not the nearest binary double. Transcendental results are carried as SymPy ``Float``s
with ``PRECISION`` significant digits, far beyond the 1e-12 the solutions are checked to;
numbers are rounded only when shown.
"""

import math
from decimal import ROUND_HALF_UP, Decimal, localcontext
from fractions import Fraction

import sympy

PRECISION = 50


def exact(value):
    """An exact SymPy number from an int, a Decimal, a float (by its shortest repr) or a str."""
    if isinstance(value, bool):
        raise TypeError("a boolean is not a number")
    if isinstance(value, int):
        return sympy.Integer(value)
    if isinstance(value, (Decimal, float)):
        return sympy.Rational(repr(value) if isinstance(value, float) else str(value))
    if isinstance(value, Fraction):
        return sympy.Rational(value.numerator, value.denominator)
    if isinstance(value, sympy.Basic) and value.is_number:
        return value
    raise TypeError(f"not a number: {value!r}")


def as_written(value):
    """A number as a spec writes it: TOML's inf and nan rather than Decimal's Infinity and NaN."""
    if isinstance(value, Decimal) and not value.is_finite() or isinstance(value, float) and not math.isfinite(value):
        nan = value.is_nan() if isinstance(value, Decimal) else math.isnan(value)
        return "nan" if nan else ("-inf" if value < 0 else "inf")
    if isinstance(value, Decimal) and "E" in str(value):
        # 1E+400 as TOML and Python write it: 1e400
        mantissa, exponent = str(value).split("E")
        return f"{mantissa}e{int(exponent)}"
    return str(value)


#: The sizes of number a spec or an answer may give: exact arithmetic on a number outside
#: them would carry hundreds of digits.
EXPONENTS = range(-300, 301)


def range_problem(value):
    """Why the finite number ``value`` is refused, or "" when it is in range."""
    number = Decimal(value) if not isinstance(value, float) else Decimal(repr(value))
    if number and number.adjusted() not in EXPONENTS:
        return f"{as_written(value)} is outside the range of numbers accepted (1e-300 to 1e300 in size)"
    return ""


def is_finite_number(value):
    """True for a Python or SymPy number that is real and finite."""
    try:
        number = exact(value)
    except (TypeError, ValueError, ArithmeticError):
        return False
    return bool(number.is_extended_real) and bool(number.is_finite)


def plain_decimal(value):
    """The shortest decimal text of an exact number, as a person would write it given.

    Numbers that have no terminating decimal (1/3) are shown to 15 significant digits.
    """
    number = exact(value)
    if number.is_Integer:
        return str(int(number))
    if number.is_Rational:
        q = int(number.q)
        while q % 2 == 0:
            q //= 2
        while q % 5 == 0:
            q //= 5
        if q == 1:
            text = format(Decimal(int(number.p)) / Decimal(int(number.q)), "f")
            return text.rstrip("0").rstrip(".") if "." in text else text
    return format(float(number), ".15g")


def scientific(value):
    """(mantissa, exponent) of an exact number whose decimal form would run long (below 1e-6
    or from 1e10 in size): 1e-300 as ("1", -300), not as 302 characters. None otherwise."""
    number = exact(value)
    if not number or not number.is_Rational:
        return None
    with localcontext(prec=PRECISION + 10, Emin=-10**9, Emax=10**9):
        decimal = Decimal(int(number.p)) / Decimal(int(number.q))
        exponent = decimal.adjusted()
        if -6 <= exponent < 10:
            return None
        mantissa = format(decimal.scaleb(-exponent).normalize(), "f")
    return mantissa, exponent


_SUPERSCRIPT = str.maketrans("-0123456789", "⁻⁰¹²³⁴⁵⁶⁷⁸⁹")


def written_text(value):
    """A given value as plain text: as written, or in powers of ten (1×10⁻³⁰⁰) when long."""
    parts = scientific(value)
    if parts is None:
        return plain_decimal(value)
    mantissa, exponent = parts
    return f"{mantissa}×10{str(exponent).translate(_SUPERSCRIPT)}"


def round_significant(value, digits):
    """``value`` rounded half up to ``digits`` significant digits, as an exact Decimal.

    Half up, because that is how a person rounds; the page shows this number and, with
    carry-rounded, the derivation goes on with it.
    """
    number = Decimal(str(sympy.Float(value, PRECISION)))
    if not number:
        return Decimal(0)
    step = Decimal(1).scaleb(number.adjusted() - digits + 1)
    with localcontext(prec=PRECISION + 10, Emin=-10**9, Emax=10**9):
        result = number.quantize(step, rounding=ROUND_HALF_UP)
        if result.adjusted() > number.adjusted():  # 9.9996 -> 10.00, not 10.000
            result = result.quantize(step.scaleb(1), rounding=ROUND_HALF_UP)
    return result


def rounded(value, digits):
    """``value`` to ``digits`` significant digits, as text, trailing zeros kept: ``0.3020``,
    ``-0.02032``, ``3.000``, ``1.200e-5``. A computed value always shows its digits, so
    that a reader knows how far to trust it; only an exact 0 is shown as ``0``."""
    number = round_significant(value, digits)
    if not number:
        return "0"
    exponent = number.adjusted()
    if -4 <= exponent < digits:
        return format(number, "f")
    return f"{format(number.scaleb(-exponent), 'f')}e{exponent}"
