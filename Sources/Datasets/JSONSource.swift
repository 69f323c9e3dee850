import Core
import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// JSON Lines (one object per line) and JSON arrays of objects, read one object at a time.
///
/// A `.json` file may also wrap its records the two ways APIs and pandas write them: an object
/// with one member holding the array (`{"models": [{…}, …]}`), read as that array, or an object
/// whose members are the records keyed by id (`{"bert": {…}, "gpt2": {…}}`, pandas'
/// `orient="index"`), read with the key in a first column named `key`. Any other shape is an
/// error that says which shapes are tables.
///
/// Columns are the union of the objects' keys in first-seen order; a key an object lacks is NULL.
/// Strings are unescaped, numbers and `true`/`false` keep their literal text, and nested arrays
/// and objects are kept as their JSON text so SQLite's `json_extract` can reach into them. In a
/// JSON array, each element's extent is found by a quick scan that tracks depth and strings, and
/// only then is the element parsed in full, so the array never has to fit in memory.
///
/// Why nested values stay JSON columns rather than being flattened into related tables:
/// PTMTorrent's uniform schema (`ptm_torrent/utils/ptmSchema.json`) gives each model record one
/// nested `ModelHub` object and a `Datasets` array of objects that themselves hold arrays
/// (`DatasetUsages`). Flattening would have to invent child-table names, surrogate keys and a
/// rule for arrays inside arrays, differently for every source, and a metric query would then
/// depend on those invented names. Kept as JSON text, every column has the name its source gives
/// it, the import stays one streaming pass with one table per file, and SQLite reaches inside on
/// demand: `json_extract(ModelHub, '$.ModelHubName')`, `json_array_length(Datasets)`, and
/// `json_each(Datasets)` for one row per dataset (a join a flattened table would have stored).
/// The same queries carry over to PostgreSQL's `jsonb` (`->>`, `jsonb_array_elements`).
final class JSONSource: RecordSource {
    private struct Slot {
        var kind: FieldKind
        var offset: Int
        var count: Int
        /// Where the value starts in the input buffer, for error locations (-1 when absent).
        var source: Int = -1
    }

    let input: ChunkedInput
    private(set) var columnNames: [String]
    private var columnIndex: [String: Int]
    private let isArray: Bool
    private let validatesUTF8: Bool
    private let allowsNewColumns: Bool
    private var slots: [Slot] = []
    private var arena: UnsafeMutablePointer<UInt8>
    private var arenaCapacity = 1 << 16
    private var arenaCount = 0
    /// Where `input.start` is in the file.
    private var position = TextPosition()
    private var recordPosition = TextPosition()
    /// Where the current record starts in the input buffer.
    private var recordStart = 0
    private var arrayStarted = false
    private var arrayFinished = false
    /// How the file's top level holds its records.
    private enum Wrapping {
        /// A bare array.
        case none
        /// An object whose one member (named) holds the array.
        case member(String)
        /// An object of records keyed by id, the key in column `keyColumn`.
        case keyed(keyColumn: Int)
    }
    private var wrapping = Wrapping.none
    /// The name of the column that holds each record's key in an object keyed by id.
    static let keyColumnName = "key"
    /// True when the last byte consumed outside whitespace was a ',' (so ']' would end a trailing comma).
    private var lastSignificantWasComma = false

    init(input: ChunkedInput, format: DataFormat, knownColumns: [String]?, validatesUTF8: Bool) {
        self.input = input
        isArray = format == .json
        columnNames = knownColumns ?? []
        columnIndex = Dictionary(uniqueKeysWithValues: columnNames.enumerated().map { ($1, $0) })
        allowsNewColumns = knownColumns == nil
        self.validatesUTF8 = validatesUTF8
        arena = UnsafeMutablePointer<UInt8>.allocate(capacity: arenaCapacity)
    }

    deinit { arena.deallocate() }

    func value(at column: Int) -> FieldValue {
        guard column < slots.count else { return FieldValue(kind: .null, bytes: UnsafePointer(arena), count: 0) }
        let slot = slots[column]
        return FieldValue(kind: slot.kind, bytes: UnsafePointer(arena + slot.offset), count: slot.count)
    }

    /// The line and column of the column's value in the current record (the record's start when
    /// the record lacks the key). The input buffer still holds the record: sources refill it only
    /// when asked for the next record.
    func location(ofColumn column: Int) -> SourceLocation {
        guard column < slots.count, slots[column].source >= recordStart else {
            return recordPosition.location(in: input.displayPath)
        }
        return recordPosition.advanced(over: input.base, from: recordStart, to: slots[column].source)
            .location(in: input.displayPath)
    }

