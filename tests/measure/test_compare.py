"""Tests for the comparison methods of roi_kit.measure (naive, counterfactual, did, placebo),
their readings and the compare table: hand-checked small cases, simulations with a known truth,
words, bad input, and the sample case's recorded true effects."""

from __future__ import annotations

import re

import numpy as np
import pandas as pd
import pytest
import statsmodels.api as sm
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats

from roi_kit.errors import GapError, RoiKitError
from roi_kit.measure import (
    CompareInputError,
    Comparison,
    compare_frame,
    counterfactual,
    did,
    naive,
    percentage_points,
    placebo,
    reading,
)

M = "M"


def months(start: str, n: int) -> pd.PeriodIndex:
    return pd.period_range(start, periods=n, freq=M)


def p(text: str) -> pd.Period:
    return pd.Period(text, M)


# --------------------------------------------------------------------------------------------
# hand-checkable cases


def test_naive_change_by_hand():
    s = pd.Series([10.0, 12, 11, 15, 17, 16], index=months("2024-01", 6))
    r = naive(s, p("2024-04"), kpi="x")
    # baseline (10+12+11)/3 = 11, after (15+17+16)/3 = 16, change 5, 5/11 of the baseline
    assert r.baseline == pytest.approx(11.0)
    assert r.after == pytest.approx(16.0)
    assert r.change == pytest.approx(5.0)
    assert r.pct_change == pytest.approx(5 / 11)
    assert r.method == "naive"
    assert "credits the CRM with every trend and season" in r.note
    # Never counted as money, whatever it finds.
    assert not r.valid and "never counted as money" in r.validity
    # Model interval: the noise is fitted around the baseline's trend (3 months, 2
    # coefficients, 1 degree of freedom: rho not estimated). Baseline 10, 12, 11 on t = 0, 1,
    # 2: slope 0.5, intercept 10.5, residuals -0.5, 1, -0.5, s^2 = 1.5 / 1. Var(mean_a -
    # mean_b) = 1.5 x (1/3 + 1/3) = 1, t(1, 0.975) = 12.7062: 5 +- 12.7062.
    assert r.low == pytest.approx(5 - 12.7062, abs=1e-3)
    assert r.high == pytest.approx(5 + 12.7062, abs=1e-3)
    # MDE: (t(1, .975) + t(1, .80)) x se 1 = 12.7062 + 1.3764.
    assert r.mde == pytest.approx(12.7062 + 1.3764, abs=1e-3)
    boot = naive(s, p("2024-04"), kpi="x", interval_method="bootstrap")
    # Any resample of 3 months draws values from the period itself: the resampled difference
    # lies between min(after) - max(baseline) = 3 and max(after) - min(baseline) = 7.
    assert 3.0 <= boot.low <= 5.0 <= boot.high <= 7.0
    assert boot.excludes_zero and boot.improvement


def test_naive_windows_and_seed():
    s = pd.Series(np.arange(12.0), index=months("2023-01", 12))
    # Explicit windows skip an implementation month: baseline Jan-Mar (0,1,2 -> 1),
    # after May-Jul (4,5,6 -> 5): change 4.
    r = naive(
        s, p("2023-04"), baseline=(p("2023-01"), p("2023-03")), after=(p("2023-05"), p("2023-07"))
    )
    assert r.change == pytest.approx(4.0)
    assert (r.n_baseline, r.n_after) == (3, 3)
    rng = np.random.default_rng(5)
    noisy = pd.Series(rng.normal(0, 1, 30), index=months("2022-01", 30))
    a = naive(noisy, p("2023-01"), seed=1, interval_method="bootstrap")
    b = naive(noisy, p("2023-01"), seed=1, interval_method="bootstrap")
    c = naive(noisy, p("2023-01"), seed=2, interval_method="bootstrap")
    assert (a.low, a.high) == (b.low, b.high)
    assert (a.low, a.high) != (c.low, c.high)


