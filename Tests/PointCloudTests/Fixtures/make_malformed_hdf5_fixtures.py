#!/usr/bin/env python3
"""Writes the malformed HDF5 fixtures the PointCloud tests expect typed errors from (h5py):

- empty_clouds.h5: rgdm layout, `points` [2, 0, 3] (two clouds of zero points);
- huge_shape.h5: rgdm layout, `points` [2^31, 2^31, 3], chunked and never written (a few KB on
  disk), whose element count overflows a 64-bit signed integer;
- labels_mismatch.h5: rgdm layout, `points` [3, 4, 3] with `labels` [2].

  /usr/bin/python3 Tests/PointCloudTests/Fixtures/make_malformed_hdf5_fixtures.py
"""
import os
import h5py
import numpy as np

HERE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "hdf5")
os.makedirs(HERE, exist_ok=True)


def rgdm(name, points_shape, labels=None, chunks=None, points=None):
    with h5py.File(os.path.join(HERE, name), "w", track_order=False) as f:
        f.attrs["format"] = "rgdm-point-clouds"
        if points is None:
            f.create_dataset("points", shape=points_shape, dtype="<f4", chunks=chunks, track_times=False)
        else:
            f.create_dataset("points", data=points, track_times=False)
        if labels is not None:
            f.attrs["categories"] = np.array([b"a", b"b"], dtype=h5py.string_dtype())
            f.create_dataset("labels", data=np.asarray(labels, dtype="<i8"), track_times=False)


rgdm("empty_clouds.h5", (2, 0, 3))
rgdm("huge_shape.h5", (2**31, 2**31, 3), chunks=(1, 1, 3))
rgdm("labels_mismatch.h5", None, labels=[0, 1],
     points=np.arange(36, dtype="<f4").reshape(3, 4, 3))
print("wrote empty_clouds.h5, huge_shape.h5, labels_mismatch.h5 to", HERE)
