"""What resists a number: a qualitative scorecard shown beside the money, never added to it.

The source articles close their ROI method with "consider the intangible value" (customer
experience, data insight, a stronger sales team) and "consider qualitative factors" (customer
satisfaction, team efficiency, long-term value). This module records that judgement honestly:
each item gets a 1-5 score, a weight and the evidence behind it, and the scorecard summarises
them on their own scale.

The score is deliberately *not* money. Turning "better data insight" into currency would need
an assumption nobody can check, and adding it to the NPV would hide that assumption inside a
number that looks measured. So the scorecard has no currency value, and its score refuses
arithmetic (``npv + scorecard.weighted_score`` raises ``TypeError``).

References
----------
.. [1] Source articles (``source-articles.zh.txt``): "第六步:考虑无形价值" (step six: consider
   intangible value) and "考虑定性和定量因素" (consider qualitative and quantitative factors).
.. [2] Forrester Research, "Total Economic Impact (TEI) methodology": benefits that cannot be
   quantified are described as unquantified benefits, outside the ROI.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any, NoReturn

import pandas as pd

from roi_kit.case import SCORE_MAX, SCORE_MIN, IntangibleItem
from roi_kit.errors import CaseError

__all__ = [
    "DEFAULT_ITEMS",
    "SCORE_MIN",
    "SCORE_MAX",
    "STRONG_AT",
    "MODERATE_AT",
    "IntangibleItem",
    "Score",
    "Scorecard",
    "scorecard",
    "items_from_config",
    "items_to_config",
]

#: The intangibles the source articles name, with one-line descriptions (name -> description).
DEFAULT_ITEMS: Mapping[str, str] = MappingProxyType(
    {
        "customer experience": (
            "Customers get faster, more consistent and more personal service; track feedback "
            "and satisfaction ratings."
        ),
        "data insight": (
            "Sales and customer data in one place, complete and accurate enough to base "
            "decisions on data rather than hunches."
        ),
        "stronger sales team": (
            "Reps share one view of each customer and pipeline, onboard faster and lose less "
            "when a colleague leaves."
        ),
        "team efficiency and collaboration": (
            "Sales automation and shared tools cut hand-offs and duplicate work between "
            "sales, service and marketing."
        ),
        "long-term relationship value": (
            "Customer relationships are nurtured and retained over years, beyond what this "
            "study's horizon counts."
        ),
    }
)


#: Weighted score (1-5 scale) from which the label is "strong": 4 = "clearly better" on average
#: (75 on the 0-100 index).
STRONG_AT = 4.0
#: Weighted score (1-5 scale) from which the label is "moderate": 3 = the midpoint, "somewhat
#: better" (50 on the 0-100 index). Below it the label is "weak".
MODERATE_AT = 3.0

_CONFIG_KEYS = ("name", "score", "weight", "evidence")


def _where(name: str) -> str:
    return f"intangible {name!r}"


class Score(float):
    """A score on its own scale (1-5 or 0-100): readable and comparable, but not addable.

    It behaves like a float for printing, formatting and comparisons, but ``+``, ``-``, ``*``
    and ``/`` with anything raise ``TypeError``, so a qualitative score cannot be added to an
    NPV or ROI by accident. Use ``float(score)`` to opt out deliberately.
    """

    # Tell numpy not to handle arithmetic with a Score either: `np.float64(x) + score` then
    # falls back to Score.__radd__ and is refused too.
    __array_ufunc__ = None

    def _refuse(self, *_: object) -> NoReturn:
        raise TypeError(
            "an intangible score is not money and cannot be combined arithmetically; show "
            "it beside the ROI. Use float(score) if you really mean to compute with it"
        )

    __add__ = __radd__ = __sub__ = __rsub__ = _refuse
    __mul__ = __rmul__ = __truediv__ = __rtruediv__ = _refuse
    __floordiv__ = __rfloordiv__ = __mod__ = __rmod__ = __pow__ = __rpow__ = _refuse

    def __repr__(self) -> str:
        return f"Score({float(self)!r})"


@dataclass(frozen=True, eq=False)
class Scorecard:
    """The qualitative scorecard: per-item scores and their weighted summary.

    There is deliberately no currency value here. An intangible is reported *beside* the
    ROI, never inside it: converting it to money would need an unverifiable price, and adding
    it to NPV would pass that guess off as measured. ``weighted_score`` and ``score_0_100`` are
    :class:`Score` values, which refuse arithmetic so they cannot be added to money by accident.

    Attributes
    ----------
    table : pandas.DataFrame
        Columns ``name``, ``score`` (1-5), ``weight``, ``weighted`` (score x weight),
        ``evidence``.
    weighted_score : Score
        ``sum(score * weight) / sum(weight)``, on the 1-5 scale.
    score_0_100 : Score
        The same on a 0-100 index: ``(weighted_score - 1) / 4 * 100``.
    label : {"strong", "moderate", "weak"}
        "strong" when ``weighted_score >= 4`` (index >= 75), "moderate" when >= 3
        (index >= 50), else "weak".
    """

    table: pd.DataFrame
    weighted_score: Score
    score_0_100: Score
    label: str


def _check_unique(items: Sequence[IntangibleItem]) -> None:
    seen: dict[str, int] = {}
    for position, item in enumerate(items, start=1):
        key = item.name.strip().casefold()
        if key in seen:
            raise CaseError(
                f"{_where(item.name)} is listed twice (items {seen[key]} and {position}). "
                "Fix: merge them into one item, or rename one"
            )
        seen[key] = position


def _label(weighted_score: float) -> str:
    if weighted_score >= STRONG_AT:
        return "strong"
    if weighted_score >= MODERATE_AT:
        return "moderate"
    return "weak"


def scorecard(items: Iterable[IntangibleItem]) -> Scorecard:
    """Summarise scored intangibles.

    Parameters
    ----------
    items : iterable of IntangibleItem
        At least one item; names must be unique (ignoring case and surrounding spaces).

    Returns
    -------
    Scorecard

    Raises
    ------
    CaseError
        No items, an item that is not an :class:`IntangibleItem`, or a duplicate name.

    Examples
    --------
    >>> card = scorecard([IntangibleItem("customer experience", 4, 2.0),
    ...                   IntangibleItem("data insight", 2, 1.0)])
    >>> round(float(card.weighted_score), 4), round(float(card.score_0_100), 2), card.label
    (3.3333, 58.33, 'moderate')
    """
    items = list(items)
    if not items:
        raise CaseError(
            "the intangibles scorecard has no items. Fix: score at least one, e.g. "
            "'customer experience'"
        )
    for position, item in enumerate(items, start=1):
        if not isinstance(item, IntangibleItem):
            raise CaseError(
                f"intangible item {position} is a {type(item).__name__}, not an "
                "IntangibleItem. Fix: build items with IntangibleItem or items_from_config"
            )
    _check_unique(items)
    total_weight = math.fsum(item.weight for item in items)
    weighted = [item.score * item.weight for item in items]
    ws = math.fsum(weighted) / total_weight
    table = pd.DataFrame(
        {
            "name": pd.Series([item.name for item in items], dtype="string"),
            "score": pd.Series([int(item.score) for item in items], dtype="int64"),
            "weight": pd.Series([float(item.weight) for item in items], dtype="float64"),
            "weighted": pd.Series(weighted, dtype="float64"),
            "evidence": pd.Series([item.evidence for item in items], dtype="string"),
        }
    )
    return Scorecard(
        table=table,
        weighted_score=Score(ws),
        score_0_100=Score((ws - SCORE_MIN) / (SCORE_MAX - SCORE_MIN) * 100.0),
        label=_label(ws),
    )


def items_from_config(config: Sequence[Mapping[str, Any]]) -> tuple[IntangibleItem, ...]:
    """Read the ``intangibles`` list of a ``case.yml``.

    Parameters
    ----------
    config : list of dict
        Each entry has ``name`` and ``score``, optionally ``weight`` (default 1) and
        ``evidence`` (default ""). A whole-number float score such as ``4.0`` is accepted.

    Returns
    -------
    tuple of IntangibleItem

    Raises
    ------
    CaseError
        Naming the entry, for a non-mapping entry, a missing or unknown key, a bad value, or a
        duplicate name.
    """
    if isinstance(config, str | bytes) or not isinstance(config, Sequence):
        raise CaseError(
            f"intangibles must be a list of items (found {type(config).__name__}). "
            "Fix: write one '- name: ..., score: ...' entry per item"
        )
    items = []
    for position, entry in enumerate(config, start=1):
        where = f"intangible item {position}"
        if not isinstance(entry, Mapping):
            raise CaseError(f"{where}: expected a mapping with name and score (found {entry!r})")
        if "name" in entry:
            where = f"{where} ({entry['name']!r})"
        unknown = sorted(str(k) for k in entry if k not in _CONFIG_KEYS)
        if unknown:
            raise CaseError(
                f"{where}: unknown key(s) {', '.join(unknown)}. "
                f"Fix: use only {', '.join(_CONFIG_KEYS)}"
            )
        missing = [k for k in ("name", "score") if k not in entry]
        if missing:
            raise CaseError(f"{where}: missing {', '.join(missing)}. Fix: add it")
        score = entry["score"]
        # YAML readers and spreadsheets turn 4 into 4.0; that is still a whole number.
        if isinstance(score, float) and score.is_integer():
            score = int(score)
        items.append(
            IntangibleItem(
                name=entry["name"],
                score=score,
                weight=entry.get("weight", 1.0),
                evidence=entry.get("evidence", "") or "",
            )
        )
    _check_unique(items)
    return tuple(items)


def items_to_config(items: Iterable[IntangibleItem]) -> list[dict[str, Any]]:
    """The items as plain dicts (str, int, float) ready for ``yaml.safe_dump`` into a new case
    file; :func:`items_from_config` reads them back to equal items."""
    return [
        {
            "name": str(item.name),
            "score": int(item.score),
            "weight": float(item.weight),
            "evidence": str(item.evidence),
        }
        for item in items
    ]
