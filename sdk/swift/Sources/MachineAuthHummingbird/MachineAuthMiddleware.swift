public import Hummingbird
import Logging
import MachineAuthClient
public import MachineAuthVerifier

/// Verifies the request's bearer token against MachineAuth's JWKS and puts its claims on the
/// context (`context.machineAuth`, `context.requireClaims()`); refuses the request otherwise
/// (see `BearerRefusal`).
///
/// ```swift
/// let verifier = TokenVerifier(issuer: "https://auth.example.com", audiences: ["https://api.example.com"])
/// let router = Router(context: MachineAuthContext.self)
/// router.group("orders")
///     .add(middleware: MachineAuthMiddleware(verifier: verifier, scopes: ["orders:read"]))
///     .get { _, context in try context.requireClaims().agentID }
/// ```
public struct MachineAuthMiddleware<Context: MachineAuthRequestContext>: RouterMiddleware {
    public let verifier: TokenVerifier
    /// Accepted audiences; `nil`: the verifier's.
    public let audiences: [String]?
    /// Scopes every request must grant.
    public let scopes: [String]
    /// Also ask the server that the token is still active (sees revocations; one request each).
    public let introspect: Bool
    /// The `realm` of the challenges, if any.
    public let realm: String?

    public init(verifier: TokenVerifier, audiences: [String]? = nil, scopes: [String] = [], introspect: Bool = false, realm: String? = nil) {
        self.verifier = verifier
        self.audiences = audiences
        self.scopes = scopes
        self.introspect = introspect
        self.realm = realm
    }

    public func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard let token = Self.bearerToken(request.headers[values: .authorization]) else {
            throw BearerRefusal.missingToken(realm: realm)
        }
        var context = context
        do {
            context.machineAuth = try await verifier.verify(token, audiences: audiences, scopes: scopes, introspect: introspect)
        } catch let failure as TokenVerificationError {
            context.logger.debug("bearer token refused", metadata: ["error": "\(failure.error)", "reason": "\(failure.errorDescription)"])
            throw BearerRefusal(failure, realm: realm)
        } catch let error as MachineAuthError where error.error == "jwks_unavailable" {
            context.logger.error("cannot verify bearer tokens", metadata: ["reason": "\(error.errorDescription)"])
            throw BearerRefusal.keysUnavailable("the authorization server's signing keys are unavailable")
        }
        return try await next(request, context)
    }

    /// The token of a single `Authorization: Bearer <token>` header (the scheme is
    /// case-insensitive, RFC 9110 §11.1); `nil` for none, another scheme, or several headers.
    static func bearerToken(_ values: [String]) -> String? {
        guard values.count == 1 else { return nil }
        let value = values[0].drop { $0 == " " }
        guard let space = value.firstIndex(of: " "), value[..<space].lowercased() == "bearer" else { return nil }
        var token = value[space...].drop { $0 == " " }
        while token.last == " " { token = token.dropLast() }
        return token.isEmpty || token.contains(" ") ? nil : String(token)
    }
}
