"""How the kit writes numbers for people: money, percentages, points, months.

The one place for display rules, so every notebook, report page, figure axis and JSON note
says "EUR 1,234", "-EUR 54" and "22.4%" the same way.

Conventions
-----------
- The minus sign is the ASCII hyphen-minus ``-`` everywhere (it survives copy and paste
  into a spreadsheet, where U+2212 does not parse), and it goes before the currency code:
  ``-EUR 1,235``.
- ``signed=True`` adds ``+`` to positive values; zero is written without a sign.
- A missing value (None or NaN) is ``"n/a"``.
"""

from __future__ import annotations

import math

__all__ = [
    "money",
    "percent",
    "points",
    "number",
    "ratio",
    "months",
    "signed",
    "axis_money",
    "significant",
    "quantity",
    "trimmed",
    "as_lines",
]


def _missing(value: float | None) -> bool:
    if value is None:
        return True
    try:
        return math.isnan(float(value))
    except (TypeError, ValueError):
        return True


def signed(text: str, value: float) -> str:
    """Prefix ``+`` to the formatted ``text`` of a positive ``value``.

    Parameters
    ----------
    text : str
        The value already formatted (a negative one starts with ``-``).
    value : float
        The value ``text`` was formatted from; zero stays unsigned.

    Examples
    --------
    >>> signed("EUR 12", 12.0), signed("-EUR 12", -12.0), signed("0.0%", 0.0)
    ('+EUR 12', '-EUR 12', '0.0%')
    """
    return text if text.startswith("-") or value == 0 or text == "n/a" else "+" + text


def money(
    value: float | None, currency: str = "", *, decimals: int = 0, signed: bool = False
) -> str:
    """Format an amount with thousands separators, the sign before the currency.

    Parameters
    ----------
    value : float, currency
    currency : str
        ISO code or symbol written before the amount ("" for none).
    decimals : int
        Digits after the point (0 for report tables, 2 to the cent).
    signed : bool
        Write ``+`` before a positive amount.

    Examples
    --------
    >>> money(-1234.5, "EUR"), money(1234.5, "EUR", signed=True), money(0.4, "EUR")
    ('-EUR 1,234', '+EUR 1,234', 'EUR 0')
    """
    if _missing(value):
        return "n/a"
    value = float(value)
    body = f"{abs(value):,.{decimals}f}"
    # A value that rounds to zero is written without a sign ("EUR 0", not "-EUR 0").
    sign = "-" if value < 0 and body.strip("0.,") else ""
    prefix = f"{currency} " if currency else ""
    text = f"{sign}{prefix}{body}"
    return _sign(text, value) if signed else text


def _sign(text: str, value: float) -> str:
    return signed(text, value)


def percent(value: float | None, *, decimals: int = 1, signed: bool = False) -> str:
    """Format a fraction as a percentage.

    Examples
    --------
    >>> percent(0.224), percent(0.05, decimals=0, signed=True), percent(-0.031)
    ('22.4%', '+5%', '-3.1%')
    """
    if _missing(value):
        return "n/a"
    text = f"{float(value) * 100:,.{decimals}f}%"
    return _sign(text, float(value)) if signed else text


def points(value: float | None, *, decimals: int = 1, signed: bool = False) -> str:
    """Format a change in a fraction (0.031) as percentage points.

    Examples
    --------
    >>> points(0.031), points(0.05, signed=True)
    ('3.1 points', '+5.0 points')
    """
    if _missing(value):
        return "n/a"
    text = f"{float(value) * 100:.{decimals}f} points"
    return _sign(text, float(value)) if signed else text


def number(value: float | None, *, signed: bool = False) -> str:
    """A number with sensible precision: 3 significant digits, at least one decimal below 1,000.

    Examples
    --------
    >>> number(12345.6), number(42.25), number(0.5), number(0.01234), number(3.0, signed=True)
    ('12,346', '42.2', '0.50', '0.0123', '+3.00')
    """
    if _missing(value):
        return "n/a"
    value = float(value)
    mag = abs(value)
    if mag >= 1000:
        text = f"{value:,.0f}"
    elif mag >= 10:
        text = f"{value:.1f}"
    elif mag >= 0.1 or mag == 0:
        text = f"{value:.2f}"
    else:
        text = f"{value:.3g}"
    return _sign(text, value) if signed else text


def ratio(value: float | None, *, decimals: int = 2) -> str:
    """Format a ratio: ``ratio(4)`` -> ``"4.00"``."""
    if _missing(value):
        return "n/a"
    return f"{value:,.{decimals}f}"


def months(value: float | None, *, decimals: int = 1) -> str:
    """Format a duration in months; None (never) reads as "not within the horizon"."""
    if _missing(value):
        return "not within the horizon"
    return f"{value:,.{decimals}f} months"


def axis_money(value: float, currency: str = "") -> str:
    """Money for a figure axis: thousands as ``k`` from 10,000 on, sign before the currency.

    Examples
    --------
    >>> axis_money(-25_000, "EUR"), axis_money(2_500, "EUR")
    ('-EUR 25k', 'EUR 2,500')
    """
    sign = "-" if value < 0 else ""
    prefix = f"{currency} " if currency else ""
    mag = abs(value)
    body = f"{mag / 1000:,.0f}k" if mag >= 10_000 else f"{mag:,.0f}"
    return f"{sign}{prefix}{body}"


def significant(value: float, digits: int = 4) -> str:
    """An assumption's value as typed, to ``digits`` significant digits with separators.

    Examples
    --------
    >>> significant(0.32), significant(1234567.0), significant(-12.5)
    ('0.32', '1.235e+06', '-12.5')
    """
    return f"{float(value):,.{digits}g}"


def quantity(value: float, unit: str = "", currency: str = "") -> str:
    """A model input with its unit: whole numbers whole, large ones to the cent, else 4 digits.

    Parameters
    ----------
    value : float
    unit : str
        ``"fraction"`` (shown as a percentage), ``"currency"`` (replaced by ``currency``),
        or any unit word written after the number.
    currency : str

    Examples
    --------
    >>> quantity(0.32, "fraction"), quantity(54128.4, "currency", "EUR"), quantity(40, "hours")
    ('32%', '54,128.40 EUR', '40 hours')
    """
    v = float(value)
    if unit == "fraction":
        return f"{v * 100:.4g}%"
    if v == int(v) and abs(v) < 1e15:
        num = f"{v:,.0f}"
    elif abs(v) >= 1000:
        num = f"{v:,.2f}"
    else:
        num = f"{v:.4g}"
    shown_unit = unit.replace("currency", currency) if currency else unit
    return f"{num} {shown_unit}".rstrip()


def trimmed(value: float, *, as_percent: bool = False) -> str:
    """A short value for a sentence, trailing zeros trimmed: ``30%``, ``1.5``, ``12,345``.

    Examples
    --------
    >>> trimmed(0.3, as_percent=True), trimmed(1.50), trimmed(12345.2), trimmed(0.01234)
    ('30%', '1.5', '12,345', '0.0123')
    """
    if as_percent:
        return f"{value * 100:.1f}".rstrip("0").rstrip(".") + "%"
    if abs(value) >= 1000:
        return f"{value:,.0f}"
    if abs(value) >= 1:
        return f"{value:,.2f}".rstrip("0").rstrip(".")
    return f"{value:.3g}"


def as_lines(table, key: str, value: str) -> str:
    """Two columns of a table as ``key: value`` lines (stable text for checked cells).

    Parameters
    ----------
    table : DataFrame
    key, value : str
        Column names.
    """
    return "\n".join(f"{k}: {v}" for k, v in zip(table[key], table[value], strict=True))
