import Core
import Foundation

extension BibliographicRecord {
    /// The record's id across a review's exports: `file#key`, with the file as it was read.
    public var recordID: String { "\(location.file)#\(key)" }

    /// The records with every repeated key of a file made unique by a suffix `-2`, `-3`, ... in
    /// file order, so record ids are unique: Scopus, for one, keys every proceedings volume of a
    /// year `2025`. The first record keeps its key; the parser has already warned about the rest.
    public static func withUniqueKeys(_ records: [BibliographicRecord]) -> [BibliographicRecord] {
        var used = Set(records.map(\.recordID))
        var seen: Set<String> = []
        return records.map { record in
            guard seen.insert(record.recordID).inserted else {
                var copy = record
                var counter = 2
                repeat {
                    copy.key = "\(record.key)-\(counter)"
                    counter += 1
                } while used.contains(copy.recordID)
                used.insert(copy.recordID)
                seen.insert(copy.recordID)
                return copy
            }
            return record
        }
    }

    /// The family name of the first author, folded like a normalised title (`müller` → `muller`).
    ///
    /// `Family, Given` gives the part before the comma; `Smith J.` (Scopus, Embase) gives the first
    /// word, because the last one is initials; `Given Family` gives the last word.
    public var firstAuthorFamilyName: String? {
        guard let first = authors.first else { return nil }
        let name: Substring
        if let comma = first.firstIndex(of: ",") {
            name = first[..<comma]
        } else {
            let words = first.split(separator: " ")
            guard let last = words.last else { return nil }
            name = words.count > 1 && Self.isInitials(last) ? words[0] : last
        }
        let folded = TitleNormalizer.normalize(String(name)).filter { $0 != " " }
        return folded.isEmpty ? nil : folded
    }

    /// True for a word of initials as Scopus and Embase write them: `J.`, `J.-P.`, `JA`.
    static func isInitials(_ word: Substring) -> Bool {
        let letters = word.filter { $0.isLetter }
        return !letters.isEmpty && (word.contains(".") || (letters.count <= 2 && letters == letters.uppercased()))
    }
}

/// Title normalisation for duplicate detection.
public enum TitleNormalizer {
    /// Lowercase, diacritics and width folded (`é` → `e`), every run of characters that are not
    /// letters or digits collapsed to one space, trimmed.
    public static func normalize(_ title: String) -> String {
        // Most titles are ASCII: lowercase them byte by byte and skip Foundation's Unicode
        // folding, which costs most of a deduplication run.
        if title.utf8.allSatisfy({ $0 < 0x80 }) {
            var bytes: [UInt8] = []
            bytes.reserveCapacity(title.utf8.count)
            var pendingSpace = false
            for byte in title.utf8 {
                let lower = (0x41...0x5A).contains(byte) ? byte + 0x20 : byte
                if (0x61...0x7A).contains(lower) || (0x30...0x39).contains(lower) {
                    if pendingSpace && !bytes.isEmpty { bytes.append(0x20) }
                    pendingSpace = false
                    bytes.append(lower)
                } else {
                    pendingSpace = true
                }
            }
            return String(decoding: bytes, as: UTF8.self)
        }
        let folded = title.folding(options: [.caseInsensitive, .diacriticInsensitive, .widthInsensitive], locale: nil)
        var result = ""
        result.reserveCapacity(folded.utf8.count)
        var pendingSpace = false
        for scalar in folded.unicodeScalars {
            if scalar.properties.isAlphabetic || ("0"..."9").contains(scalar) {
                if pendingSpace && !result.isEmpty { result.append(" ") }
                pendingSpace = false
                result.unicodeScalars.append(contentsOf: scalar.properties.lowercaseMapping.unicodeScalars)
            } else {
                pendingSpace = true
            }
        }
        return result
    }

    /// Jaccard similarity of the two titles' sets of normalised words: shared words over all words.
    ///
    /// Word sets (rather than edit distance) ignore word order and punctuation differences that
    /// databases introduce (`Model-driven` vs `Model driven`, subtitles after `:` or `--`), and
    /// they allow an exact index-based search for similar pairs; see `Deduplicator`.
    public static func similarity(_ first: String, _ second: String) -> Double {
        jaccard(Set(normalize(first).split(separator: " ")), Set(normalize(second).split(separator: " ")))
    }

    static func jaccard<T: Hashable>(_ first: Set<T>, _ second: Set<T>) -> Double {
        if first.isEmpty && second.isEmpty { return 1 }
        let shared = first.intersection(second).count
        return Double(shared) / Double(first.count + second.count - shared)
    }
}

