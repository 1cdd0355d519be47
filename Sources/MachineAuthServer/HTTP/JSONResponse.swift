import Foundation
import Hummingbird
import MachineAuthCore

/// Builds JSON responses with the project's conventions: snake_case keys chosen by the
/// types, ISO 8601 dates, sorted keys, UTF-8.
enum JSONResponse {
    static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .iso8601
        return encoder
    }()

    /// Encodes `value` as the response body.
    static func make(_ value: some Encodable, status: HTTPResponse.Status = .ok, headers: HTTPFields = [:]) throws -> Response {
        let data = try encoder.encode(value)
        return text(String(decoding: data, as: UTF8.self), status: status, headers: headers)
    }

    /// A response whose body is already JSON text.
    static func text(_ json: String, status: HTTPResponse.Status = .ok, headers: HTTPFields = [:]) -> Response {
        var headers = headers
        headers[.contentType] = "application/json; charset=utf-8"
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(string: json)))
    }

    static func value(_ value: JSONValue, status: HTTPResponse.Status = .ok, headers: HTTPFields = [:]) -> Response {
        var headers = headers
        headers[.contentType] = "application/json; charset=utf-8"
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: value.jsonBytes)))
    }
}

extension HTTPFields {
    /// Headers for responses carrying tokens or credentials (RFC 6749 §5.1).
    static var noStore: HTTPFields {
        [.cacheControl: "no-store", .pragma: "no-cache"]
    }
}
