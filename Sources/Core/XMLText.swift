/// Escaping for XML and HTML text: the one escaper of every writer of SVG, HTML and REFI-QDA XML.
public enum XMLText {
    /// Text safe in element content and in double- or single-quoted attribute values. Control
    /// characters XML 1.0 cannot carry become U+FFFD; with `preservingLineBreaks`, line breaks and
    /// tabs are written as character references, so an attribute value keeps them.
    public static func escape(_ text: String, preservingLineBreaks: Bool = false) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            case "\n": out += preservingLineBreaks ? "&#10;" : "\n"
            case "\r": out += preservingLineBreaks ? "&#13;" : "\r"
            case "\t": out += preservingLineBreaks ? "&#9;" : "\t"
            default:
                if scalar.value < 0x20 || scalar.value == 0xFFFE || scalar.value == 0xFFFF {
                    out += "\u{FFFD}"
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out
    }
}
