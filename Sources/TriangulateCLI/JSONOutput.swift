import Foundation

/// Pretty, key-sorted JSON for commands whose output is data: stable bytes for the same study.
enum JSONOutput {
    static func print<T: Encodable>(_ value: T) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        Terminal.line(String(decoding: try encoder.encode(value), as: UTF8.self))
    }
}
