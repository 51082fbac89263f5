import Foundation

/// Plain-text point lists, one point a line.
///
/// - XYZ: `x y z` or `x y z nx ny nz` (normals read when every line has six or more numbers).
/// - PTS: `x y z [anything]` per line, with an optional first line holding only the point count
///   (Leica PTS); extra columns (intensity, colour) are ignored and the count is checked.
/// Blank lines and `#` comments are skipped.
public enum XYZFile {
    public enum Flavour: Sendable { case xyz, pts }

    public static func read(_ path: String, flavour: Flavour = .xyz) throws -> PointCloud {
        var scanner = TextScanner(bytes: try readBytes(path))
        var rows: [[Double]] = []
        var declaredCount: Int?
        var first = true
        while let tokens = scanner.nextContentLine() {
            if first, flavour == .pts, tokens.count == 1, let count = scanner.integer(tokens[0]) {
                declaredCount = count
                first = false
                continue
            }
            first = false
            let point = rows.count
            guard tokens.count >= 3 else {
                throw PointCloudError.malformed(file: path, element: "point \(point) (line \(scanner.lineNumber))",
                                                reason: "expected at least 3 numbers, found \(tokens.count)")
            }
            let wanted = flavour == .xyz ? min(tokens.count, 6) : 3
            var row: [Double] = []
            for token in tokens.prefix(wanted) {
                guard let value = scanner.double(token) else {
                    throw PointCloudError.malformed(file: path, element: "point \(point) (line \(scanner.lineNumber))",
                                                    reason: "'\(scanner.string(token))' is not a number")
                }
                row.append(value)
            }
            guard row[0].isFinite, row[1].isFinite, row[2].isFinite else {
                throw PointCloudError.nonFinite(file: path, element: "point \(point) (line \(scanner.lineNumber))")
            }
            rows.append(row)
        }
        if let declaredCount, declaredCount != rows.count {
            if declaredCount > rows.count {
                throw PointCloudError.truncated(file: path, element: "point \(rows.count)",
                                                reason: "the first line promises \(declaredCount) points, the file holds \(rows.count)")
            }
            throw PointCloudError.malformed(file: path, element: "point \(declaredCount)",
                                            reason: "the first line promises \(declaredCount) points, the file holds \(rows.count)")
        }
        guard !rows.isEmpty else { throw PointCloudError.empty(file: path, reason: "no points") }
        let positions = rows.map { SIMD3(Float($0[0]), Float($0[1]), Float($0[2])) }
        let hasNormals = flavour == .xyz && rows.allSatisfy { $0.count >= 6 }
        let normals = hasNormals ? rows.map { SIMD3(Float($0[3]), Float($0[4]), Float($0[5])) } : nil
        return PointCloud(positions: positions, normals: normals)
    }

    /// Writes `x y z [nx ny nz]` lines (PTS: a count line first), atomically.
    public static func write(_ cloud: PointCloud, to path: String, flavour: Flavour = .xyz) throws {
        var text = flavour == .pts ? "\(cloud.count)\n" : ""
        let normals = flavour == .xyz ? cloud.normals : nil
        for (i, p) in cloud.positions.enumerated() {
            text += "\(p.x) \(p.y) \(p.z)"
            if let normals { text += " \(normals[i].x) \(normals[i].y) \(normals[i].z)" }
            text += "\n"
        }
        try writeAtomically(Data(text.utf8), to: path)
    }
}
