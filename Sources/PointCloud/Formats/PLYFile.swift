import Foundation

/// PLY (Stanford polygon format, Turk 1994): ascii, binary_little_endian and binary_big_endian.
///
/// Reads the `vertex` element's x, y, z (any numeric type) and nx, ny, nz when present, and the
/// `face` element's `vertex_indices`/`vertex_index` lists (polygons split into triangle fans).
/// Every other element and property is skipped. Errors name the header line or the element and
/// its index: a header that promises more elements than the file holds is `.truncated`, one that
/// promises fewer leaves data over and is `.malformed`.
public enum PLYFile {
    public enum Encoding: String, Sendable, CaseIterable {
        case ascii, binaryLittleEndian = "binary_little_endian", binaryBigEndian = "binary_big_endian"
    }

    /// The vertices (as a cloud, with normals when the file has them) and the triangles.
    public struct Contents: Sendable {
        public var cloud: PointCloud
        public var triangles: [SIMD3<Int32>]
        public var mesh: TriangleMesh { TriangleMesh(vertices: cloud.positions, triangles: triangles) }
    }

    enum ScalarType: String {
        case int8, uint8, int16, uint16, int32, uint32, float32, float64
        init?(plyName: String) {
            switch plyName {
            case "char", "int8": self = .int8
            case "uchar", "uint8": self = .uint8
            case "short", "int16": self = .int16
            case "ushort", "uint16": self = .uint16
            case "int", "int32": self = .int32
            case "uint", "uint32": self = .uint32
            case "float", "float32": self = .float32
            case "double", "float64": self = .float64
            default: return nil
            }
        }
    }

    struct Property {
        var name: String
        var type: ScalarType
        var listCountType: ScalarType?   // non-nil for list properties
    }

    struct Element {
        var name: String
        var count: Int
        var properties: [Property] = []
    }

