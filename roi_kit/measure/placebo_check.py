"""The placebo check: a method run with a fake go-live inside the baseline.

Nothing happened at the fake go-live, so a sound method should find no effect there. One that
does (a seasonal or trend pattern the method does not capture, a control that does not
track) deserves suspicion in the real run too.
"""

from __future__ import annotations

from dataclasses import replace

import pandas as pd

from roi_kit.measure.base import (
    MIN_AFTER_MONTHS,
    MIN_BASELINE_MONTHS,
    MIN_SEASONAL_MONTHS,
    CompareInputError,
    Comparison,
    _as_period,
    _check_series,
    _join,
    _series_name,
    _windows,
)
from roi_kit.measure.before_after import naive
from roi_kit.measure.diff_in_diff import did
from roi_kit.measure.projection import counterfactual

__all__ = ["placebo"]


def placebo(
    series: pd.Series,
    go_live: pd.Period,
    *,
    method: str = "counterfactual",
    control: pd.Series | None = None,
    fake_go_live: pd.Period | None = None,
    baseline: tuple[pd.Period, pd.Period] | None = None,
    direction: str = "higher",
    level: float = 0.95,
    kpi: str = "",
    **options: object,
) -> Comparison:
    """Run a method with a fake go-live inside the baseline, where nothing happened.

    Only baseline data are used. A sound method should find no effect here: its interval
    should include zero. If it finds one, its real result deserves suspicion too (a seasonal
    or trend pattern the method does not capture, or a control that does not track).

    Parameters
    ----------
    series : pandas.Series
        The KPI (the treated group's for DiD), monthly ``PeriodIndex``.
    go_live : pandas.Period
        The real go-live; only months before it (within ``baseline``) are used.
    method : {"counterfactual", "did", "naive"}
        The method to test.
    control : pandas.Series, optional
        The control series; required for ``method="did"``.
    fake_go_live : pandas.Period, optional
        Default: the baseline is split so that the fake after period has ``min(12, half)``
        months, shortened when the fit would otherwise lose the months it needs (for the
        counterfactual: ``MIN_SEASONAL_MONTHS`` when the baseline allows a seasonal fit at
        all, so the placebo tests the same model as the real run).
    baseline : tuple of two pandas.Period, optional
        Inclusive baseline window (default: every month before go-live).
    direction, level, kpi
        As in the methods.
    **options
        Passed on to the method (e.g. ``autocorrelation``, ``n_boot``, ``seed``).

    Returns
    -------
    Comparison
        ``method="placebo-<method>"``, ``fake_go_live`` set.
    """
    if method not in ("counterfactual", "did", "naive"):
        raise CompareInputError(
            f"placebo method must be 'counterfactual', 'did' or 'naive' (found {method!r})"
        )
    if method == "did" and control is None:
        raise CompareInputError("a DiD placebo needs the control series (control=...)")
    go_live = _as_period(go_live, "go_live")
    series = _check_series(series, _series_name(kpi))
    b0, b1, _, _ = _windows(series.index, go_live, baseline, None)
    base = series[(series.index >= b0) & (series.index <= b1)]
    if fake_go_live is None:
        fake = _default_fake_go_live(base.index, method, kpi)
    else:
        fake = _as_period(fake_go_live, "fake_go_live")
        if not (b0 < fake <= b1):
            raise CompareInputError(
                f"fake_go_live {fake} must lie inside the baseline ({b0}..{b1}), after its "
                "first month"
            )
    windows = {"baseline": (b0, fake - 1), "after": (fake, b1)}
    if method == "counterfactual":
        result = counterfactual(
            base, fake, direction=direction, level=level, kpi=kpi, **windows, **options
        )
    elif method == "did":
        result = did(
            base, control, fake, direction=direction, level=level, kpi=kpi, **windows, **options
        )
    else:
        result = naive(base, fake, direction=direction, level=level, kpi=kpi, **windows, **options)
    verdict = (
        "placebo found an 'effect' where there is none: treat the real result with caution"
        if result.excludes_zero
        else "placebo finds no effect, as it should"
    )
    return replace(
        result,
        method=f"placebo-{method}",
        note=_join(f"fake go-live {fake} inside the baseline; {verdict}", result.note),
        fake_go_live=fake,
    )


def _default_fake_go_live(months: pd.PeriodIndex, method: str, kpi: str) -> pd.Period:
    """The default fake go-live among the baseline ``months`` (sorted).

    The fake after period gets ``min(12, half)`` months, fewer when the method's fit would
    otherwise lose the months it needs: the counterfactual keeps ``MIN_SEASONAL_MONTHS`` when
    the baseline allows a seasonal fit at all, so the placebo tests the same model as the
    real run.
    """
    n_b = len(months)
    n_fake = min(12, n_b // 2)
    if method == "counterfactual":
        seasonal_ok = n_b - 3 >= MIN_SEASONAL_MONTHS
        min_fit = MIN_SEASONAL_MONTHS if seasonal_ok else MIN_BASELINE_MONTHS
        n_fake = min(n_fake, n_b - min_fit)
    if n_fake < MIN_AFTER_MONTHS or n_b - n_fake < MIN_BASELINE_MONTHS:
        raise CompareInputError(
            f"{kpi or 'KPI'}: {n_b} baseline months are too few for a placebo test "
            f"(need at least {MIN_BASELINE_MONTHS + MIN_AFTER_MONTHS})"
        )
    return months[n_b - n_fake]