def test_naive_bootstrap_width_matches_textbook_for_independent_months():
    # With block=1 the stationary bootstrap is the iid bootstrap: a mean difference has
    # standard error
    # sqrt(var_b (n_b-1)/n_b / n_b + var_a (n_a-1)/n_a / n_a) (plug-in variances); the 95%
    # percentile interval is then about 2 x 1.96 of it wide.
    rng = np.random.default_rng(11)
    values = np.concatenate([rng.normal(100, 5, 60), rng.normal(103, 8, 60)])
    s = pd.Series(values, index=months("2015-01", 120))
    r = naive(s, p("2020-01"), block=1, n_boot=6000, seed=3, interval_method="bootstrap")
    b, a = values[:60], values[60:]
    se = np.sqrt(b.var() / 60 + a.var() / 60)
    assert (r.high - r.low) == pytest.approx(2 * 1.96 * se, rel=0.08)
    assert r.change == pytest.approx(a.mean() - b.mean())


def test_did_point_estimate_2x2_by_hand():
    idx = months("2023-01", 5)
    treated = pd.Series([10.0, 12, 14, 20, 22], index=idx)
    control = pd.Series([5.0, 6, 7, 9, 9], index=idx)
    r = did(treated, control, p("2023-04"), autocorrelation="none", kpi="t")
    # treated 12 -> 21 (+9), control 6 -> 9 (+3): DiD 9 - 3 = 6
    assert r.change == pytest.approx(6.0)
    assert (r.baseline, r.after) == (pytest.approx(12.0), pytest.approx(21.0))
    # Independently: the interval is the pooled two-sample t interval of the gap
    # d = treated - control, before [5, 6, 7] vs after [11, 13].
    ci = stats.ttest_ind([11, 13], [5, 6, 7], equal_var=True).confidence_interval(0.95)
    assert r.low == pytest.approx(ci.low)
    assert r.high == pytest.approx(ci.high)
    # by hand: s^2 = (2 + 2) / 3, se = sqrt(4/3 (1/3 + 1/2)) = 1.0541, t(3) = 3.1824
    assert r.high - r.change == pytest.approx(3.1824 * 1.0541, rel=1e-3)


def _trend_season(n: int, start: str = "2022-01") -> tuple[pd.PeriodIndex, np.ndarray]:
    idx = months(start, n)
    season = np.array([3, -1, 4, 1, -5, 9, -2, 6, -5, 3, -5, -8], float)
    return idx, 50 + 0.5 * np.arange(n) + season[idx.month.to_numpy() - 1]


def test_counterfactual_recovers_injected_step_exactly_on_noiseless_data():
    idx, clean = _trend_season(36)
    gl = p("2024-01")
    y = pd.Series(clean + 7.0 * (idx >= gl), index=idx)
    r = counterfactual(y, gl, kpi="y")
    assert r.change == pytest.approx(7.0, abs=1e-9)
    assert r.high - r.low < 1e-6
    # The projection is the series without the step.
    np.testing.assert_allclose(r.projected.to_numpy(), clean[24:], atol=1e-9)
    assert list(r.projected.index) == list(idx[24:])
    assert (r.band_low <= r.projected).all() and (r.projected <= r.band_high).all()
    assert "trend-only" not in r.note


def test_counterfactual_interval_matches_intervention_dummy_regression():
    # Independent route (Box & Tiao intervention analysis): fit ONE OLS on all months with a
    # dummy per after month; each dummy's coefficient is actual - projection, and the t
    # interval of their mean is the counterfactual interval under independent errors.
    rng = np.random.default_rng(7)
    idx, clean = _trend_season(36)
    gl = p("2024-01")
    y = clean + rng.normal(0, 2, 36) + 3.0 * (idx >= gl)
    t = np.arange(36) / 12
    month_dummies = np.column_stack([(idx.month == m).astype(float) for m in range(2, 13)])
    impulses = np.vstack([np.zeros((24, 12)), np.eye(12)])
    X = np.column_stack([np.ones(36), t, month_dummies, impulses])
    fit = sm.OLS(y, X).fit()
    contrast = np.r_[np.zeros(13), np.full(12, 1 / 12)]
    test = fit.t_test(contrast)
    low, high = test.conf_int(alpha=0.05)[0]
    r = counterfactual(pd.Series(y, index=idx), gl, autocorrelation="none")
    assert r.change == pytest.approx(float(test.effect[0]), rel=1e-9)
    assert r.low == pytest.approx(low, rel=1e-9)
    assert r.high == pytest.approx(high, rel=1e-9)