    /// Reads a PLY file.
    public static func read(_ path: String) throws -> Contents {
        let bytes = try readBytes(path)
        var scanner = TextScanner(bytes: bytes)
        func malformed(_ reason: String) -> PointCloudError {
            .malformed(file: path, element: "header line \(scanner.lineNumber)", reason: reason)
        }
        guard let first = scanner.nextLine(), scanner.string(first).trimmingCharacters(in: .whitespaces) == "ply" else {
            throw PointCloudError.malformed(file: path, element: "header line 1", reason: "does not start with 'ply'")
        }
        var encoding: Encoding?
        var elements: [Element] = []
        headerLoop: while true {
            guard let line = scanner.nextLine() else { throw PointCloudError.truncated(file: path, element: "header", reason: "no end_header line") }
            let tokens = scanner.tokens(in: line).map(scanner.string)
            guard let keyword = tokens.first else { continue }
            switch keyword {
            case "format":
                guard tokens.count >= 2, let e = Encoding(rawValue: tokens[1]) else { throw malformed("unknown format '\(tokens.dropFirst().joined(separator: " "))'") }
                encoding = e
            case "comment", "obj_info":
                continue
            case "element":
                guard tokens.count == 3, let count = Int(tokens[2]), count >= 0 else { throw malformed("expected 'element <name> <count>'") }
                // Properties are looked up by element name: a second element of a name would be
                // read with the first one's property positions.
                guard !elements.contains(where: { $0.name == tokens[1] }) else { throw malformed("a second '\(tokens[1])' element") }
                elements.append(Element(name: tokens[1], count: count))
            case "property":
                guard !elements.isEmpty else { throw malformed("property before any element") }
                if tokens.count == 5, tokens[1] == "list" {
                    guard let countType = ScalarType(plyName: tokens[2]), let itemType = ScalarType(plyName: tokens[3]) else {
                        throw malformed("unknown list types '\(tokens[2]) \(tokens[3])'")
                    }
                    elements[elements.count - 1].properties.append(Property(name: tokens[4], type: itemType, listCountType: countType))
                } else if tokens.count == 3, let type = ScalarType(plyName: tokens[1]) {
                    elements[elements.count - 1].properties.append(Property(name: tokens[2], type: type, listCountType: nil))
                } else {
                    throw malformed("cannot read property '\(tokens.dropFirst().joined(separator: " "))'")
                }
            case "end_header":
                break headerLoop
            default:
                throw malformed("unknown header keyword '\(keyword)'")
            }
        }
        guard let encoding else { throw PointCloudError.malformed(file: path, element: "header", reason: "no format line") }
        guard let vertexElement = elements.first(where: { $0.name == "vertex" }) else {
            throw PointCloudError.malformed(file: path, element: "header", reason: "no vertex element")
        }
        let names = vertexElement.properties.map(\.name)
        guard let ix = names.firstIndex(of: "x"), let iy = names.firstIndex(of: "y"), let iz = names.firstIndex(of: "z") else {
            throw PointCloudError.malformed(file: path, element: "header", reason: "the vertex element has no x, y, z properties")
        }
        let normalIndices = ["nx", "ny", "nz"].compactMap { names.firstIndex(of: $0) }
        for index in [ix, iy, iz] + normalIndices where vertexElement.properties[index].listCountType != nil {
            throw PointCloudError.malformed(file: path, element: "header",
                                            reason: "the vertex element's '\(names[index])' is a list property, not a scalar")
        }
        if let face = elements.first(where: { $0.name == "face" }),
           let list = face.properties.first(where: { $0.name == "vertex_indices" || $0.name == "vertex_index" }), list.listCountType == nil {
            throw PointCloudError.malformed(file: path, element: "header", reason: "the face element's '\(list.name)' is a scalar, not a list property")
        }
        var reader = ElementReader(path: path, encoding: encoding, scanner: scanner, bytes: bytes)
        var positions = [SIMD3<Float>](), normals = [SIMD3<Float>]()
        var triangles: [SIMD3<Int32>] = []
        for element in elements {
            let isVertex = element.name == "vertex", isFace = element.name == "face"
            let faceList = element.properties.firstIndex { $0.name == "vertex_indices" || $0.name == "vertex_index" }
            // Instances without properties hold no data (and read no bytes): nothing to loop over.
            guard !element.properties.isEmpty else { continue }
            // Every instance takes at least one byte, so the bytes left bound what the header can
            // honestly promise; a header that lies about its counts fails as `.truncated` below.
            if isVertex { positions.reserveCapacity(min(element.count, reader.remainingBytes)) }
            for index in 0 ..< element.count {
                let values = try reader.readInstance(of: element, index: index)
                if isVertex {
                    let p = SIMD3(Float(values[ix][0]), Float(values[iy][0]), Float(values[iz][0]))
                    guard p.x.isFinite && p.y.isFinite && p.z.isFinite else {
                        throw PointCloudError.nonFinite(file: path, element: "vertex \(index)")
                    }
                    positions.append(p)
                    if normalIndices.count == 3 {
                        normals.append(SIMD3(Float(values[normalIndices[0]][0]), Float(values[normalIndices[1]][0]), Float(values[normalIndices[2]][0])))
                    }
                } else if isFace, let faceList {
                    let polygon = values[faceList]
                    guard polygon.count >= 3 else {
                        throw PointCloudError.malformed(file: path, element: "face \(index)", reason: "a face needs at least 3 vertices, has \(polygon.count)")
                    }
                    // Checked as Doubles: NaN, huge or fractional indices must not reach Int32(_:).
                    let bound = Double(min(positions.count, Int(Int32.max)))
                    for v in polygon where !(v >= 0 && v < bound && v == v.rounded()) {
                        throw PointCloudError.malformed(file: path, element: "face \(index)",
                                                        reason: "vertex index \(v) outside 0..<\(positions.count)")
                    }
                    for k in 1 ..< polygon.count - 1 {
                        triangles.append(SIMD3(Int32(polygon[0]), Int32(polygon[k]), Int32(polygon[k + 1])))
                    }
                }
            }
        }
        try reader.expectEnd(after: elements.last.map { "\($0.name) \($0.count - 1)" } ?? "header")
        return Contents(cloud: PointCloud(positions: positions, normals: normals.isEmpty ? nil : normals), triangles: triangles)
    }

    /// Writes a cloud's points (and normals when present) as PLY, atomically.
    public static func write(_ cloud: PointCloud, to path: String, encoding: Encoding = .binaryLittleEndian) throws {
        let hasNormals = cloud.normals != nil
        var header = "ply\nformat \(encoding.rawValue) 1.0\ncomment written by rgdm\nelement vertex \(cloud.count)\n"
        header += "property float x\nproperty float y\nproperty float z\n"
        if hasNormals { header += "property float nx\nproperty float ny\nproperty float nz\n" }
        header += "end_header\n"
        var data = Data(header.utf8)
        let normals = cloud.normals ?? []
        switch encoding {
        case .ascii:
            var text = ""
            for (i, p) in cloud.positions.enumerated() {
                text += "\(p.x) \(p.y) \(p.z)"
                if hasNormals { text += " \(normals[i].x) \(normals[i].y) \(normals[i].z)" }
                text += "\n"
            }
            data.append(Data(text.utf8))
        case .binaryLittleEndian, .binaryBigEndian:
            var words: [UInt32] = []
            words.reserveCapacity(cloud.count * (hasNormals ? 6 : 3))
            let big = encoding == .binaryBigEndian
            func put(_ f: Float) { words.append(big ? f.bitPattern.bigEndian : f.bitPattern.littleEndian) }
            for (i, p) in cloud.positions.enumerated() {
                put(p.x); put(p.y); put(p.z)
                if hasNormals { put(normals[i].x); put(normals[i].y); put(normals[i].z) }
            }
            words.withUnsafeBytes { data.append(contentsOf: $0) }
        }
        try writeAtomically(data, to: path)
    }
}

