import Crypto
import Foundation
import Hummingbird
import MachineAuthCore

/// `GET /.well-known/jwks.json`, `/.well-known/oauth-authorization-server` (RFC 8414) and
/// `/.well-known/openid-configuration` (same metadata).
struct DiscoveryRoutes: Sendable {
    let runtime: MachineAuthRuntime

    func register(on router: RouteRegistrar) {
        router.get("/.well-known/jwks.json") { request, _ in try jwks(request) }
        router.get("/.well-known/oauth-authorization-server") { _, _ in try await metadata(openID: false) }
        router.get("/.well-known/openid-configuration") { _, _ in try await metadata(openID: true) }
    }

    func jwks(_ request: Request) throws -> Response {
        let document = try runtime.services.keyRing.jwksDocument
        let etag = "\"" + SHA256.hash(data: Data(document.utf8)).prefix(12).map { String(format: "%02x", $0) }.joined() + "\""
        var headers: HTTPFields = [.cacheControl: "public, max-age=300, must-revalidate", .eTag: etag]
        if request.headers[.ifNoneMatch] == etag {
            headers[.contentType] = "application/json"
            return Response(status: .notModified, headers: headers)
        }
        headers[.contentType] = "application/jwk-set+json"
        var response = JSONResponse.text(document, headers: headers)
        response.headers[.contentType] = "application/jwk-set+json"
        return response
    }

    func metadata(openID: Bool) async throws -> Response {
        let issuer = runtime.settings.server.issuer
        let grants = runtime.services.tokens.grantTypes
        let methods = runtime.services.clients.methods
        let algorithms = runtime.services.keyRing.publishedAlgorithms
        var document: [String: JSONValue] = [
            "issuer": .string(issuer),
            "token_endpoint": .string(issuer + "/oauth/token"),
            "jwks_uri": .string(issuer + "/.well-known/jwks.json"),
            "introspection_endpoint": .string(issuer + "/oauth/introspect"),
            "revocation_endpoint": .string(issuer + "/oauth/revoke"),
            "userinfo_endpoint": .string(issuer + "/oauth/userinfo"),
            "grant_types_supported": .array(grants.map(JSONValue.string)),
            "response_types_supported": ["token"],
            "token_endpoint_auth_methods_supported": .array(methods.map(JSONValue.string)),
            "introspection_endpoint_auth_methods_supported": .array((methods + ["bearer"]).map(JSONValue.string)),
            "revocation_endpoint_auth_methods_supported": .array((methods + ["bearer"]).map(JSONValue.string)),
            "access_token_signing_alg_values_supported": .array(algorithms.map(JSONValue.string)),
        ]
        let assertionAlgorithms = runtime.services.clients.signingAlgorithms
        if !assertionAlgorithms.isEmpty {
            document["token_endpoint_auth_signing_alg_values_supported"] = .array(assertionAlgorithms.map(JSONValue.string))
        }
        let proofAlgorithms = runtime.services.dpop.algorithms
        if !proofAlgorithms.isEmpty { document["dpop_signing_alg_values_supported"] = .array(proofAlgorithms.map(JSONValue.string)) }
        // RFC 8705 §3.3: the server binds tokens to the client certificates its trusted proxy passes on.
        if runtime.settings.server.readsClientCertificates { document["tls_client_certificate_bound_access_tokens"] = true }
        document["scopes_supported"] = .array(try await runtime.storage.knownScopes().map(JSONValue.string))
        if openID {
            document["subject_types_supported"] = ["public"]
            document["id_token_signing_alg_values_supported"] = .array(algorithms.map(JSONValue.string))
        }
        return JSONResponse.value(.object(document), headers: [.cacheControl: "public, max-age=300"])
    }
}
