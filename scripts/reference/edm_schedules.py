#!/usr/bin/env python3
"""Reference values for rgdm's noise schedules and forward process.

An independent NumPy implementation of the fixed schedules of EDM
(Hoogeboom et al. 2022, "Equivariant Diffusion for Molecule Generation in 3D"):
polynomial_2 with precision s and EDM's step-ratio clipping, and the cosine
schedule (Nichol & Dhariwal 2021) as EDM builds it; gamma = -log SNR and the
transition q(z_t | z_s) written in EDM's softplus / log-sigmoid form (not the
ratio form rgdm uses), plus the moments of q(z_t | x) for one small graph.

Writes Tests/DiffusionTests/Fixtures/schedules.json:

    python3 scripts/reference/edm_schedules.py
"""
import json
import os

import numpy as np


def polynomial_alpha2(T, power=2.0, precision=1e-5, clip=1e-3):
    u = np.arange(T + 1, dtype=np.float64) / T              # t / T
    raw = (1.0 - u ** power) ** 2
    ratios = raw / np.concatenate([[1.0], raw[:-1]])
    ratios = np.clip(ratios, clip, 1.0)
    clipped = np.cumprod(ratios)
    return (1.0 - 2.0 * precision) * clipped + precision


def cosine_alpha2(T, s=0.008, max_beta=0.999):
    u = np.arange(T + 2, dtype=np.float64) / (T + 1)
    f = np.cos((u + s) / (1.0 + s) * np.pi / 2.0) ** 2
    betas = np.clip(1.0 - f[1:] / f[:-1], 0.0, max_beta)
    return np.cumprod(1.0 - betas)


def softplus(x):
    return np.logaddexp(0.0, x)


def describe(alpha2, picks, transitions):
    gamma = np.log(1.0 - alpha2) - np.log(alpha2)
    out = {
        "t": picks,
        "alphaBar": [alpha2[t] for t in picks],
        "gamma": [gamma[t] for t in picks],
        "alpha": [np.sqrt(1.0 / (1.0 + np.exp(gamma[t]))) for t in picks],   # sqrt(sigmoid(-gamma))
        "sigma": [np.sqrt(1.0 / (1.0 + np.exp(-gamma[t]))) for t in picks],  # sqrt(sigmoid(gamma))
        "transitions": [],
    }
    for s, t in transitions:
        sigma2 = -np.expm1(softplus(gamma[s]) - softplus(gamma[t]))
        log_a2_t = -softplus(gamma[t])          # log sigmoid(-gamma)
        log_a2_s = -softplus(gamma[s])
        out["transitions"].append({"s": s, "t": t, "alpha": np.exp(0.5 * (log_a2_t - log_a2_s)),
                                   "sigmaSquared": sigma2})
    return out


def forward_moments(alpha2, t, x0, feature):
    """Mean and per-component variance of z_t ~ q(z_t | x) for one graph whose
    positions are projected to zero centre of gravity (n nodes) and whose
    features are not projected."""
    x0 = np.asarray(x0, dtype=np.float64)
    n = x0.shape[0]
    a, s2 = np.sqrt(alpha2[t]), 1.0 - alpha2[t]
    centred = x0 - x0.mean(axis=0)
    return {"t": t, "positions": x0.ravel().tolist(), "feature": feature,
            "meanPositions": (a * centred).ravel().tolist(), "meanFeature": a * feature,
            "variancePositions": s2 * (1.0 - 1.0 / n), "varianceFeature": s2}


def main():
    result = {"generator": "scripts/reference/edm_schedules.py", "numpy": np.__version__}
    for name, builder, T in [("polynomial2_T1000", polynomial_alpha2, 1000),
                             ("polynomial2_T10", polynomial_alpha2, 10),
                             ("cosine_T1000", cosine_alpha2, 1000),
                             ("cosine_T10", cosine_alpha2, 10)]:
        a2 = builder(T)
        picks = sorted(set([0, 1, 2, T // 4, T // 2, T - 2, T - 1, T]))
        transitions = [(0, 1), (T // 2 - 1, T // 2), (T - 1, T), (0, T)]
        entry = describe(a2, picks, transitions)
        entry["timesteps"] = T
        result[name] = entry
    x0 = [[0.5, -1.0, 2.0], [1.5, 0.0, -0.5], [-2.0, 1.0, 0.0], [0.0, 0.5, 1.0]]
    result["forward_polynomial2_T1000"] = forward_moments(polynomial_alpha2(1000), 600, x0, 0.25)
    path = os.path.join(os.path.dirname(__file__), "..", "..", "Tests", "DiffusionTests", "Fixtures", "schedules.json")
    with open(path, "w") as f:
        json.dump(result, f, indent=1, default=float)
        f.write("\n")


if __name__ == "__main__":
    main()
