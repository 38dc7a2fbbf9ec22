"""Operational benefits: a shorter sales cycle, time saved, lower costs.

A shorter sales cycle frees working capital (valued at the cost of capital; Richards and
Laughlin 1980); hours saved are multiplied by a recapture factor because "time saved is not
time worked" (Nucleus Research; Forrester TEI's "productivity recapture"). An argument named
``delta_*`` is after minus before (a fall in a cost is negative and becomes a positive
saving); one named ``*_saved`` or ``*_avoided`` is already "positive is good".

References
----------
.. [1] Forrester Research, "The Total Economic Impact (TEI) methodology".
.. [2] Nucleus Research, ROI methodology.
.. [3] V. D. Richards and E. J. Laughlin, "A cash conversion cycle approach to liquidity
   analysis", Financial Management 9(1), 32-38, 1980.
"""

from __future__ import annotations

from collections.abc import Mapping

from roi_kit.money.benefit_lines import BenefitLine, Number, Projected, _line, _unwrap
from roi_kit.money.checks import broadcastable, numbers

__all__ = [
    "cycle_time_benefit",
    "productivity_benefit",
    "cost_saving",
    "acquisition_cost_saving",
]


def cycle_time_benefit(
    annual_revenue: Number | Projected,
    gross_margin: Number | Projected,
    cycle_days_saved: Number | Projected,
    cost_of_capital: Number | Projected,
    *,
    counted: bool = True,
    sources: Mapping[str, str] | None = None,
) -> BenefitLine:
    """A shorter sales cycle valued as profit received earlier: ``R × m × (Δd/365) × k``.

    When deals close ``Δd`` days sooner, each year's profit ``R × m`` arrives ``Δd/365`` of
    a year earlier. Its worth is the time value of that money at the cost of capital
    ``k``: ``R × m × (Δd/365) × k`` per year - equivalently, the yearly carrying value of
    the one-off working capital ``R × m × Δd/365`` the shorter cycle releases (the cash
    conversion cycle view of [1]_).

    Parameters
    ----------
    annual_revenue : float or ndarray or Projected, currency/year, >= 0
        Revenue per year flowing through the sales cycle (default "measured").
    gross_margin : float or ndarray or Projected, fraction [0-1]
        Margin on that revenue (default "assumed").
    cycle_days_saved : float or ndarray or Projected, days
        Days the cycle got shorter: before minus after (positive is good; default
        "measured"). A longer cycle gives a negative benefit.
    cost_of_capital : float or ndarray or Projected, fraction per year [0-1]
        Yearly cost of capital (default "assumed"; the case's discount rate is a fair
        choice).
    counted : bool, default True
    sources : mapping, optional

    Returns
    -------
    BenefitLine

    Notes
    -----
    Small on purpose, and conservative: it values only *timing*. A faster cycle may also
    free sellers to close more deals, but those extra deals already show in the deals and
    revenue change (:func:`revenue_uplift`); valuing the freed capacity too would count
    them twice.

    References
    ----------
    .. [1] V. D. Richards and E. J. Laughlin, "A cash conversion cycle approach to
       liquidity analysis", Financial Management 9(1), 32-38, 1980.

    Examples
    --------
    >>> cycle_time_benefit(3_650_000, 0.3, 10, 0.1).annual_value
    3000.0
    """
    r, p1 = _unwrap(annual_revenue)
    m, p2 = _unwrap(gross_margin)
    dd, p3 = _unwrap(cycle_days_saved)
    k, p4 = _unwrap(cost_of_capital)
    r = numbers(r, "annual_revenue", lo=0.0)
    m = numbers(m, "gross_margin", lo=0.0, hi=1.0)
    dd = numbers(dd, "cycle_days_saved", lo=-365.0, hi=365.0)
    k = numbers(k, "cost_of_capital", lo=0.0, hi=1.0)
    broadcastable(
        r, m, dd, k, names=("annual_revenue", "gross_margin", "cycle_days_saved", "cost_of_capital")
    )
    return _line(
        name="Shorter sales cycle (profit received earlier)",
        kind="cycle_time",
        formula_words="yearly profit, received days-saved/365 of a year earlier, valued at "
        "the cost of capital",
        formula_symbols="R × m × (Δd / 365) × k",
        inputs=[
            ("annual_revenue", "R", r, "currency/year", "measured"),
            ("gross_margin", "m", m, "fraction", "assumed"),
            ("cycle_days_saved", "Δd", dd, "days", "measured"),
            ("cost_of_capital", "k", k, "fraction", "assumed"),
        ],
        annual_value=r * m * (dd / 365.0) * k,
        counted=counted,
        note="timing only (conservative); capacity freed is not counted because the extra "
        "deals it brings are already in the revenue change",
        sources=sources,
        projected_any=p1 or p2 or p3 or p4,
    )


