public import Foundation
public import MachineAuthCore

/// Looks up API keys by their keyed hash; expired and revoked keys are refused with 401.
public struct APIKeyAuthenticator: Authenticator {
    let storage: any TenantStore
    let hasher: SecretHasher
    let lastUsedInterval: Int
    let now: @Sendable () -> Date

    public init(storage: any TenantStore, hasher: SecretHasher, lastUsedInterval: Int, now: @escaping @Sendable () -> Date) {
        self.storage = storage
        self.hasher = hasher
        self.lastUsedInterval = lastUsedInterval
        self.now = now
    }

    public var capabilities: AuthenticatorCapabilities {
        AuthenticatorCapabilities(purposes: [.apiAccess])
    }

    public func owns(bearer credential: String) -> Bool {
        credential.hasPrefix(APIKey.secretPrefix)
    }

    public func authenticate(_ presentation: CredentialPresentation) async throws -> Caller? {
        guard presentation.purpose == .apiAccess else { return nil }
        guard let presented = presentation.bearerToken ?? presentation.headers["x-api-key"], owns(bearer: presented) else { return nil }
        let time = now()
        guard let key = try await storage.apiKey(hash: hasher.hash(presented)) else {
            throw OAuthError.invalidToken("the API key is not known")
        }
        guard key.revokedAt == nil else { throw OAuthError.invalidToken("the API key has been revoked") }
        guard key.isUsable(at: time) else { throw OAuthError.invalidToken("the API key has expired") }
        if key.lastUsedAt.map({ time.timeIntervalSince($0) >= TimeInterval(lastUsedInterval) }) ?? true {
            _ = try? await storage.updateAPIKey(id: key.id) { $0.lastUsedAt = time }
        }
        return .apiKey(APIKeyPrincipal(keyID: key.id, organizationID: key.organizationID, name: key.name))
    }
}
