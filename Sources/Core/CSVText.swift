/// A small RFC 4180 reader for study files kept as CSV (participants, screening decisions).
///
/// Large data files go through the streaming importer of the Datasets module instead.
public enum CSVText {
    /// One record and the line it starts on.
    public struct Record: Sendable, Equatable {
        public var fields: [String]
        public var line: Int
    }

    /// Splits CSV text into records. Quoted fields may hold the delimiter, doubled quotes and
    /// line breaks; blank lines are skipped. `delimiter` is `,` unless given (`\t`, `;`).
    public static func parse(_ text: String, file: String, delimiter: Unicode.Scalar = ",") throws -> [Record] {
        var records: [Record] = []
        var fields: [String] = []
        var field = ""
        var inQuotes = false
        var fieldWasQuoted = false
        var line = 1, column = 0
        var recordLine = 1
        var scalars = text.unicodeScalars.makeIterator()
        var pending: Unicode.Scalar? = nil

        func endRecord() {
            fields.append(field)
            if !(fields.count == 1 && fields[0].isEmpty && !fieldWasQuoted) {
                records.append(Record(fields: fields, line: recordLine))
            }
            fields = []
            field = ""
            fieldWasQuoted = false
        }

        while let scalar = pending ?? scalars.next() {
            pending = nil
            column += 1
            if inQuotes {
                if scalar == "\"" {
                    if let next = scalars.next() {
                        if next == "\"" { field.unicodeScalars.append("\""); column += 1 } else { inQuotes = false; pending = next }
                    } else {
                        inQuotes = false
                    }
                } else {
                    if scalar == "\n" { line += 1; column = 0 }
                    field.unicodeScalars.append(scalar)
                }
                continue
            }
            switch scalar {
            case delimiter:
                fields.append(field)
                field = ""
                fieldWasQuoted = false
            case "\"":
                guard field.isEmpty else {
                    throw FileError.cannotRead(path: "\(file):\(line):\(column)",
                                               reason: "expected a quote only at the start of a field, found one inside '\(field)'")
                }
                inQuotes = true
                fieldWasQuoted = true
            case "\r":
                if let next = scalars.next(), next != "\n" { pending = next }
                endRecord()
                line += 1; column = 0; recordLine = line
            case "\n":
                endRecord()
                line += 1; column = 0; recordLine = line
            default:
                field.unicodeScalars.append(scalar)
            }
        }
        if inQuotes {
            throw FileError.cannotRead(path: "\(file):\(recordLine)", reason: "expected a closing quote for the field that starts on this line, found the end of the file")
        }
        if !field.isEmpty || !fields.isEmpty { endRecord() }
        return records
    }

    /// One field as CSV text: quoted when it holds a comma, quote or line break, or starts or
    /// ends with a space (so readers that trim keep it whole); inner quotes doubled.
    public static func field(_ value: String) -> String {
        let needsQuotes = value.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" || $0 == "\r\n" })
            || value.first == " " || value.last == " "
        guard needsQuotes else { return value }
        return "\"" + value.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    /// A record as one CSV line, ending with LF so files diff cleanly.
    public static func line(_ fields: [String]) -> String {
        fields.map(field).joined(separator: ",") + "\n"
    }
}
