"""The placebo check: a method run with fake go-lives inside the baseline, where nothing happened.

A sound method should find no effect at a fake go-live. One that finds effects there more
often than chance allows (a seasonal or trend pattern it does not capture, a control that
does not track, noise wider than its model) deserves suspicion in the real run too.

Rolling placebo (the default): the method is run at every fake go-live ``g`` inside the
baseline that leaves it enough months, each on the months before ``g`` as its baseline and
the ``L`` months from ``g`` as its after period (``L`` = a quarter of the baseline, 3 to 12
months). A run needs enough months to fit and at least ``MIN_PLACEBO_DF`` residual degrees of
freedom; fake go-lives that cannot give that are not run, and when none can, the placebo
refuses and says why. Each run *flags* when its interval excludes zero: with a valid method,
in about ``1 - level`` of the runs.

Whether the placebos flag more often than chance allows is a one-sided binomial test at 5%.
Runs whose fake after periods overlap are not independent (two runs one month apart share
``L - 1`` of ``L`` months), so the test counts only windows that overlap by at most half
within the months the runs cover, ``K_eff = floor(2 (runs + L - 1) / L)``, and the share of
runs that flag, rounded to flags among those ``K_eff``: ``x = round(share * K_eff)``; the
placebo row ``excludes_zero`` (the method "finds effects where there are none") when
``x >= 1`` and ``P(Binomial(K_eff, 1 - level) >= x) <= 0.05``. Why half-overlapping windows
and not disjoint ones: with disjoint windows (3 for a 24-month baseline) the test can only
reject when half the runs flag, and then fired in none of the no-effect runs of the
calibration benchmark, even where the runs flagged twice as often as they should; counted
this way it fires in 0-4% of the no-effect runs with an honest method (independent and
AR(1) noise) and in 7-20% where the method is wrong (diverging groups, a wandering gap).

The row: ``change`` is the mean placebo estimate, ``low``/``high`` the smallest and largest
placebo estimate (their range, not an interval), ``fake_go_live`` the last fake go-live,
``n_baseline``/``n_after`` that last run's months, ``placebo_runs``/``placebo_flags`` the
counts, and ``note`` the plain reading. An explicit ``fake_go_live`` runs one placebo, as
before (its row keeps that run's own interval).

References
----------
.. [1] Abadie, A., Diamond, A. and Hainmueller, J. (2015). Comparative politics and the
   synthetic control method. *AJPS* 59(2), 495-510 (in-time placebos).
.. [2] CausalPy, ``causalpy/checks/placebo_in_time.py`` (rolling in-time placebos).
"""

from __future__ import annotations

import math
from dataclasses import replace

import numpy as np
import pandas as pd
from scipy import stats

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
from roi_kit.measure.diff_in_diff import _gap, did, gap_estimate
from roi_kit.measure.projection import counterfactual

__all__ = ["placebo", "MIN_PLACEBO_DF", "placebo_test"]

