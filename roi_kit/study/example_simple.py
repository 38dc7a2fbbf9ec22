"""Article 1's worked example: sales +100,000 for a cost of 20,000, ROI = 4 (400%).

The article counts the increase in sales (revenue) as the gain; this module reproduces
its figure through :mod:`roi_kit.money.finance` and shows it beside the money-back ratio
and, given a gross margin, the ROI on gross profit. The other two examples are in
:mod:`roi_kit.study.example_b2b` and :mod:`roi_kit.study.example_healthcare`; all three
are re-exported by :mod:`roi_kit.study.worked_examples`.

References
----------
.. [1] The kit's source articles (``shared/source-articles.zh.txt``): article 1, step 7.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from roi_kit import formatting as fmt
from roi_kit.money import finance
from roi_kit.study import example_checks as check

__all__ = [
    "SimpleExample",
    "simple_example",
    "simple_example_text",
    "simple_example_table",
]


@dataclass(frozen=True)
class SimpleExample:
    """Article 1's worked example, by the article's formula and beside it.

    Attributes
    ----------
    gain : float, currency
        What the article counts as gain (an increase in sales, i.e. revenue).
    cost : float, currency
        Implementation and training cost.
    roi : float, fraction
        ``(gain - cost) / cost``; the article's 4.
    roi_percent : float, percent
    benefit_cost_ratio : float, ratio
        ``gain / cost``: what came back per unit spent (article 3's incremental formula
        with nothing before); one more than ``roi``.
    gross_margin : float or None, fraction
        When given, the gain is read as revenue and turned into gross profit.
    roi_on_profit : float or None, fraction
        ``(gain x gross_margin - cost) / cost``.
    """

    gain: float
    cost: float
    roi: float
    roi_percent: float
    benefit_cost_ratio: float
    gross_margin: float | None
    roi_on_profit: float | None


def simple_example(
    gain: float = 100_000.0, cost: float = 20_000.0, gross_margin: float | None = None
) -> SimpleExample:
    """Article 1's example: ``ROI = (gain - cost) / cost``.

    Parameters
    ----------
    gain : float, currency
        Sales increase credited to the CRM (the article: 100,000).
    cost : float, currency, > 0
        Implementation and training cost (the article: 20,000).
    gross_margin : float, fraction (0, 1], optional
        Gross margin on the extra sales, to show the profit view beside the article's.

    Returns
    -------
    SimpleExample

    Examples
    --------
    >>> ex = simple_example()
    >>> ex.roi, ex.roi_percent, ex.benefit_cost_ratio
    (4.0, 400.0, 5.0)
    """
    margin = None if gross_margin is None else check.margin(gross_margin)
    return SimpleExample(
        gain=float(gain),
        cost=float(cost),
        roi=float(finance.roi(gain, cost)),
        roi_percent=float(finance.roi_percent(gain, cost)),
        benefit_cost_ratio=float(finance.incremental_roi(gain, 0.0, cost)),
        gross_margin=margin,
        roi_on_profit=None if margin is None else float(finance.roi(gain * margin, cost)),
    )


def simple_example_text(ex: SimpleExample) -> str:
    """The headline as the article states it: ``"4.00 (400%)"``."""
    return f"{fmt.ratio(ex.roi)} ({fmt.percent(ex.roi, decimals=0)})"


def simple_example_table(ex: SimpleExample, currency: str = "") -> pd.DataFrame:
    """Article 1's example read three ways: as written, as money back, as profit.

    Parameters
    ----------
    ex : SimpleExample
    currency : str

    Returns
    -------
    DataFrame
        Columns ``Reading``, ``Formula``, ``Value``.
    """
    g, c = fmt.money(ex.gain, currency), fmt.money(ex.cost, currency)
    rows = [
        (
            "Simple ROI (the article)",
            f"({g} - {c}) / {c}",
            simple_example_text(ex),
        ),
        (
            "Money back per unit spent",
            f"{g} / {c}",
            f"{fmt.ratio(ex.benefit_cost_ratio)} (each 1 spent came back as "
            f"{fmt.ratio(ex.benefit_cost_ratio)}: the cost plus {fmt.ratio(ex.roi)} more)",
        ),
    ]
    if ex.gross_margin is not None and ex.roi_on_profit is not None:
        m = fmt.percent(ex.gross_margin, decimals=0)
        rows.append(
            (
                f"Simple ROI on gross profit (margin {m})",
                f"({g} x {m} - {c}) / {c}",
                f"{fmt.ratio(ex.roi_on_profit)} ({fmt.percent(ex.roi_on_profit, decimals=0)})",
            )
        )
    return pd.DataFrame(rows, columns=["Reading", "Formula", "Value"])
