import Core
import Foundation

extension TurnFingerprint {
    /// The fingerprint as one JSON object, as the index stores it (the codings file writes the
    /// same fields inside the coding's line).
    public var jsonText: String {
        var fields = ["\"sha256\":\(JSONText.string(sha256))", "\"length\":\(length)"]
        if let prefix { fields.append("\"prefix\":\(JSONText.string(prefix))") }
        if let suffix { fields.append("\"suffix\":\(JSONText.string(suffix))") }
        return "{" + fields.joined(separator: ",") + "}"
    }

    /// A fingerprint from `jsonText`; nil for text that is not one.
    public init?(jsonText: String) {
        guard let object = try? JSONSerialization.jsonObject(with: Data(jsonText.utf8)) as? [String: Any],
              let sha256 = object["sha256"] as? String, let length = object["length"] as? Int else { return nil }
        self.init(sha256: sha256, length: length, prefix: object["prefix"] as? String, suffix: object["suffix"] as? String)
    }
}
