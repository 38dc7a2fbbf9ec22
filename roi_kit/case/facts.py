"""Known facts stored beside a case: the true effects of a generated (sample) case.

Only a generated case knows the effect the CRM really had: :mod:`roi_kit.case.sample` writes
it to ``true_effects.yml`` so notebook 04 can check that the kit's methods recover it. A
real case has no such file. Baseline facts (months, seasons, control group) need the
measurement layer and live in :mod:`roi_kit.measure.progress`.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import yaml

from roi_kit.errors import CaseError

if TYPE_CHECKING:
    from roi_kit.case import Case

__all__ = ["TRUE_EFFECTS_FILE", "load_true_effects"]

#: File name of the true effects in a generated case folder.
TRUE_EFFECTS_FILE = "true_effects.yml"


def load_true_effects(case: Case) -> dict[str, float] | None:
    """The known true average effects of a generated case (``true_effects.yml``), or None.

    Only a generated case (the sample) knows its true effects; a real case has none, and
    this returns None.

    Parameters
    ----------
    case : roi_kit.case.Case
        A loaded case; its folder (``case.path``) is searched.

    Returns
    -------
    dict of str to float or None
        KPI -> true average effect over the after period, in KPI units.

    Raises
    ------
    CaseError
        The file is there but is not YAML (the message names the file and the fix).
    """
    path = Path(case.path) / TRUE_EFFECTS_FILE
    if not path.is_file():
        return None
    # roi_kit.io reads tables (CSV/XLSX), not YAML; this small file is read directly.
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except yaml.YAMLError as exc:
        raise CaseError(
            f"{path}: not valid YAML ({exc}); regenerate it with roi_kit.case.sample or delete it"
        ) from exc
    effects = data.get("effects") or {}
    return {k: float(v["average_effect"]) for k, v in effects.items() if "average_effect" in v}
