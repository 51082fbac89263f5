import HDF5

extension HDF5Probe {
    /// At most this many elements per slice read.
    static let sliceElements = 1 << 22
    /// The walk stops after this many objects (hard links can make a group its own descendant).
    static let objectLimit = 100_000
    /// A name looked up in every group.
    static let absentName = "rgdm-hdf5-probe-absent"

    /// The child's side: opens `path` without the preflight check and reads everything in it:
    /// every attribute; every numeric dataset as `Float`, `Double` and `Int` (the conversions
    /// the readers ask libhdf5 for), in slices along the first dimension; every string dataset.
    /// A typed error on one object is not the probe's to report (the reader that needs the
    /// object reports it), so the walk goes on past it; what the probe exists for is a crash,
    /// a hang or a blow-up inside libhdf5, which ends this process. A file that does not open
    /// is left to the parent's own open to report.
    static func readEverything(_ path: String) {
        guard let file = try? HDF5File(readingFrom: path, preflight: false) else { return }
        var pending = [file.root]
        var visited = 0
        while let group = pending.popLast(), visited < objectLimit {
            visited += 1
            readAttributes(of: group)
            let names = (try? group.memberNames()) ?? []
            // Looking a name up walks a group's index and name heap another way than listing it
            // does, and readers look up names that may be absent.
            for name in names + [absentName] { _ = group.contains(name) }
            for name in names {
                if let dataset = try? group.dataset(name) {
                    visited += 1
                    readAttributes(of: dataset)
                    read(dataset)
                } else if let subgroup = try? group.group(name) {
                    pending.append(subgroup)
                }
            }
        }
    }

    private static func readAttributes(of object: some HDF5Object) {
        for name in (try? object.attributeNames()) ?? [] { _ = try? object.attribute(name) }
    }

    private static func read(_ dataset: HDF5Dataset) {
        guard let info = try? dataset.info() else { return }
        switch info.elementType {
        case .string: _ = try? dataset.readStrings()
        case .other: return
        default:
            for type: any HDF5Numeric.Type in [Float.self, Double.self, Int.self] { readSlices(of: dataset, info: info, as: type) }
        }
    }

    private static func readSlices<T: HDF5Numeric>(of dataset: HDF5Dataset, info: HDF5DatasetInfo, as type: T.Type) {
        guard let rows = info.shape.first else {
            _ = try? dataset.read(T.self)
            return
        }
        var rowElements = 1
        for dimension in info.shape.dropFirst() {
            let (product, overflow) = rowElements.multipliedReportingOverflow(by: dimension)
            guard !overflow else { return }   // no row of it can be read: the reader refuses the shape
            rowElements = product
        }
        let step = max(sliceElements / max(rowElements, 1), 1)
        for start in stride(from: 0, to: rows, by: step) {
            guard (try? dataset.readRows(start ..< min(start + step, rows), as: T.self)) != nil else { return }
        }
    }
}
