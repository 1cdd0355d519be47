public import Hummingbird
import MachineAuthCore

/// An error of the REST API, rendered as `{"error": code, "error_description": message, "field": …}`.
///
/// ```swift
/// throw APIError.invalidField("name", "must not be empty")
/// ```
public struct APIError: Error, Sendable, Hashable {
    public var status: HTTPResponse.Status
    public var code: String
    public var message: String
    /// The request field at fault, for validation errors.
    public var field: String?

    public init(_ status: HTTPResponse.Status, code: String, _ message: String, field: String? = nil) {
        self.status = status
        self.code = code
        self.message = message
        self.field = field
    }

    public static func invalidField(_ field: String, _ message: String) -> APIError {
        APIError(.badRequest, code: "invalid_request", "\(field): \(message)", field: field)
    }

    public static func badRequest(_ message: String) -> APIError {
        APIError(.badRequest, code: "invalid_request", message)
    }

    public static func notFound(_ what: String) -> APIError {
        APIError(.notFound, code: "not_found", "\(what) not found")
    }

    public static func forbidden(_ message: String) -> APIError {
        APIError(.forbidden, code: "forbidden", message)
    }

    public static func conflict(_ message: String) -> APIError {
        APIError(.conflict, code: "conflict", message)
    }

    public static func unauthorized(_ message: String) -> APIError {
        APIError(.unauthorized, code: "unauthorized", message)
    }

    var body: JSONValue {
        var body: [String: JSONValue] = ["error": .string(code), "error_description": .string(message)]
        if let field { body["field"] = .string(field) }
        return .object(body)
    }
}
