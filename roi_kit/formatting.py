"""How the kit writes numbers for people: money, percentages, months.

One place for display rules, so every notebook and report page says "EUR 1,234" and
"22.4%" the same way.
"""

from __future__ import annotations

import math

__all__ = ["money", "percent", "ratio", "months", "as_lines"]


def _missing(value: float | None) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


def money(value: float | None, currency: str = "", *, decimals: int = 0) -> str:
    """Format an amount: ``money(-1234.5, "EUR")`` -> ``"-EUR 1,235"``.

    Parameters
    ----------
    value : float, currency
    currency : str
        ISO code or symbol written before the amount.
    decimals : int
        Digits after the point (0 for report tables, 2 to the cent).
    """
    if _missing(value):
        return "n/a"
    sign = "-" if value < 0 else ""
    prefix = f"{currency} " if currency else ""
    return f"{sign}{prefix}{abs(value):,.{decimals}f}"


def percent(value: float | None, *, decimals: int = 1) -> str:
    """Format a fraction as a percentage: ``percent(0.224)`` -> ``"22.4%"``."""
    if _missing(value):
        return "n/a"
    return f"{value * 100:,.{decimals}f}%"


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


def as_lines(table, key: str, value: str) -> str:
    """Two columns of a table as ``key: value`` lines (stable text for checked cells).

    Parameters
    ----------
    table : DataFrame
    key, value : str
        Column names.
    """
    return "\n".join(f"{k}: {v}" for k, v in zip(table[key], table[value], strict=True))
