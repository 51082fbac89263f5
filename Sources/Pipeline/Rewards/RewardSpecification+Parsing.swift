extension RewardSpecification {
    /// The names `--reward` knows: every term, then the functions.
    public static var knownNames: [String] {
        RewardTerm.allCases.map(\.rawValue) + ["target(REWARD, VALUE)", "window(REWARD, LOWER, UPPER)", "mw-window(LOWER, UPPER)"]
            + ShapeRewardTerm.knownNames
    }

    /// Parses a specification such as "0.5*qed + 0.5*validity" or "target(logp, 2)".
    /// Throws `PipelineError.unknownReward` naming an unknown term (and listing the known
    /// ones) or `PipelineError.invalidReward` saying what does not parse and where.
    public init(parsing text: String) throws {
        var parser = RewardParser(text: text)
        self = try parser.specification()
    }
}

/// A recursive-descent parser over the characters of a specification:
///
///     sum     := ['+' | '-'] product (('+' | '-') product)*
///     product := NUMBER '*' reward | reward ['*' NUMBER]
///     reward  := NAME | NAME '(' argument (',' argument)* ')' | '(' sum ')'
struct RewardParser {
    let text: String
    private let characters: [Character]
    private var position = 0

    init(text: String) {
        self.text = text
        characters = Array(text)
    }

    mutating func specification() throws -> RewardSpecification {
        skipSpaces()
        guard position < characters.count else { throw failure("empty; give a reward such as qed or \"0.5*qed + 0.5*validity\"") }
        let result = try sum()
        skipSpaces()
        if position < characters.count { throw failure("unexpected '\(characters[position])' at character \(position + 1)") }
        return result
    }

    private mutating func sum() throws -> RewardSpecification {
        var terms: [RewardSpecification.WeightedTerm] = []
        var sign = 1.0
        skipSpaces()
        if take("-") { sign = -1 } else { _ = take("+") }
        while true {
            var term = try product()
            term.weight *= sign
            terms.append(term)
            skipSpaces()
            if take("+") { sign = 1 } else if take("-") { sign = -1 } else { break }
        }
        if terms.count == 1, terms[0].weight == 1 { return terms[0].reward }
        return .sum(terms)
    }

    private mutating func product() throws -> RewardSpecification.WeightedTerm {
        skipSpaces()
        if let weight = try number() {
            skipSpaces()
            guard take("*") else { throw failure("a number alone is not a reward (at character \(position + 1)); write e.g. \(RewardNumber.text(weight))*qed") }
            return RewardSpecification.WeightedTerm(weight, try reward())
        }
        let reward = try reward()
        skipSpaces()
        if take("*") {
            skipSpaces()
            guard let weight = try number() else { throw failure("expected a number after '*' at character \(position + 1)") }
            return RewardSpecification.WeightedTerm(weight, reward)
        }
        return RewardSpecification.WeightedTerm(1, reward)
    }

    private mutating func reward() throws -> RewardSpecification {
        skipSpaces()
        if take("(") {
            let inner = try sum()
            try expect(")")
            return inner
        }
        let start = position
        guard let name = identifier() else {
            if position < characters.count { throw failure("expected a reward at character \(position + 1), found '\(characters[position])'") }
            throw failure("expected a reward at the end")
        }
        skipSpaces()
        guard take("(") else {
            guard let term = RewardTerm(rawValue: name.lowercased()) else {
                throw PipelineError.unknownReward(term: name, known: RewardSpecification.knownNames)
            }
            return .term(term)
        }
        switch name.lowercased() {
        case "target":
            let property = try sum()
            try expect(",")
            let value = try requiredNumber("the target value")
            try expect(")")
            return .target(property, value: value)
        case "window":
            let property = try sum()
            try expect(",")
            return try window(property, at: start)
        case "mw-window":
            return try window(.term(.mw), at: start)
        case "class", "chamfer", "aspect", "symmetry":
            return .shape(try shapeTerm(name.lowercased(), at: start))
        default:
            throw PipelineError.unknownReward(term: name + "(…)", known: RewardSpecification.knownNames)
        }
    }

    private mutating func window(_ property: RewardSpecification, at start: Int) throws -> RewardSpecification {
        let lower = try requiredNumber("the window's lower bound")
        try expect(",")
        let upper = try requiredNumber("the window's upper bound")
        try expect(")")
        guard lower < upper else {
            throw failure("the window at character \(start + 1) needs lower < upper (got \(RewardNumber.text(lower)), \(RewardNumber.text(upper)))")
        }
        return .window(property, lower: lower, upper: upper)
    }

