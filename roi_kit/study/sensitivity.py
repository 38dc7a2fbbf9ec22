"""Tornado sensitivity: how far each assumption alone moves the model's output.

See :mod:`roi_kit.study.vectorised` for the model the tornado evaluates (one vectorised call
for the whole tornado).
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

from roi_kit.study.distributions import Distribution, check_specs
from roi_kit.study.vectorised import VectorisedModel, model_output

__all__ = ["tornado"]


def tornado(
    model: VectorisedModel, specs: Mapping[str, Distribution], *, output: str = "npv"
) -> pd.DataFrame:
    """One-at-a-time sensitivity: how far each assumption alone moves the output.

    The base case sets every assumption to its ``likely`` value. Then each uncertain
    assumption in turn is set to its ``low`` and to its ``high`` value, all others staying at
    ``likely``. Fixed assumptions have no range and get no bar. The whole tornado is one
    vectorised call to the model.

    Parameters
    ----------
    model : callable
        The vectorised model (see :mod:`roi_kit.study.vectorised`).
    specs : mapping of str to Distribution
        The assumptions, keyed by name.
    output : str, default "npv"
        Which model output to study (``"npv"`` in currency, ``"roi"`` as a fraction, ...).

    Returns
    -------
    pandas.DataFrame
        Columns ``assumption``, ``low_value``, ``high_value``, ``output_at_low``,
        ``output_at_high``, ``swing`` (``|output_at_high - output_at_low|``, in the output's
        unit) and ``base`` (the output with everything at ``likely``); one row per uncertain
        assumption, sorted by swing, largest first (ties keep the specs' order).

    References
    ----------
    .. [1] Vose, D. (2008). *Risk Analysis: A Quantitative Guide*, 3rd ed., Wiley, sec. 5.3.

    Examples
    --------
    >>> from roi_kit.study import Distribution, tornado
    >>> specs = {
    ...     "a": Distribution("a", "pert", 1.0, 2.0, 3.0),
    ...     "b": Distribution("b", "uniform", 0.0, 1.0, 5.0),
    ...     "c": Distribution("c", "fixed", 7.0, 7.0, 7.0),
    ... }
    >>> t = tornado(lambda p: {"npv": 10 * p["a"] + p["b"] + p["c"]}, specs)
    >>> list(t["assumption"]), [float(s) for s in t["swing"]], float(t["base"][0])
    (['a', 'b'], [20.0, 5.0], 28.0)
    """
    check_specs(specs)
    varied = [name for name, d in specs.items() if d.kind != "fixed" and d.low != d.high]
    k = len(varied)
    rows = 1 + 2 * k
    params: dict[str, np.ndarray] = {}
    for name, dist in specs.items():
        column = np.full(rows, dist.likely, dtype=float)
        if name in varied:
            i = varied.index(name)
            column[1 + 2 * i] = dist.low
            column[2 + 2 * i] = dist.high
        params[name] = column
    values = model_output(model(params), output, rows, allow_nan=False)
    base = float(values[0])
    at_low = values[1::2]
    at_high = values[2::2]
    frame = pd.DataFrame(
        {
            "assumption": pd.Series(varied, dtype="string"),
            "low_value": [specs[n].low for n in varied],
            "high_value": [specs[n].high for n in varied],
            "output_at_low": at_low.astype(float),
            "output_at_high": at_high.astype(float),
            "swing": np.abs(at_high - at_low).astype(float),
            "base": np.full(k, base, dtype=float),
        }
    )
    frame = frame.sort_values("swing", ascending=False, kind="stable").reset_index(drop=True)
    return frame
