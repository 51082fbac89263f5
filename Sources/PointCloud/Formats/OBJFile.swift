import Foundation

/// Wavefront OBJ: `v x y z [w]` vertices and `f a b c …` faces (indices 1-based or negative,
/// with optional `/vt/vn` parts); every other statement is ignored. Point clouds are written
/// as `v` lines (and `vn` for normals).
public enum OBJFile {
    public static func read(_ path: String) throws -> TriangleMesh {
        var scanner = TextScanner(bytes: try readBytes(path))
        var vertices: [SIMD3<Float>] = []
        var triangles: [SIMD3<Int32>] = []
        var faceIndex = 0
        while let tokens = scanner.nextContentLine() {
            let keyword = scanner.string(tokens[0])
            if keyword == "v" {
                guard tokens.count >= 4, let x = scanner.double(tokens[1]), let y = scanner.double(tokens[2]), let z = scanner.double(tokens[3]) else {
                    throw PointCloudError.malformed(file: path, element: "vertex \(vertices.count) (line \(scanner.lineNumber))", reason: "expected 'v x y z'")
                }
                let p = SIMD3(Float(x), Float(y), Float(z))
                guard p.x.isFinite && p.y.isFinite && p.z.isFinite else {
                    throw PointCloudError.nonFinite(file: path, element: "vertex \(vertices.count) (line \(scanner.lineNumber))")
                }
                vertices.append(p)
            } else if keyword == "f" {
                guard tokens.count >= 4 else {
                    throw PointCloudError.malformed(file: path, element: "face \(faceIndex) (line \(scanner.lineNumber))", reason: "a face needs at least 3 vertices")
                }
                var polygon: [Int32] = []
                for token in tokens.dropFirst() {
                    let text = scanner.string(token)
                    let first = text.split(separator: "/", omittingEmptySubsequences: false).first.map(String.init) ?? ""
                    guard let raw = Int(first), raw != 0 else {
                        throw PointCloudError.malformed(file: path, element: "face \(faceIndex) (line \(scanner.lineNumber))", reason: "bad vertex reference '\(text)'")
                    }
                    let index = raw > 0 ? raw - 1 : vertices.count + raw
                    guard index >= 0, index < vertices.count else {
                        throw PointCloudError.malformed(file: path, element: "face \(faceIndex) (line \(scanner.lineNumber))",
                                                        reason: "vertex \(raw) outside the \(vertices.count) vertices read so far")
                    }
                    polygon.append(Int32(index))
                }
                for j in 1 ..< polygon.count - 1 { triangles.append(SIMD3(polygon[0], polygon[j], polygon[j + 1])) }
                faceIndex += 1
            }
        }
        return TriangleMesh(vertices: vertices, triangles: triangles)
    }

    /// Writes a cloud as `v` (and `vn`) lines, atomically.
    public static func write(_ cloud: PointCloud, to path: String) throws {
        var text = "# written by rgdm: \(cloud.count) points\n"
        for p in cloud.positions { text += "v \(p.x) \(p.y) \(p.z)\n" }
        for n in cloud.normals ?? [] { text += "vn \(n.x) \(n.y) \(n.z)\n" }
        try writeAtomically(Data(text.utf8), to: path)
    }
}
