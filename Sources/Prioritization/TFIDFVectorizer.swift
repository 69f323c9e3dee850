import Foundation

/// Turns texts into L2-normalised TF-IDF vectors, with scikit-learn's `TfidfVectorizer` defaults.
///
/// Tokens are maximal runs of Unicode letters and digits (general categories L* and N*, so
/// underscores, punctuation and combining marks separate tokens) of at least `minimumTokenLength`
/// code points, taken after lowercasing the whole text; stop words are then dropped. This is
/// scikit-learn's `token_pattern=r"(?u)[^\W_]{2,}"` with `lowercase=True`, and the stop words
/// default to scikit-learn's English list, as in ASReview's TF-IDF feature extractor.
///
/// Weights follow scikit-learn's defaults: term frequency is the raw count (or `1 + ln(count)`
/// when `sublinearTermFrequency` is set), the smoothed inverse document frequency is
/// `idf(t) = ln((1 + n) / (1 + df(t))) + 1`, and each row is divided by its Euclidean norm.
/// The vocabulary is every term seen while fitting (no minimum or maximum document frequency),
/// sorted by code point, so column indices match scikit-learn's.
public struct TFIDFVectorizer: Sendable {
    /// Whether term frequency is `1 + ln(count)` instead of the raw count (default `false`).
    public var sublinearTermFrequency: Bool
    /// Words dropped after tokenisation (default: `EnglishStopWords.set`).
    public var stopWords: Set<String>
    /// The shortest token kept, in Unicode code points (default 2).
    public var minimumTokenLength: Int

    /// Terms seen by `fit`, sorted by code point; a term's position is its column.
    public private(set) var vocabulary: [String] = []
    /// Smoothed inverse document frequency of each vocabulary term.
    public private(set) var inverseDocumentFrequency: [Double] = []
    private var columns: [String: Int] = [:]

    /// An unfitted vectorizer.
    public init(
        sublinearTermFrequency: Bool = false,
        stopWords: Set<String> = EnglishStopWords.set,
        minimumTokenLength: Int = 2
    ) {
        self.sublinearTermFrequency = sublinearTermFrequency
        self.stopWords = stopWords
        self.minimumTokenLength = max(1, minimumTokenLength)
    }

    /// The tokens of `text` in order, stop words removed.
    public func tokens(in text: String) -> [String] {
        var result: [String] = []
        forEachToken(in: text) { token in
            if !stopWords.contains(token) { result.append(token) }
        }
        return result
    }

    /// Learns the vocabulary and inverse document frequencies from `texts`.
    public mutating func fit(_ texts: [String]) {
        _ = fitTransform(texts)
    }

    /// Learns from `texts` and returns their vectors (one tokenisation pass).
    public mutating func fitTransform(_ texts: [String]) -> [SparseVector] {
        // Stop words are entered as -1, so one lookup per token both filters and numbers it.
        var provisional = Dictionary(uniqueKeysWithValues: stopWords.map { ($0, -1) })
        var terms: [String] = []
        var documentTerms: [[Int]] = []
        documentTerms.reserveCapacity(texts.count)
        for text in texts {
            var ids: [Int] = []
            forEachToken(in: text) { token in
                if let id = provisional[token] {
                    if id >= 0 { ids.append(id) }
                } else {
                    let id = terms.count
                    provisional[token] = id
                    terms.append(token)
                    ids.append(id)
                }
            }
            documentTerms.append(ids)
        }

        // Code point order equals UTF-8 byte order, which is how Python sorts str.
        let order = terms.indices.sorted { terms[$0].utf8.lexicographicallyPrecedes(terms[$1].utf8) }
        var column = [Int](repeating: 0, count: terms.count)
        for (position, id) in order.enumerated() {
            column[id] = position
        }
        vocabulary = order.map { terms[$0] }
        columns = Dictionary(uniqueKeysWithValues: vocabulary.enumerated().map { ($1, $0) })

        let counted = documentTerms.map { ids in Self.countTerms(ids.map { column[$0] }) }
        var documentFrequency = [Int](repeating: 0, count: vocabulary.count)
        for (indices, _) in counted {
            for index in indices {
                documentFrequency[index] += 1
            }
        }
        let n = Double(texts.count)
        inverseDocumentFrequency = documentFrequency.map { log((1 + n) / (1 + Double($0))) + 1 }
        return counted.map(weigh)
    }

    /// Vectors of `texts` in the fitted vocabulary; unknown terms are ignored.
    public func transform(_ texts: [String]) -> [SparseVector] {
        texts.map { text in
            var indices: [Int] = []
            forEachToken(in: text) { token in
                if let index = columns[token] { indices.append(index) }
            }
            return weigh(Self.countTerms(indices))
        }
    }

    private func weigh(_ counted: (indices: [Int], counts: [Int])) -> SparseVector {
        var values = [Double](repeating: 0, count: counted.indices.count)
        var squares = 0.0
        for k in counted.indices.indices {
            let count = Double(counted.counts[k])
            let tf = sublinearTermFrequency ? 1 + log(count) : count
            let value = tf * inverseDocumentFrequency[counted.indices[k]]
            values[k] = value
            squares += value * value
        }
        if squares > 0 {
            let norm = squares.squareRoot()
            for k in values.indices {
                values[k] /= norm
            }
        }
        return SparseVector(indices: counted.indices, values: values)
    }

    private static func countTerms(_ indices: [Int]) -> (indices: [Int], counts: [Int]) {
        let sorted = indices.sorted()
        var unique: [Int] = []
        var counts: [Int] = []
        for index in sorted {
            if unique.last == index {
                counts[counts.count - 1] += 1
            } else {
                unique.append(index)
                counts.append(1)
            }
        }
        return (unique, counts)
    }

    /// Calls `body` with each token long enough, stop words included. Scans UTF-8 bytes with an ASCII fast path; other
    /// scalars are decoded and classified by general category.
    private func forEachToken(in text: String, _ body: (String) -> Void) {
        var lowered = text.lowercased()
        let minimum = minimumTokenLength
        lowered.withUTF8 { bytes in
            var start = 0
            var scalars = 0
            var position = 0
            func flush(at end: Int) {
                if scalars >= minimum {
                    body(String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<end]), as: UTF8.self))
                }
                scalars = 0
            }
            while position < bytes.count {
                let byte = bytes[position]
                let length: Int
                let isWord: Bool
                if byte < 0x80 {
                    length = 1
                    isWord = (byte >= 0x61 && byte <= 0x7A) || (byte >= 0x30 && byte <= 0x39)
                } else {
                    length = byte >= 0xF0 ? 4 : byte >= 0xE0 ? 3 : 2
                    var value = UInt32(byte) & (length == 2 ? 0x1F : length == 3 ? 0x0F : 0x07)
                    for offset in 1..<length {
                        value = (value << 6) | (UInt32(bytes[position + offset]) & 0x3F)
                    }
                    isWord = Unicode.Scalar(value).map(Self.isLetterOrDigit) ?? false
                }
                if isWord {
                    if scalars == 0 { start = position }
                    scalars += 1
                } else if scalars > 0 {
                    flush(at: position)
                }
                position += length
            }
            if scalars > 0 { flush(at: bytes.count) }
        }
    }

    private static func isLetterOrDigit(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.properties.generalCategory {
        case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter,
             .decimalNumber, .letterNumber, .otherNumber:
            return true
        default:
            return false
        }
    }
}
