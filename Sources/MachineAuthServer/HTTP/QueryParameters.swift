import Foundation
import Hummingbird
import MachineAuthCore

/// Typed access to URL query parameters, naming the parameter at fault.
struct QueryParameters {
    let request: Request

    func string(_ name: String) -> String? {
        request.uri.queryParameters.get(name).flatMap { $0.isEmpty ? nil : $0 }
    }

    func int(_ name: String, default fallback: Int) throws -> Int {
        guard let text = string(name) else { return fallback }
        guard let value = Int(text) else { throw APIError.invalidField(name, "must be a whole number") }
        return value
    }

    func date(_ name: String) throws -> Date? {
        guard let text = string(name) else { return nil }
        if let date = try? Date(text, strategy: .iso8601) { return date }
        if let date = try? Date(text, strategy: Date.ISO8601FormatStyle(includingFractionalSeconds: true)) { return date }
        throw APIError.invalidField(name, "must be an RFC 3339 timestamp")
    }

    /// `page` (from 1) and `limit` (1–500, default 20).
    func page() throws -> PageRequest {
        let page = try int("page", default: 1)
        let limit = try int("limit", default: 20)
        guard page >= 1 else { throw APIError.invalidField("page", "must be 1 or more") }
        guard (1...500).contains(limit) else { throw APIError.invalidField("limit", "must be between 1 and 500") }
        return PageRequest(page: page, limit: limit)
    }
}

extension Page {
    /// The `pagination` object of list responses.
    var pagination: JSONValue {
        ["total": .int(total), "page": .int(request.page), "limit": .int(request.limit), "total_pages": .int(totalPages)]
    }
}