    func next() throws -> Bool {
        isArray ? try nextElement() : try nextLine()
    }

    // MARK: Framing

    private func nextLine() throws -> Bool {
        while true {
            input.recordLine = position.line
            if input.start >= input.end, try !input.fill() { return false }
            let available = input.end - input.start
            let newline = memchr(input.base + input.start, 0x0A, available)
                .map { UnsafeMutableRawPointer($0).assumingMemoryBound(to: UInt8.self) - input.base }
            guard newline != nil || input.isAtEnd else {
                _ = try input.fill()
                continue
            }
            let lineEnd = newline ?? input.end
            var contentEnd = lineEnd
            if contentEnd > input.start, input.base[contentEnd - 1] == 0x0D { contentEnd -= 1 }
            let start = input.start
            input.start = newline.map { $0 + 1 } ?? input.end
            var blank = true
            for index in start..<contentEnd where !isWhitespace(input.base[index]) {
                blank = false
                break
            }
            if !blank {
                try parseRecord(from: start, to: contentEnd)
            }
            position.line += 1
            position.column = 1
            if !blank { return true }
        }
    }

    private func nextElement() throws -> Bool {
        if arrayFinished { return false }
        try skipWhitespace()
        if case .keyed(let keyColumn) = wrapping { return try nextKeyedRecord(keyColumn: keyColumn) }
        if !arrayStarted {
            if input.start < input.end, input.base[input.start] == UInt8(ascii: "{") {
                if let read = try startObject() { return read }
            } else {
                guard input.start < input.end, input.base[input.start] == UInt8(ascii: "[") else {
                    throw framingError(expected: "a JSON array of objects starting with '['")
                }
                consume(1)
                arrayStarted = true
                try skipWhitespace()
            }
        } else {
            guard input.start < input.end else { throw framingError(expected: "',' or ']'") }
            let byte = input.base[input.start]
            if byte == UInt8(ascii: ",") {
                consume(1)
                try skipWhitespace()
            } else if byte != UInt8(ascii: "]") {
                throw framingError(expected: "',' or ']' after an array element")
            }
        }
        if input.start < input.end, input.base[input.start] == UInt8(ascii: "]") {
            if lastSignificantWasComma { throw framingError(expected: "an object after ','") }
            consume(1)
            arrayFinished = true
            try skipWhitespace()
            if case .member(let name) = wrapping {
                guard input.start < input.end, input.base[input.start] == UInt8(ascii: "}") else {
                    throw framingError(expected: "'}' closing the object after its array '\(name)' (an object holding records must hold only that array)")
                }
                consume(1)
                try skipWhitespace()
                if input.start < input.end { throw framingError(expected: "the end of the file after '}'") }
                return false
            }
            if input.start < input.end { throw framingError(expected: "the end of the file after ']'") }
            return false
        }
        guard input.start < input.end, input.base[input.start] == UInt8(ascii: "{") else {
            throw framingError(expected: "an object ('{') as an array element")
        }
        let end = try objectEnd()
        try parseRecord(from: input.start, to: end)
        consume(end - input.start)
        lastSignificantWasComma = false
        return true
    }

    /// The file starts with `{`: decides from its first member whether it wraps an array or
    /// holds records keyed by id. Returns nil when it opened the wrapped array (the caller reads
    /// its first element), else whether it read the first record keyed by id.
    private func startObject() throws -> Bool? {
        consume(1)
        try skipWhitespace()
        if input.start < input.end, input.base[input.start] == UInt8(ascii: "}") {
            throw framingError(expected: "a member holding an array of records, or records keyed by id, in the object")
        }
        let memberStart = position
        let key = try readKey()
        try skipWhitespace()
        let byte = input.start < input.end ? input.base[input.start] : 0
        if byte == UInt8(ascii: "[") {
            wrapping = .member(key)
            consume(1)
            arrayStarted = true
            try skipWhitespace()
            return nil
        }
        guard byte == UInt8(ascii: "{") else {
            throw DatasetError.invalidData(memberStart.location(in: input.displayPath),
                expected: "a JSON array of objects, an object whose one member holds such an array, or an object of objects keyed by id",
                found: "an object whose member '\(key)' holds \(input.start < input.end ? describeJSONValue(byte) : "nothing")")
        }
        let keyColumn = try column(named: Self.keyColumnName)
        wrapping = .keyed(keyColumn: keyColumn)
        try readKeyedRecord(key: key, keyColumn: keyColumn, memberStart: memberStart)
        return true
    }

