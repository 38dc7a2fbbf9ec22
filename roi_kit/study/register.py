"""The assumptions register: every input with its range, source, owner, date, quality and impact.

A finance reviewer signs a business case after checking its assumptions one by one: where each
number comes from, who answers for it, how old it is and how much the answer depends on it.
:func:`register_frame` gives one row per assumption of the case (``case.assumptions``, a
projection's ``expected_changes``, and each measured change the tornado varies), rated by
:func:`quality_rating` and sorted by its impact: the tornado swing of the headline NPV
(:func:`roi_kit.study.sensitivity.tornado`). A high-impact assumption of low quality is
called out in words (:func:`call_out`), because that is where the decision is most exposed.

The quality rule (:data:`QUALITY_RULE`) counts weaknesses of the evidence, each for a reason:

- **source** ``assumed`` (or a kit default): nobody measured it and no publication backs it.
  ``measured`` and ``benchmark`` (which must carry a citation, see ``data/README.md``) pass.
- **no owner**: nobody answers for the number when it is questioned.
- **no as-of date, or older than** :data:`STALE_MONTHS` **months** before the data end:
  margins, rates and adoption change; a figure not re-checked within a budget year may no
  longer hold. The age is counted to the case's last data month, not to today, so a
  register rebuilt later rates the same case the same way.
- **range**: a single value for an input that is not measured states no uncertainty at all
  (its impact cannot be seen); a range wider than the likely value itself
  (``(high - low) / |likely| > 1``) says the value is barely known.

No weakness: ``high``; one: ``medium``; two or more: ``low``. An assumption has **high
impact** when its swing is at least :data:`HIGH_IMPACT_SHARE` of the base NPV's size, or when
the NPV changes sign within its range.

References
----------
.. [1] Forrester Research, "Total Economic Impact (TEI) methodology": every assumption with
   its source, a risk adjustment and a sensitivity analysis.
.. [2] Vose, D. (2008). *Risk Analysis: A Quantitative Guide*, 3rd ed., Wiley, sec. 5.3
   (tornado charts).
.. [3] Funtowicz, S. O. & Ravetz, J. R. (1990). *Uncertainty and Quality in Science for
   Policy*, Kluwer (rating an input's pedigree beside its spread, NUSAP).
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass, fields, replace

import pandas as pd

from roi_kit import formatting as fmt
from roi_kit.case import Case
from roi_kit.case.kpis import get_kpi
from roi_kit.case.types import Assumption
from roi_kit.errors import CaseError
from roi_kit.study.inputs import MEASURED_KPIS
from roi_kit.study.params import PARAM_LABELS
from roi_kit.study.run import run_study

__all__ = [
    "STALE_MONTHS",
    "HIGH_IMPACT_SHARE",
    "QUALITY_RULE",
    "REGISTER_COLUMNS",
    "RegisterRow",
    "data_through",
    "quality_rating",
    "call_out",
    "register_rows",
    "register_frame",
    "study_tornado",
]

#: An as-of date older than this many months before the data end is stale (a budget year).
STALE_MONTHS = 12
#: A swing at least this share of |base NPV| is a high impact (the NPV moves by a tenth).
HIGH_IMPACT_SHARE = 0.10

#: The quality rule in one sentence, for the report beside the register.
QUALITY_RULE = (
    "Quality counts weaknesses of the evidence: source assumed (not measured, no cited "
    f"benchmark); no owner; no as-of date, or one over {STALE_MONTHS} months before the data "
    "end; a single value for an input that is not measured, or a range wider than the likely "
    "value. None: high; one: medium; two or more: low. High impact: the NPV swings by at "
    f"least {HIGH_IMPACT_SHARE:.0%} of its base value, or changes sign, across the range."
)

# What a weakness asks the owner of the case to do (the call-out's advice).
_ACTIONS = {
    "assumed": "measure it or cite a benchmark",
    "kit default": "replace the kit default with the case's own number",
    "no owner": "name an owner",
    "no as-of date": "date it",
    "stale": "re-check it",
    "single value": "give low and high values",
    "wide range": "narrow the range with evidence",
}

# Units of the measured changes the tornado varies (param name -> unit; "currency" is
# replaced by the case's currency).
_CHANGE_UNITS = {
    "revenue_change": "currency/month",
    "cycle_days_change": "days",
    "churn_change": "customers/month",
    "opex_change": "currency/month",
}

# Names PARAM_LABELS lacks (inputs the model does not vary).
_LABELS = {"ramp_up_months": "Ramp-up months", "active_users": "Active users"}

_TORNADO_COLUMNS = "assumption low_value high_value output_at_low output_at_high swing base".split()

_NOT_VARIED_FIXED = (
    "not varied: a single value, so the tornado cannot show its impact (give low and high)"
)
_NOT_VARIED_MODEL = (
    "not varied: the tornado leaves it at its likely value (it does not move the counted "
    "NPV, or the model uses its likely value only)"
)


@dataclass(frozen=True)
class RegisterRow:
    """One row of the assumptions register.

    Attributes
    ----------
    assumption : str
        The key in ``case.yml`` (``gross_margin``), a KPI for an expected change, or the
        model parameter of a measured change (``revenue_change``).
    label : str
        A readable name.
    kind : {"assumption", "expected change", "measured change"}
    low, likely, high : float
        The range, in ``unit``.
    unit, distribution, source, citation, owner, note : str
        As in ``case.yml`` (``source``: measured / assumed / benchmark).
    as_of : str
        ``YYYY-MM`` or ``YYYY-MM-DD``; empty when not stated.
    age_months : float
        Whole months from ``as_of`` to the data end (0 when after it); NaN without a date.
    quality : {"high", "medium", "low"}
    quality_reasons : str
        The weaknesses, ``"; "``-separated (empty for ``high``).
    impact : float, currency
        Tornado swing ``|NPV at high - NPV at low|``; 0 when not varied.
    npv_at_low, npv_at_high : float, currency
        The NPV with this input at its low / high value, others likely; NaN when not varied.
    impact_note : str
        Why the impact is 0, when it is.
    high_impact : bool
    rank : int or None
        1 = largest swing, among the varied inputs; None when not varied.
    call_out : str
        A sentence for a high-impact, low-quality input; empty otherwise.
    """

    assumption: str
    label: str
    kind: str
    low: float
    likely: float
    high: float
    unit: str
    distribution: str
    source: str
    citation: str
    owner: str
    as_of: str
    age_months: float
    note: str
    quality: str
    quality_reasons: str
    impact: float
    npv_at_low: float
    npv_at_high: float
    impact_note: str
    high_impact: bool
    rank: int | None
    call_out: str


#: Columns of :func:`register_frame`, in order (the fields of :class:`RegisterRow`).
REGISTER_COLUMNS = tuple(f.name for f in fields(RegisterRow))


def data_through(case: Case) -> pd.Period:
    """The case's last data month (the last month of ``kpis``), the reference for ages."""
    return pd.Period(case.kpis["month"].max(), freq="M")