/// A set of records judged to be the same publication, and the one kept for screening.
public struct DuplicateGroup: Sendable, Equatable {
    /// One duplicate and why it belongs to the group.
    public struct Member: Sendable, Equatable {
        public var recordID: String
        /// `same DOI 10.…`, `title 0.96 similar, same year and first author`, or a reviewer's decision.
        public var reason: String

        public init(recordID: String, reason: String) {
            self.recordID = recordID
            self.reason = reason
        }
    }

    /// The kept record's id; `dedupe.csv` refers to groups by it.
    public var id: String { kept }
    /// The most complete record of the group (most non-empty fields; ties go to the smaller id).
    public var kept: String
    /// The other records, by record id.
    public var duplicates: [Member]

    public init(kept: String, duplicates: [Member]) {
        self.kept = kept
        self.duplicates = duplicates
    }
}

/// What a deduplication run found.
public struct DedupeResult: Sendable, Equatable {
    /// Groups of two or more records, ordered by kept record id.
    public var groups: [DuplicateGroup]
    /// Decisions that name a record or group no longer among the records (stale after a re-import).
    public var unmatchedDecisions: [DedupeDecision]

    public init(groups: [DuplicateGroup], unmatchedDecisions: [DedupeDecision] = []) {
        self.groups = groups
        self.unmatchedDecisions = unmatchedDecisions
    }

    /// The ids of records removed as duplicates.
    public var removedRecordIDs: Set<String> { Set(groups.flatMap { $0.duplicates.map(\.recordID) }) }
    /// How many records were removed as duplicates (PRISMA's "duplicate records removed").
    public var duplicateCount: Int { groups.reduce(0) { $0 + $1.duplicates.count } }
}

/// Finds duplicate records across a review's exports.
///
/// Two records are duplicates when they share a DOI (compared without LaTeX backslashes, which some
/// exports leave in `10.6688/jise.202501\_41`), or when their titles have a word-set Jaccard
/// similarity of at least `threshold`, their years are at most one apart (publication and
/// online-first years differ), their first authors' family names agree and their volume numbers,
/// when both have one, are equal (the volumes of one proceedings share a title). Two different
/// DOIs allow a title match only for identical titles in the same year: ACM and IEEE give
/// co-published proceedings papers one DOI each. A missing year or author does not veto a match, but a title then needs at
/// least five words, so that `Preface` or `Editorial` alone never merges two records. Matches are
/// transitive: groups are the connected components of the match graph.
///
/// Similar titles are found without comparing all pairs, with the prefix filter of set-similarity
/// joins (Chaudhuri, Ganti and Kaushik 2006; Bayardo et al. 2007): each title's words are sorted
/// rarest first, and two sets with Jaccard ≥ t must share a word among the first
/// `|A| - ⌈t·|A|⌉ + 1` of each. Only the rarest one or two words of each title are indexed at
/// t = 0.9, so candidate lists stay short, and the filter loses no pair that meets the threshold.
public struct Deduplicator: Sendable {
    public var threshold: Double

    public init(threshold: Double = 0.9) {
        self.threshold = threshold
    }

    private struct Prepared {
        var id: String
        var doi: String?
        var year: Int?
        var family: String?
        var volume: Int?
        var tokens: [Int]
        var completeness: Int
    }

    private struct Edge {
        var other: Int
        var reason: String
    }

    /// What `titleMatch` compares, so records equal in it are interchangeable in the join.
    private struct Signature: Hashable {
        var tokens: [Int]
        var doi: String?
        var year: Int?
        var family: String?
        var volume: Int?
    }

