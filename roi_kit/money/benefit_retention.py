"""Retention benefits: customers kept, valued per year or over their lifetime.

Counted by default: the **annual margin view** (customers kept × yearly margin). The
customer-lifetime-value view (Gupta and Lehmann 2003) is shown beside it and not counted.
Booked revenue already includes what retained customers bought, so
:func:`~roi_kit.money.benefit_totals.total_benefits` refuses a counted retention line beside
a counted revenue line unless told the revenue change excludes them.

References
----------
.. [1] S. Gupta and D. R. Lehmann, "Customers as assets", Journal of Interactive Marketing
   17(1), 9-24, 2003.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np

from roi_kit.money.benefit_lines import BenefitLine, Number, Projected, _line, _unwrap
from roi_kit.money.checks import broadcastable, numbers, plain

__all__ = [
    "retention_benefit",
    "customer_lifetime_value",
    "retention_benefit_clv",
]


def retention_benefit(
    churned_avoided_per_year: Number | Projected,
    annual_margin_per_customer: Number | Projected,
    *,
    counted: bool = True,
    sources: Mapping[str, str] | None = None,
) -> BenefitLine:
    """Customers kept, valued at one year of margin each (the annual view; counted).

    Parameters
    ----------
    churned_avoided_per_year : float or ndarray or Projected, customers/year
        Fewer customers lost per year than before (positive is good; default "measured").
    annual_margin_per_customer : float or ndarray or Projected, currency/customer/year, >= 0
        Margin (not revenue) a customer brings in a year (default "assumed").
    counted : bool, default True
    sources : mapping, optional

    Returns
    -------
    BenefitLine

    Notes
    -----
    This is the view the total counts: a yearly flow that fits a yearly cash-flow table.
    The lifetime-value view (:func:`retention_benefit_clv`) values the same customers as
    a stock of future margins; adding both would count the same customers twice.

    Examples
    --------
    >>> retention_benefit(20, 1_000).annual_value
    20000.0
    """
    (n, p1), (mc, p2) = _unwrap(churned_avoided_per_year), _unwrap(annual_margin_per_customer)
    n = numbers(n, "churned_avoided_per_year")
    mc = numbers(mc, "annual_margin_per_customer", lo=0.0)
    broadcastable(n, mc, names=("churned_avoided_per_year", "annual_margin_per_customer"))
    return _line(
        name="Retention (annual margin view)",
        kind="retention_annual",
        formula_words="customers kept per year times yearly margin per customer",
        formula_symbols="N × m_c",
        inputs=[
            ("churned_avoided_per_year", "N", n, "customers/year", "measured"),
            ("annual_margin_per_customer", "m_c", mc, "currency/customer/year", "assumed"),
        ],
        annual_value=n * mc,
        counted=counted,
        note="annual margin view: the one the total counts (not added to the lifetime-value view)",
        sources=sources,
        projected_any=p1 or p2,
    )


def customer_lifetime_value(
    margin: Number, retention_rate: Number, discount_rate: Number
) -> Number:
    """Customer lifetime value, ``m × r / (1 + d - r)`` (Gupta & Lehmann 2003).

    The present value of a customer's future margins when each year the customer stays
    with probability ``r`` and money is discounted at ``d``:
    ``sum_{t>=1} m r^t / (1 + d)^t = m r / (1 + d - r)``. The current year's margin is not
    included (it is in the year's accounts already).

    Parameters
    ----------
    margin : float or ndarray, currency/customer/year, >= 0
        Yearly margin per customer.
    retention_rate : float or ndarray, fraction [0-1)
        Share of customers who stay each year.
    discount_rate : float or ndarray, fraction per year, >= 0
        Discount rate (cost of capital).

    Returns
    -------
    float or ndarray
        Currency per customer.

    References
    ----------
    .. [1] S. Gupta and D. R. Lehmann, "Customers as assets", Journal of Interactive
       Marketing 17(1), 9-24, 2003.

    Examples
    --------
    >>> round(customer_lifetime_value(1_000, 0.8, 0.1), 2)
    2666.67
    """
    m = numbers(_unwrap(margin)[0], "margin", lo=0.0)
    r = numbers(_unwrap(retention_rate)[0], "retention_rate", lo=0.0, hi=1.0, hi_open=True)
    d = numbers(_unwrap(discount_rate)[0], "discount_rate", lo=0.0)
    broadcastable(m, r, d, names=("margin", "retention_rate", "discount_rate"))
    # r < 1 and d >= 0 make 1 + d - r > 0, so the division is always defined.
    return plain(m * r / (1.0 + d - r))


def retention_benefit_clv(
    churned_avoided_per_year: Number | Projected,
    annual_margin_per_customer: Number | Projected,
    retention_rate: Number | Projected,
    discount_rate: Number | Projected,
    *,
    counted: bool = False,
    sources: Mapping[str, str] | None = None,
) -> BenefitLine:
    """Customers kept each year, valued at their lifetime value (shown, not counted).

    ``N × m r / (1 + d - r)``: each year's cohort of kept customers is worth its future
    margins (:func:`customer_lifetime_value`). A stock value, not a yearly flow: putting it
    in every year of a cash-flow table overstates the benefit, so the total counts the
    annual view (:func:`retention_benefit`) and refuses both counted together.

    Parameters
    ----------
    churned_avoided_per_year : float or ndarray or Projected, customers/year
    annual_margin_per_customer : float or ndarray or Projected, currency/customer/year
    retention_rate : float or ndarray or Projected, fraction [0-1)
    discount_rate : float or ndarray or Projected, fraction per year, >= 0
    counted : bool, default False
    sources : mapping, optional

    Returns
    -------
    BenefitLine

    References
    ----------
    .. [1] S. Gupta and D. R. Lehmann, "Customers as assets", Journal of Interactive
       Marketing 17(1), 9-24, 2003.
    """
    n, p1 = _unwrap(churned_avoided_per_year)
    mc, p2 = _unwrap(annual_margin_per_customer)
    r, p3 = _unwrap(retention_rate)
    d, p4 = _unwrap(discount_rate)
    n = numbers(n, "churned_avoided_per_year")
    mc = numbers(mc, "annual_margin_per_customer", lo=0.0)
    r = numbers(r, "retention_rate", lo=0.0, hi=1.0, hi_open=True)
    d = numbers(d, "discount_rate", lo=0.0)
    broadcastable(
        n,
        mc,
        r,
        d,
        names=(
            "churned_avoided_per_year",
            "annual_margin_per_customer",
            "retention_rate",
            "discount_rate",
        ),
    )
    clv = np.asarray(customer_lifetime_value(mc, r, d))
    return _line(
        name="Retention (lifetime value view)",
        kind="retention_clv",
        formula_words="customers kept per year times customer lifetime value "
        "(Gupta & Lehmann 2003)",
        formula_symbols="N × m_c × r / (1 + d − r)",
        inputs=[
            ("churned_avoided_per_year", "N", n, "customers/year", "measured"),
            ("annual_margin_per_customer", "m_c", mc, "currency/customer/year", "assumed"),
            ("retention_rate", "r", r, "fraction", "measured"),
            ("discount_rate", "d", d, "fraction", "assumed"),
        ],
        annual_value=n * clv,
        counted=counted,
        note="lifetime value view: a stock of future margins, shown beside the annual view; "
        "never counted together with it",
        sources=sources,
        projected_any=p1 or p2 or p3 or p4,
    )
