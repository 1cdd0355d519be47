import Foundation
import Hummingbird
import MachineAuthCore

/// A JSON object request body with typed accessors that name the field at fault.
///
/// ```swift
/// let body = try await JSONBody.read(request, maxBytes: limit)
/// let name = try body.string("name", required: true)
/// ```
struct JSONBody: Sendable {
    let fields: [String: JSONValue]

    static func read(_ request: Request, maxBytes: Int, allowEmpty: Bool = true) async throws -> JSONBody {
        let buffer = try await request.body.collect(upTo: maxBytes)
        let data = Data(buffer: buffer)
        if data.allSatisfy({ $0 == 0x20 || $0 == 0x0A || $0 == 0x0D || $0 == 0x09 }) {
            guard allowEmpty else { throw APIError.badRequest("a JSON object body is required") }
            return JSONBody(fields: [:])
        }
        guard let object = (try? JSONValue.parse(data))?.objectValue else {
            throw APIError.badRequest("the body must be a JSON object")
        }
        return JSONBody(fields: object)
    }

    func has(_ name: String) -> Bool { fields[name] != nil }

    /// `true` when the field is present and explicitly `null`.
    func isNull(_ name: String) -> Bool { fields[name] == .null }

    func string(_ name: String, required: Bool = false) throws -> String? {
        switch fields[name] {
        case .string(let value): return value
        case nil, .null?:
            if required { throw APIError.invalidField(name, "is required") }
            return nil
        default: throw APIError.invalidField(name, "must be a string")
        }
    }

    func int(_ name: String) throws -> Int? {
        switch fields[name] {
        case .int(let value): return value
        case .double(let value) where value == value.rounded(): return Int(value)
        case .string(let text) where Int(text) != nil: return Int(text)
        case nil, .null?: return nil
        default: throw APIError.invalidField(name, "must be a whole number")
        }
    }

    func bool(_ name: String) throws -> Bool? {
        switch fields[name] {
        case .bool(let value): return value
        case nil, .null?: return nil
        default: throw APIError.invalidField(name, "must be true or false")
        }
    }

    /// A list of strings; a space-separated string is accepted for `scopes`.
    func strings(_ name: String) throws -> [String]? {
        switch fields[name] {
        case .array(let items):
            return try items.map { item in
                guard let text = item.stringValue else { throw APIError.invalidField(name, "must be a list of strings") }
                return text
            }
        case .string(let text): return text.split(separator: " ").map(String.init)
        case nil, .null?: return nil
        default: throw APIError.invalidField(name, "must be a list of strings")
        }
    }

    func stringMap(_ name: String) throws -> [String: String]? {
        switch fields[name] {
        case .object(let members):
            return try members.mapValues { value in
                switch value {
                case .string(let text): return text
                case .int(let number): return String(number)
                case .bool(let flag): return flag ? "true" : "false"
                default: throw APIError.invalidField(name, "values must be strings")
                }
            }
        case nil, .null?: return nil
        default: throw APIError.invalidField(name, "must be an object of string values")
        }
    }

    /// An RFC 3339 timestamp.
    func date(_ name: String) throws -> Date? {
        guard let text = try string(name) else { return nil }
        if let date = try? Date(text, strategy: .iso8601) { return date }
        if let date = try? Date(text, strategy: Date.ISO8601FormatStyle(includingFractionalSeconds: true)) { return date }
        throw APIError.invalidField(name, "must be an RFC 3339 timestamp such as 2030-01-31T12:00:00Z")
    }

    /// `expires_at` (timestamp) or `expires_in` (seconds): `nil` when neither is given,
    /// `.some(nil)` when one is explicitly `null` (remove the expiry).
    func expiry(now: Date) throws -> Date?? {
        if let seconds = try int("expires_in") {
            guard seconds > 0 else { throw APIError.invalidField("expires_in", "must be a positive number of seconds") }
            return .some(now.addingTimeInterval(TimeInterval(seconds)))
        }
        if let date = try date("expires_at") { return .some(date) }
        if isNull("expires_at") || isNull("expires_in") { return .some(nil) }
        return nil
    }
}