    /// Groups `records` and applies reviewers' `decisions` (the last decision per record wins):
    /// `not-duplicate` detaches a record from every automatic match, `duplicate-of` joins it to the
    /// group of the record named in the decision's `group`.
    public func run(_ records: [BibliographicRecord], decisions: [DedupeDecision] = []) -> DedupeResult {
        var vocabulary: [String: Int] = [:]
        var prepared: [Prepared] = []
        prepared.reserveCapacity(records.count)
        for record in records {
            let words = Set(TitleNormalizer.normalize(record.title ?? "").split(separator: " ").map(String.init))
            var tokens: [Int] = []
            tokens.reserveCapacity(words.count)
            for word in words {
                if let id = vocabulary[word] {
                    tokens.append(id)
                } else {
                    tokens.append(vocabulary.count)
                    vocabulary[word] = vocabulary.count
                }
            }
            // Not trimmingCharacters: on Linux it copies every abstract through NSString.
            let completeness = record.fields.values.filter { $0.unicodeScalars.contains { !$0.properties.isWhitespace } }.count
            prepared.append(Prepared(
                id: record.recordID, doi: record.doi?.replacingOccurrences(of: "\\", with: ""), year: record.year,
                family: record.firstAuthorFamilyName,
                volume: record.fields["volume"].flatMap { Int($0.prefix(while: \.isNumber).prefix(9)) },
                tokens: tokens, completeness: completeness))
        }
        // Reviewers' decisions, the last one per record; a detached record takes part in no
        // automatic match, so it is left out of the DOI and title passes altogether.
        let position = Dictionary(prepared.enumerated().map { ($1.id, $0) }, uniquingKeysWith: { first, _ in first })
        var lastDecision: [Int: DedupeDecision] = [:]
        var unmatched: [DedupeDecision] = []
        for decision in decisions {
            guard let record = position[decision.record], decision.kind == .notDuplicate || position[decision.group] != nil else {
                unmatched.append(decision)
                continue
            }
            lastDecision[record] = decision
        }
        let detached = Set(lastDecision.filter { $0.value.kind == .notDuplicate }.keys)

        var edges = [[Edge]](repeating: [], count: records.count)
        func link(_ first: Int, _ second: Int, _ reason: String) {
            edges[first].append(Edge(other: second, reason: reason))
            edges[second].append(Edge(other: first, reason: reason))
        }

        // Same DOI: link every record to the first one carrying it.
        var firstWithDOI: [String: Int] = [:]
        for (index, item) in prepared.enumerated() where !detached.contains(index) {
            guard let doi = item.doi else { continue }
            if let first = firstWithDOI[doi] { link(first, index, "same DOI \(doi)") } else { firstWithDOI[doi] = index }
        }

        // Records alike in every field a title match looks at match each other or none: each such
        // class enters the similarity join once, through its first record, and its other records
        // are linked to that one. Four thousand copies of one record thus cost 4,000 edges, not
        // the 8 million pairs of comparing each with each.
        var representative: [Signature: Int] = [:]
        var joined: [Int] = []
        for index in prepared.indices where !detached.contains(index) && !prepared[index].tokens.isEmpty {
            let item = prepared[index]
            let signature = Signature(tokens: item.tokens.sorted(), doi: item.doi, year: item.year, family: item.family, volume: item.volume)
            if let first = representative[signature] {
                if item.doi == nil, let reason = titleMatch(prepared[first], item, Set(item.tokens)) { link(first, index, reason) }
            } else {
                representative[signature] = index
                joined.append(index)
            }
        }

        // Similar titles through the prefix-filtered inverted index.
        var frequency = [Int](repeating: 0, count: vocabulary.count)
        for item in prepared { for token in item.tokens { frequency[token] += 1 } }
        for index in prepared.indices {
            prepared[index].tokens.sort { (frequency[$0], $0) < (frequency[$1], $1) }
        }
        var index: [Int: [Int]] = [:]
        var seenAt = [Int](repeating: -1, count: records.count)
        for current in joined {
            let tokens = prepared[current].tokens
            let prefix = tokens.count - Int((threshold * Double(tokens.count) - 1e-9).rounded(.up)) + 1
            let probe = tokens.prefix(max(1, prefix))
            let set = Set(tokens)
            for token in probe {
                for other in index[token, default: []] where seenAt[other] != current {
                    seenAt[other] = current
                    if let reason = titleMatch(prepared[other], prepared[current], set) { link(other, current, reason) }
                }
            }
            for token in probe { index[token, default: []].append(current) }
        }

        for (record, decision) in lastDecision.sorted(by: { $0.key < $1.key }) where decision.kind == .duplicateOf {
            guard let target = position[decision.group] else { continue }
            if target != record && !edges[record].contains(where: { $0.other == target }) {
                link(record, target, "marked duplicate of \(decision.group) by \(decision.reviewer)")
            }
        }

        return DedupeResult(groups: groups(prepared, edges, lastDecision), unmatchedDecisions: unmatched)
    }

