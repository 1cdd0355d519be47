import Hummingbird
import MachineAuthCore

/// Who calls introspection or revocation: client credentials, an administrator session or an
/// organization API key (explicit bearer credentials only, never the session cookie), or — if
/// allowed — an agent's own token. The ``AccessScope`` says which tokens it may see or revoke.
enum OAuthCallers {
    static func resolve(
        _ request: Request, context: AppRequestContext, parameters: RequestParameters, runtime: MachineAuthRuntime, allowSelf: Bool
    ) async throws -> AccessScope {
        let authentication = Authentication(runtime: runtime)
        if let client = try await authentication.authenticateClient(request, context: context, parameters: parameters) {
            context.notes.record(Caller.client(client).actor)
            return try await AccessScope.resolve(.client(client), runtime: runtime)
        }
        let caller: Caller?
        do {
            caller = try await authentication.caller(request, context: context)
        } catch let error as OAuthError {
            throw OAuthError.invalidClient("caller authentication failed: \(error.message)")
        }
        switch caller {
        case .agentToken? where !allowSelf:
            throw OAuthError.invalidClient("authenticate with client credentials (self-introspection is disabled)", challenge: .basic)
        case nil:
            throw OAuthError.invalidClient("client authentication is required", challenge: .basic)
        case let caller?:
            context.notes.record(caller.actor)
            return try await AccessScope.resolve(caller, runtime: runtime)
        }
    }
}