    /// The next member of an object of records keyed by id.
    private func nextKeyedRecord(keyColumn: Int) throws -> Bool {
        guard input.start < input.end else { throw framingError(expected: "',' or '}'") }
        let byte = input.base[input.start]
        if byte == UInt8(ascii: "}") {
            consume(1)
            arrayFinished = true
            try skipWhitespace()
            if input.start < input.end { throw framingError(expected: "the end of the file after '}'") }
            return false
        }
        guard byte == UInt8(ascii: ",") else { throw framingError(expected: "',' or '}' after a record") }
        consume(1)
        try skipWhitespace()
        let memberStart = position
        let key = try readKey()
        try skipWhitespace()
        guard input.start < input.end, input.base[input.start] == UInt8(ascii: "{") else {
            throw framingError(expected: "a record (an object) for the key '\(key)', as for the keys before it")
        }
        try readKeyedRecord(key: key, keyColumn: keyColumn, memberStart: memberStart)
        return true
    }

    /// Reads the object at `input.start` as a record and stores its key in `keyColumn`.
    private func readKeyedRecord(key: String, keyColumn: Int, memberStart: TextPosition) throws {
        let end = try objectEnd()
        let keyBytes = Array(key.utf8)
        try parseRecord(from: input.start, to: end, reserve: keyBytes.count)
        if keyColumn < slots.count, slots[keyColumn].kind != .null {
            throw DatasetError.invalidData(memberStart.location(in: input.displayPath),
                expected: "records without a member named '\(Self.keyColumnName)' (the column that holds each record's key)",
                found: "one in the record '\(key)'")
        }
        let offset = arenaCount
        keyBytes.withUnsafeBufferPointer { buffer in
            if let base = buffer.baseAddress { (arena + offset).update(from: base, count: buffer.count) }
        }
        arenaCount += keyBytes.count
        store(.string, column: keyColumn, offset: offset, count: keyBytes.count, source: -1)
        consume(end - input.start)
        try skipWhitespace()
    }

    /// Reads a member's key and the ':' after it, leaving `input.start` on the value.
    private func readKey() throws -> String {
        guard input.start < input.end, input.base[input.start] == UInt8(ascii: "\"") else {
            throw framingError(expected: "a key in double quotes")
        }
        var close: Int?
        while true {
            var index = input.start + 1
            while index < input.end {
                let byte = input.base[index]
                if byte == UInt8(ascii: "\\") {
                    index += 2
                    continue
                }
                if byte == UInt8(ascii: "\"") {
                    close = index
                    break
                }
                index += 1
            }
            if close != nil || input.isAtEnd { break }
            _ = try input.fill()
        }
        guard let close else { throw framingError(expected: "the end of the key that starts here") }
        recordPosition = position
        recordStart = input.start
        if arenaCapacity < close - input.start + 16 {
            arena.deallocate()
            arenaCapacity = max(arenaCapacity * 2, close - input.start + 16)
            arena = UnsafeMutablePointer<UInt8>.allocate(capacity: arenaCapacity)
        }
        arenaCount = 0
        var parser = Parser(bytes: input.base, index: input.start, end: close + 1, recordStart: input.start, source: self)
        try parser.parseString()
        let key = String(decoding: UnsafeBufferPointer(start: arena, count: arenaCount), as: UTF8.self)
        arenaCount = 0
        consume(close + 1 - input.start)
        try skipWhitespace()
        guard input.start < input.end, input.base[input.start] == UInt8(ascii: ":") else {
            throw framingError(expected: "':' after the key '\(key)'")
        }
        consume(1)
        try skipWhitespace()
        return key
    }

    /// The index just past the object at `input.start`, reading more of the file as needed.
    private func objectEnd() throws -> Int {
        input.recordLine = position.line
        while true {
            if let end = scanObjectEnd(from: input.start) { return end }
            if input.isAtEnd {
                throw DatasetError.invalidData(position.location(in: input.displayPath),
                                               expected: "the end of the object that starts here", found: "the end of the file")
            }
            _ = try input.fill()
        }
    }

    private func consume(_ count: Int) {
        if count == 1 { lastSignificantWasComma = input.base[input.start] == UInt8(ascii: ",") }
        position.advance(over: input.base, from: input.start, to: input.start + count)
        input.start += count
    }