/// Reads element instances in either encoding; every property comes back as a list of Doubles
/// (one value for scalar properties).
private struct ElementReader {
    let path: String
    let encoding: PLYFile.Encoding
    var scanner: TextScanner
    var binary: ByteReader

    init(path: String, encoding: PLYFile.Encoding, scanner: TextScanner, bytes: [UInt8]) {
        self.path = path
        self.encoding = encoding
        self.scanner = scanner
        binary = ByteReader(bytes: bytes, position: scanner.offset, bigEndian: encoding == .binaryBigEndian)
    }

    /// Bytes of the file not yet read.
    var remainingBytes: Int { encoding == .ascii ? scanner.remainingBytes : max(0, binary.remaining) }

    mutating func readInstance(of element: PLYFile.Element, index: Int) throws -> [[Double]] {
        let name = "\(element.name) \(index)"
        let missing = PointCloudError.truncated(file: path, element: name,
                                                reason: "the header promises \(element.count) \(element.name) elements; the file ends at \(element.name) \(index)")
        if encoding == .ascii {
            guard let tokens = scanner.nextContentLine(commentPrefix: nil) else { throw missing }
            var cursor = 0
            func next() throws -> Double {
                guard cursor < tokens.count else {
                    throw PointCloudError.malformed(file: path, element: "\(name) (line \(scanner.lineNumber))",
                                                    reason: "too few values for the header's properties (\(tokens.count) found)")
                }
                guard let value = scanner.double(tokens[cursor]) else {
                    throw PointCloudError.malformed(file: path, element: "\(name) (line \(scanner.lineNumber))",
                                                    reason: "'\(scanner.string(tokens[cursor]))' is not a number")
                }
                cursor += 1
                return value
            }
            var values: [[Double]] = []
            for property in element.properties {
                if property.listCountType != nil {
                    let count = try next()
                    guard count >= 0, count == count.rounded(), count < 1e6 else {
                        throw PointCloudError.malformed(file: path, element: name, reason: "bad list length \(count)")
                    }
                    values.append(try (0 ..< Int(count)).map { _ in try next() })
                } else {
                    values.append([try next()])
                }
            }
            guard cursor == tokens.count else {
                throw PointCloudError.malformed(file: path, element: "\(name) (line \(scanner.lineNumber))",
                                                reason: "\(tokens.count) values where the header's properties take \(cursor)")
            }
            return values
        }
        var values: [[Double]] = []
        for property in element.properties {
            if let countType = property.listCountType {
                guard let count = read(countType) else { throw missing }
                guard count >= 0, count < 1e6 else {
                    throw PointCloudError.malformed(file: path, element: name, reason: "bad list length \(count)")
                }
                var list: [Double] = []
                for _ in 0 ..< Int(count) {
                    guard let v = read(property.type) else { throw missing }
                    list.append(v)
                }
                values.append(list)
            } else {
                guard let v = read(property.type) else { throw missing }
                values.append([v])
            }
        }
        return values
    }

    private mutating func read(_ type: PLYFile.ScalarType) -> Double? {
        switch type {
        case .int8: return binary.read(Int8.self).map(Double.init)
        case .uint8: return binary.read(UInt8.self).map(Double.init)
        case .int16: return binary.read(Int16.self).map(Double.init)
        case .uint16: return binary.read(UInt16.self).map(Double.init)
        case .int32: return binary.read(Int32.self).map(Double.init)
        case .uint32: return binary.read(UInt32.self).map(Double.init)
        case .float32: return binary.readFloat().map(Double.init)
        case .float64: return binary.readDouble()
        }
    }

    /// Data left after the last element means the header under-counts it.
    mutating func expectEnd(after last: String) throws {
        if encoding == .ascii {
            if scanner.nextContentLine(commentPrefix: nil) != nil {
                throw PointCloudError.malformed(file: path, element: "line \(scanner.lineNumber)",
                                                reason: "data after \(last), the last element the header declares")
            }
        } else {
            let rest = binary.bytes[binary.position...]
            if rest.contains(where: { ![0, 0x0A, 0x0D, 0x20].contains($0) }) {
                throw PointCloudError.malformed(file: path, element: "byte \(binary.position)",
                                                reason: "\(rest.count) bytes after \(last), the last element the header declares")
            }
        }
    }
}