def test_counterfactual_trend_only_fallback_is_said():
    idx = months("2023-01", 16)
    gl = p("2023-11")
    y = pd.Series(20 + 2.0 * np.arange(16) + 4.0 * (idx >= gl), index=idx)
    r = counterfactual(y, gl)
    assert "trend-only" in r.note and "fewer than 12 baseline months" in r.note
    assert r.change == pytest.approx(4.0, abs=1e-9)
    # It cannot tell a season from the trend: not valid, and it says what can still be used.
    assert not r.valid and "use DiD" in r.validity and r.validity in r.note
    assert counterfactual(y, gl, seasonal=False).valid
    # 14 baseline months: enough for 12 months but not for 11 month effects.
    y2 = pd.Series(np.arange(20.0), index=months("2023-01", 20))
    r2 = counterfactual(y2, p("2024-03"))
    assert r2.n_baseline == 14 and "trend-only" in r2.note and "too few" in r2.note
    with pytest.raises(CompareInputError, match="month-of-year"):
        counterfactual(y2, p("2024-03"), seasonal=True)


@settings(max_examples=20, deadline=None)
@given(
    seed=st.integers(0, 10_000),
    shift=st.floats(-1e3, 1e3),
    slope=st.floats(-50, 50),
)
def test_counterfactual_ignores_any_added_level_and_trend(seed, shift, slope):
    # The model fits a level and a trend, so adding a + b*t to the whole series must leave
    # the estimated effect and its interval unchanged; the naive change moves by b x the
    # distance between the period midpoints (here 18 months).
    rng = np.random.default_rng(seed)
    idx, clean = _trend_season(36)
    y = pd.Series(clean + rng.normal(0, 2, 36), index=idx)
    moved = y + shift + slope * np.arange(36)
    gl = p("2024-01")
    a, b = counterfactual(y, gl), counterfactual(moved, gl)
    scale = 1 + abs(shift) + 36 * abs(slope)
    assert b.change == pytest.approx(a.change, abs=1e-9 * scale)
    assert b.high - b.low == pytest.approx(a.high - a.low, abs=1e-9 * scale)
    assert naive(moved, gl, n_boot=100).change - naive(y, gl, n_boot=100).change == (
        pytest.approx(18 * slope, abs=1e-9 * scale)
    )


@settings(max_examples=20, deadline=None)
@given(
    values=st.lists(st.floats(-1e4, 1e4), min_size=14, max_size=14),
    n_base=st.integers(3, 12),
)
def test_did_equals_difference_of_four_means(values, n_base):
    idx = months("2020-01", 7)
    t = np.array(values[:7])
    c = np.array(values[7:])
    n_base = min(n_base, 5)
    gl = idx[n_base]
    r = did(pd.Series(t, index=idx), pd.Series(c, index=idx), gl)
    by_hand = (t[n_base:].mean() - t[:n_base].mean()) - (c[n_base:].mean() - c[:n_base].mean())
    assert r.change == pytest.approx(by_hand, abs=1e-6)
    assert r.low <= r.change <= r.high


# --------------------------------------------------------------------------------------------
# simulations with a known truth

N_SIM = 200
IDX = months("2022-01", 36)
GO = p("2024-01")
SEASON = 10 * np.sin(2 * np.pi * IDX.month.to_numpy() / 12)


def _noise(rng: np.random.Generator, sd: float, phi: float = 0.0) -> np.ndarray:
    e = np.empty(36)
    e[0] = rng.normal(0, sd / np.sqrt(1 - phi**2))
    for i in range(1, 36):
        e[i] = phi * e[i - 1] + rng.normal(0, sd)
    return e