    private func skipWhitespace() throws {
        while true {
            while input.start < input.end, isWhitespace(input.base[input.start]) {
                position.advance(over: input.base, from: input.start, to: input.start + 1)
                input.start += 1
            }
            if input.start < input.end || input.isAtEnd { return }
            _ = try input.fill()
        }
    }

    private func framingError(expected: String) -> DatasetError {
        let found = input.start < input.end ? describeByte(input.base[input.start]) : "the end of the file"
        return .invalidData(position.location(in: input.displayPath), expected: expected, found: found)
    }

    /// The index just past the object starting at `start`, or nil if it continues past the buffer.
    private func scanObjectEnd(from start: Int) -> Int? {
        let bytes = input.base
        var index = start, depth = 0, inString = false
        while index < input.end {
            let byte = bytes[index]
            if inString {
                if byte == UInt8(ascii: "\\") {
                    index += 2
                    continue
                }
                if byte == UInt8(ascii: "\"") { inString = false }
            } else if byte == UInt8(ascii: "\"") {
                inString = true
            } else if byte == UInt8(ascii: "{") || byte == UInt8(ascii: "[") {
                depth += 1
            } else if byte == UInt8(ascii: "}") || byte == UInt8(ascii: "]") {
                depth -= 1
                if depth == 0 { return index + 1 }
            }
            index += 1
        }
        return nil
    }

    // MARK: Parsing one object

    /// Parses the object in `start..<end` into the slots; `reserve` bytes stay free in the arena
    /// behind its values (for the key of a record keyed by id).
    private func parseRecord(from start: Int, to end: Int, reserve: Int = 0) throws {
        recordPosition = position
        recordStart = start
        if validatesUTF8, let bad = firstInvalidUTF8(input.base, from: start, to: end) {
            throw DatasetError.invalidData(
                position.advanced(over: input.base, from: start, to: bad).location(in: input.displayPath),
                expected: "UTF-8 text", found: "the byte 0x\(String(input.base[bad], radix: 16, uppercase: true))")
        }
        if arenaCapacity < end - start + reserve + 16 {
            arena.deallocate()
            arenaCapacity = max(arenaCapacity * 2, end - start + reserve + 16)
            arena = UnsafeMutablePointer<UInt8>.allocate(capacity: arenaCapacity)
        }
        arenaCount = 0
        for index in slots.indices { slots[index] = Slot(kind: .null, offset: 0, count: 0) }
        var parser = Parser(bytes: input.base, index: start, end: end, recordStart: start, source: self)
        try parser.parseTopObject()
    }

    fileprivate func column(named name: String) throws -> Int {
        if let index = columnIndex[name] { return index }
        guard allowsNewColumns else { throw DatasetError.changedDuringImport(path: input.displayPath) }
        columnIndex[name] = columnNames.count
        columnNames.append(name)
        slots.append(Slot(kind: .null, offset: 0, count: 0))
        return columnNames.count - 1
    }

    fileprivate func store(_ kind: FieldKind, column: Int, offset: Int, count: Int, source: Int) {
        while slots.count <= column { slots.append(Slot(kind: .null, offset: 0, count: 0)) }
        slots[column] = Slot(kind: kind, offset: offset, count: count, source: source)
    }

    private struct Parser {
        let bytes: UnsafeMutablePointer<UInt8>
        var index: Int
        let end: Int
        let recordStart: Int
        unowned let source: JSONSource

        func fail(_ expected: String, at offset: Int? = nil) -> DatasetError {
            let at = offset ?? index
            let found = at < end ? describeByte(bytes[at]) : "the end of the record"
            let location = source.recordPosition.advanced(over: bytes, from: recordStart, to: at)
                .location(in: source.input.displayPath)
            return .invalidData(location, expected: expected, found: found)
        }

        mutating func skipWhitespace() {
            while index < end, isWhitespace(bytes[index]) { index += 1 }
        }

        mutating func expect(_ byte: UInt8, _ what: String) throws {
            skipWhitespace()
            guard index < end, bytes[index] == byte else { throw fail(what) }
            index += 1
        }