def productivity_benefit(
    hours_saved_per_user_week: Number | Projected,
    users: Number | Projected,
    loaded_hourly_rate: Number | Projected,
    recapture_factor: Number | Projected = 0.5,
    weeks_per_year: Number | Projected = 48,
    *,
    counted: bool = True,
    sources: Mapping[str, str] | None = None,
) -> BenefitLine:
    """Time saved, valued at the loaded hourly cost and corrected for recapture.

    ``h × U × W × c × ρ``: hours saved per user per week, times users, working weeks,
    loaded hourly cost and the share of saved time that turns into productive work.

    Parameters
    ----------
    hours_saved_per_user_week : float or ndarray or Projected, hours/user/week, >= 0
        (default "measured").
    users : float or ndarray or Projected, users, >= 0
        Active users (default "measured").
    loaded_hourly_rate : float or ndarray or Projected, currency/hour, >= 0
        Salary plus employer costs per hour (default "assumed").
    recapture_factor : float or ndarray or Projected, fraction [0-1], default 0.5
        Share of time saved that is spent on productive work (default source
        "benchmark"). "Time saved is not time worked" (Nucleus Research): a saved
        10 minutes often goes to a coffee, not a sale. Forrester TEI studies commonly use
        50%, the default here.
    weeks_per_year : float or ndarray or Projected, weeks/year, (0, 53], default 48
        Working weeks (52 less holidays and leave; default "assumed").
    counted : bool, default True
    sources : mapping, optional

    Returns
    -------
    BenefitLine

    References
    ----------
    .. [1] Nucleus Research, ROI methodology ("time saved is not time worked").
    .. [2] Forrester Research, Total Economic Impact methodology (productivity recapture).

    Examples
    --------
    >>> productivity_benefit(2, 10, 60, 0.5).annual_value
    28800.0
    """
    h, p1 = _unwrap(hours_saved_per_user_week)
    u, p2 = _unwrap(users)
    c, p3 = _unwrap(loaded_hourly_rate)
    rho, p4 = _unwrap(recapture_factor)
    w, p5 = _unwrap(weeks_per_year)
    h = numbers(h, "hours_saved_per_user_week", lo=0.0, hi=168.0)
    u = numbers(u, "users", lo=0.0)
    c = numbers(c, "loaded_hourly_rate", lo=0.0)
    rho = numbers(rho, "recapture_factor", lo=0.0, hi=1.0)
    w = numbers(w, "weeks_per_year", lo=0.0, lo_open=True, hi=53.0)
    broadcastable(
        h,
        u,
        c,
        rho,
        w,
        names=(
            "hours_saved_per_user_week",
            "users",
            "loaded_hourly_rate",
            "recapture_factor",
            "weeks_per_year",
        ),
    )
    return _line(
        name="Productivity (time saved)",
        kind="productivity",
        formula_words="hours saved per user per week times users, weeks, loaded hourly "
        "cost and recapture share",
        formula_symbols="h × U × W × c × ρ",
        inputs=[
            ("hours_saved_per_user_week", "h", h, "hours/user/week", "measured"),
            ("users", "U", u, "users", "measured"),
            ("weeks_per_year", "W", w, "weeks/year", "assumed"),
            ("loaded_hourly_rate", "c", c, "currency/hour", "assumed"),
            ("recapture_factor", "ρ", rho, "fraction", "benchmark"),
        ],
        annual_value=h * u * w * c * rho,
        counted=counted,
        note="time saved is not time worked: only the recaptured share is counted",
        sources=sources,
        projected_any=p1 or p2 or p3 or p4 or p5,
    )


def cost_saving(
    delta_cost_annual: Number | Projected,
    *,
    name: str = "Operating cost saving",
    counted: bool = True,
    sources: Mapping[str, str] | None = None,
) -> BenefitLine:
    """A fall in a cost as a benefit: ``−ΔC``.

    Parameters
    ----------
    delta_cost_annual : float or ndarray or Projected, currency/year
        Cost change per year, **after minus before** (default "measured"). A reduction is
        negative and becomes a positive benefit; a rise becomes a negative benefit.
    name : str, default "Operating cost saving"
    counted : bool, default True
    sources : mapping, optional

    Returns
    -------
    BenefitLine

    Examples
    --------
    >>> cost_saving(-50_000).annual_value  # cost fell by 50,000 a year
    50000.0
    """
    dc, p = _unwrap(delta_cost_annual)
    dc = numbers(dc, "delta_cost_annual")
    return _line(
        name=name,
        kind="cost_saving",
        formula_words="cost before minus cost after, per year",
        formula_symbols="−ΔC",
        inputs=[("delta_cost_annual", "ΔC", dc, "currency/year", "measured")],
        annual_value=-dc,
        counted=counted,
        note="ΔC is after minus before: a reduction is a positive benefit",
        sources=sources,
        projected_any=p,
    )


def acquisition_cost_saving(
    delta_cac: Number | Projected,
    new_customers_per_year: Number | Projected,
    *,
    counted: bool = True,
    sources: Mapping[str, str] | None = None,
) -> BenefitLine:
    """Cheaper customer acquisition: ``−ΔCAC × N_new``.

    Parameters
    ----------
    delta_cac : float or ndarray or Projected, currency/customer
        Change in the cost to acquire one customer, **after minus before** (default
        "measured"); cheaper is negative and becomes a positive benefit.
    new_customers_per_year : float or ndarray or Projected, customers/year, >= 0
        (default "measured").
    counted : bool, default True
    sources : mapping, optional

    Returns
    -------
    BenefitLine

    Notes
    -----
    If ``operating_cost`` already contains the acquisition spend, counting this line and
    :func:`cost_saving` on operating cost both would count the saving twice.

    Examples
    --------
    >>> acquisition_cost_saving(-100, 200).annual_value
    20000.0
    """
    (dcac, p1), (n, p2) = _unwrap(delta_cac), _unwrap(new_customers_per_year)
    dcac = numbers(dcac, "delta_cac")
    n = numbers(n, "new_customers_per_year", lo=0.0)
    broadcastable(dcac, n, names=("delta_cac", "new_customers_per_year"))
    return _line(
        name="Customer acquisition cost saving",
        kind="acquisition_cost",
        formula_words="fall in cost per new customer times new customers per year",
        formula_symbols="−ΔCAC × N_new",
        inputs=[
            ("delta_cac", "ΔCAC", dcac, "currency/customer", "measured"),
            ("new_customers_per_year", "N_new", n, "customers/year", "measured"),
        ],
        annual_value=-dcac * n,
        counted=counted,
        note="ΔCAC is after minus before: cheaper acquisition is a positive benefit",
        sources=sources,
        projected_any=p1 or p2,
    )