#: Fewest residual degrees of freedom a placebo run must leave its method.
MIN_PLACEBO_DF = 5
#: Significance level of the test "the placebos flag more often than chance allows".
_TEST_ALPHA = 0.05
#: Coefficients each method fits besides its noise shape (for the degrees-of-freedom rule):
#: DiD level + step on the gap (+1 for the trend option); the counterfactual level + trend
#: (+ 11 month effects when seasonal) on its baseline only; naive the two means.
_SEASONAL_PARAMS = 13


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
    """Run a method at fake go-lives inside the baseline, where nothing happened.

    Only baseline data are used. See the module docstring for the rolling scheme, the test
    and what the row's fields hold.

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
        One fake go-live instead of the rolling set (its after period runs to the end of the
        baseline).
    baseline : tuple of two pandas.Period, optional
        Inclusive baseline window (default: every month before go-live).
    direction, level, kpi
        As in the methods.
    **options
        Passed on to the method (e.g. ``autocorrelation``, ``trend``, ``n_boot``, ``seed``).

    Returns
    -------
    Comparison
        ``method="placebo-<method>"``; ``fake_go_live``, ``placebo_runs`` and
        ``placebo_flags`` set.

    Raises
    ------
    CompareInputError
        Unknown method, DiD without a control, a ``fake_go_live`` outside the baseline, or a
        baseline too short for any placebo run (the message says how many months it needs).
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
    common = {"direction": direction, "level": level, "kpi": kpi, **options}

    def run(fake: pd.Period, last: pd.Period) -> Comparison:
        windows = {"baseline": (b0, fake - 1), "after": (fake, last)}
        if method == "counterfactual":
            return counterfactual(base, fake, **windows, **common)
        if method == "did":
            return did(base, control, fake, **windows, **common)
        return naive(base, fake, **windows, **common)

    if fake_go_live is not None:
        fake = _as_period(fake_go_live, "fake_go_live")
        if not (b0 < fake <= b1):
            raise CompareInputError(
                f"fake_go_live {fake} must lie inside the baseline ({b0}..{b1}), after its "
                "first month"
            )
        return _single(run(fake, b1), method, fake)
    fakes, length = rolling_fake_go_lives(base.index, method, kpi, trend=bool(options.get("trend")))
    if method == "did":
        runs = _did_runs(base, control, fakes, length, level, options)
    else:
        runs = []
        for fake in fakes:
            try:
                r = run(fake, fake + length - 1)
            except CompareInputError:
                continue  # a window the method refuses (too few months with data): not run
            runs.append((fake, r.change, r.excludes_zero))
    if not runs:
        raise CompareInputError(
            f"{kpi or 'KPI'}: no placebo could be run on the {len(base)} baseline months "
            f"(the method refused every fake go-live)"
        )
    last_fake = runs[-1][0]
    last = run(last_fake, last_fake + length - 1)
    if len(runs) == 1:  # one fake go-live fits: its own interval, not a range of one value
        return _single(last, method, last_fake)
    return _rolling(runs, last, method, length, len(fakes) - len(runs), level)


def _did_runs(
    base: pd.Series,
    control: pd.Series,
    fakes: list[pd.Period],
    length: int,
    level: float,
    options: dict[str, object],
) -> list[tuple[pd.Period, float, bool]]:
    """Every DiD placebo run as ``(fake go-live, change, flags)``, on the gap computed once.

    The same estimate as :func:`did` (:func:`~roi_kit.measure.diff_in_diff.gap_estimate`)
    without re-checking the series for each window.
    """
    first = fakes[0]
    months = base.index
    _, _, gap = _gap(base, control, first, (months[0], first - 1), (first, months[-1]), "")
    d, ordinals = gap.to_numpy(), gap.index.asi8.astype(float)
    runs = []
    for fake in fakes:
        start = int(months.get_loc(fake))
        stop = int(np.searchsorted(ordinals, float((fake + length - 1).ordinal), side="right"))
        fit = gap_estimate(
            d[:stop],
            ordinals[:stop],
            start,
            level,
            str(options.get("autocorrelation", "ar1")),
            bool(options.get("trend", False)),
        )
        runs.append((fake, fit.change, bool(abs(fit.change) > fit.half)))
    return runs


def _single(result: Comparison, method: str, fake: pd.Period) -> Comparison:
    """The row of one placebo run at ``fake``: the run's own interval and verdict."""
    verdict = (
        "placebo found an 'effect' where there is none: treat the real result with caution"
        if result.excludes_zero
        else "placebo finds no effect, as it should"
    )
    return replace(
        result,
        method=f"placebo-{method}",
        note=_join(f"fake go-live {fake} inside the baseline; {verdict}", result.note),
        improvement=False,
        fake_go_live=fake,
        placebo_runs=1,
        placebo_flags=int(result.excludes_zero),
    )