def _weaknesses(a: Assumption, reference: pd.Period) -> list[str]:
    """The weaknesses of the quality rule, each starting with its key in ``_ACTIONS``."""
    out: list[str] = []
    if a.source == "assumed":
        if a.note.startswith("kit default"):
            out.append("kit default, not the case's own number")
        else:
            out.append("assumed: neither measured nor a cited benchmark")
    if not a.owner:
        out.append("no owner")
    if a.as_of is None:
        out.append("no as-of date")
    else:
        age = _age_months(a.as_of, reference)
        if age > STALE_MONTHS:
            out.append(f"stale: as of {a.as_of}, {age} months before the data end")
    if a.low == a.high:
        if a.source != "measured":
            out.append("single value: its uncertainty is not stated")
    elif a.likely == 0 or (a.high - a.low) / abs(a.likely) > 1:
        out.append("wide range: high minus low exceeds the likely value")
    return out


def _age_months(as_of: pd.Period, reference: pd.Period) -> int:
    months = (reference.year - as_of.year) * 12 + (reference.month - as_of.month)
    return max(months, 0)


def quality_rating(a: Assumption, reference: pd.Period) -> tuple[str, tuple[str, ...]]:
    """Rate one assumption's evidence by :data:`QUALITY_RULE`.

    Parameters
    ----------
    a : Assumption
    reference : pandas.Period
        The data end month (:func:`data_through`); ages are counted to it.

    Returns
    -------
    (str, tuple of str)
        ``"high"``, ``"medium"`` or ``"low"``, and the weaknesses found, in words.

    Examples
    --------
    >>> a = Assumption("gross_margin", 0.32, 0.28, 0.36, "pert", "fraction", "measured",
    ...                owner="CFO", as_of=pd.Period("2024-06", "M"))
    >>> quality_rating(a, pd.Period("2025-06", "M"))
    ('high', ())
    >>> quality_rating(Assumption("x", 1.0, 1.0, 1.0, "fixed", "", "assumed"),
    ...                pd.Period("2025-06", "M"))[0]
    'low'
    """
    found = _weaknesses(a, reference)
    grade = ("high", "medium")[len(found)] if len(found) < 2 else "low"
    return grade, tuple(found)


