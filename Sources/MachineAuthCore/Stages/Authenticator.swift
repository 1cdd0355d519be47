public import Foundation

/// An authenticator stage: turns a presented credential into a ``Caller`` (a client or an API key).
///
/// Returns `nil` when the credential is not its kind ("not mine, ask the next stage");
/// throws an ``OAuthError`` when it is its kind but wrong ("stop here").
public protocol Authenticator: Sendable {
    /// What the stage adds to the server metadata and which requests it may answer.
    var capabilities: AuthenticatorCapabilities { get }
    func authenticate(_ presentation: CredentialPresentation) async throws -> Caller?
    /// Whether a bearer credential has this stage's form (an API key's prefix), decided without
    /// I/O — so nothing outside the stage needs to know the form. Default: no bearer form.
    func owns(bearer credential: String) -> Bool
    /// The client id the presentation claims, read from this stage's credential before anything
    /// is verified (an assertion's `sub`), so failure limits count against the right client.
    /// Default: the `client_id` parameter or the Basic user name.
    func claimedClientID(in presentation: CredentialPresentation) -> String?
}

extension Authenticator {
    public func owns(bearer credential: String) -> Bool { false }
    public func claimedClientID(in presentation: CredentialPresentation) -> String? { presentation.claimedClientID }
}

/// What an authenticator handles, for routing and for the RFC 8414 metadata document.
public struct AuthenticatorCapabilities: Sendable, Hashable {
    /// Purposes the stage answers.
    public var purposes: Set<CredentialPurpose>
    /// `token_endpoint_auth_methods_supported` values it provides.
    public var clientAuthMethods: [String]
    /// `token_endpoint_auth_signing_alg_values_supported` values (stages that verify signed assertions).
    public var signingAlgorithms: [String]
    /// The form parameters that carry this stage's client credential (`client_secret`,
    /// `client_assertion`): a request with the credentials of two stages is refused (RFC 6749 §2.3).
    public var credentialParameters: Set<String>
    /// Whether an `Authorization: Basic` header is this stage's credential.
    public var usesBasic: Bool

    public init(
        purposes: Set<CredentialPurpose>, clientAuthMethods: [String] = [], signingAlgorithms: [String] = [],
        credentialParameters: Set<String> = [], usesBasic: Bool = false
    ) {
        self.purposes = purposes
        self.clientAuthMethods = clientAuthMethods
        self.signingAlgorithms = signingAlgorithms
        self.credentialParameters = credentialParameters
        self.usesBasic = usesBasic
    }

    /// Whether `presentation` carries this stage's kind of client credential.
    public func isPresented(in presentation: CredentialPresentation) -> Bool {
        (usesBasic && presentation.basic != nil) || credentialParameters.contains { presentation.parameters[$0] != nil }
    }
}

/// Why a credential is being checked.
public enum CredentialPurpose: String, Sendable, Hashable {
    /// An OAuth client proving who it is (token, introspection, revocation endpoints).
    case clientAuthentication
    /// Calling the API with a bearer credential such as an organization API key.
    case apiAccess
    /// A deactivated agent proving who it is in order to reactivate itself.
    case reactivation
}

/// A request's credentials, independent of the HTTP framework.
public struct CredentialPresentation: Sendable {
    public var purpose: CredentialPurpose
    /// `Authorization` header value, if any.
    public let authorization: String?
    /// Its Basic credentials, decoded once (``BasicCredentials``); `nil` without a Basic header.
    public let basic: BasicCredentials?
    /// Other request headers, lower-cased names.
    public var headers: [String: String]
    /// Form or JSON body parameters (first value of each).
    public var parameters: [String: String]
    public var remoteAddress: String?
    /// The request's DPoP proofs and what they must name (RFC 9449), read by the token endpoint.
    public var dpop: DPoPPresentation?
    /// The client certificate a trusted TLS-terminating proxy passed on (RFC 8705), if any.
    public var clientCertificate: ClientCertificate?

    public init(
        purpose: CredentialPurpose, authorization: String?, headers: [String: String] = [:],
        parameters: [String: String] = [:], remoteAddress: String? = nil
    ) {
        self.purpose = purpose
        self.authorization = authorization
        self.basic = Self.decodeBasic(authorization)
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

    /// The id and secret of an `Authorization: Basic` header, each form-urlencoded (RFC 6749
    /// §2.3.1): `nil` without such a header, ``BasicCredentials/malformed`` when it does not decode.
    static func decodeBasic(_ authorization: String?) -> BasicCredentials? {
        guard let authorization, authorization.count > 6, authorization.prefix(6).lowercased() == "basic " else { return nil }
        guard let decoded = Base64URL.decodeStandard(authorization.dropFirst(6).trimmingASCIIWhitespace),
            let text = String(data: decoded, encoding: .utf8), let colon = text.firstIndex(of: ":"),
            let clientID = PercentDecoding.decode(Array(text[..<colon].utf8)[...], plusIsSpace: true),
            let secret = PercentDecoding.decode(Array(text[text.index(after: colon)...].utf8)[...], plusIsSpace: true)
        else { return .malformed }
        return .credentials(clientID: clientID, secret: secret)
    }

    /// The client id the request claims to be, before anything is verified: the `client_id`
    /// parameter, else the Basic user name (what failure limits are counted against).
    public var claimedClientID: String? {
        if let posted = parameters["client_id"] { return posted }
        if case .credentials(let clientID, _)? = basic { return clientID }
        return nil
    }
}

/// What an `Authorization: Basic` header holds.
public enum BasicCredentials: Sendable, Hashable {
    case credentials(clientID: String, secret: String)
    case malformed
}

/// An authenticated agent and how it authenticated.
public struct AgentPrincipal: Sendable {
    public var agent: Agent
    /// `client_secret_basic`, `client_secret_post`, …
    public var method: String

    public init(agent: Agent, method: String) {
        self.agent = agent
        self.method = method
    }
}

extension AgentPrincipal {
    /// An agent whose credential checked out, admitted by its state: an active agent for any
    /// purpose, a deactivated one only to reactivate itself; otherwise the `invalid_client`
    /// error naming why (counted against the agent).
    public static func admitting(
        _ agent: Agent, method: String, purpose: CredentialPurpose, at time: Date, challenge: OAuthError.Challenge? = nil
    ) throws -> AgentPrincipal {
        switch agent.status(at: time) {
        case .active:
            return AgentPrincipal(agent: agent, method: method)
        case .inactive where purpose == .reactivation:
            return AgentPrincipal(agent: agent, method: method)
        case .inactive:
            throw OAuthError.invalidClient("the client is deactivated", challenge: challenge).counted(against: agent.clientID)
        case .expired:
            throw OAuthError.invalidClient("the client has expired", challenge: challenge).counted(against: agent.clientID)
        }
    }
}

extension OAuthError {
    /// The same error, remembering which known client failed so the failure counts against it.
    public func counted(against clientID: String) -> OAuthError {
        var copy = self
        copy.clientID = clientID
        return copy
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