def rolling_fake_go_lives(
    months: pd.PeriodIndex, method: str, kpi: str = "", *, trend: bool = False
) -> tuple[list[pd.Period], int]:
    """The fake go-lives of a rolling placebo among the baseline ``months`` (sorted), and the
    length ``L`` of each fake after period, in months.

    ``L = n // 4`` clipped to 3..12. A fake go-live needs ``fit`` months before it and
    ``MIN_PLACEBO_DF`` residual degrees of freedom: DiD fits 2 coefficients (3 with a trend)
    and a noise shape on ``fit + L`` months; the counterfactual fits its baseline only:
    13 coefficients and a noise shape when the baseline leaves 19 months for that and 3 fake
    after months (``L`` shortened to fit; a 24-month baseline gives one run), otherwise 2
    coefficients; naive needs ``MIN_BASELINE_MONTHS``.

    Raises
    ------
    CompareInputError
        When no fake go-live leaves that many months (the message says how many it needs).

    Examples
    --------
    24 baseline months, DiD: L = 6, fit >= 3 (3 + 6 - 3 = 6 df), fake go-lives at months
    4..19 (16 runs).

    >>> import pandas as pd
    >>> months = pd.period_range("2021-01", periods=24, freq="M")
    >>> fakes, length = rolling_fake_go_lives(months, "did")
    >>> length, len(fakes), str(fakes[0]), str(fakes[-1])
    (6, 16, '2021-04', '2022-07')
    """
    n = len(months)
    length = int(np.clip(n // 4, 3, 12))
    if method == "did":
        fit = max(MIN_BASELINE_MONTHS, MIN_PLACEBO_DF + 3 + int(trend) - length)
    elif method == "counterfactual":
        # The seasonal fit when the baseline allows one at all (so the placebo tests the
        # model the real run uses), with a shorter fake after period if need be.
        seasonal_fit = max(MIN_SEASONAL_MONTHS, _SEASONAL_PARAMS + 1 + MIN_PLACEBO_DF)
        if n - seasonal_fit >= 3:
            fit, length = seasonal_fit, min(length, n - seasonal_fit)
        else:
            fit = 2 + 1 + MIN_PLACEBO_DF
    else:
        fit = MIN_BASELINE_MONTHS
    length = max(length, MIN_AFTER_MONTHS)
    if n < fit + length:
        raise CompareInputError(
            f"{kpi or 'KPI'}: {n} baseline months are too few for a placebo check of "
            f"{method}: each fake go-live needs {fit} months to fit and {length} fake after "
            f"months ({fit + length} in all) to leave {MIN_PLACEBO_DF} degrees of freedom; "
            "not run"
        )
    return [months[i] for i in range(fit, n - length + 1)], length


def placebo_test(
    flags: int, runs: int, length: int, level: float = 0.95
) -> tuple[bool, float, int]:
    """Do ``flags`` of ``runs`` overlapping placebo runs flag more often than chance allows?

    Returns ``(too_many, p_value, k_eff)``: the one-sided binomial test of the module
    docstring on ``k_eff`` non-overlapping windows.

    Examples
    --------
    16 runs of 6 months cover 21 months: 7 half-overlapping windows. 3 flags (share 3/16)
    count as 1 of 7: P(X >= 1) = 1 - 0.95^7 = 0.302, not too many. 4 flags (share 1/4) count
    as 2 of 7: P(X >= 2) = 1 - 0.95^7 - 7 x 0.05 x 0.95^6 = 0.0444, too many.

    >>> placebo_test(3, 16, 6)[0]
    False
    >>> too_many, p, k = placebo_test(4, 16, 6)
    >>> too_many, round(p, 4), k
    (True, 0.0444, 7)
    """
    k_eff = max(1, 2 * (runs + length - 1) // length)
    x = int(round(flags / runs * k_eff)) if runs else 0
    p_value = float(stats.binom.sf(x - 1, k_eff, 1 - level)) if x > 0 else 1.0
    return bool(x >= 1 and p_value <= _TEST_ALPHA), p_value, k_eff


def _rolling(
    runs: list[tuple[pd.Period, float, bool]],
    last: Comparison,
    method: str,
    length: int,
    skipped: int,
    level: float,
) -> Comparison:
    """The row of a rolling placebo from its ``(fake go-live, change, flags)`` runs and the
    last run's full result: mean estimate, range, counts and the plain reading."""
    last_fake = runs[-1][0]
    changes = np.array([c for _, c, _ in runs])
    flags = sum(f for _, _, f in runs)
    n_runs = len(runs)
    too_many, p_value, k_eff = placebo_test(flags, n_runs, length, level)
    span = f"{n_runs} fake go-lives {runs[0][0]}..{last_fake}, {length} months each"
    share = f"{flags} flag an 'effect' ({flags / n_runs:.0%}; {1 - level:.0%} expected by chance)"
    test = f"binomial test on {k_eff} non-overlapping window(s), p = {p_value:.3g}"
    verdict = (
        "more often than chance allows: the method finds effects where there are none; "
        "treat the real result with caution"
        if too_many
        else "no more often than chance allows, as it should"
    )
    note = f"rolling placebo inside the baseline: {span}; {share}: {verdict} ({test})"
    if skipped:
        note = _join(note, f"{skipped} fake go-live(s) not run: the method refused them")
    mean = float(changes.mean())
    return replace(
        last,
        method=f"placebo-{method}",
        change=mean,
        pct_change=mean / last.baseline if last.baseline else math.nan,
        low=float(changes.min()),
        high=float(changes.max()),
        excludes_zero=too_many,
        improvement=False,
        note=note,
        projected=None,
        band_low=None,
        band_high=None,
        fake_go_live=last_fake,
        mde=math.nan,
        valid=True,
        validity="",
        pretrend_bias=None,
        pretrend_bias_low=None,
        pretrend_bias_high=None,
        placebo_runs=n_runs,
        placebo_flags=int(flags),
    )
