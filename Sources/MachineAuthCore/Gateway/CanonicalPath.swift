/// The one way a forward-auth request's path becomes the path rules are matched against.
///
/// Each `/`-separated segment of the raw path is percent-decoded once; empty segments
/// (repeated slashes) are dropped; the query string is not part of the path. A path that
/// upstreams could read in more than one way is *ambiguous*: an invalid escape or invalid
/// UTF-8, an encoded `/` or `\`, a raw `\`, a `;` parameter, a `.` or `..` segment (raw or
/// encoded — the proxy forwards it as is), an encoded `%` (double encoding), a control
/// character, a fragment, or a target that is not a path. Under `gateway.ambiguous_paths:
/// deny` (the default) such requests are refused; under `decode` they are matched decoded,
/// with dot segments resolved and undecodable segments as written.
///
/// ```swift
/// CanonicalPath.parse("/v1//reports/%7Ename?x=1")     // .canonical("/v1/reports/~name")
/// CanonicalPath.parse("/v1/admin/%2e%2e/public/x")     // .ambiguous(.dotSegment)
/// ```
public enum CanonicalPath: Sendable, Hashable {
    case canonical(String)
    case ambiguous(Ambiguity)

    /// Why a path cannot be read one way only.
    public enum Ambiguity: String, Error, Sendable, Hashable {
        case notAPath = "the request target is not a path"
        case fragment = "the path carries a fragment"
        case invalidEscape = "the path has an invalid percent escape or is not UTF-8"
        case encodedSeparator = "the path has an encoded / or \\"
        case backslash = "the path has a backslash"
        case parameter = "the path has a ; parameter"
        case dotSegment = "the path has a . or .. segment"
        case doubleEncoding = "the path has an encoded %"
        case controlCharacter = "the path has a control character"
        case invalidCharacter = "the path has a character a request target cannot carry unescaped (a space, a quote, < > ^ ` { | })"
    }

    public static func parse(_ raw: String) -> CanonicalPath {
        let bytes = Array(raw.utf8)
        let end = bytes.firstIndex(of: UInt8(ascii: "?")) ?? bytes.endIndex
        let path = bytes[..<end]
        if path.contains(UInt8(ascii: "#")) { return .ambiguous(.fragment) }
        guard path.first == UInt8(ascii: "/") else { return .ambiguous(.notAPath) }
        var canonical: [UInt8] = []
        canonical.reserveCapacity(path.count)
        for segment in path.split(separator: UInt8(ascii: "/"), omittingEmptySubsequences: true) {
            if segment.contains(where: Self.unescapedInvalid.contains) { return .ambiguous(.invalidCharacter) }
            if segment.contains(UInt8(ascii: ";")) { return .ambiguous(.parameter) }
            if segment.contains(UInt8(ascii: "\\")) { return .ambiguous(.backslash) }
            guard let decoded = PercentDecoding.decode(segment, plusIsSpace: false) else { return .ambiguous(.invalidEscape) }
            let text = Array(decoded.utf8)
            if text.contains(UInt8(ascii: "/")) || text.contains(UInt8(ascii: "\\")) { return .ambiguous(.encodedSeparator) }
            if text.contains(UInt8(ascii: "%")) { return .ambiguous(.doubleEncoding) }
            if text.contains(where: { $0 < 0x20 || $0 == 0x7F }) { return .ambiguous(.controlCharacter) }
            if Self.isDotSegment(decoded) { return .ambiguous(.dotSegment) }
            canonical.append(UInt8(ascii: "/"))
            canonical.append(contentsOf: text)
        }
        return .canonical(canonical.isEmpty ? "/" : String(decoding: canonical, as: UTF8.self))
    }

    /// Bytes RFC 3986 does not allow unescaped in a path (besides controls, checked after decoding).
    static let unescapedInvalid: Set<UInt8> = Set(" \"<>^`{|}".utf8)

    /// `.` or `..`, also in look-alike full stops that normalizing upstreams fold into `.`
    /// (fullwidth U+FF0E, one-dot leader U+2024, small full stop U+FE52).
    static func isDotSegment(_ segment: String) -> Bool {
        let dots: Set<Unicode.Scalar> = [".", "\u{FF0E}", "\u{2024}", "\u{FE52}"]
        let scalars = segment.unicodeScalars
        return (scalars.count == 1 || scalars.count == 2) && scalars.allSatisfy(dots.contains)
    }

    /// The lenient reading of `gateway.ambiguous_paths: decode`: decoded where possible,
    /// `.` and `..` resolved, repeated slashes dropped.
    public static func decodeLeniently(_ raw: String) -> String {
        let bytes = Array(raw.utf8)
        let path = bytes[..<(bytes.firstIndex { $0 == UInt8(ascii: "?") || $0 == UInt8(ascii: "#") } ?? bytes.endIndex)]
        var output: [String] = []
        for segment in path.split(separator: UInt8(ascii: "/"), omittingEmptySubsequences: true) {
            let text = PercentDecoding.decode(segment, plusIsSpace: false) ?? String(decoding: segment, as: UTF8.self)
            for part in text.split(separator: "/", omittingEmptySubsequences: true) {
                switch part {
                case ".": continue
                case "..": _ = output.popLast()
                default: output.append(String(part))
                }
            }
        }
        return "/" + output.joined(separator: "/")
    }
}
