/// OFF meshes (Geomview's Object File Format, as CGAL and ModelNet ship them): a header `OFF`
/// (or `COFF`, `NOFF`, `CNOFF`, … ; counts may share its line), `V F E`, V vertex lines (x y z,
/// then normals/colours, ignored), F face lines (`k i1 … ik`, then an optional colour).
public enum OFFFile {
    public static func read(_ path: String) throws -> TriangleMesh {
        var scanner = TextScanner(bytes: try readBytes(path))
        guard var tokens = scanner.nextContentLine() else { throw PointCloudError.empty(file: path, reason: "the file is empty") }
        let keyword = scanner.string(tokens[0])
        guard keyword.hasSuffix("OFF"), keyword.allSatisfy({ "STCN4nOF".contains($0) }) else {
            throw PointCloudError.malformed(file: path, element: "header line \(scanner.lineNumber)", reason: "expected 'OFF', found '\(keyword)'")
        }
        guard !keyword.contains("4"), !keyword.contains("n") else {
            throw PointCloudError.unsupportedFormat(file: path, reason: "\(keyword): only 3D OFF is read")
        }
        tokens.removeFirst()
        if tokens.isEmpty {
            guard let counts = scanner.nextContentLine() else { throw PointCloudError.truncated(file: path, element: "header", reason: "no counts line") }
            tokens = counts
        }
        guard tokens.count >= 2, let vertexCount = scanner.integer(tokens[0]), let faceCount = scanner.integer(tokens[1]),
              vertexCount >= 0, faceCount >= 0 else {
            throw PointCloudError.malformed(file: path, element: "header line \(scanner.lineNumber)", reason: "expected 'vertices faces edges' counts")
        }
        // Each vertex or face takes a line of at least two bytes: the bytes left bound what the
        // header can honestly promise (a lying header fails as `.truncated` below, not in malloc).
        var vertices: [SIMD3<Float>] = []
        vertices.reserveCapacity(min(vertexCount, scanner.remainingBytes / 2))
        for index in 0 ..< vertexCount {
            guard let line = scanner.nextContentLine() else {
                throw PointCloudError.truncated(file: path, element: "vertex \(index)",
                                                reason: "the header promises \(vertexCount) vertices; the file ends after \(index)")
            }
            guard line.count >= 3, let x = scanner.double(line[0]), let y = scanner.double(line[1]), let z = scanner.double(line[2]) else {
                throw PointCloudError.malformed(file: path, element: "vertex \(index) (line \(scanner.lineNumber))", reason: "expected x y z")
            }
            let p = SIMD3(Float(x), Float(y), Float(z))
            guard p.x.isFinite && p.y.isFinite && p.z.isFinite else {
                throw PointCloudError.nonFinite(file: path, element: "vertex \(index) (line \(scanner.lineNumber))")
            }
            vertices.append(p)
        }
        var triangles: [SIMD3<Int32>] = []
        triangles.reserveCapacity(min(faceCount, scanner.remainingBytes / 2))
        for index in 0 ..< faceCount {
            guard let line = scanner.nextContentLine() else {
                throw PointCloudError.truncated(file: path, element: "face \(index)",
                                                reason: "the header promises \(faceCount) faces; the file ends after \(index)")
            }
            guard let k = scanner.integer(line[0]), k >= 3, k < line.count else {
                throw PointCloudError.malformed(file: path, element: "face \(index) (line \(scanner.lineNumber))",
                                                reason: "expected 'k i1 … ik' with k ≥ 3")
            }
            var polygon: [Int32] = []
            for token in line[1 ... k] {
                guard let v = scanner.integer(token), v >= 0, v < vertices.count else {
                    throw PointCloudError.malformed(file: path, element: "face \(index) (line \(scanner.lineNumber))",
                                                    reason: "vertex index '\(scanner.string(token))' outside 0..<\(vertices.count)")
                }
                polygon.append(Int32(v))
            }
            for j in 1 ..< k - 1 { triangles.append(SIMD3(polygon[0], polygon[j], polygon[j + 1])) }
        }
        if scanner.nextContentLine() != nil {
            throw PointCloudError.malformed(file: path, element: "line \(scanner.lineNumber)",
                                            reason: "data after face \(faceCount - 1), the last face the header declares")
        }
        return TriangleMesh(vertices: vertices, triangles: triangles)
    }
}
