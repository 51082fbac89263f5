#!/usr/bin/env python3
"""Writes the small HDF5 fixtures the HDF5 tests read, with h5py, plus hdf5/expected.json: the
numbers h5py reads back from each dataset (the tests compare rgdm's reads against these). Values are
stored as repr() strings so that they parse back exactly.

  python3 -m venv /tmp/venv && /tmp/venv/bin/pip install h5py numpy
  /tmp/venv/bin/python Tests/HDF5Tests/Fixtures/make_hdf5_fixtures.py
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


# One file per storage layout × float type × byte order, each with a [5, 7, 3] array.
for layout in ["contiguous", "chunked", "gzip"]:
    for dtype in ["<f4", ">f4", "<f8", ">f8"]:
        name = f"{layout}_{'f32' if dtype[1:] == 'f4' else 'f64'}_{'le' if dtype[0] == '<' else 'be'}.h5"
        data = rng.normal(size=(5, 7, 3)).astype(dtype)
        kwargs = {}
        if layout == "chunked":
            kwargs = {"chunks": (2, 7, 3)}
        elif layout == "gzip":
            kwargs = {"chunks": (2, 7, 3), "compression": "gzip", "compression_opts": 4, "shuffle": True}
        with h5py.File(os.path.join(HERE, name), "w") as f:
            f.create_dataset("points", data=data, dtype=dtype, **kwargs)
            f["points"].attrs["layout"] = layout
        with h5py.File(os.path.join(HERE, name), "r") as f:
            record(name, f)

# Every element type, strings and attributes.
with h5py.File(os.path.join(HERE, "types.h5"), "w") as f:
    f.create_dataset("int8", data=np.array([-128, -1, 0, 1, 127], dtype="i1"))
    f.create_dataset("uint8", data=np.array([0, 1, 200, 255], dtype="u1"))
    f.create_dataset("int32_be", data=np.array([[-5, 6], [70000, -80000]], dtype=">i4"))
    f.create_dataset("int64", data=np.array([-(2**40), 0, 2**40 + 3], dtype="i8"))
    f.create_dataset("float64_scalar", data=np.float64(2.5))
    f.create_dataset("vlen_strings", data=["CCO", "c1ccccc1", "", "ÅÄ"], dtype=h5py.string_dtype())
    f.create_dataset("fixed_strings", data=np.array([b"ab", b"cde", b""], dtype="S5"))
    f.create_dataset("nested/group/values", data=np.arange(6, dtype="<i2").reshape(2, 3))
    f.create_dataset("wrong_rank", data=np.zeros((4, 3), dtype="f4"))
    f.attrs["title"] = "types fixture"
    f.attrs["count"] = np.int64(42)
    f.attrs["scale"] = 0.125
    f.attrs["names"] = np.array(["alpha", "beta"], dtype=h5py.string_dtype())
    f.attrs["ints"] = np.array([1, 2, 3], dtype="i4")
with h5py.File(os.path.join(HERE, "types.h5"), "r") as f:
    record("types.h5", f)

with open(os.path.join(HERE, "expected.json"), "w") as out:
    json.dump(expected, out, indent=0, sort_keys=True)
print("wrote", len(expected), "fixtures to", HERE)
