import Foundation

/// An authenticator stage: turns a presented credential into a ``Principal``.
///
/// Returns `nil` when the credential is not its kind ("not mine, ask the next stage");
/// throws an ``OAuthError`` when it is its kind but wrong ("stop here").
public protocol Authenticator: Sendable {
    /// What the stage adds to the server metadata and which requests it may answer.
    var capabilities: AuthenticatorCapabilities { get }
    func authenticate(_ presentation: CredentialPresentation) async throws -> Principal?
}

/// What an authenticator handles, for routing and for the RFC 8414 metadata document.
public struct AuthenticatorCapabilities: Sendable, Hashable {
    /// Purposes the stage answers.
    public var purposes: Set<CredentialPurpose>
    /// `grant_type` values it enables at the token endpoint.
    public var grantTypes: [String]
    /// `token_endpoint_auth_methods_supported` values it provides.
    public var clientAuthMethods: [String]

    public init(purposes: Set<CredentialPurpose>, grantTypes: [String] = [], clientAuthMethods: [String] = []) {
        self.purposes = purposes
        self.grantTypes = grantTypes
        self.clientAuthMethods = clientAuthMethods
    }
}

/// Why a credential is being checked.
public enum CredentialPurpose: String, Sendable, Hashable {
    /// An OAuth client proving who it is (token, introspection, revocation endpoints).
    case clientAuthentication
    /// Exchanging a refresh token (`grant_type=refresh_token`).
    case refreshGrant
    /// Calling the API with a bearer credential such as an organization API key.
    case apiAccess
    /// A deactivated agent proving who it is in order to reactivate itself.
    case reactivation
}

/// A request's credentials, independent of the HTTP framework.
public struct CredentialPresentation: Sendable {
    public var purpose: CredentialPurpose
    /// `Authorization` header value, if any.
    public var authorization: String?
    /// Other request headers, lower-cased names.
    public var headers: [String: String]
    /// Form or JSON body parameters (first value of each).
    public var parameters: [String: String]
    public var remoteAddress: String?
    /// For a refresh grant: the client that already authenticated in this request, if any.
    public var authenticatedClient: Agent?

    public init(
        purpose: CredentialPurpose, authorization: String?, headers: [String: String] = [:],
        parameters: [String: String] = [:], remoteAddress: String? = nil
    ) {
        self.purpose = purpose
        self.authorization = authorization
        self.headers = headers
        self.parameters = parameters
        self.remoteAddress = remoteAddress
    }

    /// The token of an `Authorization: Bearer …` header.
    public var bearerToken: String? {
        guard let authorization, authorization.count > 7,
            authorization.prefix(7).lowercased() == "bearer "
        else { return nil }
        return authorization.dropFirst(7).trimmingASCIIWhitespace
    }
}

/// Who a request acts for.
public enum Principal: Sendable {
    case agent(AgentPrincipal)
    case apiKey(APIKeyPrincipal)
}

/// An authenticated agent and how it authenticated.
public struct AgentPrincipal: Sendable {
    public var agent: Agent
    /// `client_secret_basic`, `client_secret_post`, `refresh_token`, …
    public var method: String
    /// For a refresh grant: the scopes, audience and family carried over from the original grant.
    public var refreshGrant: RefreshTokenRecord?

    public init(agent: Agent, method: String, refreshGrant: RefreshTokenRecord? = nil) {
        self.agent = agent
        self.method = method
        self.refreshGrant = refreshGrant
    }
}

/// An organization API key acting for its organization.
public struct APIKeyPrincipal: Sendable {
    public var keyID: String
    public var organizationID: String
    public var name: String

    public init(keyID: String, organizationID: String, name: String) {
        self.keyID = keyID
        self.organizationID = organizationID
        self.name = name
    }
}

/// Implemented by an authenticator that can also issue refresh tokens (the `refresh_token` stage).
public protocol RefreshTokenIssuer: Sendable {
    /// Issues and stores a refresh token; `familyID` continues a rotated family.
    func issueRefreshToken(for agent: Agent, scopes: [String], audience: [String], familyID: String?) async throws -> String
}
