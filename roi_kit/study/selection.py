"""Which comparison method's estimate becomes money, per KPI: the documented rule.

Which method becomes money
--------------------------
The comparison table holds several methods per KPI; one estimate per KPI becomes money,
chosen by :func:`choose_method` from ``measurement.method`` in case.yml (or the notebook
parameter ``method``, which overrides it unless it is ``"auto"``):

- ``auto`` (default): per KPI, the first method of :data:`AUTO_ORDER` whose row exists, was
  computed and is valid (no check found its assumptions broken): difference-in-differences
  first when a control group exists (it removes what moved both groups: market, season,
  prices), then DiD with group trends, then the trend + season counterfactual, then the
  state-space model. Plain DiD is valid only where ``measurement.parallel_trends`` says why
  the groups would have moved in parallel (or the baseline bounds an unseen drift, see
  :func:`roi_kit.measure.did`); otherwise DiD with group trends is next. When none is valid,
  nothing is counted for that KPI, and the reason names each method's failed check. Naive
  before/after is never chosen by ``auto``: it credits the CRM with every trend and season
  across go-live.
- a named method: that method for every KPI; where it is not valid (or not computed) the
  KPI is not counted, and the reason says so. ``naive`` may be named, and every output then
  carries the caveat that it is biased by trend and season.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass

import pandas as pd

from roi_kit.case import Case
from roi_kit.errors import CaseError
from roi_kit.measure.detectable import mde_from_interval

__all__ = [
    "AUTO_ORDER",
    "METHOD_WORDS",
    "NAIVE_CAVEAT",
    "MeasuredChange",
    "resolve_method",
    "choose_method",
    "selected_changes",
]

#: The order in which ``auto`` tries the methods for each KPI (first valid one wins).
AUTO_ORDER: tuple[str, ...] = ("panel-did", "did", "did-trend", "counterfactual", "state-space")

#: Each method in a few words, for the reasons printed with the choice.
METHOD_WORDS: Mapping[str, str] = {
    "counterfactual": "the trend + season counterfactual",
    "state-space": "the state-space counterfactual",
    "did": "difference-in-differences",
    "did-trend": "difference-in-differences with group trends",
    "panel-did": "panel difference-in-differences",
    "naive": "naive before/after",
    "projected": "projected (expected_changes in case.yml)",
}

#: Said wherever a naive estimate becomes money.
NAIVE_CAVEAT = (
    "naive before/after is the method for money: it credits the CRM with every trend and "
    "season across go-live (set measurement.method: auto)"
)


@dataclass(frozen=True)
class MeasuredChange:
    """One KPI's change credited to the period after go-live, per month.

    Attributes
    ----------
    kpi : str
    change : float, KPI units per month
        After minus before (or minus the counterfactual), the point estimate.
    low, high : float, KPI units per month
        Interval of ``change`` (95% unless the comparison used another level).
    method : str
        Comparison method, or "projected".
    improvement : bool
        In the better direction with an interval excluding zero: only these count.
    source : {"measured", "projected"}
    reading : str
        The plain-language sentence from the comparison.
    baseline : float
        Baseline level (KPI units per month).
    valid : bool
        The method was computed and no check found its assumptions broken; an invalid
        change is never counted.
    reason : str
        Why this method was used for money (or why the KPI is not counted), in words.
    mde : float, KPI units per month
        Minimum detectable effect of the method (80% power, 5% two-sided); from the
        interval when the method did not report one; NaN when not computed.
    pct_change, pct_low, pct_high : float, fraction
        ``change``, ``low`` and ``high`` over the baseline mean (NaN for a zero baseline).
    excludes_zero : bool
        The interval lies on one side of zero.
    """

    kpi: str
    change: float
    low: float
    high: float
    method: str
    improvement: bool
    source: str
    reading: str
    baseline: float
    valid: bool = True
    reason: str = ""
    mde: float = math.nan
    pct_change: float = math.nan
    pct_low: float = math.nan
    pct_high: float = math.nan
    excludes_zero: bool = False

    @property
    def counted(self) -> bool:
        """An improvement with an interval excluding zero, by a valid method."""
        return self.improvement and self.valid

    @property
    def mde_pct(self) -> float:
        """:attr:`mde` over the baseline mean, fraction (NaN for a zero baseline)."""
        return abs(self.mde / self.baseline) if self.baseline else math.nan


def resolve_method(case: Case, method: str | None = None) -> tuple[str, str]:
    """The method rule in force and where it comes from.

    Parameters
    ----------
    case : Case
    method : str, optional
        The notebook or caller's choice; None or ``"auto"`` defers to case.yml's
        ``measurement.method`` (whose default is ``"auto"``).

    Returns
    -------
    (str, str)
        The rule (``"auto"`` or a method name) and its source in words.

    Raises
    ------
    CaseError
        An unknown method name.
    """
    from roi_kit.case.types import MEASUREMENT_METHODS

    if method not in (None, "auto"):
        if method not in MEASUREMENT_METHODS:
            raise CaseError(
                f"method {method!r} is not a comparison method; choose one of "
                f"{', '.join(MEASUREMENT_METHODS)}"
            )
        return str(method), "the report parameter method"
    spec = case.measurement
    if spec.set_in_case:
        return spec.method, "measurement.method in case.yml"
    return spec.method, "the kit default (measurement.method not set in case.yml)"


def _finite(row: pd.Series) -> bool:
    return all(math.isfinite(float(row[k])) for k in ("change", "low", "high"))


def _row_valid(row: pd.Series) -> bool:
    return bool(row.get("valid", True)) and _finite(row)


def _why_invalid(row: pd.Series) -> str:
    text = str(row.get("validity", "") or "") or str(row.get("note", "") or "")
    return text or "not computed"


def choose_method(rows: pd.DataFrame, rule: str, source: str) -> tuple[pd.Series | None, str]:
    """One KPI's comparison row whose estimate becomes money, and why (the documented rule).

    Parameters
    ----------
    rows : DataFrame
        The KPI's rows of :func:`roi_kit.measure.compare_all` (any methods).
    rule : str
        ``"auto"`` or a method name (see the module docstring).
    source : str
        Where the rule comes from, for the reason.

    Returns
    -------
    (Series or None, str)
        The row used (None when the KPI has no row for the method) and the reason in words.
        The row may be invalid: the caller then counts nothing (its ``valid`` is False).

    Examples
    --------
    >>> t = pd.DataFrame({"method": ["counterfactual", "did"], "change": [1.0, 2.0],
    ...     "low": [0.5, 1.0], "high": [1.5, 3.0], "valid": [True, False],
    ...     "validity": ["", "pre-trends diverge"], "note": ["", ""]})
    >>> row, why = choose_method(t, "auto", "default")
    >>> row["method"], why.split(";")[0]
    ('counterfactual', 'auto (default): the trend + season counterfactual, the first valid method')
    """
    by_method = {str(r["method"]): r for _, r in rows.iterrows()}
    if rule != "auto":
        row = by_method.get(rule)
        words = METHOD_WORDS.get(rule, rule)
        if row is None:
            return None, f"{words}, as set by {source}: not computed for this KPI"
        if not _row_valid(row):
            return row, (
                f"{words}, as set by {source}, is not valid here ({_why_invalid(row)}): not counted"
            )
        extra = f"; {NAIVE_CAVEAT}" if rule == "naive" else ""
        return row, f"{words}, as set by {source}{extra}"
    skipped: dict[str, list[str]] = {}  # why not valid -> the methods it applies to
    for name in AUTO_ORDER:
        row = by_method.get(name)
        if row is None:
            continue
        if _row_valid(row):
            why = f"auto ({source}): {METHOD_WORDS[name]}, the first valid method"
            if skipped:
                why += "; not used: " + _skipped_words(skipped)
            return row, why
        skipped.setdefault(_why_invalid(row), []).append(METHOD_WORDS[name])
    first = next((by_method[n] for n in AUTO_ORDER if n in by_method), None)
    if not skipped:
        return None, f"auto ({source}): no comparison method could be computed: not counted"
    return first, f"auto ({source}): no valid method, not counted: " + _skipped_words(skipped)


def _skipped_words(skipped: Mapping[str, list[str]]) -> str:
    """The methods not used and why, one reason said once for all the methods it fails."""
    return "; ".join(f"{' and '.join(names)} ({why})" for why, names in skipped.items())


def _pct(value: float, base: float) -> float:
    return value / base if base and math.isfinite(base) else math.nan


def _change_from_row(kpi: str, row: pd.Series | None, reason: str) -> MeasuredChange:
    """The :class:`MeasuredChange` of one chosen row (a not-counted stand-in without one)."""
    if row is None:
        nan = math.nan
        return MeasuredChange(
            kpi=kpi, change=0.0, low=nan, high=nan, method="none", improvement=False,
            source="measured", reading=f"{kpi}: not measured ({reason})", baseline=nan,
            valid=False, reason=reason,
        )  # fmt: skip
    valid = _row_valid(row)
    base, low, high = float(row["baseline"]), float(row["low"]), float(row["high"])
    mde = float(row.get("mde", math.nan))
    if not math.isfinite(mde) and valid:
        # The method reported no MDE: the same formula from its 95% interval.
        mde = mde_from_interval(low, high, 0.95)
    change = float(row["change"])
    # An invalid estimate is kept in pct_* for the record, but it is no change to value:
    # the money model (and the "not in the total" lists) see 0 and the reason.
    return MeasuredChange(
        kpi=kpi,
        change=change if math.isfinite(change) and valid else 0.0,
        low=low,
        high=high,
        method=str(row["method"]),
        improvement=bool(row["improvement"]) and valid,
        source="measured",
        reading=str(row["reading"]) if valid else f"not measured: {reason}",
        baseline=base,
        valid=valid,
        reason=reason,
        mde=mde,
        pct_change=_pct(change, base),
        pct_low=_pct(low, base),
        pct_high=_pct(high, base),
        excludes_zero=bool(row["excludes_zero"]) and valid,
    )


def selected_changes(
    comparison: pd.DataFrame, *, rule: str = "auto", source: str = "the kit default"
) -> dict[str, MeasuredChange]:
    """Every KPI of a comparison table with the change the rule picks for it.

    Parameters
    ----------
    comparison : DataFrame
        From :func:`roi_kit.measure.compare_all` (a hand-built table with the same columns
        works; ``mde``, ``valid`` and ``validity`` are optional).
    rule, source : str
        As :func:`choose_method`.

    Returns
    -------
    dict of str to MeasuredChange
        In the table's KPI order; a KPI with no usable method has ``valid`` False.
    """
    out: dict[str, MeasuredChange] = {}
    if comparison is None or not len(comparison):
        return out
    for kpi in dict.fromkeys(comparison["kpi"]):
        rows = comparison[comparison["kpi"] == kpi]
        row, reason = choose_method(rows, rule, source)
        out[str(kpi)] = _change_from_row(str(kpi), row, reason)
    return out
