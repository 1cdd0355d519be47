public import Hummingbird
public import MachineAuthVerifier

/// A request context that carries the verified access token, for `MachineAuthMiddleware`
/// (like hummingbird-auth's `AuthRequestContext`).
///
/// ```swift
/// struct AppContext: MachineAuthRequestContext {
///     var coreContext: CoreRequestContextStorage
///     var machineAuth: VerifiedToken?
///     init(source: Source) { coreContext = .init(source: source); machineAuth = nil }
/// }
/// ```
public protocol MachineAuthRequestContext: RequestContext {
    /// The verified token of the request; set by `MachineAuthMiddleware`.
    var machineAuth: VerifiedToken? { get set }
}

extension MachineAuthRequestContext {
    /// The verified token, or a 401 with the RFC 6750 challenge when no middleware verified one.
    public func requireClaims() throws -> VerifiedToken {
        guard let machineAuth else { throw BearerRefusal.missingToken(realm: nil) }
        return machineAuth
    }

    /// The verified token when it grants every one of `scopes`; otherwise a 403
    /// `insufficient_scope` naming them (or a 401 when there is no verified token).
    @discardableResult
    public func requireScopes(_ scopes: String...) throws -> VerifiedToken {
        let claims = try requireClaims()
        do {
            try TokenVerifier.checkScopes(claims, scopes)
        } catch let error as TokenVerificationError {
            throw BearerRefusal(error, realm: nil)
        }
        return claims
    }
}

/// The simplest context for `MachineAuthMiddleware`: Hummingbird's core context and the token.
public struct MachineAuthContext: MachineAuthRequestContext {
    public var coreContext: CoreRequestContextStorage
    public var machineAuth: VerifiedToken?

    public init(source: Source) {
        coreContext = .init(source: source)
        machineAuth = nil
    }
}