        mutating func parseTopObject() throws {
            try expect(UInt8(ascii: "{"), "a JSON object ('{')")
            skipWhitespace()
            if index < end, bytes[index] == UInt8(ascii: "}") {
                index += 1
            } else {
                while true {
                    skipWhitespace()
                    guard index < end, bytes[index] == UInt8(ascii: "\"") else { throw fail("a key in double quotes") }
                    let keyStart = source.arenaCount
                    try parseString()
                    let key = String(decoding: UnsafeBufferPointer(start: source.arena + keyStart,
                                                                   count: source.arenaCount - keyStart), as: UTF8.self)
                    source.arenaCount = keyStart
                    let column = try source.column(named: key)
                    try expect(UInt8(ascii: ":"), "':' after the key")
                    skipWhitespace()
                    try parseMember(column: column)
                    skipWhitespace()
                    guard index < end else { throw fail("',' or '}'") }
                    if bytes[index] == UInt8(ascii: ",") {
                        index += 1
                        continue
                    }
                    guard bytes[index] == UInt8(ascii: "}") else { throw fail("',' or '}' after a value") }
                    index += 1
                    break
                }
            }
            skipWhitespace()
            guard index == end else { throw fail("the end of the object") }
        }

        mutating func parseMember(column: Int) throws {
            guard index < end else { throw fail("a value") }
            let start = index
            let kind: FieldKind
            switch bytes[index] {
            case UInt8(ascii: "\""):
                let offset = source.arenaCount
                try parseString()
                source.store(.string, column: column, offset: offset, count: source.arenaCount - offset, source: start)
                return
            case UInt8(ascii: "{"), UInt8(ascii: "["):
                try skipValue(depth: 0)
                kind = .json
            case UInt8(ascii: "t"), UInt8(ascii: "f"):
                try parseLiteral(bytes[index] == UInt8(ascii: "t") ? "true" : "false")
                kind = .boolean
            case UInt8(ascii: "n"):
                try parseLiteral("null")
                source.store(.null, column: column, offset: 0, count: 0, source: start)
                return
            default:
                try parseNumber()
                kind = .number
            }
            let offset = source.arenaCount
            (source.arena + offset).update(from: bytes + start, count: index - start)
            source.arenaCount += index - start
            source.store(kind, column: column, offset: offset, count: index - start, source: start)
        }

        mutating func parseLiteral(_ literal: StaticString) throws {
            let count = literal.utf8CodeUnitCount
            guard end - index >= count, memcmp(bytes + index, literal.utf8Start, count) == 0 else {
                throw fail("a JSON value (a string, number, object, array, true, false or null)")
            }
            index += count
        }

        mutating func parseNumber() throws {
            let start = index
            if index < end, bytes[index] == UInt8(ascii: "-") { index += 1 }
            guard index < end, bytes[index] &- 48 < 10 else {
                throw fail("a JSON value (a string, number, object, array, true, false or null)", at: start)
            }
            if bytes[index] == UInt8(ascii: "0") {
                index += 1
            } else {
                while index < end, bytes[index] &- 48 < 10 { index += 1 }
            }
            if index < end, bytes[index] == UInt8(ascii: ".") {
                index += 1
                guard index < end, bytes[index] &- 48 < 10 else { throw fail("a digit after the decimal point") }
                while index < end, bytes[index] &- 48 < 10 { index += 1 }
            }
            if index < end, bytes[index] | 0x20 == UInt8(ascii: "e") {
                index += 1
                if index < end, bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-") { index += 1 }
                guard index < end, bytes[index] &- 48 < 10 else { throw fail("a digit in the exponent") }
                while index < end, bytes[index] &- 48 < 10 { index += 1 }
            }
        }