# An adoption ramp: the effect grows linearly over the 12 after months, from 1/12 to 12/12
# of its full size; its after-period mean (what the methods estimate) is 6.5/12 of it.
RAMP = np.r_[np.zeros(24), np.arange(1, 13) / 12]


def _pair(seed: int, effect: float, phi: float = 0.0) -> tuple[pd.Series, pd.Series]:
    """Treated and control: same trend (0.8 a month) and season, own noise; the treated
    series gets ``effect`` x the adoption ramp after go-live (mean effect 6.5/12 x effect)."""
    rng = np.random.default_rng(seed)
    after = RAMP
    treated = 100 + 0.8 * np.arange(36) + SEASON + _noise(rng, 3, phi) + effect * after
    control = 80 + 0.8 * np.arange(36) + SEASON + _noise(rng, 3, phi)
    return pd.Series(treated, index=IDX), pd.Series(control, index=IDX)


def _coverage(
    method: str, effect: float, phi: float = 0.0, n: int = N_SIM, **kw: object
) -> tuple[float, float]:
    """Share of runs whose interval holds the true mean effect, and the mean estimate."""
    truth = effect * RAMP[24:].mean()
    hits, changes = 0, []
    for seed in range(n):
        treated, control = _pair(seed, effect, phi)
        if method == "counterfactual":
            r = counterfactual(treated, GO, **kw)
        else:
            r = did(treated, control, GO, **kw)
        hits += r.low <= truth <= r.high
        changes.append(r.change - truth)
    return hits / n, float(np.mean(changes))


# Issue 12: with the AR(1) coefficient averaged over [0, 0.98] only, independent months sat
# on the edge of its prior and the counterfactual covered 0.995 of these 200 runs (above
# 0.98); over the whole stationary range [-0.98, 0.98] it is back inside the bounds.
@pytest.mark.slow
@pytest.mark.parametrize("method", ["counterfactual", "did"])
@pytest.mark.parametrize("effect", [0.0, 8.0])
def test_interval_coverage_in_simulation(method, effect):
    rate, mean_error = _coverage(method, effect)
    print(f"\n{method} full effect {effect}: 95% interval holds the truth in {rate:.1%} of runs")
    assert 0.90 <= rate <= 0.98
    assert mean_error == pytest.approx(0.0, abs=0.5)  # unbiased on average


@pytest.mark.slow
@pytest.mark.parametrize("method", ["counterfactual", "did"])
def test_ar1_correction_keeps_coverage_under_autocorrelation(method):
    robust, _ = _coverage(method, 0.0, phi=0.4, n=120)
    plain, _ = _coverage(method, 0.0, phi=0.4, n=120, autocorrelation="none")
    print(f"\n{method} AR(1) phi=0.4: coverage ar1 {robust:.1%}, independent-errors {plain:.1%}")
    # Independent-errors intervals are too narrow on autocorrelated months (about 80-85%);
    # the AR(1) sandwich brings them back near the nominal level.
    assert robust >= 0.88
    assert robust > plain + 0.04


@pytest.mark.slow
def test_naive_is_biased_by_trend_while_counterfactual_is_not():
    truth = 8.0 * RAMP[24:].mean()  # 8 x 6.5/12 = 4.333
    naive_changes, cf_changes = [], []
    for seed in range(50):
        treated, _ = _pair(seed, 8.0)
        naive_changes.append(naive(treated, GO, n_boot=200).change)
        cf_changes.append(counterfactual(treated, GO).change)
    # The naive difference adds the trend between the period midpoints: 0.8 a month x 18
    # months = 14.4 (the season averages out over whole years), so ~18.7 instead of 4.33.
    mean_naive, mean_cf = np.mean(naive_changes), np.mean(cf_changes)
    print(f"\nmean naive change {mean_naive:.2f}, counterfactual {mean_cf:.2f} (truth {truth:.2f})")
    assert mean_naive == pytest.approx(truth + 14.4, abs=0.6)
    assert mean_cf == pytest.approx(truth, abs=0.6)


