import Foundation
/// Writes a configuration document back as YAML with secrets masked, for `config show`.
///
/// Masked: values of keys that name a secret (`password`, `secret`, `*_key`, `token`) and
/// the password inside URLs (`postgres://user:••••@host/db`).
public enum ConfigRenderer {
    public static let mask = "********"

    /// YAML for `node`; `masking: false` writes secret-named values too (exports carry none).
    public static func render(_ node: ConfigNode, masking: Bool = true) -> String {
        var lines: [String] = []
        write(node, key: nil, indent: 0, masking: masking, into: &lines)
        return lines.joined(separator: "\n") + "\n"
    }

    static func isSecretKey(_ key: String) -> Bool {
        let lowered = key.lowercased()
        return ["password", "secret", "token", "private_key", "hash_key", "api_key", "signing_key"].contains { lowered.contains($0) }
            && !lowered.hasSuffix("_env") && !lowered.hasSuffix("_file") && !lowered.hasSuffix("_ttl")
    }

    private static func write(_ node: ConfigNode, key: String?, indent: Int, masking: Bool, into lines: inout [String]) {
        let pad = String(repeating: "  ", count: indent)
        switch node.kind {
        case .mapping(let entries):
            if entries.isEmpty {
                lines.append(pad + (key.map { "\(quote($0)): {}" } ?? "{}"))
                return
            }
            var childIndent = indent
            if let key {
                lines.append(pad + "\(quote(key)):")
                childIndent += 1
            }
            for entry in entries { write(entry.value, key: entry.key, indent: childIndent, masking: masking, into: &lines) }
        case .sequence(let items):
            guard !items.isEmpty else {
                lines.append(pad + (key.map { "\(quote($0)): []" } ?? "[]"))
                return
            }
            if let key { lines.append(pad + "\(quote(key)):") }
            for item in items {
                var nested: [String] = []
                write(item, key: nil, indent: 0, masking: masking, into: &nested)
                let itemPad = pad + (key == nil ? "" : "  ")
                for (index, line) in nested.enumerated() {
                    lines.append(itemPad + (index == 0 ? "- " : "  ") + line)
                }
            }
        case .scalar(let text, _):
            let secret = masking && key.map(isSecretKey) == true && !text.isEmpty
            let shown = secret ? mask : (masking ? maskURLPassword(text) : text)
            lines.append(pad + (key.map { "\(quote($0)): " } ?? "") + quote(shown))
        case .null:
            lines.append(pad + (key.map { "\(quote($0)): null" } ?? "null"))
        }
    }

    /// `scheme://user:password@host` → `scheme://user:********@host`.
    public static func maskURLPassword(_ text: String) -> String {
        guard let schemeEnd = text.range(of: "://"), let at = text[schemeEnd.upperBound...].firstIndex(of: "@") else { return text }
        let userInfo = text[schemeEnd.upperBound..<at]
        guard let colon = userInfo.firstIndex(of: ":") else { return text }
        return String(text[..<text.index(after: colon)]) + mask + String(text[at...])
    }

    /// `text` as a YAML scalar (a value or a mapping key): plain when every YAML reader, 1.1 ones
    /// included, reads it back as the same string — it starts with an ASCII letter (so no number,
    /// date, sexagesimal, `.inf` or `._` float of YAML 1.1), holds only letters, digits and `-_./:`,
    /// does not end in `:` and is no boolean or null word; double-quoted otherwise.
    static func quote(_ text: String) -> String {
        let plainSafe = text.first.map { $0.isASCII && $0.isLetter } == true
            && text.allSatisfy { $0.isLetter || $0.isNumber || "-_./:".contains($0) }
            && !["true", "false", "null", "yes", "no", "on", "off", "y", "n"].contains(text.lowercased()) && !text.hasSuffix(":")
        if plainSafe { return text }
        return doubleQuoted(text)
    }

    /// A YAML double-quoted scalar: `"` and `\` escaped, and every character YAML may not
    /// carry literally (C0 and C1 controls, DEL, U+FEFF, U+FFFE, U+FFFF) as a `\u` escape of four hex digits.
    static func doubleQuoted(_ text: String) -> String {
        var quoted = "\""
        for scalar in text.unicodeScalars {
            switch scalar.value {
            case 0x22: quoted += "\\\""
            case 0x5C: quoted += "\\\\"
            case 0x0A: quoted += "\\n"
            case 0x09: quoted += "\\t"
            case 0x00..<0x20, 0x7F...0x9F, 0xFEFF, 0xFFFE, 0xFFFF:
                let hex = String(scalar.value, radix: 16, uppercase: true)
                quoted += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: quoted.unicodeScalars.append(scalar)
            }
        }
        return quoted + "\""
    }
}
