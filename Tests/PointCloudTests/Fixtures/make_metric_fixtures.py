#!/usr/bin/env python3
"""Reference values for the PointCloud metrics from an independent NumPy/SciPy implementation.

Writes metrics/clouds.h5 (the float32 clouds, written with h5py) and metrics/expected.json
(values as repr() strings): Chamfer distance (cKDTree, float64; squared distances, mean per
direction, the two directions added, as PointFlow / Luo & Hu), exact EMD (SciPy's
linear_sum_assignment on the Euclidean cdist matrix, mean matched distance), and MMD / COV /
1-NNA for CD and EMD over two small sets (the definitions of diffusion-point-cloud
evaluation/evaluation_metrics.py: lgan_mmd_cov and knn with k = 1).

  /tmp/venv/bin/pip install h5py numpy scipy
  /tmp/venv/bin/python Tests/PointCloudTests/Fixtures/make_metric_fixtures.py
"""
import json, os
import h5py
import numpy as np
from scipy.optimize import linear_sum_assignment
from scipy.spatial import cKDTree
from scipy.spatial.distance import cdist

HERE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "metrics")
os.makedirs(HERE, exist_ok=True)
rng = np.random.default_rng(7)


def chamfer(a, b):
    a, b = a.astype(np.float64), b.astype(np.float64)
    da, _ = cKDTree(b).query(a, k=1)
    db, _ = cKDTree(a).query(b, k=1)
    return (da ** 2).mean() + (db ** 2).mean()


def emd(a, b):
    c = cdist(a.astype(np.float64), b.astype(np.float64))
    r, k = linear_sum_assignment(c)
    return c[r, k].mean()


def matrix(xs, ys, f):
    return np.array([[f(x, y) for y in ys] for x in xs])


def mmd_cov(sample_to_ref):          # [N_sample, N_ref]
    mmd = sample_to_ref.min(axis=0).mean()
    cov = len(np.unique(sample_to_ref.argmin(axis=1))) / sample_to_ref.shape[1]
    return mmd, cov


def one_nna(rr, rs, ss):              # rs: [N_ref, N_sample]; reference label 1
    n0, n1 = rr.shape[0], ss.shape[0]
    m = np.block([[rr, rs], [rs.T, ss]]).astype(np.float64)
    np.fill_diagonal(m, np.inf)
    label = np.concatenate([np.ones(n0), np.zeros(n1)])
    nearest = m.argmin(axis=0)
    return float((label[nearest] == label).mean())


def shapes(count, n, squash):
    """Random ellipsoid surfaces with random axes: a small 'distribution of shapes'."""
    out = []
    for _ in range(count):
        v = rng.normal(size=(n, 3))
        v /= np.linalg.norm(v, axis=1, keepdims=True)
        axes = rng.uniform(0.4, 1.0, size=3) * np.array([1.0, 1.0, squash])
        out.append((v * axes + rng.normal(scale=0.02, size=(n, 3))).astype(np.float32))
    return np.stack(out)


pairs_a = np.stack([rng.normal(size=(200, 3)), rng.uniform(-1, 1, size=(200, 3)), shapes(1, 200, 1.0)[0]]).astype(np.float32)
pairs_b = np.stack([rng.normal(size=(200, 3)) + 0.3, rng.uniform(-1, 1, size=(200, 3)), shapes(1, 200, 0.5)[0]]).astype(np.float32)
big_a = rng.normal(size=(2048, 3)).astype(np.float32)
big_b = rng.normal(size=(2048, 3)).astype(np.float32)
generated = shapes(7, 128, 0.7)
reference = shapes(6, 128, 1.0)

with h5py.File(os.path.join(HERE, "clouds.h5"), "w") as f:
    f["pairs/a"], f["pairs/b"] = pairs_a, pairs_b
    f["big/a"], f["big/b"] = big_a, big_b
    f["sets/generated"], f["sets/reference"] = generated, reference

expected = {
    "pair_chamfer": [chamfer(a, b) for a, b in zip(pairs_a, pairs_b)],
    "pair_emd": [emd(a, b) for a, b in zip(pairs_a, pairs_b)],
    "big_chamfer": chamfer(big_a, big_b),
    "big_emd": emd(big_a, big_b),
}
for name, f in [("cd", chamfer), ("emd", emd)]:
    rs, rr, ss = matrix(reference, generated, f), matrix(reference, reference, f), matrix(generated, generated, f)
    mmd, cov = mmd_cov(rs.T)
    expected[f"mmd_{name}"], expected[f"cov_{name}"], expected[f"nna_{name}"] = mmd, cov, one_nna(rr, rs, ss)
    expected[f"rs_{name}"] = rs.ravel().tolist()

as_text = {k: ([repr(float(x)) for x in v] if isinstance(v, list) else repr(float(v))) for k, v in expected.items()}
with open(os.path.join(HERE, "expected.json"), "w") as out:
    json.dump(as_text, out, indent=0, sort_keys=True)
print({k: v for k, v in as_text.items() if not isinstance(v, list)})
