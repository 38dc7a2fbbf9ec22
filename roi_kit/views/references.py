"""Your ROI beside the published reference points, with the caveat every such view needs.

The comparison itself is :func:`roi_kit.money.references.compare_to_references`; this module
shows its table. The live inputs are in :mod:`roi_kit.widgets.worked_examples`.
"""

from __future__ import annotations

import pandas as pd

from roi_kit.views.tables import table_html

__all__ = ["CAVEAT", "references_html"]

#: Why the published figures cannot be compared one to one (shown above every comparison).
CAVEAT = (
    "<p><b>Not comparable one to one.</b> Published averages come from other firms, "
    "periods, cost scopes and (often vendor-sponsored) samples; the articles' figures are "
    "illustrations, not measurements. Conversions below fix only the arithmetic of the "
    "definitions.</p>"
)


def references_html(table: pd.DataFrame) -> str:
    """The caveat and the comparison table, as escaped HTML.

    Parameters
    ----------
    table : DataFrame
        From :func:`roi_kit.money.references.compare_to_references`.

    Returns
    -------
    str
    """
    return CAVEAT + table_html(table)
