import HDF5

/// Reading `[B, N, 3]` float datasets as clouds, shared by the layout owners.
extension HDF5File {
    /// The `[B, N, 3]` dataset `name`, checked: rank 3 (`.hdf5(.wrongRank)` once mapped), last
    /// dimension 3 (`.malformed`), N × 3 within a count even when B is 0 (`.malformed`), and at
    /// least one point per cloud when there are clouds (`.empty`: clouds of zero points would
    /// reach the metrics, which need one).
    func cloudArray(_ name: String) throws -> HDF5Array<Float> {
        let array = try dataset(name).read(Float.self, rank: 3)
        guard array.shape[2] == 3 else {
            throw PointCloudError.malformed(file: path, element: "/\(name)", reason: "shape \(array.shape): the last dimension must be 3")
        }
        guard !array.shape[1].multipliedReportingOverflow(by: 3).overflow else {
            throw PointCloudError.malformed(file: path, element: "/\(name)", reason: "shape \(array.shape): more coordinates per cloud than a count holds")
        }
        guard array.shape[0] == 0 || array.shape[1] > 0 else {
            throw PointCloudError.empty(file: path, reason: "/\(name): shape \(array.shape): clouds of zero points")
        }
        return array
    }

    /// The `[B, N, 3]` dataset `name` as B clouds, with normals from the dataset `normals` (same
    /// shape) when given. Coordinates must be finite (`.nonFinite` names the cloud and point).
    func clouds(_ name: String, normals: String?) throws -> [PointCloud] {
        let array = try cloudArray(name)
        let normalArray = try normals.map { try dataset($0).read(Float.self, rank: 3) }
        if let normalArray, normalArray.shape != array.shape {
            throw PointCloudError.malformed(file: path, element: "/\(normals ?? "")", reason: "shape \(normalArray.shape) differs from \(array.shape)")
        }
        let stride = array.shape[1] * 3
        return try (0 ..< array.shape[0]).map { b in
            let cloud = PointCloud(flatPositions: Array(array.values[(b * stride) ..< ((b + 1) * stride)]),
                                   flatNormals: normalArray.map { Array($0.values[(b * stride) ..< ((b + 1) * stride)]) })
            if let index = cloud.firstNonFiniteIndex {
                throw PointCloudError.nonFinite(file: path, element: "/\(name)[\(b)] point \(index)")
            }
            return cloud
        }
    }

    /// The shapes of the datasets at `names`, keyed by absolute path (`/02691156/train`).
    func shapes(of names: [String]) throws -> [String: [Int]] {
        var shapes: [String: [Int]] = [:]
        for name in names {
            let dataset = try dataset(name)
            shapes[dataset.path] = try dataset.shape()
        }
        return shapes
    }
}

extension HDF5Object {
    /// Attribute `name` as a list of strings (one string gives one; numbers give none).
    func stringList(attribute name: String) throws -> [String] {
        switch try attribute(name) {
        case let .strings(values): return values
        case let .string(value): return [value]
        default: return []
        }
    }
}

extension PointCloudError {
    /// Runs `body`, turning failures of the HDF5 layer into `.hdf5`.
    static func mappingHDF5<T>(_ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch let error as HDF5Error {
            throw PointCloudError.hdf5(error)
        }
    }
}
