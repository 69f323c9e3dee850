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
        // Tokens are looked up by their UTF-8 bytes, so a String is made once per distinct term
        // rather than once per occurrence. Stop words are entered as -1, so one lookup per token
        // both filters and numbers it.
        var provisional = TermTable()
        for word in stopWords { provisional.insert(Array(word.utf8)[...], value: -1) }
        var terms: [String] = []
        var documentTerms: [[Int]] = []
        documentTerms.reserveCapacity(texts.count)
        for text in texts {
            var ids: [Int] = []
            forEachTokenBytes(in: text) { token in
                let hash = TermTable.hash(token)
                if let id = provisional.value(of: token, hash: hash) {
                    if id >= 0 { ids.append(id) }
                } else {
                    let id = terms.count
                    provisional.insert(token, hash: hash, value: id)
                    terms.append(String(decoding: token, as: UTF8.self))
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

        // Counted in one scratch array by column, so only each document's distinct terms are sorted.
        var countOf = [Int](repeating: 0, count: terms.count)
        let counted = documentTerms.map { ids -> (indices: [Int], counts: [Int]) in
            var unique: [Int] = []
            for id in ids {
                let index = column[id]
                if countOf[index] == 0 { unique.append(index) }
                countOf[index] += 1
            }
            unique.sort()
            let counts = unique.map { countOf[$0] }
            for index in unique { countOf[index] = 0 }
            return (unique, counts)
        }
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

    /// Calls `body` with each token long enough, stop words included.
    private func forEachToken(in text: String, _ body: (String) -> Void) {
        forEachTokenBytes(in: text) { body(String(decoding: $0, as: UTF8.self)) }
    }

    /// Calls `body` with the UTF-8 bytes of each token long enough (valid only during the call).
    /// Scans UTF-8 bytes with an ASCII fast path; other scalars are decoded and classified by
    /// general category.
    private func forEachTokenBytes(in text: String, _ body: (UnsafeBufferPointer<UInt8>) -> Void) {
        var lowered = text.lowercased()
        let minimum = minimumTokenLength
        lowered.withUTF8 { bytes in
            var start = 0
            var scalars = 0
            var position = 0
            func flush(at end: Int) {
                if scalars >= minimum {
                    body(UnsafeBufferPointer(rebasing: bytes[start..<end]))
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

/// Terms by their UTF-8 bytes: an open-addressing hash table (FNV-1a, linear probing) whose keys
/// live in one byte buffer, so looking a token up allocates nothing.
struct TermTable {
    private var bytes: [UInt8] = []
    private var starts: [Int] = []
    private var hashes: [UInt64] = []
    private var values: [Int] = []
    /// Entry index + 1 per slot; 0 is empty. The count is a power of two.
    private var slots = [Int](repeating: 0, count: 1 << 12)

    static func hash<Bytes: Collection<UInt8>>(_ key: Bytes) -> UInt64 {
        var hash: UInt64 = 0xcbf29ce484222325
        for byte in key { hash = (hash ^ UInt64(byte)) &* 0x100000001b3 }
        return hash
    }

    func value<Bytes: Collection<UInt8>>(of key: Bytes, hash: UInt64) -> Int? {
        let mask = slots.count - 1
        var slot = Int(truncatingIfNeeded: hash) & mask
        while slots[slot] != 0 {
            let entry = slots[slot] - 1
            if hashes[entry] == hash && matches(entry, key) { return values[entry] }
            slot = (slot + 1) & mask
        }
        return nil
    }

    mutating func insert<Bytes: Collection<UInt8>>(_ key: Bytes, value: Int) {
        insert(key, hash: Self.hash(key), value: value)
    }

    /// Adds a key that is not in the table yet.
    mutating func insert<Bytes: Collection<UInt8>>(_ key: Bytes, hash: UInt64, value: Int) {
        if (values.count + 1) * 2 > slots.count { grow() }
        starts.append(bytes.count)
        bytes.append(contentsOf: key)
        hashes.append(hash)
        values.append(value)
        place(values.count - 1)
    }

    private func matches<Bytes: Collection<UInt8>>(_ entry: Int, _ key: Bytes) -> Bool {
        let start = starts[entry]
        let end = entry + 1 < starts.count ? starts[entry + 1] : bytes.count
        guard end - start == key.count else { return false }
        var position = start
        for byte in key {
            if bytes[position] != byte { return false }
            position += 1
        }
        return true
    }

    private mutating func place(_ entry: Int) {
        let mask = slots.count - 1
        var slot = Int(truncatingIfNeeded: hashes[entry]) & mask
        while slots[slot] != 0 { slot = (slot + 1) & mask }
        slots[slot] = entry + 1
    }

    private mutating func grow() {
        slots = [Int](repeating: 0, count: slots.count * 2)
        for entry in values.indices { place(entry) }
    }
}
