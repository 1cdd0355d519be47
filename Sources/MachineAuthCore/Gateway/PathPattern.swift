import Foundation

/// A path glob: `*` matches within one segment, `**` any number of segments (also none),
/// `?` one character. `/v1/reports/**` matches `/v1/reports` and everything below it.
public struct PathPattern: Sendable, Hashable, CustomStringConvertible {
    public let text: String
    let segments: [GlobPiece]

    public init(_ text: String) throws(ConfigValueError) {
        guard text.hasPrefix("/") else { throw ConfigValueError("a path pattern starts with /, such as /v1/** (got \"\(text)\")") }
        self.text = text
        segments = text.splitBytes(UInt8(ascii: "/")).map(GlobPiece.init)
    }

    public var description: String { text }

    /// Whether the (already normalized) `path` matches.
    public func matches(_ path: String) -> Bool {
        matches(segments: path.splitBytes(UInt8(ascii: "/"))[...])
    }

    /// Whether a path, already split into its segments, matches.
    func matches(segments path: ArraySlice<Substring>) -> Bool {
        Self.match(segments[...], path)
    }

    private static func match(_ pattern: ArraySlice<GlobPiece>, _ path: ArraySlice<Substring>) -> Bool {
        guard let head = pattern.first else { return path.isEmpty }
        if head == .anySegments {
            let rest = pattern.dropFirst()
            for start in path.indices where match(rest, path[start...]) { return true }
            return match(rest, path[path.endIndex...])
        }
        guard let segment = path.first, head.matches(segment) else { return false }
        return match(pattern.dropFirst(), path.dropFirst())
    }
}

/// A host glob: `*` matches within one label (`*.example.com`); ports are ignored.
public struct HostPattern: Sendable, Hashable {
    public let text: String
    let labels: [GlobPiece]

    public init(_ text: String) throws(ConfigValueError) {
        guard !text.isEmpty, !text.contains("/") else { throw ConfigValueError("a host pattern is a name such as api.example.com or *.example.com") }
        self.text = text.lowercased()
        labels = self.text.splitBytes(UInt8(ascii: ".")).map(GlobPiece.init)
    }

    public func matches(_ host: String) -> Bool {
        matches(labels: Self.normalize(host).splitBytes(UInt8(ascii: "."))[...])
    }

    /// Whether a normalized host, already split into its labels, matches.
    func matches(labels host: ArraySlice<Substring>) -> Bool {
        host.count == labels.count && zip(labels, host).allSatisfy { $0.matches($1) }
    }

    /// Lower-cased, without a port or a trailing dot (`[::1]:443` → `[::1]`).
    public static func normalize(_ host: String) -> String {
        var name = host.lowercased()
        if name.hasPrefix("[") { return name.firstIndex(of: "]").map { String(name[...$0]) } ?? name }
        if let colon = name.lastIndex(of: ":") { name = String(name[..<colon]) }
        if name.hasSuffix(".") { name.removeLast() }
        return name
    }
}

/// One segment of a path pattern or one label of a host pattern, compiled when the
/// configuration loads so matching a request allocates nothing.
enum GlobPiece: Sendable, Hashable {
    /// `**`: any number of path segments.
    case anySegments
    /// `*`: any one segment or label.
    case anyOne
    case literal(String)
    /// Contains `*` or `?` among other characters.
    case wildcard([Unicode.Scalar])

    init(_ text: Substring) {
        switch text {
        case "**": self = .anySegments
        case "*": self = .anyOne
        default: self = text.contains(where: { $0 == "*" || $0 == "?" }) ? .wildcard(Array(text.unicodeScalars)) : .literal(String(text))
        }
    }

    func matches(_ text: Substring) -> Bool {
        switch self {
        case .anySegments, .anyOne: return true
        // Bytes, not canonical equivalence: "é" and "e" + U+0301 are different segments.
        case .literal(let literal): return text.utf8.elementsEqual(literal.utf8)
        case .wildcard(let pattern): return Wildcard.matches(pattern[...], text.unicodeScalars)
        }
    }
}

/// `*` and `?` within one segment or label.
enum Wildcard {
    static func matches(_ pattern: String, _ text: Substring) -> Bool {
        matches(Array(pattern.unicodeScalars)[...], text.unicodeScalars)
    }

    static func matches(_ pattern: ArraySlice<Unicode.Scalar>, _ text: Substring.UnicodeScalarView) -> Bool {
        guard let first = pattern.first else { return text.isEmpty }
        switch first {
        case "*":
            let rest = pattern.dropFirst()
            for start in text.indices where matches(rest, text[start...]) { return true }
            return matches(rest, text[text.endIndex...])
        case "?":
            return !text.isEmpty && matches(pattern.dropFirst(), text.dropFirst())
        default:
            return text.first == first && matches(pattern.dropFirst(), text.dropFirst())
        }
    }
}

extension PathPattern: ConfigScalar {
    public static func parse(configText: String) throws(ConfigValueError) -> PathPattern { try PathPattern(configText) }
    public static var configPlaceholder: PathPattern { try! PathPattern("/**") }

    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        do { self = try PathPattern(text) } catch { throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: error.message)) }
    }
}

extension HostPattern: ConfigScalar {
    public static func parse(configText: String) throws(ConfigValueError) -> HostPattern { try HostPattern(configText) }
    public static var configPlaceholder: HostPattern { try! HostPattern("*") }

    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        do { self = try HostPattern(text) } catch { throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: error.message)) }
    }
}