    private func titleMatch(_ first: Prepared, _ second: Prepared, _ secondSet: Set<Int>) -> String? {
        if let a = first.volume, let b = second.volume, a != b { return nil }
        var doiText = ""
        if let a = first.doi, let b = second.doi, a != b {
            // Co-published proceedings carry one DOI per publisher (ACM and IEEE); only an
            // identical title in the same year outweighs two different DOIs.
            guard first.tokens.count == second.tokens.count, first.tokens.allSatisfy(secondSet.contains),
                first.year != nil, first.year == second.year
            else { return nil }
            doiText = " (different DOIs)"
        }
        let smaller = min(first.tokens.count, second.tokens.count), larger = max(first.tokens.count, second.tokens.count)
        guard Double(smaller) >= threshold * Double(larger) - 1e-9 else { return nil }
        let shared = first.tokens.reduce(0) { $0 + (secondSet.contains($1) ? 1 : 0) }
        let similarity = Double(shared) / Double(first.tokens.count + second.tokens.count - shared)
        guard similarity >= threshold - 1e-9 else { return nil }
        var yearText = "no year on one"
        if let a = first.year, let b = second.year {
            guard abs(a - b) <= 1 else { return nil }
            yearText = a == b ? "same year" : "years 1 apart"
        }
        var authorText = "no author on one"
        if let a = first.family, let b = second.family {
            guard a == b else { return nil }
            authorText = "same first author"
        }
        if (first.year == nil || second.year == nil || first.family == nil || second.family == nil) && smaller < 5 {
            return nil
        }
        return "title \(String(format: "%.2f", similarity)) similar, \(yearText), \(authorText)\(doiText)"
    }

    /// Connected components of two or more records, each explained by a breadth-first walk from
    /// the kept record so every member's reason names the match that reached it.
    private func groups(_ prepared: [Prepared], _ edges: [[Edge]], _ decisions: [Int: DedupeDecision]) -> [DuplicateGroup] {
        var component = [Int](repeating: -1, count: prepared.count)
        var result: [DuplicateGroup] = []
        for start in prepared.indices where component[start] < 0 && !edges[start].isEmpty {
            var members = [start]
            component[start] = start
            var cursor = 0
            while cursor < members.count {
                for edge in edges[members[cursor]] where component[edge.other] < 0 {
                    component[edge.other] = start
                    members.append(edge.other)
                }
                cursor += 1
            }
            let kept = members.min { a, b in
                (prepared[a].completeness, prepared[b].id) > (prepared[b].completeness, prepared[a].id)
            }!
            var reason: [Int: String] = [kept: ""]
            var queue = [kept]
            cursor = 0
            while cursor < queue.count {
                let node = queue[cursor]
                cursor += 1
                for edge in edges[node].sorted(by: { prepared[$0.other].id < prepared[$1.other].id }) where reason[edge.other] == nil {
                    reason[edge.other] = node == kept ? edge.reason : "\(edge.reason) to \(prepared[node].id)"
                    queue.append(edge.other)
                }
            }
            var duplicates: [DuplicateGroup.Member] = []
            for member in members where member != kept {
                // A DOI shared with the kept record is the plainest explanation, whatever path the walk took.
                var text = reason[member]!
                if let doi = prepared[member].doi, doi == prepared[kept].doi { text = "same DOI \(doi)" }
                if let decision = decisions[member], decision.kind == .duplicateOf, !text.hasPrefix("marked duplicate") {
                    text += "; confirmed by \(decision.reviewer)"
                }
                duplicates.append(DuplicateGroup.Member(recordID: prepared[member].id, reason: text))
            }
            duplicates.sort { $0.recordID < $1.recordID }
            result.append(DuplicateGroup(kept: prepared[kept].id, duplicates: duplicates))
        }
        return result.sorted { $0.kept < $1.kept }
    }
}

/// A reviewer's verdict on one record of a duplicate group, a row of `corpus/literature/dedupe.csv`.
public struct DedupeDecision: Sendable, Equatable {
    public enum Kind: String, Sendable, CaseIterable {
        case duplicateOf = "duplicate-of"
        case notDuplicate = "not-duplicate"
    }

    /// The group, named by the id of a record in it (normally the kept one).
    public var group: String
    public var record: String
    public var kind: Kind
    public var reviewer: String

    public init(group: String, record: String, kind: Kind, reviewer: String) {
        self.group = group
        self.record = record
        self.kind = kind
        self.reviewer = reviewer
    }
}

/// `dedupe.csv` (`group,record,decision,reviewer`), appended to as reviewers decide.
public enum DedupeDecisionFile: DecisionFile {
    public static func columns(_: Void) -> [String] { ["group", "record", "decision", "reviewer"] }

    public static func decode(_ row: DecisionRow, context: Void) throws -> DedupeDecision {
        for name in columns() where row[name].isEmpty {
            throw row.invalid(name, expected: "a value for '\(name)'", found: "an empty cell")
        }
        guard let kind = DedupeDecision.Kind(rawValue: row["decision"]) else {
            throw row.invalid("decision", expected: "'duplicate-of' or 'not-duplicate'", found: "'\(row["decision"])'")
        }
        return DedupeDecision(group: row["group"], record: row["record"], kind: kind, reviewer: row["reviewer"])
    }

    public static func cells(of decision: DedupeDecision) -> [String: String] {
        ["group": decision.group, "record": decision.record, "decision": decision.kind.rawValue, "reviewer": decision.reviewer]
    }
}
