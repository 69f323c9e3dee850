import Foundation

/// Makes the `String` of a text column's value once for each value a column repeats, not once
/// per row.
///
/// A metric's group and category columns hold a few labels repeated over millions of rows
/// (`task`, `library`, `license`); making a `String` of each row's bytes allocates and copies it
/// every time, and the metric then hashes a fresh string. The interner keeps the column's most
/// recent distinct values and hands back the kept `String` when the bytes match one of them, so
/// such a column costs a length check and a `memcmp` per row, and equal labels share storage.
///
/// A column whose values rarely repeat (titles, ids) would only pay for the comparisons: once
/// ``probeRows`` look-ups have been made and fewer than half of all look-ups found their value,
/// the interner stops looking and makes every value's `String` as before. Either way the strings are exactly
/// `String(decoding:as: UTF8.self)` of the bytes.
struct TextInterner {
    /// Kept values: at most ``capacity``, replaced round-robin once full.
    private var bytes: [[UInt8]] = []
    private var strings: [String] = []
    private var next = 0
    private var lookups = 0
    private var hits = 0
    private var enabled = true

    static let capacity = 16
    static let probeRows = 4_096

    /// The string of `count` bytes at `pointer`.
    mutating func string(_ pointer: UnsafePointer<UInt8>, count: Int) -> String {
        guard enabled else { return String(decoding: UnsafeBufferPointer(start: pointer, count: count), as: UTF8.self) }
        lookups += 1
        for index in bytes.indices where bytes[index].count == count {
            let equal = bytes[index].withUnsafeBufferPointer { kept in
                count == 0 || memcmp(kept.baseAddress!, pointer, count) == 0
            }
            if equal {
                hits += 1
                return strings[index]
            }
        }
        if lookups >= Self.probeRows, hits * 2 < lookups {
            enabled = false
            bytes = []
            strings = []
        }
        let made = String(decoding: UnsafeBufferPointer(start: pointer, count: count), as: UTF8.self)
        guard enabled else { return made }
        let kept = Array(UnsafeBufferPointer(start: pointer, count: count))
        if bytes.count < Self.capacity {
            bytes.append(kept)
            strings.append(made)
        } else {
            bytes[next] = kept
            strings[next] = made
            next = (next + 1) % Self.capacity
        }
        return made
    }
}
