/// A record to screen: its identifier and the text the model reads (title and abstract).
public struct Document: Sendable, Hashable {
    /// The record's identifier, unique within one ranking or simulation.
    public var id: String
    /// Title and abstract, joined by a space; other fields are not read.
    public var text: String

    /// A record with the given identifier and text.
    public init(id: String, text: String) {
        self.id = id
        self.text = text
    }
}

/// A screening decision.
public enum Label: Sendable, Hashable {
    case relevant
    case irrelevant
}

/// One unlabelled record in ranked order.
public struct RankedDocument: Sendable, Hashable {
    /// The record's identifier.
    public var id: String
    /// The model's probability that the record is relevant, or `nil` when the order is the
    /// seeded random fallback (no relevant or no irrelevant decision yet).
    public var score: Double?

    /// A ranked record.
    public init(id: String, score: Double?) {
        self.id = id
        self.score = score
    }
}

/// A sparse vector: strictly increasing indices and their non-zero values.
public struct SparseVector: Sendable, Hashable {
    /// Indices of the stored entries, strictly increasing.
    public var indices: [Int]
    /// Values of the stored entries, parallel to `indices`.
    public var values: [Double]

    /// A vector from parallel arrays; the indices must be strictly increasing.
    public init(indices: [Int], values: [Double]) {
        precondition(indices.count == values.count, "indices and values must have the same length")
        self.indices = indices
        self.values = values
    }

    /// The dot product with a dense vector at least as long as the largest index.
    public func dot(_ dense: [Double]) -> Double {
        var sum = 0.0
        for k in indices.indices {
            sum += values[k] * dense[indices[k]]
        }
        return sum
    }
}

/// Why a model could not be fitted or a simulation could not run.
public enum PrioritizationError: Error, Sendable, Equatable, CustomStringConvertible {
    /// Two documents share an identifier.
    case duplicateIdentifier(String)
    /// A simulation document has no label.
    case missingLabel(id: String)
    /// The batch size is not positive.
    case invalidBatch(Int)
    /// More prior records were asked for than the dataset holds (or a negative number).
    case invalidPriorCount(label: Label, requested: Int, available: Int)
    /// The priors use up every relevant record, so recall cannot be measured.
    case noRelevantRecordsToFind
    /// A classifier needs at least one example of each class.
    case needsBothClasses(relevant: Int, irrelevant: Int)
    /// Feature vectors and labels (or warm-start coefficients) disagree in size.
    case dimensionMismatch(expected: Int, found: Int)

    public var description: String {
        switch self {
        case .duplicateIdentifier(let id):
            return "record id '\(id)' occurs more than once; each record needs a unique id"
        case .missingLabel(let id):
            return "record '\(id)' has no label; a simulation needs a relevant/irrelevant label for every record"
        case .invalidBatch(let batch):
            return "batch size must be at least 1, found \(batch)"
        case .invalidPriorCount(let label, let requested, let available):
            return "asked for \(requested) prior \(label) record(s), but the dataset has \(available); "
                + "choose between 0 and \(available)"
        case .noRelevantRecordsToFind:
            return "the prior records include every relevant record, so there is nothing left to find; "
                + "use fewer relevant priors"
        case .needsBothClasses(let relevant, let irrelevant):
            return "a classifier needs at least one relevant and one irrelevant example, "
                + "found \(relevant) relevant and \(irrelevant) irrelevant"
        case .dimensionMismatch(let expected, let found):
            return "expected \(expected) entries, found \(found)"
        }
    }
}