def _is_high_impact(swing: float, at_low: float, at_high: float, base: float) -> bool:
    if swing <= 0:
        return False
    crosses = min(at_low, at_high) < 0 < max(at_low, at_high)
    return crosses or swing >= HIGH_IMPACT_SHARE * abs(base)


def call_out(row: RegisterRow, currency: str, n_varied: int) -> str:
    """The sentence for a high-impact, low-quality row (empty for any other row).

    Parameters
    ----------
    row : RegisterRow
        With ``impact``, ``rank`` and ``quality`` filled in.
    currency : str
    n_varied : int
        How many inputs the tornado varies (the "of N" in the rank).

    Returns
    -------
    str
        Plain text (escape it before putting it into HTML).
    """
    if not (row.high_impact and row.quality == "low"):
        return ""
    crosses = min(row.npv_at_low, row.npv_at_high) < 0 < max(row.npv_at_low, row.npv_at_high)
    sign = ", and the NPV changes sign within it" if crosses else ""
    low, high = (fmt.quantity(v, row.unit) for v in (row.low, row.high))
    return (
        f"{row.label} moves the NPV by {fmt.money(row.impact, currency)} across its range "
        f"({low} to {high}; rank {row.rank} of {n_varied}{sign}), yet its evidence is weak: "
        f"{row.quality_reasons}. Before relying on the NPV: {_advice(row.quality_reasons)}."
    )


def _advice(reasons: str) -> str:
    found = reasons.split("; ")
    return ", ".join(v for k, v in _ACTIONS.items() if any(r.startswith(k) for r in found))


def _entries(case: Case, tornado: pd.DataFrame) -> list[tuple[str, str, str, Assumption]]:
    """(param name in the tornado, label, kind, assumption) for every register row."""
    out = [
        (name, PARAM_LABELS.get(name, _LABELS.get(name, name)), "assumption", a)
        for name, a in case.assumptions.items()
    ]
    for kpi, a in case.expected_changes.items():
        label = f"Expected change in {_kpi_label(case, kpi)}"
        out.append((MEASURED_KPIS.get(kpi, kpi), label, "expected change", a))
    known = {param for param, *_ in out}
    reference = data_through(case)
    for _, t in tornado.iterrows():
        param = str(t["assumption"])
        if param in known:
            continue
        # A measured change enters the tornado as a normal centred on its estimate, varied
        # over its 5%-95% quantiles: the midpoint of low and high is the estimate itself.
        low, high = float(t["low_value"]), float(t["high_value"])
        unit = _CHANGE_UNITS.get(param, "").replace("currency", case.currency)
        a = Assumption(
            param,
            (low + high) / 2.0,
            low,
            high,
            "normal",
            unit,
            "measured",
            "measured change after go-live; range: the 5%-95% quantiles the tornado uses",
            as_of=reference,
            citation="the study's comparison of the after period (notebook 04)",
            # The measurement is the study's own: whoever prepared it (review.prepared_by in
            # case.yml, when the case has that section) answers for it.
            owner=getattr(getattr(case, "review", None), "prepared_by", "") or "",
        )
        out.append((param, PARAM_LABELS.get(param, param), "measured change", a))
    return out


def _kpi_label(case: Case, kpi: str) -> str:
    try:
        return get_kpi(kpi, case.custom_kpis).label.lower()
    except CaseError:
        return kpi


