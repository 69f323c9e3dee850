import Foundation

/// What saturation counts as "one code".
public enum SaturationCount: String, Sendable, CaseIterable {
    /// Each code id is one code: `selection/license` and `attribute/license` are two.
    case code
    /// Codes with the same label are one: the label is the code's name (the codebook's `name`,
    /// or the last part of its id), compared exactly. This is how the ICSE 2023 authors counted
    /// (InterviewSaturation.ipynb): `license` as a selection criterion and as a model attribute
    /// is one code.
    case label
}

/// One participant's step on the saturation curve.
public struct SaturationStep: Sendable, Equatable {
    public var participant: String
    /// The distinct codes (ids) applied to this participant — what the notebook prints per
    /// subject, whichever way the curve counts.
    public var codesApplied: Int
    /// The distinct codes as counted (ids or labels) for this participant.
    public var counted: Int
    /// What this participant added that no earlier one had, sorted.
    public var new: [String]
    /// Distinct codes as counted, over this participant and every earlier one.
    public var cumulative: Int

    public init(participant: String, codesApplied: Int, counted: Int, new: [String], cumulative: Int) {
        self.participant = participant
        self.codesApplied = codesApplied
        self.counted = counted
        self.new = new
        self.cumulative = cumulative
    }
}

/// The saturation curve: cumulative distinct codes as participants are added in interview order.
public enum Saturation {
    /// - Parameters:
    ///   - order: the participants in interview order (see `InterviewOrder`); a participant with no
    ///     codes is a step that adds nothing.
    ///   - codes: the codes applied to each participant (`ParticipantEvidence.codesByParticipant`).
    ///   - names: code id → name, from the codebooks, for counting by label.
    public static func curve(order: [String], codes: [String: Set<String>], count: SaturationCount,
                             names: [String: String] = [:]) -> [SaturationStep] {
        var seen = Set<String>()
        return order.map { participant in
            let applied = codes[participant] ?? []
            let counted = Set(applied.map { count == .code ? $0 : label(of: $0, names: names) })
            let new = counted.subtracting(seen).sorted()
            seen.formUnion(new)
            return SaturationStep(participant: participant, codesApplied: applied.count, counted: counted.count, new: new,
                                  cumulative: seen.count)
        }
    }

    /// A code's label: its name from the codebook, else the last `/`-separated part of its id.
    public static func label(of code: String, names: [String: String]) -> String {
        names[code] ?? code.split(separator: "/").last.map(String.init) ?? code
    }
}

/// The order in which participants were interviewed, which saturation follows.
public enum InterviewOrder {
    /// Participants sorted by an interview date (an attribute, or the date in a transcript's file
    /// name); equal dates keep the order given. Every participant must have a date that reads as
    /// `YYYY-MM-DD` or `YYYYMMDD`, or the order would be a guess.
    public static func byDate(_ participants: [String], dates: [String: String]) throws -> [String] {
        var keyed: [(participant: String, date: Int, position: Int)] = []
        var problems: [String] = []
        for (position, participant) in participants.enumerated() {
            guard let text = dates[participant], !text.isEmpty else {
                problems.append("\(participant) has no interview date")
                continue
            }
            guard let date = dateKey(text) else {
                problems.append("\(participant)'s interview date '\(text)' is not a date; expected YYYY-MM-DD or YYYYMMDD")
                continue
            }
            keyed.append((participant, date, position))
        }
        if !problems.isEmpty {
            throw CodingError("cannot order the interviews by date: " + problems.joined(separator: "; "), at: nil)
        }
        return keyed.sorted { ($0.date, $0.position) < ($1.date, $1.position) }.map(\.participant)
    }

    /// An explicit order, which must name every participant exactly once.
    public static func explicit(_ order: [String], participants: [String]) throws -> [String] {
        let known = Set(participants)
        var seen = Set<String>(), problems: [String] = []
        for participant in order {
            if !known.contains(participant) { problems.append("'\(participant)' is not a participant") }
            if !seen.insert(participant).inserted { problems.append("'\(participant)' is listed twice") }
        }
        let missing = participants.filter { !seen.contains($0) }
        if !missing.isEmpty { problems.append("the order leaves out \(missing.joined(separator: ", "))") }
        if !problems.isEmpty {
            throw CodingError("expected an interview order naming each participant once: " + problems.joined(separator: "; "), at: nil)
        }
        return order
    }