@pytest.mark.slow
def test_placebo_finds_nothing_on_no_effect_data():
    found_cf = found_did = 0
    for seed in range(100):
        treated, control = _pair(seed, 0.0)
        r = placebo(treated, GO)
        assert r.method == "placebo-counterfactual" and r.fake_go_live < GO
        found_cf += r.excludes_zero
        found_did += placebo(treated, GO, method="did", control=control).excludes_zero
    print(f"\nplacebo false 'effects': counterfactual {found_cf}%, did {found_did}%")
    assert found_cf <= 12 and found_did <= 12


def test_placebo_default_split_and_baseline_only():
    treated, control = _pair(0, 80.0)  # a huge real effect after go-live
    r = placebo(treated, GO)
    # 24 baseline months: a seasonal fit with 5 degrees of freedom needs 13 + 1 + 5 = 19
    # months, leaving 5 fake after months: one run, fake go-live 2022-01 + 19 = 2023-08;
    # the real effect (after 2024-01) is never seen.
    assert r.fake_go_live == p("2023-08")
    assert (r.n_baseline, r.n_after, r.placebo_runs) == (19, 5, 1)
    assert abs(r.change) < 10
    rd = placebo(treated, GO, method="did", control=control)
    # Rolling DiD placebo: fake after periods of 24 // 4 = 6 months, at least 3 fit months
    # (3 + 6 - 3 = 6 degrees of freedom): fake go-lives 2022-04 .. 2023-07, 16 runs.
    assert rd.method == "placebo-did" and rd.fake_go_live == p("2023-07")
    assert (rd.n_baseline, rd.n_after, rd.placebo_runs) == (18, 6, 16)
    assert abs(rd.change) < 10 and rd.low <= rd.change <= rd.high
    with pytest.raises(CompareInputError):
        placebo(treated, GO, fake_go_live=p("2024-03"))
    with pytest.raises(CompareInputError):
        placebo(treated, GO, method="did")


@pytest.mark.slow
def test_did_pretrend_check():
    flagged = 0
    for seed in range(100):
        treated, control = _pair(seed, 0.0)
        flagged += did(treated, control, GO).pretrend_p < 0.05
    print(f"\nparallel pre-trends flagged as differing: {flagged}%")
    assert flagged <= 10
    treated, control = _pair(1, 0.0)
    drift = pd.Series(0.6 * np.arange(36), index=IDX)
    r = did(treated + drift, control, GO)
    assert r.pretrend_slope == pytest.approx(0.6, abs=0.25)
    assert r.pretrend_p < 0.05
    assert "pre-trends differ: DiD assumption doubtful" in r.note
    # The drift adds 0.6 x (29.5 - 11.5) = 10.8 between the period midpoints (months 0-23
    # and 24-35): plain DiD is biased by that, says so, and is not valid.
    assert r.pretrend_bias_low <= 10.8 <= r.pretrend_bias_high and r.pretrend_bias_low > 0
    assert not r.valid and "pre-trends differ" in r.validity
    rt = did(treated + drift, control, GO, trend=True)
    assert rt.method == "did-trend" and rt.valid
    assert rt.low <= 0.0 <= rt.high  # no CRM effect: the extrapolated drift is removed


# --------------------------------------------------------------------------------------------
# words


def _comparison(change, low, high, direction="higher", method="counterfactual", baseline=0.25):
    return Comparison(
        kpi="k",
        method=method,
        direction=direction,
        baseline=baseline,
        after=baseline + change,
        change=change,
        pct_change=change / baseline,
        low=low,
        high=high,
        level=0.95,
        excludes_zero=low > 0 or high < 0,
        improvement=(change > 0) == (direction == "higher") and (low > 0 or high < 0),
        note="",
        n_baseline=24,
        n_after=12,
    )


