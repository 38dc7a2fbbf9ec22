"""The case's vocabulary and value types, shared by the parser and the money layer.

Kept in ``case`` (below ``money``) so that the case parser can validate a cost category or an
intangible score without importing the layer that computes with them.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from numbers import Integral, Real

from roi_kit.errors import CaseError

__all__ = ["CATEGORIES", "TYPES", "FREQUENCIES", "SCORE_MIN", "SCORE_MAX", "IntangibleItem"]

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