    /// The arguments of a shape term after its '(' up to its ')'.
    private mutating func shapeTerm(_ name: String, at start: Int) throws -> ShapeRewardTerm {
        var arguments = [try rawArgument()]
        while take(",") { arguments.append(try rawArgument()) }
        try expect(")")
        func fail(_ reason: String) -> PipelineError { failure("\(name)(…) at character \(start + 1): \(reason)") }
        switch name {
        case "class":
            guard arguments.count <= 2 else { throw fail("takes a category and optionally a model file") }
            return .classLogProbability(category: arguments[0], model: arguments.count == 2 ? arguments[1] : nil)
        case "chamfer":
            guard arguments.count == 1 else { throw fail("takes one file (a shape or a shape set)") }
            return .chamfer(target: arguments[0])
        case "aspect":
            let parts = arguments.count == 1 ? arguments[0].split(separator: ":").map(String.init) : arguments
            let values = parts.compactMap { Double($0.trimmingCharacters(in: .whitespaces)) }
            guard values.count == 3, values.allSatisfy({ $0 > 0 && $0.isFinite }) else {
                throw fail("takes three positive extents X:Y:Z, e.g. aspect(2:1:1); got '\(arguments.joined(separator: ","))'")
            }
            return .aspect(x: values[0], y: values[1], z: values[2])
        default:
            guard arguments.count == 1, let axis = ShapeRewardTerm.Axis(rawValue: arguments[0].lowercased()) else {
                throw fail("takes the axis the mirror plane is normal to: x, y or z; got '\(arguments.joined(separator: ","))'")
            }
            return .symmetry(axis)
        }
    }

    /// Text up to the next ',' or ')' (a name, a path, "2:1:1"), trimmed; not empty.
    private mutating func rawArgument() throws -> String {
        skipSpaces()
        var end = position
        while end < characters.count, characters[end] != ",", characters[end] != ")" { end += 1 }
        let text = String(characters[position ..< end]).trimmingCharacters(in: .whitespaces)
        guard !text.isEmpty else { throw failure("expected an argument at character \(position + 1)") }
        position = end
        return text
    }

    // MARK: Tokens

    private mutating func skipSpaces() {
        while position < characters.count, characters[position].isWhitespace { position += 1 }
    }

    private mutating func take(_ character: Character) -> Bool {
        skipSpaces()
        guard position < characters.count, characters[position] == character else { return false }
        position += 1
        return true
    }

    private mutating func expect(_ character: Character) throws {
        guard take(character) else {
            let found = position < characters.count ? "'\(characters[position])'" : "the end"
            throw failure("expected '\(character)' at character \(position + 1), found \(found)")
        }
    }

    /// A name: a letter, then letters, digits, '-' and '_', not ending in '-'.
    private mutating func identifier() -> String? {
        skipSpaces()
        guard position < characters.count, characters[position].isLetter else { return nil }
        var end = position
        while end < characters.count, characters[end].isLetter || characters[end].isNumber || characters[end] == "-" || characters[end] == "_" {
            end += 1
        }
        while characters[end - 1] == "-" { end -= 1 }
        defer { position = end }
        return String(characters[position..<end])
    }

    /// A finite decimal number (optionally signed, with an exponent), or nil when none starts here.
    private mutating func number() throws -> Double? {
        skipSpaces()
        var end = position
        if end < characters.count, characters[end] == "-" || characters[end] == "+" { end += 1 }
        guard end < characters.count, characters[end].isNumber || characters[end] == "." else { return nil }
        while end < characters.count {
            let c = characters[end]
            if c.isNumber || c == "." { end += 1 } else if (c == "e" || c == "E"), end + 1 < characters.count,
                characters[end + 1].isNumber || ((characters[end + 1] == "-" || characters[end + 1] == "+") && end + 2 < characters.count && characters[end + 2].isNumber) {
                end += 2
            } else { break }
        }
        let token = String(characters[position..<end])
        guard let value = Double(token), value.isFinite else { throw failure("'\(token)' at character \(position + 1) is not a number") }
        position = end
        return value
    }

    private mutating func requiredNumber(_ what: String) throws -> Double {
        guard let value = try number() else {
            let found = position < characters.count ? "'\(characters[position])'" : "the end"
            throw failure("expected \(what) at character \(position + 1), found \(found)")
        }
        return value
    }

    private func failure(_ reason: String) -> PipelineError {
        .invalidReward(specification: text, reason: reason)
    }
}
