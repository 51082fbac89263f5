#!/usr/bin/env python3
"""Writes the small point-cloud and mesh files the format tests read (standard library only):
a unit cube (side 1, centred at 0) as OFF, OBJ (quads, negative indices), ascii and binary STL
and binary PLY; point clouds as ascii / binary little- and big-endian PLY with extra
properties, XYZ with normals and PTS with a count line; and malformed files (a PLY header that
promises more or fewer vertices than the file holds, truncated binary PLY and STL, NaN and
infinite coordinates, a mesh with no faces, a face index out of range).

  python3 Tests/PointCloudTests/Fixtures/make_format_fixtures.py
"""
import math, os, struct

HERE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "formats")
os.makedirs(HERE, exist_ok=True)

CUBE_V = [(x - 0.5, y - 0.5, z - 0.5) for x in (0, 1) for y in (0, 1) for z in (0, 1)]
# Quads with outward orientation: index = 4x + 2y + z.
CUBE_Q = [(0, 1, 3, 2), (4, 6, 7, 5), (0, 4, 5, 1), (2, 3, 7, 6), (0, 2, 6, 4), (1, 5, 7, 3)]
CUBE_T = [t for q in CUBE_Q for t in ((q[0], q[1], q[2]), (q[0], q[2], q[3]))]
POINTS = [(0.5 * i, -0.25 * i, 1.0 + i) for i in range(5)]
NORMALS = [(0.0, 0.0, 1.0), (0.0, 1.0, 0.0), (1.0, 0.0, 0.0), (0.6, 0.8, 0.0), (0.0, 0.6, 0.8)]


def write(name, data):
    with open(os.path.join(HERE, name), "wb" if isinstance(data, bytes) else "w") as f:
        f.write(data)


# Meshes.
write("cube.off", "OFF\n# a unit cube\n8 6 0\n" + "".join(f"{x} {y} {z}\n" for x, y, z in CUBE_V)
      + "".join(f"4 {a} {b} {c} {d}\n" for a, b, c, d in CUBE_Q))
write("cube_counts_on_header.off", "OFF 8 12 0\n" + "".join(f"{x} {y} {z}\n" for x, y, z in CUBE_V)
      + "".join(f"3 {a} {b} {c} 255 0 0\n" for a, b, c in CUBE_T))
write("cube.obj", "# cube\no cube\n" + "".join(f"v {x} {y} {z}\n" for x, y, z in CUBE_V) + "vn 0 0 1\n"
      + "".join("f " + " ".join(f"{i - 8}//1" for i in q) + "\n" for q in CUBE_Q))
write("cube_ascii.stl", "solid cube\n" + "".join(
    "facet normal 0 0 0\nouter loop\n" + "".join(f"vertex {CUBE_V[i][0]} {CUBE_V[i][1]} {CUBE_V[i][2]}\n" for i in t)
    + "endloop\nendfacet\n" for t in CUBE_T) + "endsolid cube\n")
stl = b"binary cube".ljust(80, b" ") + struct.pack("<I", len(CUBE_T))
for t in CUBE_T:
    stl += struct.pack("<3f", 0, 0, 0) + b"".join(struct.pack("<3f", *CUBE_V[i]) for i in t) + b"\0\0"
write("cube_binary.stl", stl)
write("cube_truncated.stl", stl[:-30])
ply = ("ply\nformat binary_little_endian 1.0\nelement vertex 8\nproperty double x\nproperty double y\nproperty double z\n"
       "element face 6\nproperty list uchar int vertex_indices\nend_header\n").encode()
ply += b"".join(struct.pack("<3d", *v) for v in CUBE_V) + b"".join(struct.pack("<B4i", 4, *q) for q in CUBE_Q)
write("cube_binary.ply", ply)

# Point clouds with extra properties (colours, a list element, a comment).
header = ("ply\nformat {fmt} 1.0\ncomment test cloud\nelement vertex 5\nproperty float x\nproperty float y\nproperty float z\n"
          "property uchar red\nproperty uchar green\nproperty uchar blue\nproperty float nx\nproperty float ny\nproperty float nz\n"
          "element camera 1\nproperty list uchar float view\nend_header\n")
write("cloud_ascii.ply", header.format(fmt="ascii") + "".join(
    f"{p[0]} {p[1]} {p[2]} 10 20 30 {n[0]} {n[1]} {n[2]}\n" for p, n in zip(POINTS, NORMALS)) + "3 1 2 3\n")