def test_reading_win_rate_in_points_with_target():
    c = _comparison(0.031, 0.012, 0.050)
    text = reading(c, label="Win rate", unit_formatter=percentage_points, target=0.05)
    assert text.startswith("Win rate rose 3.1 points")
    assert "95% interval +1.2 to +5.0 points" in text
    assert "the target was +5.0 points: not yet met" in text
    assert "includes zero" not in text
    met = reading(
        _comparison(0.08, 0.06, 0.10),
        label="Win rate",
        unit_formatter=percentage_points,
        target=0.05,
    )
    assert met.endswith("the target was +5.0 points: met")


def test_reading_says_interval_includes_zero_and_never_gain():
    c = _comparison(-6.2, -13.4, 1.0, direction="lower", baseline=60.0)
    text = reading(c, label="Sales cycle", unit_formatter=lambda v: f"{v:.1f} days")
    assert text.startswith("Sales cycle fell 6.2 days")
    assert "-13.4 to +1.0 days" in text
    assert "the interval includes zero, so this is not yet evidence of a change" in text
    assert re.search(r"\b(improvement|gain|improved)\b", text) is None


def test_reading_direction_aware():
    fall = _comparison(-6.0, -9.0, -3.0, direction="lower", baseline=60.0)
    assert fall.improvement
    assert "an improvement" in reading(fall, label="Sales cycle")
    rise = _comparison(6.0, 3.0, 9.0, direction="lower", baseline=60.0)
    assert not rise.improvement
    assert "a change for the worse" in reading(rise, label="Sales cycle")
    # relative target -20% of 60 days = -12 days; -6 is not yet there
    assert "the target was -20%: not yet met" in reading(
        fall, label="Sales cycle", target=-0.20, target_kind="relative"
    )


def test_improvement_flag_from_methods_is_direction_aware():
    idx = months("2022-01", 36)
    rng = np.random.default_rng(3)
    cycle = pd.Series(60 + rng.normal(0, 1, 36) - 8.0 * (idx >= GO), index=idx)
    r = counterfactual(cycle, GO, direction="lower", kpi="sales_cycle_days")
    assert r.change < 0 and r.excludes_zero and r.improvement
    r_wrong = counterfactual(cycle, GO, direction="higher")
    assert r_wrong.excludes_zero and not r_wrong.improvement


# --------------------------------------------------------------------------------------------
# bad input


def test_refuses_bad_input():
    good = pd.Series(np.arange(10.0), index=months("2023-01", 10))
    with pytest.raises(RoiKitError, match="baseline month"):
        naive(good, p("2023-03"))  # only 2 baseline months
    with pytest.raises(RoiKitError, match="after month"):
        counterfactual(good, p("2023-10"))  # 1 after month
    nan = good.copy()
    nan.iloc[4] = np.nan
    with pytest.raises(RoiKitError, match="2023-05"):
        counterfactual(nan, p("2023-06"))
    dated = good.copy()
    dated.index = pd.date_range("2023-01-01", periods=10, freq="MS")
    with pytest.raises(RoiKitError, match="monthly periods"):
        naive(dated, p("2023-06"))
    quarterly = pd.Series(np.arange(10.0), index=pd.period_range("2020Q1", periods=10, freq="Q"))
    with pytest.raises(RoiKitError, match="monthly periods"):
        counterfactual(quarterly, p("2021-06"))
    dup = pd.Series(
        [1.0, 2, 3, 4, 5],
        index=pd.PeriodIndex(["2023-01"] * 2 + ["2023-02", "2023-03", "2023-04"], freq=M),
    )
    with pytest.raises(RoiKitError, match="more than once"):
        naive(dup, p("2023-03"))
    with pytest.raises(RoiKitError, match="direction"):
        naive(good, p("2023-06"), direction="up")
    with pytest.raises(RoiKitError, match="before go-live"):
        naive(good, p("2023-06"), baseline=(p("2023-01"), p("2023-07")))


def test_did_refuses_control_missing_months_and_names_them():
    treated = pd.Series(np.arange(12.0), index=months("2023-01", 12))
    control = treated.drop([p("2023-03"), p("2023-09")])
    with pytest.raises(GapError, match="2023-03, 2023-09") as info:
        did(treated, control, p("2023-07"))
    assert isinstance(info.value, RoiKitError)


