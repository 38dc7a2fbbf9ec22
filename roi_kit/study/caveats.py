"""Every caveat a study found, gathered in one place for the summary page and the JSON.

A number is only as good as what it rests on. The analysis finds its own limits along the
way - a method that fell back to a trend-only fit, months dropped, a pre-trend, a placebo
that could not run, a short baseline, a data-quality finding, an input nobody set, a
Monte Carlo with nothing uncertain - and each is written where it was found (a comparison
row's ``note`` and ``validity``, the quality report, the inputs). :func:`caveats` collects
them so that the report and ``summary --json`` carry every one of them, not only the page
where it arose.
"""

from __future__ import annotations

import html
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from roi_kit.case import get_kpi
from roi_kit.errors import RoiKitError
from roi_kit.measure.base import MIN_SEASONAL_MONTHS
from roi_kit.study.inputs import MEASURED_KPIS
from roi_kit.study.selection import METHOD_WORDS, NAIVE_CAVEAT, MeasuredChange

if TYPE_CHECKING:
    from roi_kit.case import Case
    from roi_kit.study.run import Study

__all__ = ["Caveat", "TOPICS", "caveats", "caveats_html", "relevant_kpis", "tornado_moves"]

#: The kinds of caveat, in the order they are listed.
TOPICS: tuple[str, ...] = (
    "method",
    "measurement",
    "placebo",
    "baseline",
    "data quality",
    "benefits",
    "uncertainty",
)

# Parts of a comparison note that limit what the estimate can claim (the rest of a note
# describes how the interval was computed, which is not a caveat).
_WARNING_WORDS = (
    "trend-only",
    "too few",
    "fewer than",
    "degrees of freedom",
    "dropped",
    "strongly",
    "pre-trend",
    "caution",
    "not computed",
    "not run",
    "diverg",
    "cannot",
    "too short",
    "unreliable",
)

#: Money below this (half a cent) is no swing at all.
_NO_SWING = 0.005


@dataclass(frozen=True)
class Caveat:
    """One limit of the analysis, in words.

    Attributes
    ----------
    topic : str
        One of :data:`TOPICS`.
    text : str
        The caveat as a sentence (plain text; escape before HTML).
    """

    topic: str
    text: str


def relevant_kpis(case: Case, selection: dict[str, MeasuredChange]) -> list[str]:
    """The KPIs a verdict speaks about: the goal KPIs, then those that become money."""
    names = [g.kpi for g in case.goals] + [k for k in MEASURED_KPIS if k in case.kpis.columns]
    return [k for k in dict.fromkeys(names) if k in selection]


def tornado_moves(tornado: pd.DataFrame) -> bool:
    """Whether any assumption's range moves the output at all (a swing above half a cent)."""
    return bool(len(tornado)) and float(np.nanmax(tornado["swing"].to_numpy(float))) > _NO_SWING


def _label(case: Case, kpi: str) -> str:
    try:
        return get_kpi(kpi, case.custom_kpis).label
    except RoiKitError:
        return kpi


def _warning_parts(note: object) -> list[str]:
    parts = [p.strip() for p in str(note or "").split(";")]
    return [p for p in parts if p and any(w in p.lower() for w in _WARNING_WORDS)]


def _method_caveats(study: Study, kpis: list[str]) -> Iterable[Caveat]:
    case, sel = study.case, study.inputs.selection
    if study.inputs.method_rule == "naive":
        yield Caveat("method", NAIVE_CAVEAT)
    grouped: dict[str, list[str]] = {}  # one caveat for the KPIs that share a reason
    for kpi in kpis:
        change = sel[kpi]
        if not change.valid or "not used:" in change.reason:
            grouped.setdefault(change.reason, []).append(_label(case, kpi))
    for reason, labels in grouped.items():
        yield Caveat("method", f"{', '.join(labels)}: {reason}")


def _assumption_caveats(study: Study, kpis: list[str]) -> Iterable[Caveat]:
    """Plain DiD estimates that rest on the parallel trends stated in case.yml."""
    reason = study.case.measurement.parallel_trends
    sel = study.inputs.selection
    resting = [_label(study.case, k) for k in kpis if sel[k].method == "did" and sel[k].valid]
    if reason and resting:
        yield Caveat(
            "method",
            f"{', '.join(resting)}: difference-in-differences that rests on parallel trends "
            f'stated in case.yml ("{reason}"), which the baseline cannot check: a drift '
            "between the groups too small to see would bias these estimates (by how much: "
            "each comparison's note on the tracking page)",
        )


def _row(table: pd.DataFrame, kpi: str, method: str) -> pd.Series | None:
    rows = table[(table["kpi"] == kpi) & (table["method"] == method)]
    return None if rows.empty else rows.iloc[0]


def _measurement_caveats(study: Study, kpis: list[str]) -> Iterable[Caveat]:
    """Warnings in the notes of the rows used for money, grouped by text across KPIs."""
    table, sel = study.comparison, study.inputs.selection
    found: dict[str, list[str]] = {}
    for kpi in kpis:
        row = _row(table, kpi, sel[kpi].method)
        if row is None:
            continue
        for part in _warning_parts(row["note"]):
            found.setdefault(part, []).append(_label(study.case, kpi))
    for text, labels in found.items():
        yield Caveat("measurement", f"{', '.join(labels)}: {text}")


