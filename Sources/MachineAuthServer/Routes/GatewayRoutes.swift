import Foundation
import HTTPTypes
import Hummingbird
import Logging
import MachineAuthCore

/// Token validation for reverse proxies:
/// - `/gateway/check` (any method; also `/gateway/check/<path>`) answers forward-auth
///   subrequests from nginx `auth_request`, Caddy `forward_auth`, Traefik ForwardAuth and
///   Envoy `ext_authz`: 200 with identity headers, or 401/403 with an RFC 6750 challenge. Never a redirect.
/// - `GET`/`POST /api/verify` checks a bearer token or API key and describes it.
/// - `GET /.well-known/oauth-protected-resource` serves RFC 9728 metadata.
struct GatewayRoutes: Sendable {
    let runtime: MachineAuthRuntime
    static let methods: [HTTPRequest.Method] = [.get, .head, .post, .put, .patch, .delete, .options]

    func register(on router: RouteRegistrar) {
        for method in Self.methods {
            router.on(method, "/gateway/check") { request, context in try await check(request, context, withPath: false) }
            router.on(method, "/gateway/check/**") { request, context in try await check(request, context, withPath: true) }
        }
        router.get("/api/verify") { request, context in try await verify(request, context) }
        router.post("/api/verify") { request, context in try await verify(request, context) }
        router.get("/.well-known/oauth-protected-resource") { request, context in try protectedResource(request, context) }
        router.get("/.well-known/oauth-protected-resource/**") { request, context in try protectedResource(request, context) }
    }

    /// What the check request says, for the configured ``GatewayDialect`` to read. `withPath`:
    /// the original path follows `/gateway/check` (Envoy), taken raw from the request line.
    func query(_ request: Request, _ context: AppRequestContext, withPath: Bool) -> ForwardAuthQuery {
        var headers: [String: [String]] = [:]
        for field in request.headers { headers[field.name.canonicalName, default: []].append(field.value) }
        var path: String?
        if withPath {
            path = String(request.uri.path.dropFirst("/gateway/check".count)) + (request.uri.query.map { "?\($0)" } ?? "")
        }
        return ForwardAuthQuery(
            method: request.method.rawValue, path: path, host: request.head.authority, scheme: context.scheme,
            headers: headers, fromTrustedProxy: context.fromTrustedProxy, credential: Authentication(runtime: runtime).bearer(request),
            credentialScheme: Authentication.scheme(request))
    }

    private func check(_ request: Request, _ context: AppRequestContext, withPath: Bool) async throws -> Response {
        var original: GatewayRequest
        do throws(OAuthError) {
            original = try runtime.settings.gateway.dialect.read(query(request, context, withPath: withPath)).get()
            // The proxy puts the client's certificate on the check request (nginx:
            // `proxy_set_header X-SSL-Client-Cert $ssl_client_escaped_cert` in the auth location).
            original.clientCertificate = try Authentication(runtime: runtime).clientCertificate(
                request, context: context, refusal: OAuthError.invalidToken)
        } catch {
            runtime.services.telemetry.gatewayDecision(allowed: false, status: error.status)
            context.logger.warning("gateway refused a forward-auth request from \(context.peerAddress ?? "-"): \(error.message)")
            throw error
        }
        switch await runtime.services.gateway.decide(original) {
        case .allow(let identity, _):
            runtime.services.telemetry.gatewayDecision(allowed: true, status: 200)
            var headers: HTTPFields = [.cacheControl: "no-store"]
            for (name, value) in identity {
                if let field = HTTPField.Name(name) { headers[field] = value }
            }
            return JSONResponse.value(["allowed": true], headers: headers)
        case .deny(let error):
            runtime.services.telemetry.gatewayDecision(allowed: false, status: error.status)
            context.logger.info("gateway denied \(original.method) \(original.host)\(original.path.prefix(512)): \(error.code)")
            throw error
        }
    }