for order, fmt in (("<", "binary_little_endian"), (">", "binary_big_endian")):
    body = b"".join(struct.pack(order + "3f3B3f", *p, 10, 20, 30, *n) for p, n in zip(POINTS, NORMALS))
    body += struct.pack(order + "B3f", 3, 1, 2, 3)
    write(f"cloud_{'le' if order == '<' else 'be'}.ply", header.format(fmt=fmt).encode() + body)
    if order == "<":
        write("cloud_truncated.ply", (header.format(fmt=fmt).encode() + body)[:-40])
write("cloud.xyz", "# x y z nx ny nz\n" + "".join(f"{p[0]} {p[1]} {p[2]} {n[0]} {n[1]} {n[2]}\n" for p, n in zip(POINTS, NORMALS)))
write("cloud.pts", "5\n" + "".join(f"{p[0]} {p[1]} {p[2]} 100 1 2 3\n" for p in POINTS))

# Malformed.
plain = "ply\nformat ascii 1.0\nelement vertex {n}\nproperty float x\nproperty float y\nproperty float z\nend_header\n"
write("lying_more.ply", plain.format(n=7) + "".join(f"{p[0]} {p[1]} {p[2]}\n" for p in POINTS))
write("lying_fewer.ply", plain.format(n=3) + "".join(f"{p[0]} {p[1]} {p[2]}\n" for p in POINTS))
write("nan.ply", plain.format(n=3) + "0 0 0\n1 nan 2\n3 4 5\n")
write("inf.xyz", "0 0 0\n1 2 inf\n")
write("short_line.xyz", "0 0 0\n1 2\n")
write("pts_count_lies.pts", "9\n" + "".join(f"{p[0]} {p[1]} {p[2]}\n" for p in POINTS))
write("empty.off", "OFF\n0 0 0\n")
write("points_only.off", "OFF\n3 0 0\n0 0 0\n1 0 0\n0 1 0\n")
write("flat.off", "OFF\n3 1 0\n0 0 0\n1 0 0\n2 0 0\n3 0 1 2\n")
write("bad_index.off", "OFF\n3 1 0\n0 0 0\n1 0 0\n0 1 0\n3 0 1 7\n")
write("truncated_faces.off", "OFF\n3 2 0\n0 0 0\n1 0 0\n0 1 0\n3 0 1 2\n")
write("extra_faces.off", "OFF\n3 1 0\n0 0 0\n1 0 0\n0 1 0\n3 0 1 2\n3 0 2 1\n")
# Face indices that are no index (huge, NaN) and x declared as a list; headers that promise
# absurd counts (10^12 vertices or faces, 4e9 binary STL triangles) over a few bytes of data.
tri = "ply\nformat ascii 1.0\nelement vertex 3\nproperty float x\nproperty float y\nproperty float z\n" \
      "element face 1\nproperty list uchar int vertex_indices\nend_header\n0 0 0\n1 0 0\n0 1 0\n"
write("face_index_huge.ply", tri + "3 0 1 1e20\n")
write("face_index_nan.ply", tri + "3 0 nan 1\n")
write("list_x.ply", "ply\nformat ascii 1.0\nelement vertex 1\nproperty list uchar float x\nproperty float y\n"
      "property float z\nend_header\n0 1 2\n")
write("huge_count.ply", plain.format(n=10**12) + "".join(f"{p[0]} {p[1]} {p[2]}\n" for p in POINTS))
write("huge_count_le.ply", ("ply\nformat binary_little_endian 1.0\nelement vertex 1000000000000\nproperty float x\n"
      "property float y\nproperty float z\nend_header\n").encode() + b"".join(struct.pack("<3f", *p) for p in POINTS))
write("huge_vertex_count.off", "OFF\n1000000000000 1 0\n0 0 0\n1 0 0\n0 1 0\n3 0 1 2\n")
write("huge_face_count.off", "OFF\n3 1000000000000 0\n0 0 0\n1 0 0\n0 1 0\n3 0 1 2\n")
write("huge_count.stl", b"lying binary".ljust(80, b" ") + struct.pack("<I", 4_000_000_000) + stl[84:])
print("wrote", len(os.listdir(HERE)), "files to", HERE)
