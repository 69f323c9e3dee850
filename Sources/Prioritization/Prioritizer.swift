/// Orders unscreened records by the relevance a model learns from the decisions so far.
///
/// This is ASReview's active-learning step with the "max" query strategy: fit TF-IDF on every
/// record (labelled or not, as ASReview does), train a class-balanced logistic regression on the
/// labelled ones, and screen the unlabelled ones most likely relevant first. Records are ordered
/// by log-odds, which separates records whose probabilities both round to 1, and then by id.
public struct Prioritizer: Sendable {
    /// Seed of the random order used before the model can be trained.
    public var seed: UInt64
    /// How texts become features.
    public var vectorizer: TFIDFVectorizer
    /// The model trained on the decisions.
    public var classifier: LogisticRegression

    /// A prioritizer with ASReview-like defaults: TF-IDF with English stop words and a balanced
    /// logistic regression with `C = 1`.
    public init(
        seed: UInt64 = 0,
        vectorizer: TFIDFVectorizer = TFIDFVectorizer(),
        classifier: LogisticRegression = LogisticRegression()
    ) {
        self.seed = seed
        self.vectorizer = vectorizer
        self.classifier = classifier
    }

    /// Ranks the unlabelled documents, most likely relevant first; ties broken by id.
    ///
    /// Labels whose ids match no document are ignored. With no relevant or no irrelevant label
    /// yet there is nothing to learn from, so the documents come in a random order fixed by
    /// `seed` (and independent of their input order), with `nil` scores; ASReview likewise asks
    /// for at least one relevant and one irrelevant "prior knowledge" record before it trains.
    public func rank(_ documents: [Document], labels: [String: Label]) -> [RankedDocument] {
        var vectorizer = self.vectorizer
        let features = vectorizer.fitTransform(documents.map(\.text))
        var known: [Int: Bool] = [:]
        for (index, document) in documents.enumerated() {
            if let label = labels[document.id] { known[index] = label == .relevant }
        }
        let candidates = documents.indices.filter { known[$0] == nil }
        var classifier = self.classifier
        return Self.rank(
            candidates: candidates, ids: documents.map(\.id), features: features,
            dimension: vectorizer.vocabulary.count, known: known, classifier: &classifier, seed: seed)
    }

    /// Ranks `candidates` (indices into `ids` and `features`) given the `known` decisions,
    /// refitting `classifier` in place so a simulation can warm-start the next fit.
    static func rank(
        candidates: [Int], ids: [String], features: [SparseVector], dimension: Int,
        known: [Int: Bool], classifier: inout LogisticRegression, seed: UInt64
    ) -> [RankedDocument] {
        let labelled = known.keys.sorted()
        do {
            try classifier.fit(
                labelled.map { features[$0] }, relevant: labelled.map { known[$0]! }, dimension: dimension)
        } catch {
            return randomOrder(candidates: candidates, ids: ids, seed: seed)
        }
        let scored = candidates.map { (index: $0, logit: classifier.decisionValue(features[$0])) }
        return scored
            .sorted { a, b in
                if a.logit != b.logit { return a.logit > b.logit }
                if ids[a.index] != ids[b.index] { return ids[a.index] < ids[b.index] }
                return a.index < b.index
            }
            .map { RankedDocument(id: ids[$0.index], score: LogisticRegression.sigmoid($0.logit)) }
    }

    static func randomOrder(candidates: [Int], ids: [String], seed: UInt64) -> [RankedDocument] {
        var order = candidates.sorted { ids[$0] != ids[$1] ? ids[$0] < ids[$1] : $0 < $1 }
        var generator = SplitMix64(seed: seed)
        generator.shuffle(&order)
        return order.map { RankedDocument(id: ids[$0], score: nil) }
    }
}
