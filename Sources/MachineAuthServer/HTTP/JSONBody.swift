import Foundation
import Hummingbird
import MachineAuthCore
import NIOCore
import NIOFoundationEssentialsCompat

/// A JSON object request body, checked against the route's ``BodySchema`` when read: unknown
/// fields, wrong types and out-of-range numbers are refused (400 naming the field), so the
/// typed accessors below only extract.
///
/// ```swift
/// let body = try await JSONBody.read(request, schema: RequestSchemas.createTeam, maxBytes: limit)
/// let name = try body.requiredString("name")
/// ```
struct JSONBody: Sendable {
    let fields: [String: JSONValue]
    let schema: BodySchema

    /// Reads the body (`Content-Type: application/json` when there is one; 415 otherwise).
    static func read(_ request: Request, schema: BodySchema, maxBytes: Int) async throws -> JSONBody {
        let data = try await RequestBody.collect(request, maxBytes: maxBytes)
        guard !data.allSatisfy({ $0 == 0x20 || $0 == 0x0A || $0 == 0x0D || $0 == 0x09 }) else {
            try schema.check([:])
            return JSONBody(fields: [:], schema: schema)
        }
        try RequestBody.requireJSON(request)
        let object: [String: JSONValue]
        do {
            guard let parsed = try JSONValue.parse(data).objectValue else { throw APIError.badRequest("the body must be a JSON object") }
            object = parsed
        } catch let error as APIError {
            throw error
        } catch {
            throw APIError.badRequest("the body is not valid JSON: \(error)")
        }
        try schema.check(object)
        return JSONBody(fields: object, schema: schema)
    }

    func has(_ name: String) -> Bool { fields[name] != nil }

    /// `true` when the field is present and explicitly `null`.
    func isNull(_ name: String) -> Bool { fields[name] == .null }

    func string(_ name: String) -> String? {
        fields[name]?.stringValue
    }

    /// The field's JSON value as sent; `nil` when absent or `null`.
    func value(_ name: String) -> JSONValue? {
        fields[name].flatMap { $0 == .null ? nil : $0 }
    }

    /// A field the schema marks as required (so it is present).
    func requiredString(_ name: String) -> String {
        fields[name]?.stringValue ?? ""
    }

    /// A whole number, already range-checked by the schema.
    func int(_ name: String) -> Int? {
        guard let value = fields[name], case .integer(let range) = schema.field(name)?.kind else { return nil }
        return try? WholeNumber.read(value, in: range)
    }

    func double(_ name: String) -> Double? {
        switch fields[name] {
        case .int(let value)?: return Double(value)
        case .double(let value)?: return value
        default: return nil
        }
    }

    func bool(_ name: String) -> Bool? {
        if case .bool(let value)? = fields[name] { return value }
        return nil
    }

    func strings(_ name: String) -> [String]? {
        fields[name]?.arrayValue?.compactMap(\.stringValue)
    }

    func stringMap(_ name: String) -> [String: String]? {
        fields[name]?.objectValue?.compactMapValues(\.stringValue)
    }

    func date(_ name: String) -> Date? {
        string(name).flatMap(RFC3339.parse)
    }

    /// `expires_at` (timestamp, at most ten years ahead) or `expires_in` (seconds): `nil` when
    /// neither is given, `.some(nil)` when one is explicitly `null` (remove the expiry).
    func expiry(now: Date) throws -> Date?? {
        if has("expires_in"), has("expires_at"), !isNull("expires_in"), !isNull("expires_at") {
            throw APIError.invalidField("expires_at", "give expires_in or expires_at, not both")
        }
        if let seconds = int("expires_in") { return .some(now.addingTimeInterval(TimeInterval(seconds))) }
        if let date = date("expires_at") {
            guard date.timeIntervalSince(now) <= TimeInterval(InputLimits.maxLifetimeSeconds) else {
                throw APIError.invalidField("expires_at", "must be at most ten years from now")
            }
            return .some(date)
        }
        if isNull("expires_at") || isNull("expires_in") { return .some(nil) }
        return nil
    }
}

/// Reading request bodies: one place for the size limit and the content type.
enum RequestBody {
    /// The whole body, at most `maxBytes` (413 beyond, whether or not it declared a length).
    static func collect(_ request: Request, maxBytes: Int) async throws -> Data {
        do {
            return Data(buffer: try await request.body.collect(upTo: maxBytes))
        } catch is NIOTooManyBytesError {
            throw HTTPError(.contentTooLarge)
        }
    }

    /// 415 unless the request says its body is JSON (`application/json`, or a `+json` type).
    static func requireJSON(_ request: Request) throws {
        let type = request.headers[.contentType].map { mediaType($0) } ?? ""
        guard type == "application/json" || (type.hasPrefix("application/") && type.hasSuffix("+json")) else {
            throw APIError(.unsupportedMediaType, code: "unsupported_media_type",
                           "this endpoint takes a JSON body; send Content-Type: application/json")
        }
    }

    /// The media type of a `Content-Type` value, lower-cased, without parameters.
    static func mediaType(_ value: String) -> String {
        (value.split(separator: ";", maxSplits: 1).first.map { $0.trimmingASCIIWhitespace } ?? "").lowercased()
    }
}