    /// The date in a file name such as `Interview-03-20220710.docx` or `P03_2022-07-10.txt`, as
    /// `YYYY-MM-DD`; nil when it holds none, or more than one.
    public static func date(inFileName name: String) -> String? {
        let patterns = [#"(?<![0-9])(\d{4})-(\d{2})-(\d{2})(?![0-9])"#, #"(?<![0-9])(\d{4})(\d{2})(\d{2})(?![0-9])"#]
        var found: [String] = []
        for pattern in patterns {
            guard let regex = try? NSRegularExpression(pattern: pattern) else { continue }
            let range = NSRange(name.startIndex..., in: name)
            for match in regex.matches(in: name, range: range) {
                let parts = (1...3).compactMap { Range(match.range(at: $0), in: name).map { String(name[$0]) } }
                let date = parts.joined(separator: "-")
                if dateKey(date) != nil { found.append(date) }
            }
        }
        return found.count == 1 ? found[0] : nil
    }

    /// A date as a sortable number, checking that month and day exist.
    static func dateKey(_ text: String) -> Int? {
        let digits = text.trimmingCharacters(in: .whitespaces).replacingOccurrences(of: "-", with: "")
        guard digits.count == 8, digits.allSatisfy(\.isASCII), let value = Int(digits) else { return nil }
        let year = value / 10000, month = value / 100 % 100, day = value % 100
        var components = DateComponents(year: year, month: month, day: day)
        components.calendar = Calendar(identifier: .gregorian)
        guard (1...12).contains(month), day >= 1, components.isValidDate else { return nil }
        return value
    }
}

/// Guest, Namey and Chen's (2020) stopping criterion for thematic saturation ("A simple method to
/// assess and report thematic saturation in qualitative research", PLoS ONE 15(5): e0232076).
///
/// The codes of the first `base` interviews are the base. Then a run of `run` consecutive
/// interviews is moved along one interview at a time; a run's new information is the number of
/// codes it holds that no interview before it had, as a share of the base's count. Saturation is
/// reached at the first run whose share is at most `threshold`, and is reported as the number of
/// interviews before that run ("saturation at 7 interviews, with ≤5% new information in the next
/// 2"). The defaults are the ones the authors recommend: base 4, run 2, threshold 5%.
public struct GuestStoppingRule: Sendable, Equatable {
    public var base: Int
    public var run: Int
    public var threshold: Double

    public init(base: Int = 4, run: Int = 2, threshold: Double = 0.05) throws {
        guard base >= 1, run >= 1, threshold.isFinite, threshold >= 0 else {
            throw CodingError("expected a base size and run length of at least 1 and a threshold of 0 or more, found base \(base), run \(run), threshold \(threshold)", at: nil)
        }
        self.base = base
        self.run = run
        self.threshold = threshold
    }

    /// One run of interviews after the base.
    public struct Run: Sendable, Equatable {
        /// Interview numbers (counting from 1) of the run's first and last interview.
        public var first: Int
        public var last: Int
        /// Codes in the run that no earlier interview had.
        public var new: Int
        /// `new` divided by the base's count.
        public var share: Double
        public var meetsThreshold: Bool
    }

    /// The criterion applied to a curve.
    public struct Assessment: Sendable, Equatable {
        public var rule: GuestStoppingRule
        /// Distinct codes in the base.
        public var baseCount: Int
        public var runs: [Run]
        /// Interviews needed to reach saturation (before the first run meeting the threshold);
        /// nil when no run meets it, or there are too few interviews for the base and one run.
        public var saturationAt: Int?
    }

    public func assess(_ steps: [SaturationStep]) -> Assessment {
        let cumulative = steps.map(\.cumulative)
        guard steps.count >= base else { return Assessment(rule: self, baseCount: cumulative.last ?? 0, runs: [], saturationAt: nil) }
        let baseCount = cumulative[base - 1]
        var runs: [Run] = []
        var saturation: Int? = nil
        var first = base
        while first + run <= steps.count {
            let before = cumulative[first - 1]
            let new = cumulative[first + run - 1] - before
            let share = baseCount == 0 ? (new == 0 ? 0 : .infinity) : Double(new) / Double(baseCount)
            let meets = share <= threshold
            runs.append(Run(first: first + 1, last: first + run, new: new, share: share, meetsThreshold: meets))
            if meets && saturation == nil { saturation = first }
            first += 1
        }
        return Assessment(rule: self, baseCount: baseCount, runs: runs, saturationAt: saturation)
    }
}
