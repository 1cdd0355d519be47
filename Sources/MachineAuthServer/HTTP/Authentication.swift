import Foundation
import HTTPTypes
import Hummingbird
import MachineAuthCore

/// A bearer credential and where the request carried it.
struct PresentedCredential: Sendable {
    enum Source: Sendable {
        /// `Authorization: Bearer`.
        case authorization
        /// `Authorization: DPoP` (a DPoP-bound token, RFC 9449 §7.1).
        case dpopAuthorization
        /// `X-API-Key`.
        case apiKeyHeader
        /// The admin session cookie: unsafe requests must also carry the CSRF token.
        case cookie
    }

    var value: String
    var source: Source
}

/// Resolves callers from bearer credentials, and OAuth clients through the one authenticator
/// chain of the core (``ClientAuthentication``).
struct Authentication: Sendable {
    static let adminCookie = "machineauth_admin"
    /// Readable by the dashboard's script (not HttpOnly); unsafe cookie-authenticated requests
    /// send its value in ``csrfHeader``.
    static let csrfCookie = "machineauth_csrf"
    static let csrfHeader = HTTPField.Name.xCSRFToken
    let runtime: MachineAuthRuntime

    /// The credential of an API request: `Authorization: Bearer`, `X-API-Key`, or the admin
    /// session cookie (which only ever stands for an admin session, ``AccessGate``).
    func presented(_ request: Request) -> PresentedCredential? {
        if let header = request.headers[.authorization], header.count > 7, header.prefix(7).lowercased() == "bearer " {
            return PresentedCredential(value: header.dropFirst(7).trimmingASCIIWhitespace, source: .authorization)
        }
        if let header = request.headers[.authorization], header.count > 5, header.prefix(5).lowercased() == "dpop " {
            return PresentedCredential(value: header.dropFirst(5).trimmingASCIIWhitespace, source: .dpopAuthorization)
        }
        if let key = request.headers[.xAPIKey], !key.isEmpty { return PresentedCredential(value: key, source: .apiKeyHeader) }
        return request.cookies[Self.adminCookie].map { PresentedCredential(value: $0.value, source: .cookie) }
    }

    /// A bearer token or API key sent explicitly (never the cookie): what the OAuth endpoints,
    /// forward-auth checks and `/api/verify` read, so a browser's ambient cookie decides nothing there.
    func bearer(_ request: Request) -> String? {
        guard let credential = presented(request), credential.source != .cookie else { return nil }
        return credential.value
    }

    /// How the request's `Authorization` header presents its token.
    static func scheme(_ request: Request) -> AccessTokenScheme {
        let header = request.headers[.authorization] ?? ""
        return header.count > 5 && header.prefix(5).lowercased() == "dpop " ? .dpop : .bearer
    }

    /// The request's DPoP proofs, for a proof naming this server's own URL for the request.
    func dpop(_ request: Request) -> DPoPPresentation {
        DPoPPresentation(proofs: request.headers.dpopProofs, method: request.method.rawValue, url: runtime.settings.server.issuer + request.uri.path)
    }

    /// The client certificate a trusted TLS-terminating proxy passed in
    /// `server.client_certificate_header` (RFC 8705), written as `server.client_certificate_format`
    /// says (nginx's escaped PEM, or Envoy's XFCC). `nil` when the server reads no certificates,
    /// the peer is not one of `TRUSTED_PROXIES` (a client's own copy of the header is ignored), or
    /// the header is absent or empty (nginx's `$ssl_client_escaped_cert` without a certificate).
    /// - Parameter refusal: the error for a header that is not one certificate (it names the header).
    func clientCertificate(
        _ request: Request, context: AppRequestContext, refusal: (String) -> OAuthError
    ) throws(OAuthError) -> ClientCertificate? {
        let header = runtime.settings.server.clientCertificateHeader
        guard !header.isEmpty, context.fromTrustedProxy, let name = HTTPField.Name(header) else { return nil }
        let values = request.headers[values: name]
        guard values.count <= 1 else { throw refusal("the \(header) header is sent more than once") }
        guard let value = values.first?.trimmingASCIIWhitespace, !value.isEmpty else { return nil }
        do {
            return try ClientCertificate.parse(header: value, format: runtime.settings.server.clientCertificateFormat)
        } catch {
            throw refusal("the \(header) header \(error.message)")
        }
    }

    /// The caller a credential stands for; invalid credentials throw 401. Agent tokens must be
    /// meant for this server (`aud` includes the issuer): a token minted for another resource
    /// is not a key to MachineAuth's own API.
    func caller(_ request: Request, context: AppRequestContext, credential: String) async throws -> Caller {
        if runtime.services.clients.isAPIKey(credential) {
            guard Self.scheme(request) == .bearer else { throw OAuthError.invalidToken("API keys are not DPoP-bound: send them as Bearer or X-API-Key") }
            guard let key = try await runtime.services.clients.apiKey(credential, remoteAddress: context.clientAddress) else {
                throw OAuthError.invalidToken("the API key is invalid, expired or revoked")
            }
            return .apiKey(key)
        }
        do {
            if let session = try runtime.services.adminSessions.validate(credential) {
                guard Self.scheme(request) == .bearer else { throw OAuthError.invalidToken("admin sessions are not DPoP-bound: send them as Bearer") }
                return .admin(session)
            }
            let token = try await runtime.services.validator.validate(credential, audience: runtime.settings.server.issuer)
            let certificate = try clientCertificate(request, context: context, refusal: OAuthError.invalidToken)
            try await runtime.services.dpop.checkPresentation(
                of: token, token: credential, scheme: Self.scheme(request), dpop: dpop(request), certificate: certificate)
            return .agentToken(token)
        } catch let rejection as TokenRejection {
            throw OAuthError.invalidToken(rejection.message)
        }
    }

    /// The caller of the request, or `nil` when it carries no bearer credential.
    func caller(_ request: Request, context: AppRequestContext) async throws -> Caller? {
        guard let credential = bearer(request) else { return nil }
        return try await caller(request, context: context, credential: credential)
    }

    /// Authenticates an OAuth client with the configured stages (``ClientAuthentication``);
    /// `nil` when it sent no client credentials.
    func authenticateClient(
        _ request: Request, context: AppRequestContext, parameters: RequestParameters, purpose: CredentialPurpose = .clientAuthentication
    ) async throws -> AgentPrincipal? {
        var presentation = CredentialPresentation.from(request, context: context, parameters: parameters, purpose: purpose)
        // tls_client_auth (RFC 8705 §2) authenticates at introspection, revocation and reactivation too.
        presentation.clientCertificate = try clientCertificate(request, context: context, refusal: OAuthError.invalidRequest)
        return try await runtime.services.clients.client(presentation, origin: context.origin(request))
    }
}

extension OAuthError {
    /// No credentials at all: 401 with a bare Bearer challenge (RFC 6750 §3.1).
    static let missingCredentials = OAuthError(
        code: "unauthorized", message: "authentication is required", status: 401, challenge: .bearer)
}
