public import Foundation

/// The parameters of a form (`application/x-www-form-urlencoded`) or JSON object body.
///
/// OAuth forbids repeating a parameter (RFC 6749 §3.1) except where a spec allows it
/// (`resource`, RFC 8707), so ``single(_:)`` rejects repeats.
public struct RequestParameters: Sendable {
    public private(set) var values: [String: [String]]

    public init(_ values: [String: [String]] = [:]) {
        self.values = values
    }

    /// The value of `name`; throws `invalid_request` when it is repeated.
    public func single(_ name: String) throws(OAuthError) -> String? {
        guard let all = values[name] else { return nil }
        guard all.count == 1 else { throw .invalidRequest("the \(name) parameter must not be repeated") }
        return all[0]
    }

    /// Every value of `name`, in order.
    public func all(_ name: String) -> [String] {
        values[name] ?? []
    }

    /// First values only, for credential presentations.
    public var firstValues: [String: String] {
        values.compactMapValues(\.first)
    }

    /// Parses `a=1&b=2`, decoding `+` and percent escapes; a bad escape or invalid UTF-8 is `invalid_request`.
    public static func form(_ text: String) throws(OAuthError) -> RequestParameters {
        try form(Array(text.utf8))
    }

    /// Parses form bytes (byte-wise: tokens in forms are long, and `Character` splitting is slow).
    public static func form(_ bytes: [UInt8]) throws(OAuthError) -> RequestParameters {
        var values: [String: [String]] = [:]
        for pair in bytes.split(separator: UInt8(ascii: "&"), omittingEmptySubsequences: true) {
            let equals = pair.firstIndex(of: UInt8(ascii: "="))
            guard let name = decodeComponent(pair[..<(equals ?? pair.endIndex)]),
                let value = equals.map({ decodeComponent(pair[pair.index(after: $0)...]) }) ?? ""
            else { throw OAuthError.invalidRequest("the form body has a malformed percent escape or invalid UTF-8") }
            guard !name.isEmpty else { continue }
            values[name, default: []].append(value)
        }
        return RequestParameters(values)
    }

    /// Decodes one form component (`+` is a space); `nil` for a bad escape or invalid UTF-8.
    public static func decodeComponent(_ text: some StringProtocol) -> String? {
        decodeComponent(Array(text.utf8)[...])
    }

    static func decodeComponent(_ bytes: ArraySlice<UInt8>) -> String? {
        PercentDecoding.decode(bytes, plusIsSpace: true)
    }

    /// The members of a JSON object body as parameters (strings, numbers and flags as text; lists of strings).
    public static func json(_ bytes: Data) throws(OAuthError) -> RequestParameters {
        guard let object = (try? JSONValue.parse(bytes))?.objectValue else {
            throw .invalidRequest("the body is not a JSON object")
        }
        var values: [String: [String]] = [:]
        for (name, value) in object {
            switch value {
            case .string(let text): values[name] = [text]
            case .int(let number): values[name] = [String(number)]
            case .bool(let flag): values[name] = [flag ? "true" : "false"]
            case .double(let number): values[name] = ["\(number)"]
            case .array(let items): values[name] = items.compactMap(\.stringValue)
            case .null, .object: continue
            }
        }
        return RequestParameters(values)
    }
}
