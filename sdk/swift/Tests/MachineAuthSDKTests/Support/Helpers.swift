import Foundation
import MachineAuthClient
import Synchronization

private let counter = Atomic<Int>(0)

/// A name no other test of this process uses.
func unique(_ prefix: String) -> String {
    "\(prefix)-\(counter.add(1, ordering: .relaxed).newValue)-\(UUID().uuidString.prefix(6))"
}

/// The decoded JSON of a base64url JWT segment (unverified: to look at what the server issued).
func segment(_ token: String, _ index: Int) -> JSONValue {
    let parts = token.split(separator: ".", omittingEmptySubsequences: false)
    guard parts.count > index else { return .null }
    var text = parts[index].replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
    while text.count % 4 != 0 { text += "=" }
    return Data(base64Encoded: text).flatMap { try? JSONValue.decode($0) } ?? .null
}

func headerOf(_ token: String) -> JSONValue { segment(token, 0) }
func claimsOf(_ token: String) -> JSONValue { segment(token, 1) }

/// base64url of a JSON value, as a JWT segment.
func encodeSegment(_ value: JSONValue) -> String {
    Data(value.jsonText.utf8).base64EncodedString()
        .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
}

/// `token` with header fields changed (so its signature no longer matches the header).
func withHeader(_ token: String, _ changes: [String: JSONValue]) -> String {
    let parts = token.split(separator: ".", omittingEmptySubsequences: false)
    var header = headerOf(token).objectValue ?? [:]
    header.merge(changes) { $1 }
    return ([encodeSegment(.object(header))] + parts.dropFirst().map(String.init)).joined(separator: ".")
}

/// `token` with claims changed.
func withClaims(_ token: String, _ changes: [String: JSONValue]) -> String {
    let parts = token.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
    var claims = claimsOf(token).objectValue ?? [:]
    claims.merge(changes) { $1 }
    return [parts[0], encodeSegment(.object(claims)), parts[2]].joined(separator: ".")
}

/// The error `body` throws, failing when it returns or throws another kind.
func caught<E: Error, T>(_ kind: E.Type, _ body: () async throws -> T) async throws -> E {
    do {
        _ = try await body()
    } catch let error as E {
        return error
    }
    throw TestServerError("expected a \(E.self)")
}