        /// Parses a string at `index` (on its opening quote), writing its unescaped UTF-8 to the arena.
        mutating func parseString() throws {
            index += 1
            let arena = source.arena
            var count = source.arenaCount
            while true {
                guard index < end else { throw fail("a closing '\"' for the string") }
                let byte = bytes[index]
                if byte == UInt8(ascii: "\"") {
                    index += 1
                    break
                }
                if byte < 0x20 { throw fail("a character in the string (control characters must be escaped)") }
                if byte != UInt8(ascii: "\\") {
                    arena[count] = byte
                    count += 1
                    index += 1
                    continue
                }
                guard index + 1 < end else { throw fail("an escape sequence") }
                let escape = bytes[index + 1]
                index += 2
                let simple: UInt8?
                switch escape {
                case UInt8(ascii: "\""): simple = 0x22
                case UInt8(ascii: "\\"): simple = 0x5C
                case UInt8(ascii: "/"): simple = 0x2F
                case UInt8(ascii: "b"): simple = 0x08
                case UInt8(ascii: "f"): simple = 0x0C
                case UInt8(ascii: "n"): simple = 0x0A
                case UInt8(ascii: "r"): simple = 0x0D
                case UInt8(ascii: "t"): simple = 0x09
                case UInt8(ascii: "u"): simple = nil
                default: throw fail("an escape sequence (\\\", \\\\, \\/, \\b, \\f, \\n, \\r, \\t or \\uXXXX)", at: index - 1)
                }
                if let simple {
                    arena[count] = simple
                    count += 1
                    continue
                }
                var scalar = try hex4()
                if scalar >= 0xD800 && scalar < 0xDC00 {
                    guard end - index >= 6, bytes[index] == UInt8(ascii: "\\"), bytes[index + 1] == UInt8(ascii: "u") else {
                        throw fail("a low surrogate '\\uDC00'...'\\uDFFF' after a high surrogate")
                    }
                    index += 2
                    let low = try hex4()
                    guard low >= 0xDC00 && low < 0xE000 else { throw fail("a low surrogate", at: index - 6) }
                    scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                } else if scalar >= 0xDC00 && scalar < 0xE000 {
                    throw fail("a high surrogate before a low one", at: index - 6)
                }
                for unit in UTF8.encode(Unicode.Scalar(scalar)!)! {
                    arena[count] = unit
                    count += 1
                }
            }
            source.arenaCount = count
        }

        mutating func hex4() throws -> UInt32 {
            guard end - index >= 4 else { throw fail("four hexadecimal digits after \\u") }
            var value: UInt32 = 0
            for _ in 0..<4 {
                let byte = bytes[index]
                let digit: UInt8
                switch byte {
                case 48...57: digit = byte - 48
                case 65...70: digit = byte - 55
                case 97...102: digit = byte - 87
                default: throw fail("a hexadecimal digit after \\u")
                }
                value = value << 4 | UInt32(digit)
                index += 1
            }
            return value
        }

        /// Checks a nested value without keeping it (its text is copied whole by the caller).
        mutating func skipValue(depth: Int) throws {
            guard depth < 512 else { throw fail("nesting at most 512 levels deep") }
            skipWhitespace()
            guard index < end else { throw fail("a value") }
            let saved = source.arenaCount
            defer { source.arenaCount = saved }
            switch bytes[index] {
            case UInt8(ascii: "{"):
                index += 1
                skipWhitespace()
                if index < end, bytes[index] == UInt8(ascii: "}") {
                    index += 1
                    return
                }
                while true {
                    skipWhitespace()
                    guard index < end, bytes[index] == UInt8(ascii: "\"") else { throw fail("a key in double quotes") }
                    try parseString()
                    source.arenaCount = saved
                    try expect(UInt8(ascii: ":"), "':' after the key")
                    try skipValue(depth: depth + 1)
                    skipWhitespace()
                    guard index < end else { throw fail("',' or '}'") }
                    if bytes[index] == UInt8(ascii: ",") { index += 1; continue }
                    guard bytes[index] == UInt8(ascii: "}") else { throw fail("',' or '}'") }
                    index += 1
                    return
                }
            case UInt8(ascii: "["):
                index += 1
                skipWhitespace()
                if index < end, bytes[index] == UInt8(ascii: "]") {
                    index += 1
                    return
                }
                while true {
                    try skipValue(depth: depth + 1)
                    skipWhitespace()
                    guard index < end else { throw fail("',' or ']'") }
                    if bytes[index] == UInt8(ascii: ",") { index += 1; continue }
                    guard bytes[index] == UInt8(ascii: "]") else { throw fail("',' or ']'") }
                    index += 1
                    return
                }
            case UInt8(ascii: "\""):
                try parseString()
            case UInt8(ascii: "t"): try parseLiteral("true")
            case UInt8(ascii: "f"): try parseLiteral("false")
            case UInt8(ascii: "n"): try parseLiteral("null")
            default: try parseNumber()
            }
        }
    }
}

@inline(__always)
private func isWhitespace(_ byte: UInt8) -> Bool {
    byte == 0x20 || byte == 0x0A || byte == 0x0D || byte == 0x09
}

/// What a JSON value starting with `byte` is, for error messages.
private func describeJSONValue(_ byte: UInt8) -> String {
    switch byte {
    case UInt8(ascii: "\""): return "a string"
    case UInt8(ascii: "t"), UInt8(ascii: "f"): return "a boolean"
    case UInt8(ascii: "n"): return "null"
    case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return "a number"
    default: return describeByte(byte)
    }
}