def test_missing_months_are_allowed_and_counted_in_calendar_months():
    idx, clean = _trend_season(36)
    y = pd.Series(clean + 7.0 * (idx >= GO), index=idx).drop([p("2022-05"), p("2024-03")])
    r = counterfactual(y, GO)
    # Trend measured in calendar months: the gaps do not bend it; step still exact.
    assert r.change == pytest.approx(7.0, abs=1e-9)
    assert (r.n_baseline, r.n_after) == (23, 11)


# --------------------------------------------------------------------------------------------
# compare_frame


def _frame(with_nan: bool = False) -> pd.DataFrame:
    treated, control = _pair(4, 8.0)
    rows = []
    for group, s in (("A", treated), ("B", control)):
        cycle = 50 - 0.1 * np.arange(36) - (3.0 if group == "A" else 0.0) * (IDX >= GO)
        rows.append(
            pd.DataFrame({"month": IDX, "team": group, "revenue": s.to_numpy(), "cycle": cycle})
        )
    frame = pd.concat(rows, ignore_index=True)
    if with_nan:
        frame.loc[(frame.team == "A") & (frame.month == p("2022-07")), "revenue"] = np.nan
    return frame


def test_compare_frame_rows_and_columns():
    out = compare_frame(
        _frame(),
        go_live=GO,
        baseline=(p("2022-01"), p("2023-12")),
        after=(p("2024-01"), p("2024-12")),
        directions={"revenue": "higher", "cycle": "lower"},
        labels={"revenue": "Revenue", "cycle": "Sales cycle"},
        group_column="team",
        treated="A",
        control="B",
        targets={"cycle": (-0.10, "relative")},
    )
    assert list(out.columns) == [
        "kpi", "method", "baseline", "after", "change", "pct_change",
        "low", "high", "excludes_zero", "improvement", "reading", "note",
        "mde", "mde_pct", "valid", "validity",
    ]  # fmt: skip
    methods = [
        "naive", "counterfactual", "placebo-counterfactual", "state-space", "did", "placebo-did",
        "did-trend",
    ]  # fmt: skip
    assert list(out.method) == methods * 2
    rev = out[out.kpi == "revenue"].set_index("method")
    # the naive row equals the function called directly on the treated group
    treated, control = _pair(4, 8.0)
    assert rev.loc["naive", "change"] == pytest.approx(naive(treated, GO).change)
    assert rev.loc["did", "change"] == pytest.approx(did(treated, control, GO).change)
    cyc = out[out.kpi == "cycle"].set_index("method")
    # noiseless cycle: treated falls 3 days more than control after go-live -> DiD exactly -3
    assert cyc.loc["did", "change"] == pytest.approx(-3.0)
    assert bool(cyc.loc["did", "improvement"])
    assert cyc.loc["counterfactual", "reading"].startswith("Sales cycle fell 3.00")
    assert "target was -10%" in cyc.loc["counterfactual", "reading"]


def test_compare_frame_without_control_and_with_missing_values():
    frame = _frame(with_nan=True)
    a_only = frame[frame.team == "A"].drop(columns="team")
    out = compare_frame(
        a_only,
        go_live=GO,
        baseline=(p("2022-01"), p("2023-12")),
        after=(p("2024-01"), p("2024-12")),
        directions={"revenue": "higher"},
    )
    assert list(out.method) == ["naive", "counterfactual", "placebo-counterfactual", "state-space"]
    assert out.note.str.contains(
        "dropped 1 month(s) with missing values: 2022-07", regex=False
    ).all()
    assert (out.set_index("method").loc["naive", "baseline"]) == pytest.approx(
        a_only.revenue.iloc[:24].mean()  # pandas skips the NaN: mean of the 23 others
    )
    # A KPI with almost no data gets a NaN row that says why, not a crash.
    sparse = a_only.assign(revenue=np.where(a_only.month < p("2023-11"), np.nan, a_only.revenue))
    out2 = compare_frame(
        sparse,
        go_live=GO,
        baseline=(p("2022-01"), p("2023-12")),
        after=(p("2024-01"), p("2024-12")),
        directions={"revenue": "higher"},
    )
    assert out2.change.isna().all()
    assert out2.note.str.contains("not computed").all()
    assert out2.reading.str.contains("not measured").all()


