import Foundation
public import Hummingbird
public import MachineAuthCore

extension RequestParameters {
    /// Reads and parses the body of `request`, up to `maxBytes` (413 beyond).
    public static func read(_ request: Request, maxBytes: Int) async throws -> RequestParameters {
        let bytes = try await RequestBody.collect(request, maxBytes: maxBytes)
        guard !bytes.isEmpty else { return RequestParameters() }
        let contentType = request.headers[.contentType].map(RequestBody.mediaType) ?? ""
        if contentType == "application/json" {
            return try json(bytes)
        }
        guard contentType.isEmpty || contentType == "application/x-www-form-urlencoded" else {
            throw OAuthError.invalidRequest("unsupported content type \"\(contentType)\"; send application/x-www-form-urlencoded or application/json")
        }
        return try form(Array(bytes))
    }
}
