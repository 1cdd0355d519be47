import Foundation

/// A distinguished name in the string form of RFC 4514 (`CN=agent-a,O=Example\, Inc.,C=US`),
/// read into what RFC 4517 §4.2.15 `distinguishedNameMatch` compares: the RDNs in certificate
/// order (the last written first), each a set of attribute types (dotted OIDs) and values.
///
/// ```swift
/// let name = try DistinguishedNameString.parse("CN=agent-a, O=Example")
/// name.rdns  // [[2.5.4.10 = "example"], [2.5.4.3 = "agent-a"]]
/// ```
///
/// Values are kept prepared for `caseIgnoreMatch` (RFC 4518: compatibility normalization, case
/// folded, insignificant spaces removed); a `#hex` value is the BER encoding and compares as bytes.
/// Spaces around `,`, `+` and `=` are allowed (RFC 4514 §3 lets readers accept more forms).
struct DistinguishedNameString: Hashable, Sendable {
    struct Attribute: Hashable, Sendable {
        var type: String
        var value: Value
    }

    enum Value: Hashable, Sendable {
        case text(String)
        case encoded([UInt8])
    }

    var rdns: [Set<Attribute>]

    /// The longest name accepted, in bytes.
    static let maxBytes = 1024

    /// RFC 4514 §3 short names, plus those OpenSSL prints, as dotted OIDs.
    static let keywords: [String: String] = [
        "cn": "2.5.4.3", "l": "2.5.4.7", "st": "2.5.4.8", "o": "2.5.4.10", "ou": "2.5.4.11", "c": "2.5.4.6",
        "street": "2.5.4.9", "dc": "0.9.2342.19200300.100.1.25", "uid": "0.9.2342.19200300.100.1.1",
        "serialnumber": "2.5.4.5", "title": "2.5.4.12", "sn": "2.5.4.4", "gn": "2.5.4.42", "givenname": "2.5.4.42",
        "emailaddress": "1.2.840.113549.1.9.1", "e": "1.2.840.113549.1.9.1",
    ]

    /// Reads a name; the message says what is wrong.
    static func parse(_ text: String) throws(DistinguishedNameString.Problem) -> DistinguishedNameString {
        let bytes = Array(text.utf8)
        guard bytes.count <= maxBytes else { throw Problem("is longer than \(maxBytes) bytes") }
        var reader = Reader(bytes: bytes)
        var rdns: [Set<Attribute>] = []
        while true {
            var rdn = Set<Attribute>()
            while true {
                let attribute = try reader.attribute()
                guard rdn.insert(attribute).inserted else { throw Problem("repeats an attribute within one RDN") }
                guard reader.take(UInt8(ascii: "+")) else { break }
            }
            rdns.append(rdn)
            if reader.atEnd { break }
            guard reader.take(UInt8(ascii: ",")) else { throw Problem("has an unescaped special character at byte \(reader.index + 1)") }
        }
        guard rdns.count <= 32 else { throw Problem("has more than 32 RDNs") }
        return DistinguishedNameString(rdns: rdns.reversed())
    }

    /// A value prepared for `caseIgnoreMatch`: NFKC, case folded, leading and trailing spaces
    /// dropped and inner runs of spaces made one (RFC 4518 §2).
    static func prepared(_ value: String) -> String {
        let folded = value.precomposedStringWithCompatibilityMapping.lowercased()
        return folded.split(whereSeparator: { $0.isWhitespace }).joined(separator: " ")
    }

    struct Problem: Error, Sendable, Hashable {
        let message: String
        init(_ message: String) { self.message = message }
    }
}