    private func verify(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        var credential = Authentication(runtime: runtime).bearer(request)
        var scheme = Authentication.scheme(request)
        if credential == nil, request.method == .post {
            credential = try await RequestParameters.read(request, maxBytes: runtime.settings.server.maxBodyBytes).single("token")
            scheme = .bearer
        }
        guard let credential, !credential.isEmpty else { throw OAuthError.invalidToken("a bearer token or API key is required") }
        if runtime.services.clients.isAPIKey(credential) {
            guard scheme == .bearer else { throw OAuthError.invalidToken("API keys are not DPoP-bound: send them as Bearer or X-API-Key") }
            guard case .apiKey(let key) = try await Authentication(runtime: runtime).caller(request, context: context, credential: credential) else {
                throw OAuthError.invalidToken("the API key is invalid")
            }
            return JSONResponse.value([
                "valid": true, "token_type": "api_key",
                "api_key": ["id": .string(key.keyID), "name": .string(key.name), "organization_id": .string(key.organizationID)],
                "organization_id": .string(key.organizationID),
            ], headers: .noStore)
        }
        do {
            let token = try await runtime.services.validator.validate(credential)
            // The original request matters only to a proof; a Bearer token that is not bound needs none.
            let proofNeeded = scheme == .dpop || Confirmation(claims: token.claims).keyThumbprint != nil
            let certificate = try Authentication(runtime: runtime).clientCertificate(request, context: context, refusal: OAuthError.invalidToken)
            try await runtime.services.dpop.checkPresentation(
                of: token, token: credential, scheme: scheme, dpop: proofNeeded ? try original(request, context) : nil, certificate: certificate)
            runtime.services.telemetry.tokenValidated(active: true)
            return JSONResponse.value([
                "valid": true, "token_type": "access_token", "agent_id": .string(token.agent.id), "client_id": .string(token.agent.clientID),
                "scopes": .array(token.scopes.map(JSONValue.string)), "expires_at": AgentView.timestamp(token.expiresAt),
                "claims": .object(token.claims), "agent": AgentView.render(token.agent, usage: nil, now: runtime.now()),
            ], headers: .noStore)
        } catch let rejection as TokenRejection {
            runtime.services.telemetry.tokenValidated(active: false)
            throw OAuthError.invalidToken(rejection.message)
        }
    }

    /// What a DPoP proof sent to `/api/verify` must name: the original request a trusted proxy
    /// describes in its forwarded headers (read as `/gateway/check` reads them), else this request.
    private func original(_ request: Request, _ context: AppRequestContext) throws -> DPoPPresentation {
        let forwarded = query(request, context, withPath: false)
        let families = [GatewayDialect.nginxFamily, GatewayDialect.forwardedFamily]
        guard families.contains(where: { forwarded.headers[$0.method] != nil || forwarded.headers[$0.uri] != nil }) else {
            return Authentication(runtime: runtime).dpop(request)
        }
        switch runtime.settings.gateway.dialect.read(forwarded) {
        case .success(let original): return original.dpop
        case .failure(let error): throw error
        }
    }

    private func protectedResource(_ request: Request, _ context: AppRequestContext) throws -> Response {
        let forwarded = context.fromTrustedProxy ? request.headers[.xForwardedHost] : nil
        let host = forwarded ?? request.head.authority ?? ""
        guard let resource = runtime.services.gateway.protectedResource(host: host) else {
            throw APIError.notFound("protected resource metadata for \(host)")
        }
        var document: [String: JSONValue] = [
            "resource": .string(resource.resource), "authorization_servers": [.string(runtime.settings.server.issuer)],
            "bearer_methods_supported": ["header"], "jwks_uri": .string(runtime.settings.server.issuer + "/.well-known/jwks.json"),
        ]
        let algorithms = runtime.services.dpop.algorithms
        if !algorithms.isEmpty { document["dpop_signing_alg_values_supported"] = .array(algorithms.map(JSONValue.string)) }
        if runtime.settings.server.readsClientCertificates { document["tls_client_certificate_bound_access_tokens"] = true }
        if !resource.scopesSupported.isEmpty { document["scopes_supported"] = .array(resource.scopesSupported.map(JSONValue.string)) }
        if let name = resource.resourceName { document["resource_name"] = .string(name) }
        return JSONResponse.value(.object(document), headers: [.cacheControl: "public, max-age=300"])
    }
}
