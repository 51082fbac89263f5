import ArgumentParser

/// The property oracle of `rgdm evaluate conditional` and `rgdm sweep`: a property model file,
/// or EDM's #Atoms predictor fitted on a molecule set's training split (a quick, weak oracle).
struct OracleOptions: ParsableArguments {
    @Option(help: ArgumentHelp("The property oracle: a property model file (rgdm train-property), or atom-count.",
                               discussion: "atom-count fits the mean property of each atom count on --data's --fit-split: an oracle that sees size only, for quick runs."))
    var oracle: String
    @Option(help: "A molecule set (rgdm preprocess molecules) with the property's labels: the bounds' data, and atom-count's training data.")
    var data: String?
    @Option(help: "The split of --data the #Atoms predictor (and an atom-count oracle) is fitted on.")
    var fitSplit = "train"

    func validate() throws {
        if oracle == "atom-count" && data == nil { throw ValidationError("--oracle atom-count needs --data, the molecule set it is fitted on") }
    }

    /// The oracle: opened from its file (whatever property it predicts; `PropertyOracle.propertyIndex`
    /// checks it against a model's), or an atom-count model of `property` (a dataset column) fitted
    /// on --data's --fit-split.
    func makeOracle(property: String) throws -> PropertyOracle {
        let source = PropertyModelSource(argument: oracle)
        switch source {
        case .file(let path):
            return PropertyOracle(predictor: try PropertyModelFile.load(path), name: path)
        case .atomCount:
            guard let data else { throw ValidationError("--oracle atom-count needs --data") }
            let training = try LabelledSplit(path: data, split: fitSplit, properties: [property])
            let predictor = try source.predictor(for: training.columns[0], vocabulary: training.source.atomicNumbers,
                                                 labelledSizes: training.source.nodeCounts, labelledValues: training.values)
            return PropertyOracle(predictor: predictor, name: "atom-count (fitted on \(fitSplit) of \(data))")
        }
    }
}
