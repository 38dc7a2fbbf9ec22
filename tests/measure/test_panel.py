"""Panel DiD, staggered DiD and the event study (roi_kit.measure.panel, .staggered, .panel_table).

Expected values come from hand calculations on noiseless panels (the comments give them),
from the ``wildboottest`` package itself, or from simulations with a known truth.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from roi_kit.measure.base import CompareInputError
from roi_kit.measure.panel import (
    MIN_CLUSTERS,
    _demeaned,
    _fit,
    _wild_draws,
    _wild_p,
    cluster_validity,
    panel_did,
)
from roi_kit.measure.panel_data import PANEL_COLUMNS
from roi_kit.measure.staggered import event_study, staggered_did

__all__: list[str] = []

FIRST = pd.Period("2022-01", "M").ordinal


def make_panel(
    treated: int,
    control: int,
    *,
    months: int = 12,
    go: int | tuple[int, ...] = 6,
    effect=lambda unit, since: 0.0,
    noise: float = 0.0,
    seed: int = 0,
    weights: np.ndarray | None = None,
) -> pd.DataFrame:
    """A panel: unit level 10 * (u + 1), a shared month effect t**2 / 10, ``effect`` added."""
    rng = np.random.default_rng(seed)
    gos = (go,) if isinstance(go, int) else go
    rows = []
    for u in range(treated + control):
        is_treated = u < treated
        g = gos[u % len(gos)] if is_treated else None
        for t in range(months):
            d = is_treated and t >= g
            y = 10.0 * (u + 1) + t * t / 10 + (effect(u, t - g) if d else 0.0)
            rows.append(
                {
                    "unit": f"u{u:02d}",
                    "group": "T" if is_treated else "C",
                    "treated": is_treated,
                    "month": pd.Period("2022-01", "M") + t,
                    "t": FIRST + t,
                    "go_live": FIRST + g if is_treated else 0,
                    "d": float(d),
                    "y": y + noise * rng.normal(),
                    "w": 1.0 if weights is None else float(weights[u]),
                }
            )
    return pd.DataFrame(rows, columns=PANEL_COLUMNS)


def test_noiseless_effect_is_recovered_per_unit_and_as_a_total():
    # Every treated unit gains 5 a month from go-live; unit and month effects cancel exactly.
    panel = make_panel(4, 8, effect=lambda u, s: 5.0, noise=1e-9)
    per_unit = panel_did(panel, kpi="y")
    total = panel_did(panel, kpi="y", total=True)
    assert per_unit.method == "panel-did" and per_unit.change == pytest.approx(5.0, abs=1e-6)
    assert total.change == pytest.approx(4 * 5.0, abs=1e-5)  # 4 treated units x 5
    # treated total before go-live, months 0-5: sum of 10 (u + 1) for u = 0..3 = 100, plus
    # 4 x t^2 / 10 averaged over t = 0..5 (mean t^2 = 55 / 6): 100 + 4 * 55 / 60 = 103.667
    assert total.baseline == pytest.approx(100 + 4 * 55 / 60)


def test_balanced_panel_did_equals_the_difference_of_means():
    # On a balanced panel the two-way fixed-effects coefficient is the 2x2 difference of
    # means (treated after - before) - (control after - before).
    panel = make_panel(5, 7, noise=3.0, seed=4, effect=lambda u, s: 2.0)
    m = panel.groupby(
        ["treated", panel["d"].eq(1) | (~panel["treated"] & (panel["t"] >= FIRST + 6))]
    )
    means = m["y"].mean()
    by_hand = (means[(True, True)] - means[(True, False)]) - (
        means[(False, True)] - means[(False, False)]
    )
    assert panel_did(panel).change == pytest.approx(by_hand, rel=1e-8)


def test_the_wild_bootstrap_p_value_matches_the_wildboottest_package():
    # 8 clusters, Rademacher weights: 2**8 = 256 < 999 draws, so both enumerate every sign
    # pattern and the p-values must agree (up to ties, below).
    from wildboottest.wildboottest import WildboottestCL

    panel = make_panel(3, 5, noise=2.0, seed=1, effect=lambda u, s: 1.0)
    y, d = _demeaned(panel)
    cluster = pd.factorize(panel["unit"], sort=True)[0]
    dy, dd = np.bincount(cluster, weights=d * y), np.bincount(cluster, weights=d * d)
    import roi_kit.measure.panel as panel_module

    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(panel_module, "_WEBB_UP_TO", 0)  # Rademacher at 8 clusters
        draws = _wild_draws(8, 0)
    assert draws.shape == (8, 256)
    for b0 in (0.0, 0.7, 1.5):
        boot = WildboottestCL(
            X=d[:, None],
            Y=y - b0 * d,
            cluster=cluster,
            R=np.array([1.0]),
            B=999,
            seed=0,
            parallel=False,
        )
        boot.get_scores(bootstrap_type="11", impose_null=True)
        boot.get_weights(weights_type="rademacher")
        boot.get_numer()
        boot.get_denom()
        boot.get_tboot()
        boot.get_vcov()
        boot.get_tstat()
        boot.get_pvalue(pval_type="two-tailed")
        theirs = float(np.ravel(boot.pvalue)[0])
        # The package counts |t*| > |t| strictly; the kit counts ties (the all +1 and all -1
        # draws reproduce t exactly), so it may be higher by at most those 2 of 256 draws.
        assert theirs - 1e-12 <= _wild_p(dy, dd, draws, b0) <= theirs + 2 / 256 + 1e-12


def test_bootstrap_below_40_clusters_crv1_above():
    few = _fit(make_panel(6, 10, noise=1.0, seed=2), 0.95, 0)
    many = _fit(make_panel(15, 30, noise=1.0, seed=2), 0.95, 0)
    assert few.method == "wild bootstrap" and many.method == "CRV1"
    assert few.low < few.beta < few.high and many.low < many.beta < many.high


def test_few_clusters_are_shown_but_not_valid():
    result = panel_did(make_panel(1, 2, noise=1.0, seed=3))
    assert not result.valid and "only 1 treated and 2 control" in result.validity
    assert cluster_validity(MIN_CLUSTERS - 1, 4, MIN_CLUSTERS - 5).startswith("only")
    assert cluster_validity(35, 12, 23) == ""
    assert math.isfinite(result.mde)


def test_ratio_kpis_are_weighted_by_their_denominators():
    # Treated unit 0 has weight 9 and gains 0.1; treated unit 1 weight 1, gains 0.0.
    # The group ratio gains (9 * 0.1 + 1 * 0) / 10 = 0.09, the unweighted mean 0.05.
    w = np.array([9.0, 1.0] + [1.0] * 10)
    panel = make_panel(2, 10, effect=lambda u, s: 0.1 if u == 0 else 0.0, weights=w, noise=1e-9)
    assert panel_did(panel).change == pytest.approx(0.09, abs=1e-6)


def test_staggered_timing_is_refused_by_twfe_and_recovered_by_did2s():
    # Cohort A (go-live month 4) gains 1 + months since go-live, cohort B (month 8) gains 10.
    # Truth over treated unit-months: A: 8 months of 1..8 (sum 36) per unit; B: 4 months of 10
    # (sum 40) per unit; 3 units each -> (3 * 36 + 3 * 40) / (3 * 8 + 3 * 4) = 228 / 36.
    def effect(u, since):
        return 1.0 + since if u % 2 == 0 else 10.0

    panel = make_panel(6, 6, go=(4, 8), effect=effect, noise=1e-9)
    with pytest.raises(CompareInputError, match="staggered"):
        panel_did(panel)
    result = staggered_did(panel)
    assert result.method == "staggered-did"
    assert result.change == pytest.approx(228 / 36, abs=1e-5)
    twfe = _fit(panel, 0.95, 0).beta  # the biased regression, for contrast: it uses the
    # early cohort's treated months as controls for the late one (Goodman-Bacon 2021)
    assert abs(twfe - 228 / 36) > 0.2


def test_event_study_traces_the_dynamic_effect_and_flat_pre_months():
    # Effect 2 * (months since + 1) from go-live (month 6 of 12): 2, 4, ..., 12.
    panel = make_panel(5, 5, effect=lambda u, s: 2.0 * (s + 1), noise=1e-6, seed=5)
    study = event_study(panel, kpi="y")
    table = study.table.set_index("months_since")
    assert study.reference == -1 and table.loc[-1, "estimate"] == 0.0
    for since in range(6):
        assert table.loc[since, "estimate"] == pytest.approx(2.0 * (since + 1), abs=1e-4)
    assert table.loc[-6:-2, "estimate"].abs().max() < 1e-4
    assert (table["n_units"] == 5).all()


def test_malformed_panels_are_refused():
    panel = make_panel(3, 3)
    with pytest.raises(CompareInputError, match="lacks column"):
        panel_did(panel.drop(columns="w"))
    with pytest.raises(CompareInputError, match="both treated and control"):
        panel_did(panel[panel["treated"]])
    with pytest.raises(CompareInputError, match="direction"):
        panel_did(panel, direction="up")


def test_panel_rows_of_cases(tmp_path):
    from roi_kit.case import load_case
    from roi_kit.measure.compare import _FRAME_COLUMNS
    from roi_kit.measure.panel_table import panel_rows
    from tests.case.test_case import kpis_frame, write_case

    # One treated and one control group, no units: no panel rows (two clusters).
    pair = load_case(
        write_case(
            tmp_path / "pair",
            kpis=kpis_frame(groups=("North", "South")),
            groups={"column": "region", "treated": "North", "control": "South"},
        )
    )
    rows = panel_rows(pair)
    assert rows.empty and list(rows.columns) == _FRAME_COLUMNS
    # Two treated groups going live three months apart, two controls: staggered rows.
    kpis = kpis_frame(groups=("North", "South", "East", "West"))
    kpis["revenue"] = kpis["revenue"] * (1 + 0.02 * np.random.default_rng(0).normal(size=96))
    staggered = load_case(
        write_case(
            tmp_path / "stag",
            kpis=kpis,
            groups={
                "column": "region",
                "treated": {"North": "2023-01", "South": "2023-04"},
                "control": ["East", "West"],
            },
        )
    )
    rows = panel_rows(staggered, kpis=["revenue"])
    assert list(rows.columns) == _FRAME_COLUMNS
    row = rows.iloc[0]
    assert row["method"] == "staggered-did" and row["low"] < row["change"] < row["high"]
    assert not row["valid"] and "only 2 treated and 2 control" in row["validity"]
    assert math.isfinite(row["mde"]) and row["mde"] > 0