# --------------------------------------------------------------------------------------------
# the sample case with a known truth


def test_sample_case_true_effects(sample_case_path):
    # Read with pandas and yaml, not the kit's loader: the expected windows and truth stay
    # independent of roi_kit.case.
    kpis = pd.read_csv(sample_case_path / "kpis.csv")
    truth = yaml.safe_load((sample_case_path / "true_effects.yml").read_text())
    case = yaml.safe_load((sample_case_path / "case.yml").read_text())
    kpis["month"] = pd.PeriodIndex(kpis["month"], freq=M)
    lower = {"sales_cycle_days", "churned_customers", "operating_cost", "acquisition_cost"}
    names = [k for k in truth["effects"] if k in kpis.columns]
    out = compare_frame(
        kpis,
        go_live=p(str(case["go_live"])),
        baseline=(p(case["baseline"]["start"]), p(case["baseline"]["end"])),
        after=(p(case["after"]["start"]), p(case["after"]["end"])),
        directions={k: "lower" if k in lower else "higher" for k in names},
        group_column=truth.get("group_column", "region"),
        treated=truth["treated"],
        control=truth["control"],
    )
    out["truth"] = out.kpi.map(lambda k: truth["effects"][k]["average_effect"])
    out["covers"] = (out.low <= out.truth) & (out.truth <= out.high)
    # customers is a running total (new - churned accumulates): a trend projection of a
    # random-walk-like level is not a fair test; the flows (churned_customers, deals_won) are.
    flows = out[out.kpi != "customers"]
    table = out[out.method.isin(["naive", "counterfactual", "did"])].pivot(
        index="kpi", columns="method", values="covers"
    )
    print("\nsample case: interval contains the true average effect\n" + table.to_string())
    for method in ("counterfactual", "did"):
        rows = flows[flows.method == method]
        missed = rows.loc[~rows.covers, "kpi"].tolist()
        print(f"{method}: {rows.covers.sum()}/{len(rows)} contain the truth; missed {missed}")
        # 95% intervals over 11 KPIs: at most one miss expected by chance
        assert rows.covers.sum() >= len(rows) - 1
    # Every row the kit counts (valid), customers included, by every method but naive.
    counted = out[out.valid & out.method.isin(["counterfactual", "state-space", "did"])]
    missed = counted.loc[~counted.covers, ["kpi", "method"]].values.tolist()
    print(f"counted rows: {counted.covers.sum()}/{len(counted)} contain the truth; {missed}")
    assert counted.covers.sum() >= len(counted) - 2  # 95% intervals over ~30 rows
    # customers is a running total: the fixed-trend counterfactual is flagged, not counted.
    cust = out[(out.kpi == "customers") & (out.method == "counterfactual")].iloc[0]
    assert not cust.valid and "random walk" in cust.validity
    naive_rows = out[out.method == "naive"].set_index("kpi")
    cf_rows = out[out.method == "counterfactual"].set_index("kpi")
    # The sample has a growth trend: naive overstates revenue by far more than its truth,
    # and finds a "change" in operating cost, which the CRM did not touch (true effect 0).
    rev_truth = truth["effects"]["revenue"]["average_effect"]
    # (Its own interval is honest about its noise, so it is wide; it still misses the truth.)
    assert naive_rows.loc["revenue", "change"] > rev_truth * 1.5
    assert naive_rows.loc["revenue", "low"] > rev_truth
    assert (
        abs(cf_rows.loc["revenue", "change"] - rev_truth)
        < abs(naive_rows.loc["revenue", "change"] - rev_truth) / 5
    )
    assert naive_rows.loc["operating_cost", "excludes_zero"]
    assert not cf_rows.loc["operating_cost", "excludes_zero"]
