import Foundation
import Hummingbird
import MachineAuthCore

/// Typed access to URL query parameters, naming the parameter at fault.
struct QueryParameters {
    let request: Request

    func string(_ name: String) -> String? {
        request.uri.queryParameters.get(name).flatMap { $0.isEmpty ? nil : $0 }
    }

    /// A whole number within `range` (400 naming the parameter otherwise).
    func int(_ name: String, in range: ClosedRange<Int>, default fallback: Int) throws -> Int {
        guard let text = string(name) else { return fallback }
        do {
            return try WholeNumber.parse(text, in: range)
        } catch {
            throw APIError.invalidField(name, error.description)
        }
    }

    func date(_ name: String) throws -> Date? {
        guard let text = string(name) else { return nil }
        guard let date = RFC3339.parse(text) else { throw APIError.invalidField(name, "must be an RFC 3339 timestamp") }
        return date
    }

    /// `true` or `false` (400 for anything else).
    func bool(_ name: String) throws -> Bool? {
        switch string(name) {
        case nil: return nil
        case "true": return true
        case "false": return false
        default: throw APIError.invalidField(name, "must be true or false")
        }
    }

    /// `page` (1–1,000,000, default 1) and `limit` (1–500, default 20).
    func page() throws -> PageRequest {
        PageRequest(page: try int("page", in: InputLimits.page, default: 1), limit: try int("limit", in: InputLimits.pageSize, default: 20))
    }
}

extension Page {
    /// The `pagination` object of list responses.
    var pagination: JSONValue {
        ["total": .int(total), "page": .int(request.page), "limit": .int(request.limit), "total_pages": .int(totalPages)]
    }
}