def register_rows(case: Case, tornado: pd.DataFrame) -> list[RegisterRow]:
    """The register's rows, sorted by impact (largest first; ties keep the tornado's order).

    Parameters
    ----------
    case : Case
    tornado : pandas.DataFrame
        :func:`roi_kit.study.sensitivity.tornado` of the case's NPV (``Study.tornado``).

    Returns
    -------
    list of RegisterRow
    """
    reference = data_through(case)
    by_param = {str(t["assumption"]): t for _, t in tornado.iterrows()}
    order = {name: k for k, name in enumerate(by_param)}
    base = float(tornado["base"].iloc[0]) if len(tornado) else math.nan
    rows = []
    for param, label, kind, a in _entries(case, tornado):
        grade, reasons = quality_rating(a, reference)
        t = by_param.get(param)
        if t is None:
            swing, at_low, at_high = 0.0, math.nan, math.nan
            why = _NOT_VARIED_FIXED if a.low == a.high else _NOT_VARIED_MODEL
        else:
            swing, at_low, at_high = (
                float(t[k]) for k in ("swing", "output_at_low", "output_at_high")
            )
            why = ""
        rows.append(
            RegisterRow(
                assumption=a.name,
                label=label,
                kind=kind,
                low=float(a.low),
                likely=float(a.likely),
                high=float(a.high),
                unit=a.unit.replace("currency", case.currency),
                distribution=a.distribution,
                source=a.source,
                citation=a.citation,
                owner=a.owner,
                as_of="" if a.as_of is None else str(a.as_of),
                age_months=math.nan if a.as_of is None else _age_months(a.as_of, reference),
                note=a.note,
                quality=grade,
                quality_reasons="; ".join(reasons),
                impact=swing,
                npv_at_low=at_low,
                npv_at_high=at_high,
                impact_note=why,
                high_impact=t is not None and _is_high_impact(swing, at_low, at_high, base),
                rank=None,
                call_out="",
            )
        )
    # The tornado's order first (it breaks ties in swing stably), then by impact, so rows
    # the tornado does not vary (impact 0) come last, in the case's order.
    rows.sort(key=lambda r: order.get(_param_of(r), len(order)))
    rows.sort(key=lambda r: -r.impact)
    return _ranked(rows, case.currency)


def _param_of(row: RegisterRow) -> str:
    if row.kind == "expected change":
        return MEASURED_KPIS.get(row.assumption, row.assumption)
    return row.assumption


def _ranked(rows: list[RegisterRow], currency: str) -> list[RegisterRow]:
    n_varied = sum(r.impact_note == "" for r in rows)
    out = []
    for k, row in enumerate(rows, start=1):
        if row.impact_note == "":
            row = replace(row, rank=k)
            row = replace(row, call_out=call_out(row, currency, n_varied))
        out.append(row)
    return out


def study_tornado(case: Case, *, method: str | None = None, seed: int = 0) -> pd.DataFrame:
    """The case's NPV tornado: ``run_study(case, ...).tornado`` with few Monte Carlo draws.

    For a register built without a study at hand; the tornado does not depend on the
    number of draws, so 1,000 keep it quick.

    Parameters
    ----------
    case : Case
    method : str, optional
        Comparison method whose estimates become benefits (as :func:`run_study` takes it).
    seed : int
        Seed of the comparison's bootstrap.

    Returns
    -------
    pandas.DataFrame
        As :func:`roi_kit.study.sensitivity.tornado` (empty when nothing is uncertain).
    """
    return run_study(case, n=1_000, seed=seed, method=method).tornado


def register_frame(
    case: Case, tornado_frame: pd.DataFrame | None = None, *, method: str | None = None
) -> pd.DataFrame:
    """The assumptions register as a table, sorted by impact (largest first).

    Parameters
    ----------
    case : Case
    tornado_frame : pandas.DataFrame, optional
        The study's NPV tornado (``Study.tornado``); computed by :func:`study_tornado`
        when not given. Impact is its swing: the risk-adjusted (TEI) NPV, in the case's
        currency, between the input's low and high value, all others at their likely value.
    method : str
        Comparison method, only used when ``tornado_frame`` is not given.

    Returns
    -------
    pandas.DataFrame
        Columns :data:`REGISTER_COLUMNS` (see :class:`RegisterRow`); ``rank`` is a nullable
        integer (missing for inputs the tornado does not vary, whose ``impact`` is 0 and
        ``impact_note`` says why).
    """
    tornado = study_tornado(case, method=method) if tornado_frame is None else tornado_frame
    if len(tornado) == 0:
        tornado = pd.DataFrame(columns=_TORNADO_COLUMNS)
    rows = register_rows(case, tornado)
    frame = pd.DataFrame([asdict(r) for r in rows], columns=list(REGISTER_COLUMNS))
    frame["rank"] = frame["rank"].astype("Int64")
    frame["high_impact"] = frame["high_impact"].astype(bool)
    return frame
