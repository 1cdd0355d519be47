import Foundation
import Hummingbird
import MachineAuthCore

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

    /// Reads and parses the body of `request`, up to `maxBytes`.
    public static func read(_ request: Request, maxBytes: Int) async throws -> RequestParameters {
        let buffer = try await request.body.collect(upTo: maxBytes)
        let bytes = Data(buffer: buffer)
        guard !bytes.isEmpty else { return RequestParameters() }
        let contentType = request.headers[.contentType]?.lowercased() ?? ""
        if contentType.hasPrefix("application/json") {
            return try json(bytes)
        }
        guard contentType.isEmpty || contentType.hasPrefix("application/x-www-form-urlencoded") else {
            throw OAuthError.invalidRequest("unsupported content type \"\(contentType)\"; send application/x-www-form-urlencoded or application/json")
        }
        return form(String(decoding: bytes, as: UTF8.self))
    }

    /// Parses `a=1&b=2`, decoding `+` and percent escapes.
    public static func form(_ text: String) -> RequestParameters {
        var values: [String: [String]] = [:]
        for pair in text.split(separator: "&", omittingEmptySubsequences: true) {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            guard let name = decodeComponent(parts[0]), !name.isEmpty else { continue }
            let value = parts.count > 1 ? decodeComponent(parts[1]) ?? "" : ""
            values[name, default: []].append(value)
        }
        return RequestParameters(values)
    }

    /// Decodes one form component (`+` is a space).
    public static func decodeComponent(_ text: some StringProtocol) -> String? {
        if !text.utf8.contains(where: { $0 == UInt8(ascii: "%") || $0 == UInt8(ascii: "+") }) { return String(text) }
        return String(text).replacingOccurrences(of: "+", with: " ").removingPercentEncoding
    }

    private static func json(_ bytes: Data) throws -> RequestParameters {
        guard let object = (try? JSONValue.parse(bytes))?.objectValue else {
            throw OAuthError.invalidRequest("the body is not a JSON object")
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
