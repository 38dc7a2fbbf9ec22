"""Revenue benefits: the margin view, the articles' revenue view, deals x deal size.

An argument named ``delta_*`` is a change **after minus before**, as
:mod:`roi_kit.measure.compare` reports it. Counted by default: the **margin view**
``ΔR × m``. The whole revenue increase counted as gain (:func:`revenue_as_gain`, the source
articles' view) and the deals × deal-size decomposition explain the same money and are shown,
not counted (counting the decomposition *instead* of the margin view is allowed).
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np

from roi_kit.errors import FinanceInputError
from roi_kit.money.benefit_lines import (
    BenefitLine,
    Number,
    Projected,
    RevenueDecomposition,
    _line,
    _unwrap,
)
from roi_kit.money.checks import broadcastable, numbers, plain

__all__ = [
    "revenue_uplift",
    "revenue_as_gain",
    "decompose_revenue_change",
    "decomposition_benefits",
]


def revenue_uplift(
    delta_revenue_annual: Number | Projected,
    gross_margin: Number | Projected,
    *,
    counted: bool = True,
    sources: Mapping[str, str] | None = None,
) -> BenefitLine:
    """Revenue uplift turned into profit: ``ΔR × m`` (the margin view; counted).

    Revenue is not profit: an extra euro of sales brings only its margin, since the goods,
    services and commissions behind it cost money too.

    Parameters
    ----------
    delta_revenue_annual : float or ndarray or Projected, currency/year
        Revenue change per year, after minus before (default source "measured").
    gross_margin : float or ndarray or Projected, fraction [0-1]
        Gross (or operating) margin on the extra revenue (default source "assumed").
    counted : bool, default True
        Whether :func:`total_benefits` adds the line.
    sources : mapping, optional
        Override an input's source, e.g. ``{"gross_margin": "measured"}``.

    Returns
    -------
    BenefitLine
        ``annual_value`` in currency/year.

    Examples
    --------
    >>> revenue_uplift(100_000, 0.32).annual_value
    32000.0
    """
    (dr, p1), (m, p2) = _unwrap(delta_revenue_annual), _unwrap(gross_margin)
    dr = numbers(dr, "delta_revenue_annual")
    m = numbers(m, "gross_margin", lo=0.0, hi=1.0)
    broadcastable(dr, m, names=("delta_revenue_annual", "gross_margin"))
    return _line(
        name="Revenue uplift (margin view)",
        kind="revenue_margin",
        formula_words="annual revenue change times gross margin",
        formula_symbols="ΔR × m",
        inputs=[
            ("delta_revenue_annual", "ΔR", dr, "currency/year", "measured"),
            ("gross_margin", "m", m, "fraction", "assumed"),
        ],
        annual_value=dr * m,
        counted=counted,
        note="margin view: revenue becomes profit only through the margin",
        sources=sources,
        projected_any=p1 or p2,
    )


def revenue_as_gain(
    delta_revenue_annual: Number | Projected,
    *,
    counted: bool = False,
    sources: Mapping[str, str] | None = None,
) -> BenefitLine:
    """The whole revenue increase counted as gain: ``ΔR`` (the source articles' view).

    Shown beside :func:`revenue_uplift` so readers can compare with the articles' worked
    examples; not counted by default, since it counts revenue as if it were profit.

    Parameters
    ----------
    delta_revenue_annual : float or ndarray or Projected, currency/year
        Revenue change per year, after minus before (default source "measured").
    counted : bool, default False
        Whether :func:`total_benefits` adds the line (it refuses this together with any
        other counted revenue line).
    sources : mapping, optional
        Override an input's source.

    Returns
    -------
    BenefitLine

    Examples
    --------
    >>> revenue_as_gain(100_000).annual_value
    100000.0
    """
    dr, p = _unwrap(delta_revenue_annual)
    dr = numbers(dr, "delta_revenue_annual")
    return _line(
        name="Revenue uplift (revenue view)",
        kind="revenue_as_gain",
        formula_words="annual revenue change, all of it",
        formula_symbols="ΔR",
        inputs=[("delta_revenue_annual", "ΔR", dr, "currency/year", "measured")],
        annual_value=dr,
        counted=counted,
        note="revenue view: counts revenue as if it were profit; the articles' convention",
        sources=sources,
        projected_any=p,
    )


def decompose_revenue_change(
    deals_before: Number,
    size_before: Number,
    deals_after: Number,
    size_after: Number,
) -> RevenueDecomposition:
    """Split a revenue change into more deals, bigger deals, and both.

    With ``D`` deals per year and ``S`` average deal size, ``R = D × S`` and::

        D1 S1 - D0 S0 = (D1 - D0) S0  +  D0 (S1 - S0)  +  (D1 - D0)(S1 - S0)
                        volume          size            interaction

    (expand the right side: every cross term cancels).

    Parameters
    ----------
    deals_before, deals_after : float or ndarray or Projected, deals/year, >= 0
    size_before, size_after : float or ndarray or Projected, currency/deal, >= 0

    Returns
    -------
    RevenueDecomposition
        All effects in currency/year.

    Examples
    --------
    >>> d = decompose_revenue_change(100, 1_000, 120, 1_100)
    >>> d.volume, d.size, d.interaction, d.total
    (20000.0, 10000.0, 2000.0, 32000.0)
    """
    unwrapped = [_unwrap(x) for x in (deals_before, size_before, deals_after, size_after)]
    d0 = numbers(unwrapped[0][0], "deals_before", lo=0.0)
    s0 = numbers(unwrapped[1][0], "size_before", lo=0.0)
    d1 = numbers(unwrapped[2][0], "deals_after", lo=0.0)
    s1 = numbers(unwrapped[3][0], "size_after", lo=0.0)
    broadcastable(
        d0, s0, d1, s1, names=("deals_before", "size_before", "deals_after", "size_after")
    )
    dd, ds = d1 - d0, s1 - s0
    return RevenueDecomposition(
        volume=plain(dd * s0),
        size=plain(d0 * ds),
        interaction=plain(dd * ds),
        total=plain(d1 * s1 - d0 * s0),
        deals_before=plain(d0),
        size_before=plain(s0),
        deals_after=plain(d1),
        size_after=plain(s1),
        is_projected=any(p for _, p in unwrapped),
    )


def decomposition_benefits(
    decomposition: RevenueDecomposition,
    gross_margin: Number | Projected,
    *,
    counted: bool = False,
    sources: Mapping[str, str] | None = None,
) -> tuple[BenefitLine, BenefitLine, BenefitLine]:
    """The deals × deal-size decomposition as three margin-view benefit lines.

    The three lines add up to ``revenue_uplift(total, m)``: they explain the same money,
    so by default they are not counted; :func:`total_benefits` refuses them counted
    together with the revenue uplift.

    Parameters
    ----------
    decomposition : RevenueDecomposition
        From :func:`decompose_revenue_change`.
    gross_margin : float or ndarray or Projected, fraction [0-1]
    counted : bool, default False
    sources : mapping, optional
        Sources of ``deals_before``, ``size_before``, ``deals_after``, ``size_after``
        (default "measured") and ``gross_margin`` (default "assumed").

    Returns
    -------
    tuple of BenefitLine
        Volume, size and interaction lines, currency/year.
    """
    if not isinstance(decomposition, RevenueDecomposition):
        raise FinanceInputError(
            "decomposition must come from decompose_revenue_change(); "
            f"found {type(decomposition).__name__}"
        )
    m_raw, p = _unwrap(gross_margin)
    m = numbers(m_raw, "gross_margin", lo=0.0, hi=1.0)
    dec = decomposition
    base_inputs = [
        ("deals_before", "D₀", np.asarray(dec.deals_before), "deals/year", "measured"),
        ("size_before", "S₀", np.asarray(dec.size_before), "currency/deal", "measured"),
        ("deals_after", "D₁", np.asarray(dec.deals_after), "deals/year", "measured"),
        ("size_after", "S₁", np.asarray(dec.size_after), "currency/deal", "measured"),
        ("gross_margin", "m", m, "fraction", "assumed"),
    ]
    broadcastable(np.asarray(dec.total), m, names=("decomposition", "gross_margin"))
    specs = [
        (
            "Revenue from more deals",
            "revenue_volume",
            "extra deals at the old deal size, times margin",
            "(D₁ − D₀) × S₀ × m",
            dec.volume,
        ),
        (
            "Revenue from bigger deals",
            "revenue_size",
            "old number of deals at the extra deal size, times margin",
            "D₀ × (S₁ − S₀) × m",
            dec.size,
        ),
        (
            "Revenue from more and bigger deals",
            "revenue_interaction",
            "extra deals' extra size, times margin",
            "(D₁ − D₀) × (S₁ − S₀) × m",
            dec.interaction,
        ),
    ]
    return tuple(
        _line(
            name=name,
            kind=kind,
            formula_words=words,
            formula_symbols=symbols,
            inputs=base_inputs,
            annual_value=np.asarray(effect) * m,
            counted=counted,
            note="part of the deals x deal size decomposition of the revenue change; "
            "the three parts add up to the revenue uplift",
            sources=sources,
            projected_any=p or dec.is_projected,
        )
        for name, kind, words, symbols, effect in specs
    )  # type: ignore[return-value]
