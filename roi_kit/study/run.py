"""One pass of the decision step over a case: measure, value, evaluate and stress it.

:func:`run_study` computes everything once and returns a frozen :class:`Study`, which the
JSON summary (:mod:`roi_kit.study.summary`), the formatted tables
(:mod:`roi_kit.study.readout`), the views and the report all reuse.

A report computes the study once: its kernels name a shared cache folder in
``ROI_KIT_STUDY_CACHE`` (:data:`CACHE_ENV`; the report's private work folder), and
:func:`run_study` then keeps each result there, keyed by a fingerprint of the case's
content and the study's arguments, so the summary page, the ROI page and the front page
compute it once between them. Without the variable (JupyterLab, scripts) nothing is cached.
"""

from __future__ import annotations

import contextlib
import dataclasses
import hashlib
import io
import os
import pickle
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType

import pandas as pd

from roi_kit.case import Case, quality
from roi_kit.measure import compare_all
from roi_kit.study.distributions import Distribution
from roi_kit.study.evaluation import CaseResult, case_model, evaluate_case
from roi_kit.study.inputs import Inputs, model_inputs
from roi_kit.study.params import uncertain_specs
from roi_kit.study.scenarios import evaluate_scenarios
from roi_kit.study.sensitivity import tornado as tornado_frame
from roi_kit.study.simulation import MonteCarloResult, monte_carlo

__all__ = ["CACHE_ENV", "Study", "run_study", "case_fingerprint"]

#: The environment variable naming the study cache folder (set by the report only).
CACHE_ENV = "ROI_KIT_STUDY_CACHE"


@dataclass(frozen=True)
class Study:
    """Everything the decision step computes for one case (one pass, reused by views).

    Attributes
    ----------
    case : Case
    comparison : DataFrame
        :func:`roi_kit.measure.compare.compare_all` (empty for a projection).
    inputs : Inputs
    result : CaseResult
    specs : dict of str to Distribution
    monte_carlo : MonteCarloResult
    tornado : DataFrame
    scenarios : DataFrame
    quality : QualityReport
    """

    case: Case
    comparison: pd.DataFrame
    inputs: Inputs
    result: CaseResult
    specs: dict[str, Distribution]
    monte_carlo: MonteCarloResult
    tornado: pd.DataFrame
    scenarios: pd.DataFrame
    quality: quality.QualityReport


def run_study(case: Case, *, n: int = 100_000, seed: int = 0, method: str | None = None) -> Study:
    """Measure, value, evaluate and stress one case.

    Parameters
    ----------
    case : Case
    n : int
        Monte Carlo draws.
    seed : int
        Seed of the Monte Carlo (and the naive bootstrap): same seed, same numbers.
    method : str, optional
        Which comparison's estimates become benefits: ``"auto"`` or None (case.yml's
        ``measurement.method``, default auto) or a method name
        (:mod:`roi_kit.study.selection`).

    Returns
    -------
    Study
        Frozen; amounts in the case currency, ratios as fractions.
    """
    folder = os.environ.get(CACHE_ENV)
    if folder:
        key = case_fingerprint(case, n, seed, method)
        return _cached(Path(folder), key, lambda: _compute(case, n=n, seed=seed, method=method))
    return _compute(case, n=n, seed=seed, method=method)


def _compute(case: Case, *, n: int, seed: int, method: str | None) -> Study:
    comparison = compare_all(case, seed=seed) if case.after is not None else pd.DataFrame()
    inputs = model_inputs(case, method=method, comparison=comparison if len(comparison) else None)
    result = evaluate_case(case, inputs=inputs)
    specs = uncertain_specs(case, inputs)
    fn = case_model(case, inputs=inputs)
    # Monte Carlo draws the uncertain inputs themselves; the TEI haircut (a fixed stand-in
    # for that same uncertainty) on top would count the risk twice.
    mc = monte_carlo(
        case_model(case, inputs=inputs, risk_adjusted=False),
        specs,
        n=n,
        seed=seed,
        horizon_months=12 * case.horizon_years,
    )
    # The tornado keeps the risk adjustment, so its base is the headline NPV.
    tornado = tornado_frame(fn, specs) if specs else pd.DataFrame()
    return Study(
        case=case,
        comparison=comparison,
        inputs=inputs,
        result=result,
        specs=specs,
        monte_carlo=mc,
        tornado=tornado,
        scenarios=evaluate_scenarios(case, inputs),
        quality=quality.check_case(case),
    )


def case_fingerprint(case: Case, *args: object) -> str:
    """SHA-256 (hex) of a case's whole content (tables included) and ``args``.

    Two cases loaded from the same inputs give the same fingerprint in any process; any
    difference in a field or a table cell gives another (a case changed in memory with
    :func:`dataclasses.replace` included), so a cached study is never another case's.
    """
    from roi_kit import __version__

    digest = hashlib.sha256(repr((__version__, args)).encode("utf-8"))
    for f in dataclasses.fields(case):
        value = getattr(case, f.name)
        digest.update(f.name.encode("utf-8"))
        if isinstance(value, pd.DataFrame):
            digest.update(repr((list(value.columns), [str(t) for t in value.dtypes])).encode())
            digest.update(pd.util.hash_pandas_object(value, index=True).to_numpy().tobytes())
        else:
            digest.update(repr(value).encode("utf-8"))
    return digest.hexdigest()


def _mapping_proxy(items: dict) -> MappingProxyType:
    return MappingProxyType(items)


class _Pickler(pickle.Pickler):
    """Pickles the read-only mappings a Case holds (the standard pickler refuses them)."""

    def reducer_override(self, obj: object) -> object:
        if type(obj) is MappingProxyType:
            return _mapping_proxy, (dict(obj),)
        return NotImplemented


@contextlib.contextmanager
def _locked(path: Path) -> Iterator[None]:
    """An exclusive lock on ``path``: a second kernel waits for the first's study."""
    try:
        import fcntl
    except ImportError:  # Windows: no lock; two kernels may both compute (same result)
        yield
        return
    with path.open("a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _cached(folder: Path, key: str, compute: Callable[[], Study]) -> Study:
    """The study stored under ``key`` in ``folder``, computed and stored if absent.

    The folder is the report's own private work folder, written only by the kit's
    kernels, so unpickling its files is safe.
    """
    target = folder / f"study-{key}.pickle"
    with _locked(folder / f"study-{key}.lock"):
        if target.is_file():
            return pickle.loads(target.read_bytes())
        study = compute()
        buffer = io.BytesIO()
        _Pickler(buffer, protocol=pickle.HIGHEST_PROTOCOL).dump(study)
        temporary = target.with_suffix(".partial")
        temporary.write_bytes(buffer.getvalue())
        os.replace(temporary, target)  # whole or absent, never half-written
        return study
