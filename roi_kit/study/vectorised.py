"""The vectorised model that the tornado, Monte Carlo and break-even evaluate.

Every uncertainty function of the study works on a *model*: a callable that takes the
assumptions and returns the money outputs,

.. code-block:: python

    model(params: Mapping[str, float | np.ndarray]) -> Mapping[str, np.ndarray | float]

returning at least ``"npv"`` and ``"roi"`` and optionally ``"payback_months"`` (NaN when the
investment is never paid back within the horizon). The model is vectorised: when the params are
arrays of shape ``(n,)`` the outputs have shape ``(n,)``. That is what lets one Monte Carlo run
of 100,000 draws, or a whole tornado, be a single call to the model instead of a Python loop.
:func:`roi_kit.study.model.case_model` builds one from a case.

References
----------
.. [1] Vose, D. (2008). *Risk Analysis: A Quantitative Guide*, 3rd ed., Wiley. Ch. 5 (tornado
   charts and spider plots).
.. [2] Forrester Research, "Total Economic Impact (TEI) methodology": risk-adjusted benefits
   and costs, and sensitivity of ROI to the key assumptions.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

import numpy as np

from roi_kit.errors import CaseError, FinanceInputError

__all__ = ["VectorisedModel", "model_output"]

#: A vectorised model: params (floats or arrays of shape (n,)) -> outputs ("npv", "roi", ...).
VectorisedModel = Callable[[Mapping[str, Any]], Mapping[str, Any]]


def model_output(result: Mapping[str, Any], output: str, n: int, *, allow_nan: bool) -> np.ndarray:
    """Pull one output from a model's result as a float array of shape ``(n,)``, or refuse.

    Parameters
    ----------
    result : mapping
        What the model returned.
    output : str
        The output wanted (``"npv"``, ``"roi"``, ``"payback_months"`` ...).
    n : int
        The number of parameter sets the model was called with; a scalar or shape ``(1,)``
        output is broadcast to ``(n,)``.
    allow_nan : bool
        Whether non-finite values are allowed (payback is NaN when never paid back).

    Returns
    -------
    numpy.ndarray
        Shape ``(n,)``, float64, in the output's unit (read only when broadcast).

    Raises
    ------
    CaseError
        The model has no output ``output``.
    FinanceInputError
        The result is not a mapping, has the wrong shape, or holds non-finite values when
        ``allow_nan`` is False.

    Examples
    --------
    >>> model_output({"npv": 5.0}, "npv", 3, allow_nan=False)
    array([5., 5., 5.])
    """
    if not isinstance(result, Mapping):
        raise FinanceInputError(
            f"the model must return a mapping of outputs (found {type(result).__name__})"
        )
    if output not in result:
        raise CaseError(
            f"the model has no output {output!r}. Fix: choose one of {', '.join(map(str, result))}"
        )
    values = np.asarray(result[output], dtype=float)
    if values.shape not in ((), (1,), (n,)):
        raise FinanceInputError(
            f"the model's {output!r} has shape {values.shape}, expected ({n},): "
            "the model must be vectorised over its params"
        )
    values = np.broadcast_to(values, (n,))
    if not allow_nan:
        bad = int(np.count_nonzero(~np.isfinite(values)))
        if bad:
            raise FinanceInputError(
                f"the model returned {bad} non-finite {output!r} value(s) out of {n}. "
                "Fix: check the assumption ranges (a zero cost, for example)"
            )
    return values
