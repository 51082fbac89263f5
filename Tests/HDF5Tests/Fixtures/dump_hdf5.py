#!/usr/bin/env python3
"""Prints, as JSON, what h5py reads from an HDF5 file: every dataset's shape, dtype, storage and
values (as repr() strings, which parse back exactly), and the root and dataset attributes. Used by the PointCloud tests to check that files
rgdm writes read back in h5py (run only when a python3 with h5py is available)."""
import json, sys
import h5py
import numpy as np


def plain(value):
    if isinstance(value, bytes):
        return value.decode()
    if isinstance(value, np.ndarray):
        return [plain(x) for x in value.tolist()] if value.dtype.kind in "OSU" else value.tolist()
    if isinstance(value, np.generic):
        return value.item()
    return value


out = {"datasets": {}, "attributes": {k: plain(v) for k, v in h5py.File(sys.argv[1], "r").attrs.items()}}
with h5py.File(sys.argv[1], "r") as f:
    def visit(name, obj):
        if isinstance(obj, h5py.Dataset):
            entry = {"shape": list(obj.shape), "dtype": obj.dtype.str, "chunks": list(obj.chunks) if obj.chunks else None,
                     "compression": obj.compression, "attributes": {k: plain(v) for k, v in obj.attrs.items()}}
            if obj.dtype.kind in "fiu":
                entry["values"] = [repr(float(x)) for x in np.asarray(obj[()], dtype=np.float64).ravel()]
            else:
                entry["strings"] = [plain(x) for x in np.asarray(obj[()]).ravel()]
            out["datasets"]["/" + name] = entry
    f.visititems(visit)
print(json.dumps(out))
