import Foundation
import Index
import Project

/// Selects participants by their attributes in participants.csv (`--where role=engineer`,
/// `--where years_experience>=5`): the case variables of a qualitative study.
///
/// Values compare as numbers when both sides read as numbers, otherwise as text; several
/// conditions must all hold.
public struct ParticipantFilter: Sendable, Equatable {
    public enum Operator: String, Sendable, CaseIterable {
        case notEqual = "!=", atLeast = ">=", atMost = "<=", equal = "=", greater = ">", less = "<"
    }

    public struct Condition: Sendable, Equatable {
        public var attribute: String
        public var op: Operator
        public var value: String
    }

    public var conditions: [Condition]

    /// Parses conditions such as `role=engineer` or `years>=5`.
    public init(_ expressions: [String]) throws {
        conditions = try expressions.map { expression in
            // Two-character operators first, so ">=" is not read as ">".
            for op in Operator.allCases {
                if let range = expression.range(of: op.rawValue) {
                    let attribute = expression[..<range.lowerBound].trimmingCharacters(in: .whitespaces)
                    let value = expression[range.upperBound...].trimmingCharacters(in: .whitespaces)
                    guard !attribute.isEmpty else { break }
                    return Condition(attribute: attribute, op: op, value: value)
                }
            }
            throw StudyError.invalid("expected a condition such as role=engineer or years_experience>=5, found '\(expression)'", at: nil)
        }
    }

    public var isEmpty: Bool { conditions.isEmpty }

    /// The ids of the participants that meet every condition.
    public func participants(in index: StudyIndex) throws -> Set<String> {
        var known = Set(["id", "pseudonym"])
        var selected = Set<String>()
        for entry in try index.participantEntries() {
            let id = entry.id, pseudonym = entry.pseudonym
            var attributes = entry.attributes
            known.formUnion(attributes.keys)
            attributes["id"] = id
            attributes["pseudonym"] = pseudonym
            if conditions.allSatisfy({ condition in attributes[condition.attribute].map { Self.holds(condition, $0) } ?? false }) {
                selected.insert(id)
            }
        }
        for condition in conditions where !known.contains(condition.attribute) {
            throw StudyError.unknown(kind: "participant attribute", name: condition.attribute, known: known.sorted())
        }
        return selected
    }

    static func holds(_ condition: Condition, _ actual: String) -> Bool {
        let order: ComparisonResult
        if let a = Double(actual.trimmingCharacters(in: .whitespaces)), let b = Double(condition.value) {
            order = a < b ? .orderedAscending : (a > b ? .orderedDescending : .orderedSame)
        } else {
            order = actual == condition.value ? .orderedSame : (actual < condition.value ? .orderedAscending : .orderedDescending)
        }
        switch condition.op {
        case .equal: return order == .orderedSame
        case .notEqual: return order != .orderedSame
        case .greater: return order == .orderedDescending
        case .atLeast: return order != .orderedAscending
        case .less: return order == .orderedAscending
        case .atMost: return order != .orderedDescending
        }
    }
}
