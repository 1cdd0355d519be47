extension DistinguishedNameString {
    /// Reads `type=value` pairs from the bytes of an RFC 4514 string, one byte at a time.
    struct Reader {
        let bytes: [UInt8]
        var index = 0

        var atEnd: Bool { index >= bytes.count }

        /// Skips spaces, then takes `byte` if it is next.
        mutating func take(_ byte: UInt8) -> Bool {
            skipSpaces()
            guard !atEnd, bytes[index] == byte else { return false }
            index += 1
            skipSpaces()
            return true
        }

        mutating func skipSpaces() {
            while !atEnd, bytes[index] == UInt8(ascii: " ") { index += 1 }
        }

        /// `attributeType "=" attributeValue`.
        mutating func attribute() throws(Problem) -> Attribute {
            skipSpaces()
            let start = index
            while !atEnd, bytes[index] != UInt8(ascii: "="), bytes[index] != UInt8(ascii: " ") { index += 1 }
            let name = String(decoding: bytes[start..<index], as: UTF8.self)
            guard let type = Self.type(name) else {
                throw Problem("has an unknown attribute type \"\(name.prefix(32))\" (use CN, O, OU, C, L, ST, STREET, DC, UID, SERIALNUMBER, E or a dotted OID)")
            }
            guard take(UInt8(ascii: "=")) else { throw Problem("needs = after \(name.prefix(32))") }
            return Attribute(type: type, value: try value())
        }

        /// A string value with its escapes, or `#` and hex pairs (the BER encoding).
        mutating func value() throws(Problem) -> Value {
            if !atEnd, bytes[index] == UInt8(ascii: "#") {
                index += 1
                var encoded: [UInt8] = []
                while index + 1 < bytes.count, let high = Self.hex(bytes[index]), let low = Self.hex(bytes[index + 1]) {
                    encoded.append(high << 4 | low)
                    index += 2
                }
                guard !encoded.isEmpty else { throw Problem("has # without hex pairs") }
                return .encoded(encoded)
            }
            var raw: [UInt8] = []
            while !atEnd {
                let byte = bytes[index]
                if byte == UInt8(ascii: ",") || byte == UInt8(ascii: "+") { break }
                if byte == UInt8(ascii: "\\") {
                    guard index + 1 < bytes.count else { throw Problem("ends in a lone \\") }
                    let next = bytes[index + 1]
                    if let high = Self.hex(next) {
                        guard index + 2 < bytes.count, let low = Self.hex(bytes[index + 2]) else { throw Problem("has a \\ escape with one hex digit") }
                        raw.append(high << 4 | low)
                        index += 3
                    } else {
                        guard Self.escapable.contains(next) else { throw Problem("escapes a character that needs no escape: \\\(Character(Unicode.Scalar(next)))") }
                        raw.append(next)
                        index += 2
                    }
                    continue
                }
                guard byte >= 0x20, byte != 0x7F, !Self.mustEscape.contains(byte) else {
                    throw Problem("has an unescaped \(byte < 0x20 || byte == 0x7F ? "control character" : "\(Character(Unicode.Scalar(byte)))") in a value")
                }
                raw.append(byte)
                index += 1
            }
            guard let text = String(validating: raw, as: UTF8.self) else { throw Problem("is not UTF-8 once unescaped") }
            let prepared = DistinguishedNameString.prepared(text)
            guard !prepared.isEmpty else { throw Problem("has an empty value") }
            return .text(prepared)
        }

        /// A keyword's OID, or a dotted OID itself.
        static func type(_ name: String) -> String? {
            if let oid = keywords[name.lowercased()] { return oid }
            let arcs = name.split(separator: ".", omittingEmptySubsequences: false)
            guard arcs.count >= 2, arcs.count <= 32,
                arcs.allSatisfy({ !$0.isEmpty && $0.count <= 20 && $0.allSatisfy(\.isASCII) && $0.allSatisfy(\.isNumber) && ($0 == "0" || $0.first != "0") })
            else { return nil }
            return name
        }

        static func hex(_ byte: UInt8) -> UInt8? {
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
            default: nil
            }
        }

        /// RFC 4514 §3 `escaped` / `special`, and `\` itself.
        static let escapable = Set(" \"#+,;<=>\\".utf8)
        /// What a value may not hold unescaped (`,` and `+` end it).
        static let mustEscape = Set("\";<>".utf8)
    }
}