def _placebo_caveats(study: Study, kpis: list[str]) -> Iterable[Caveat]:
    """The placebo of each method used for money: not run (and why), or flagging."""
    table, sel = study.comparison, study.inputs.selection
    not_run: dict[tuple[str, str], list[str]] = {}  # (method, why) -> KPI labels
    for kpi in kpis:
        method = sel[kpi].method
        row = _row(table, kpi, f"placebo-{method}")
        label = _label(study.case, kpi)
        words = METHOD_WORDS.get(method, method)
        if row is None:
            if method not in ("none", "naive") and sel[kpi].valid:
                yield Caveat("placebo", f"{label}: no placebo check exists for {words}")
            continue
        if not np.isfinite(float(row["change"])):
            why = str(row["note"]).removeprefix("not computed: ").removeprefix(f"{kpi}: ")
            not_run.setdefault((words, why), []).append(label)
        elif bool(row["excludes_zero"]):
            yield Caveat(
                "placebo",
                f"{label}: the placebo check of {words} found an 'effect' with a fake "
                "go-live, where there is none: treat the real estimate with caution",
            )
    for (words, why), labels in not_run.items():
        yield Caveat(
            "placebo", f"{', '.join(labels)}: the placebo check of {words} was not run: {why}"
        )


def _baseline_caveats(case: Case) -> Iterable[Caveat]:
    start, end = case.baseline
    months = (end - start).n + 1
    if months < MIN_SEASONAL_MONTHS:
        yield Caveat(
            "baseline",
            f"the baseline has {months} months ({start} to {end}), fewer than the "
            f"{MIN_SEASONAL_MONTHS} a trend + season model needs to tell the season from the "
            "trend: estimates that rely on it are less sure than they look",
        )


def _quality_caveats(study: Study) -> Iterable[Caveat]:
    for f in study.quality.findings:
        if f.severity in ("error", "warning"):
            where = f" ({f.table}{'.' + f.column if f.column else ''})" if f.table else ""
            yield Caveat("data quality", f"{f.severity}{where}: {f.message}")


def _benefit_caveats(study: Study) -> Iterable[Caveat]:
    if study.inputs.productivity_reason:
        yield Caveat(
            "benefits",
            f"productivity (time saved) is not counted: {study.inputs.productivity_reason}",
        )
    if study.inputs.projected:
        yield Caveat(
            "benefits",
            "projection: nothing is measured yet; every benefit rests on the expected "
            "changes in case.yml",
        )


def _uncertainty_caveats(study: Study) -> Iterable[Caveat]:
    if not study.monte_carlo.has_spread:
        yield Caveat(
            "uncertainty",
            "nothing in the model is uncertain (no counted measured change, no assumption "
            "with a range that moves the result): the Monte Carlo gives no interval",
        )
    if not tornado_moves(study.tornado):
        yield Caveat(
            "uncertainty",
            "no assumption's range moves the NPV: the sensitivity analysis has nothing to show",
        )


def caveats(study: Study) -> list[Caveat]:
    """Every caveat the analysis of ``study`` found, by topic (:data:`TOPICS` order).

    Gathers: the method rule's fallbacks and refusals per KPI (an invalid method, a method
    skipped by ``auto``, naive chosen for money, plain DiD resting on stated parallel
    trends); the warnings in the notes of the rows that become money (trend-only fits, too
    few months or degrees of freedom, dropped months, pre-trends); placebos not run (and
    why) or flagging; a baseline too short for a seasonal model; every data-quality error
    and warning (:mod:`roi_kit.case.quality`); benefits not counted for want of an input;
    and a Monte Carlo or tornado with nothing to show. Only the goal KPIs and the KPIs that
    become money are looked at.

    Parameters
    ----------
    study : Study

    Returns
    -------
    list of Caveat
        Plain text, duplicates removed; empty when the analysis found nothing to say.
    """
    kpis = relevant_kpis(study.case, study.inputs.selection)
    found = [
        *_method_caveats(study, kpis),
        *_assumption_caveats(study, kpis),
        *_measurement_caveats(study, kpis),
        *_placebo_caveats(study, kpis),
        *_baseline_caveats(study.case),
        *_quality_caveats(study),
        *_benefit_caveats(study),
        *_uncertainty_caveats(study),
    ]
    unique = list(dict.fromkeys(found))
    return sorted(unique, key=lambda c: TOPICS.index(c.topic))


def caveats_html(study: Study) -> str:
    """Every caveat of :func:`caveats` as an escaped list under its topic."""
    found = caveats(study)
    if not found:
        return "<p>The analysis found no caveat to report.</p>"
    items = "".join(f"<li><b>{html.escape(c.topic)}</b>: {html.escape(c.text)}</li>" for c in found)
    return f'<ul class="roi-caveats">{items}</ul>'
