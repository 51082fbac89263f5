#!/usr/bin/env python3
"""Writes the point-cloud HDF5 layouts researchers use as small fixtures for the PointCloud tests,
with h5py (ModelNet40's `data`/`label`/`normal`, ShapeNet's `/<synset>/{train,val,test}`), plus
hdf5/expected.json: the numbers h5py reads back from each dataset. Values are stored as repr()
strings so that they parse back exactly.

  python3 -m venv /tmp/venv && /tmp/venv/bin/pip install h5py numpy
  /tmp/venv/bin/python Tests/PointCloudTests/Fixtures/make_hdf5_fixtures.py
"""
import json, os
import h5py
import numpy as np

HERE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "hdf5")
os.makedirs(HERE, exist_ok=True)
rng = np.random.default_rng(20261121)
expected = {}


def record(path, f):
    """Reads every dataset back through h5py and stores its shape and values."""
    out = {}
    def visit(name, obj):
        if isinstance(obj, h5py.Dataset):
            entry = {"shape": list(obj.shape), "dtype": obj.dtype.str,
                     "chunks": list(obj.chunks) if obj.chunks else None,
                     "compression": obj.compression}
            if obj.dtype.kind in "fiu":
                entry["values"] = [repr(float(x)) for x in np.asarray(obj[()], dtype=np.float64).ravel()]
            else:
                entry["strings"] = [x.decode() if isinstance(x, bytes) else str(x)
                                    for x in np.asarray(obj[()]).ravel()]
            out["/" + name] = entry
    f.visititems(visit)
    attrs = {}
    for key, value in f.attrs.items():
        if isinstance(value, (bytes, str)):
            attrs[key] = value.decode() if isinstance(value, bytes) else value
        elif isinstance(value, np.ndarray) and value.dtype.kind in "OSU":
            attrs[key] = [x.decode() if isinstance(x, bytes) else str(x) for x in value]
        else:
            attrs[key] = np.asarray(value).tolist()
    expected[path] = {"datasets": out, "attributes": attrs}


# The generator first draws the twelve [5, 7, 3] arrays of Tests/HDF5Tests/Fixtures/make_hdf5_fixtures.py
# (same seed), so the values below are those of the committed files.
for _ in range(12):
    rng.normal(size=(5, 7, 3))

# PointNet's ModelNet40 layout: data [B, N, 3] float32, label [B, 1] uint8, normal [B, N, 3].
with h5py.File(os.path.join(HERE, "modelnet40_like.h5"), "w") as f:
    f.create_dataset("data", data=rng.uniform(-1, 1, size=(6, 32, 3)).astype("f4"))
    f.create_dataset("label", data=rng.integers(0, 40, size=(6, 1)).astype("u1"))
    f.create_dataset("normal", data=rng.normal(size=(6, 32, 3)).astype("f4"))
with h5py.File(os.path.join(HERE, "modelnet40_like.h5"), "r") as f:
    record("modelnet40_like.h5", f)

# Luo & Hu's ShapeNet layout: /<synset>/{train,val,test} [B, N, 3], chunked and gzipped.
with h5py.File(os.path.join(HERE, "shapenet_like.h5"), "w") as f:
    for synset, sizes in [("02691156", (4, 2, 2)), ("03001627", (3, 1, 2))]:
        for split, b in zip(["train", "val", "test"], sizes):
            f.create_dataset(f"{synset}/{split}", data=rng.normal(size=(b, 40, 3)).astype("f4"),
                             chunks=(1, 40, 3), compression="gzip")
with h5py.File(os.path.join(HERE, "shapenet_like.h5"), "r") as f:
    record("shapenet_like.h5", f)

with open(os.path.join(HERE, "expected.json"), "w") as out:
    json.dump(expected, out, indent=0, sort_keys=True)
print("wrote", len(expected), "fixtures to", HERE)
