/// STL meshes, binary (80-byte header, triangle count, 50 bytes a triangle, little-endian) and
/// ascii (`solid … facet normal … outer loop vertex ×3 endloop endfacet … endsolid`). A file is
/// binary when its size is exactly 84 + 50 × its triangle count; ascii when it starts with
/// `solid` otherwise. Vertices are not shared (3 per triangle); that does not matter for sampling.
public enum STLFile {
    public static func read(_ path: String) throws -> TriangleMesh {
        let bytes = try readBytes(path)
        if bytes.count >= 84 {
            var reader = ByteReader(bytes: bytes, position: 80, bigEndian: false)
            let count = Int(reader.read(UInt32.self) ?? 0)
            if bytes.count == 84 + 50 * count { return try readBinary(bytes, count: count, path: path) }
        }
        let start = String(decoding: bytes.prefix(5), as: UTF8.self)
        if start == "solid" { return try readASCII(bytes, path: path) }
        if bytes.count >= 84 {
            var reader = ByteReader(bytes: bytes, position: 80, bigEndian: false)
            let count = Int(reader.read(UInt32.self) ?? 0)
            let complete = (bytes.count - 84) / 50
            throw PointCloudError.truncated(file: path, element: "triangle \(complete)",
                                            reason: "binary STL header promises \(count) triangles; the file holds \(complete) (\(bytes.count) bytes)")
        }
        throw PointCloudError.truncated(file: path, element: "header", reason: "\(bytes.count) bytes: shorter than a binary STL header and not ascii")
    }

    private static func readBinary(_ bytes: [UInt8], count: Int, path: String) throws -> TriangleMesh {
        var reader = ByteReader(bytes: bytes, position: 84, bigEndian: false)
        var vertices: [SIMD3<Float>] = []
        vertices.reserveCapacity(3 * count)
        for index in 0 ..< count {
            reader.position = 84 + 50 * index + 12   // skip the facet normal
            for _ in 0 ..< 3 {
                guard let x = reader.readFloat(), let y = reader.readFloat(), let z = reader.readFloat() else {
                    throw PointCloudError.truncated(file: path, element: "triangle \(index)", reason: "data ends")
                }
                guard x.isFinite && y.isFinite && z.isFinite else { throw PointCloudError.nonFinite(file: path, element: "triangle \(index)") }
                vertices.append(SIMD3(x, y, z))
            }
        }
        return TriangleMesh(vertices: vertices, triangles: (0 ..< Int32(count)).map { SIMD3(3 * $0, 3 * $0 + 1, 3 * $0 + 2) })
    }

    private static func readASCII(_ bytes: [UInt8], path: String) throws -> TriangleMesh {
        var scanner = TextScanner(bytes: bytes)
        var vertices: [SIMD3<Float>] = []
        var inLoop = 0
        var sawEnd = false
        while let tokens = scanner.nextContentLine(commentPrefix: nil) {
            let keyword = scanner.string(tokens[0])
            let triangle = vertices.count / 3
            switch keyword {
            case "vertex":
                guard tokens.count == 4, let x = scanner.double(tokens[1]), let y = scanner.double(tokens[2]), let z = scanner.double(tokens[3]) else {
                    throw PointCloudError.malformed(file: path, element: "triangle \(triangle) (line \(scanner.lineNumber))", reason: "expected 'vertex x y z'")
                }
                let p = SIMD3(Float(x), Float(y), Float(z))
                guard p.x.isFinite && p.y.isFinite && p.z.isFinite else {
                    throw PointCloudError.nonFinite(file: path, element: "triangle \(triangle) (line \(scanner.lineNumber))")
                }
                vertices.append(p)
                inLoop += 1
            case "outer": inLoop = 0
            case "endloop":
                guard inLoop == 3 else {
                    throw PointCloudError.malformed(file: path, element: "triangle \(triangle) (line \(scanner.lineNumber))", reason: "a facet has \(inLoop) vertices, not 3")
                }
            case "endsolid": sawEnd = true
            default: continue
            }
        }
        guard vertices.count % 3 == 0 else {
            throw PointCloudError.truncated(file: path, element: "triangle \(vertices.count / 3)", reason: "the file ends inside a facet")
        }
        guard sawEnd else { throw PointCloudError.truncated(file: path, element: "triangle \(vertices.count / 3)", reason: "no 'endsolid'") }
        let count = Int32(vertices.count / 3)
        return TriangleMesh(vertices: vertices, triangles: (0 ..< count).map { SIMD3(3 * $0, 3 * $0 + 1, 3 * $0 + 2) })
    }
}
