"""The case's vocabulary and value types: cost vocabulary, assumptions, goals, groups, Case.

Kept in ``case`` (below ``money``) so that the case parser can validate a cost category or an
intangible score without importing the layer that computes with them. Every result type is a
frozen dataclass; :func:`roi_kit.case.load_case` builds :class:`Case`.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from numbers import Integral, Real
from pathlib import Path
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

from roi_kit.case.quality_checks import MAX_MAGNITUDE
from roi_kit.errors import CaseError

if TYPE_CHECKING:
    import pandas as pd

    from roi_kit.case.kpis import Kpi

__all__ = [
    "CATEGORIES",
    "TYPES",
    "FREQUENCIES",
    "SCORE_MIN",
    "SCORE_MAX",
    "IntangibleItem",
    "AssumptionSpec",
    "ASSUMPTIONS",
    "COST_CATEGORIES",
    "Assumption",
    "Goal",
    "GroupSpec",
    "Intangible",
    "Case",
    "MEASUREMENT_METHODS",
    "Measurement",
    "REVIEW_STATUSES",
    "Review",
]

#: Cost categories, in display order.
CATEGORIES = (
    "software",
    "hardware",
    "implementation",
    "data_migration",
    "integration",
    "training",
    "support",
    "subscription",
    "internal_staff",
    "other",
)
#: Cost types.
TYPES = ("one_time", "recurring")
#: Payment frequencies.
FREQUENCIES = ("once", "monthly", "quarterly", "annual")

#: Intangible scores run from SCORE_MIN (no improvement) to SCORE_MAX (transformed).
SCORE_MIN = 1
SCORE_MAX = 5


def _where(name: str) -> str:
    return f"intangible {name!r}"


@dataclass(frozen=True)
class IntangibleItem:
    """One qualitative benefit, scored.

    Parameters
    ----------
    name : str
        What is scored, e.g. ``"customer experience"`` (see :data:`DEFAULT_ITEMS`).
    score : int
        1 (no improvement or worse) to 5 (transformed), a whole number.
    weight : float, default 1.0
        Relative importance, > 0 (unitless; only ratios between weights matter).
    evidence : str, default ""
        What the score rests on: a survey, a quote, a before/after observation.

    Raises
    ------
    CaseError
        Empty name, score not a whole number in 1-5, weight not a positive finite number,
        evidence not text.
    """

    name: str
    score: int
    weight: float = 1.0
    evidence: str = ""

    def __post_init__(self) -> None:
        if not isinstance(self.name, str) or not self.name.strip():
            raise CaseError(
                f"an intangible item has an empty name (found {self.name!r}). "
                "Fix: name what is scored, e.g. 'customer experience'"
            )
        where = _where(self.name)
        if (
            not isinstance(self.score, Integral)
            or isinstance(self.score, bool)
            or not SCORE_MIN <= self.score <= SCORE_MAX
        ):
            raise CaseError(
                f"{where}: score must be a whole number from {SCORE_MIN} to {SCORE_MAX} "
                f"(found {self.score!r}). Fix: 1 = no improvement, 3 = somewhat better, "
                "5 = transformed"
            )
        if (
            not isinstance(self.weight, Real)
            or isinstance(self.weight, bool)
            or not math.isfinite(self.weight)
            or self.weight <= 0
        ):
            raise CaseError(
                f"{where}: weight must be a positive number (found {self.weight!r}). "
                "Fix: use 1 for every item to weigh them equally, or drop the item"
            )
        if not isinstance(self.evidence, str):
            raise CaseError(
                f"{where}: evidence must be text (found {self.evidence!r}). "
                "Fix: describe what the score rests on, or leave it empty"
            )


# --------------------------------------------------------------------------------------
# Assumptions: the names a case may set
# --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class AssumptionSpec:
    """What one named assumption means and which values it may take.

    Parameters
    ----------
    name : str
        Key under ``assumptions:`` in ``case.yml``.
    unit : str
        Unit of the value, e.g. ``"fraction"`` or ``"currency/hour"``.
    minimum, maximum : float
        Valid range, inclusive (``maximum`` is exclusive when ``maximum_open``).
    default : float or None
        Value used when the case does not set it. ``None``: no fixed default (see
        ``description`` for how the kit fills it).
    description : str
        What it is and where the default comes from.
    maximum_open : bool
        Whether ``maximum`` itself is excluded (a rate of 100% is not a rate).
    """

    name: str
    unit: str
    minimum: float
    maximum: float
    default: float | None
    description: str
    maximum_open: bool = False

    def contains(self, value: float) -> bool:
        """Whether ``value`` is inside the valid range."""
        if value < self.minimum:
            return False
        return value < self.maximum if self.maximum_open else value <= self.maximum

    def range_text(self) -> str:
        """The valid range in words, e.g. ``"0 to 1"``."""
        high = "no upper limit" if math.isinf(self.maximum) else f"{self.maximum:g}"
        if self.maximum_open and not math.isinf(self.maximum):
            return f"at least {self.minimum:g} and below {high}"
        return f"{self.minimum:g} to {high}"


# Money amounts (a rate per hour, a margin per customer) have no natural upper limit; the
# kit bounds them at MAX_MAGNITUDE (1e12) so that its sums stay finite, and says so in the
# documented range ("0 to 1e+12"), which is what case.yml is checked against.

#: Every assumption a case may set, with unit, valid range and default.
ASSUMPTIONS: Mapping[str, AssumptionSpec] = MappingProxyType(
    {
        s.name: s
        for s in (
            AssumptionSpec(
                "gross_margin",
                "fraction",
                0.0,
                1.0,
                0.30,
                "Gross margin on extra revenue: revenue is not profit.",
            ),
            AssumptionSpec(
                "attribution_share",
                "fraction",
                0.0,
                1.0,
                0.5,
                "Share of a measured KPI change credited to the CRM rather than to other causes.",
            ),
            AssumptionSpec(
                "recapture_factor",
                "fraction",
                0.0,
                1.0,
                0.5,
                "Share of time saved that turns into productive work (Nucleus Research: "
                "time saved is not time worked).",
            ),
            AssumptionSpec(
                "loaded_hourly_rate",
                "currency/hour",
                0.0,
                MAX_MAGNITUDE,
                60.0,
                "Fully loaded cost of one staff hour (salary, taxes, overhead).",
            ),
            AssumptionSpec(
                "hours_saved_per_user_week",
                "hours/user/week",
                0.0,
                40.0,
                1.0,
                "Hours each active CRM user saves per week.",
            ),
            # No default: productivity needs users the case states (adoption.csv or this
            # number); a kit default here would count time nobody measured.
            AssumptionSpec(
                "active_users",
                "users",
                0.0,
                MAX_MAGNITUDE,
                None,
                "Active CRM users behind the productivity line when the case has no "
                "adoption table (ignored when it has one).",
            ),
            AssumptionSpec(
                "customer_annual_margin",
                "currency/customer/year",
                0.0,
                MAX_MAGNITUDE,
                None,
                "Margin one retained customer brings per year. When absent it is derived "
                "from the baseline: revenue per customer per year x gross_margin.",
            ),
            AssumptionSpec(
                "ramp_up_months",
                "months",
                0.0,
                60.0,
                3.0,
                "Months after go-live until benefits reach their full level.",
            ),
            AssumptionSpec(
                "cost_of_capital",
                "fraction/year",
                0.0,
                1.0,
                None,
                "Annual cost of capital (for MIRR); defaults to discount_rate.",
                maximum_open=True,
            ),
            # An overrun is a share of the planned cost but can exceed 100% (IT projects do),
            # so the upper limit is 5 (a cost six times the plan), not 1.
            AssumptionSpec(
                "cost_overrun",
                "fraction of cost",
                0.0,
                5.0,
                0.0,
                "Expected overrun on planned costs (0.2 = 20% more than the ledger).",
            ),
        )
    }
)

#: Cost categories allowed in the ``category`` column of ``costs.csv``.
# One vocabulary for the cost ledger: the one the cost schedule understands.
COST_CATEGORIES = CATEGORIES

# --------------------------------------------------------------------------------------
# Result types
# --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Goal:
    """A target the CRM should reach on one KPI.

    Parameters
    ----------
    kpi : str
        KPI column name.
    target : float
        Target change from the baseline: in the KPI's unit when ``target_kind`` is
        ``"absolute"`` (win rate +0.05 = five points), a fraction when ``"relative"``
        (-0.20 = 20% lower).
    target_kind : {"absolute", "relative"}
    direction : {"higher", "lower"}
        Which way is better (the KPI's direction unless the case overrides it).
    """

    kpi: str
    target: float
    target_kind: str
    direction: str


@dataclass(frozen=True)
class Assumption:
    """One uncertain input with its range and where it comes from.

    Parameters
    ----------
    name : str
        Assumption name (a key of :data:`ASSUMPTIONS`, or a KPI name for expected changes).
    likely : float
        Most likely value, in ``unit``. Point estimates use it.
    low, high : float
        Plausible range, ``low <= likely <= high``. For ``normal`` they are read as the
        5% and 95% quantiles; for ``fixed`` they equal ``likely``.
    distribution : {"triangular", "pert", "uniform", "normal", "fixed"}
        Shape for Monte Carlo draws.
    unit : str
        Unit of the values.
    source : {"measured", "assumed", "benchmark"}
        Where the number comes from; reports print it beside the value.
    note : str
        Free text: the reference, who said so, how it was derived.
    owner : str
        Who answers for the value (a person or a role); empty when not stated.
    as_of : pandas.Period or None
        When the value was last checked: a monthly period (``as_of: 2024-03``) or a daily
        one (``as_of: 2024-03-15``); None when not stated.
    citation : str
        Where a ``benchmark`` value was published (author, year, title or URL). Required
        for ``source: benchmark`` (the ``note`` stands in for it when only that is given).

    See :mod:`roi_kit.study.register` for how these rate the assumption's quality.
    """

    name: str
    likely: float
    low: float
    high: float
    distribution: str
    unit: str
    source: str
    note: str = ""
    owner: str = ""
    as_of: pd.Period | None = None
    citation: str = ""


#: Values of ``measurement.method`` in case.yml: which comparison's estimate becomes money.
#: ``auto`` picks per KPI by the rule of :func:`roi_kit.study.selection.choose_method`.
MEASUREMENT_METHODS = (
    "auto",
    "counterfactual",
    "state-space",
    "did",
    "did-trend",
    "panel-did",
    "naive",
)


#: Values of ``review.status`` in case.yml: a draft is still being checked; a final study
#: is signed off (it needs an approver and a date).
REVIEW_STATUSES = ("draft", "final")


@dataclass(frozen=True)
class Review:
    """The sign-off of a study (``review:`` in case.yml), shown on every report page.

    Parameters
    ----------
    prepared_by, reviewed_by, approved_by : str
        Who prepared, reviewed and approved the study ("" when not given).
    status : {"draft", "final"}
        Draft until signed off; every page and the PDF say DRAFT or FINAL.
    date : str
        The sign-off date, ISO ``YYYY-MM-DD`` ("" when not given).
    """

    prepared_by: str = ""
    reviewed_by: str = ""
    approved_by: str = ""
    status: str = "draft"
    date: str = ""


@dataclass(frozen=True)
class Measurement:
    """How the measured changes that become money are chosen (``measurement:`` in case.yml).

    Parameters
    ----------
    method : str
        One of :data:`MEASUREMENT_METHODS`; ``"auto"`` (the default) picks per KPI.
    set_in_case : bool
        Whether case.yml set ``measurement.method`` (False: the kit's default).
    parallel_trends : str
        ``measurement.parallel_trends``: the analyst's reason to assume that treated and
        control would have moved in parallel without the CRM, in words; empty when not
        stated. Plain difference-in-differences counts only where the baseline bounds an
        unseen drift or this is given (:func:`roi_kit.measure.did`).
    """

    method: str = "auto"
    set_in_case: bool = False
    parallel_trends: str = ""


@dataclass(frozen=True)
class GroupSpec:
    """Treated and control groups (and units inside them) in ``kpis.csv``.

    Parameters
    ----------
    column : str
        Column naming the group of each row (e.g. ``"region"``).
    treated : str
        The first group that adopted the CRM: the one the single-series methods (naive,
        counterfactual, DiD) measure.
    control : str
        The first control group: the comparison of the single-series DiD. The panel methods
        (:mod:`roi_kit.measure.panel`) pool every group of ``control_groups``.
    unit : str or None
        Column naming the units inside groups (sales reps, teams, stores); then ``kpis.csv``
        has one row per month x group x unit, :attr:`Case.kpis` holds the group totals
        and :attr:`Case.unit_kpis` the unit rows.
    treated_groups : tuple of str
        Every treated group, in the order written (``treated`` is the first).
    control_groups : tuple of str
        Every control group (``control`` is the first); by default every group of the
        column that is not treated.
    go_lives : Mapping[str, pandas.Period]
        Each treated group's own go-live month when ``case.yml`` gives them (staggered
        rollout); empty when every treated group went live at ``go_live``.
    """

    column: str
    treated: str
    control: str
    unit: str | None = None
    treated_groups: tuple[str, ...] = ()
    control_groups: tuple[str, ...] = ()
    go_lives: Mapping[str, Any] | None = None

    def __post_init__(self) -> None:
        # One treated and one control group, given positionally as before: fill the tuples.
        if not self.treated_groups:
            object.__setattr__(self, "treated_groups", (self.treated,))
        if not self.control_groups and self.control:
            object.__setattr__(self, "control_groups", (self.control,))
        object.__setattr__(self, "go_lives", MappingProxyType(dict(self.go_lives or {})))

    @property
    def staggered(self) -> bool:
        """Whether treated groups went live in different months."""
        return len(set(self.go_lives.values())) > 1


@dataclass(frozen=True)
class Intangible:
    """A benefit that resists a number, scored and never added to money.

    Parameters
    ----------
    name : str
        What it is ("Customer experience").
    score : float
        Score on a 1-5 scale (5 = strong benefit).
    weight : float
        Relative weight in the scorecard, >= 0.
    evidence : str
        What the score rests on.
    """

    name: str
    score: float
    weight: float = 1.0
    evidence: str = ""


@dataclass(frozen=True, eq=False)
class Case:
    """A loaded, validated case. Build it with :func:`load_case`, not by hand.

    Parameters
    ----------
    path : Path
        The case folder.
    name : str
        Shown on every report page.
    kind : {"review", "projection"}
        Review: after-period data measured. Projection: expected changes assumed.
    currency : str
        ISO 4217 code of every amount.
    go_live : pandas.Period
        First month the CRM was (or will be) live, monthly.
    baseline : tuple of pandas.Period
        (start, end) months of the baseline, inclusive, both before ``go_live``.
    after : tuple of pandas.Period or None
        (start, end) months measured after go-live (review only).
    horizon_years : int
        Years over which ROI is computed, from go-live.
    discount_rate : float
        Annual discount rate, fraction [0, 1).
    decimal : {".", ","}
        Decimal mark in the tables.
    date_order : {"auto", "YMD", "MDY", "DMY"}
        How ambiguous dates in the tables are read.
    groups : GroupSpec or None
        Treated/control groups (and units) in ``kpis``.
    goals : tuple of Goal
    custom_kpis : tuple of Kpi
    assumptions : Mapping[str, Assumption]
        Every name in :data:`ASSUMPTIONS`, defaults filled in (``customer_annual_margin``
        only when set or derivable from the data).
    expected_changes : Mapping[str, Assumption]
        Projection only: relative change per KPI (fraction, 0.05 = +5%).
    risk_benefits, risk_costs : float
        TEI risk adjustment fractions: benefits are reduced, costs raised by these.
    scenarios : Mapping[str, Mapping]
        Named overrides; each may hold ``description``, ``assumptions`` and
        ``expected_changes`` (mappings of :class:`Assumption`), ``risk``
        (``{"benefits", "costs"}``) and ``costs`` (category or ``"all"`` -> multiplier).
    intangibles : tuple of Intangible
    kpis : pandas.DataFrame
        Monthly KPIs: ``month`` (Period[M]), the group column if any, KPI columns.
    costs : pandas.DataFrame
        The cost ledger (see ``data/README.md``).
    adoption : pandas.DataFrame or None
        Monthly licensed/active/trained users.
    config : Mapping
        The ``case.yml`` content as read, frozen (mappings read-only, lists as tuples).
    files : Mapping[str, Path]
        The table files read, by role (``"kpis"``, ``"costs"``, ``"adoption"``).
    crm_export : Mapping or None
        The custom export mapping of ``case.yml`` (``crm_export:``), if any.
    measurement : Measurement
        Which comparison method's estimates become money (``measurement:``; default auto).
    review : Review
        The sign-off (``review:``); a draft with no names by default.
    unit_kpis : pandas.DataFrame or None
        With ``groups.unit``: the unit rows of ``kpis.csv`` (``month``, group, unit, KPIs),
        from which ``kpis`` holds the group totals (ratio KPIs weighted by their
        denominators). None without units.
    """

    path: Path
    name: str
    kind: str
    currency: str
    go_live: pd.Period
    baseline: tuple[pd.Period, pd.Period]
    after: tuple[pd.Period, pd.Period] | None
    horizon_years: int
    discount_rate: float
    decimal: str
    date_order: str
    groups: GroupSpec | None
    goals: tuple[Goal, ...]
    custom_kpis: tuple[Kpi, ...]
    assumptions: Mapping[str, Assumption]
    expected_changes: Mapping[str, Assumption]
    risk_benefits: float
    risk_costs: float
    scenarios: Mapping[str, Mapping]
    intangibles: tuple[Intangible, ...]
    kpis: pd.DataFrame
    costs: pd.DataFrame
    adoption: pd.DataFrame | None
    config: Mapping[str, Any]
    files: Mapping[str, Path]
    crm_export: Mapping[str, Any] | None = None
    measurement: Measurement = Measurement()
    review: Review = Review()
    unit_kpis: pd.DataFrame | None = None
