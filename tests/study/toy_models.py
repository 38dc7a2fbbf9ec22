"""Toy vectorised models shared by the uncertainty tests, with values known by hand.

Not a test module: ``test_tornado``, ``test_monte_carlo``, ``test_break_even`` import it.
"""

from __future__ import annotations

import math

import numpy as np

from roi_kit.study.distributions import Distribution

__all__ = [
    "N",
    "mc_tol",
    "linear_model",
    "LINEAR_SPECS",
    "RATE",
    "YEARS",
    "ANNUITY",
    "crm_model",
    "crm_flows",
    "CRM_SPECS",
    "identity_model",
]

N = 100_000


def mc_tol(p: float, n: int = N, sigmas: float = 5.0) -> float:
    """Tolerance for a Monte Carlo proportion: `sigmas` binomial standard errors."""
    return sigmas * math.sqrt(p * (1 - p) / n)


def linear_model(params):
    # npv = 1000 a - 2 c + 50 + 0 d; roi = npv / 100
    npv = 1000 * np.asarray(params["a"]) - 2 * np.asarray(params["c"]) + 50 + 0 * params["d"]
    return {"npv": npv, "roi": npv / 100}


LINEAR_SPECS = {
    "a": Distribution("a", "pert", 0.2, 0.4, 0.6, unit="fraction"),
    "c": Distribution("c", "uniform", 10.0, 20.0, 40.0),
    "d": Distribution("d", "fixed", 5.0, 5.0, 5.0),
}

RATE = 0.10
YEARS = 3
# PV of 1 a year for 3 years at 10%: 1/1.1 + 1/1.21 + 1/1.331 = 2.486851991...
ANNUITY = sum(1 / (1 + RATE) ** t for t in range(1, YEARS + 1))


def crm_model(params):
    """Cash flows [-cost, revenue * margin * attribution] * 3 years, vectorised."""
    cost = np.asarray(params["cost"], dtype=float)
    annual = (
        np.asarray(params["revenue"], dtype=float)
        * np.asarray(params["margin"], dtype=float)
        * np.asarray(params["attribution"], dtype=float)
    )
    npv = -cost + annual * ANNUITY
    return {"npv": npv, "roi": npv / cost}


def crm_flows(cost, revenue, margin, attribution):
    return [-cost] + [revenue * margin * attribution] * YEARS


CRM_SPECS = {
    "cost": Distribution("cost", "triangular", 80_000.0, 100_000.0, 140_000.0),
    "revenue": Distribution("revenue", "pert", 150_000.0, 200_000.0, 260_000.0),
    "margin": Distribution("margin", "fixed", 0.4, 0.4, 0.4, unit="fraction"),
    "attribution": Distribution("attribution", "pert", 0.3, 0.5, 0.7, unit="fraction"),
}


def identity_model(params):
    return {"npv": np.asarray(params["x"]), "roi": np.asarray(params["x"])}
