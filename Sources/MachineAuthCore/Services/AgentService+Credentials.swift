import Foundation

/// What an agent registers to authenticate without a secret, checked together: the method and
/// the keys (`jwks`), their URL (`jwks_uri`) or the certificate subject that go with it.
struct RegisteredCredentials: Equatable {
    var method: String
    var jwks: JSONValue?
    var jwksURI: String?
    var subject: TLSClientAuthSubject?

    init(method: String, jwks: JSONValue? = nil, jwksURI: String? = nil, subject: TLSClientAuthSubject? = nil) {
        self.method = method
        self.jwks = jwks
        self.jwksURI = jwksURI
        self.subject = subject
    }

    /// What `agent` has registered now.
    init(_ agent: Agent) {
        self.init(method: agent.tokenEndpointAuthMethod, jwks: agent.jwks, jwksURI: agent.jwksURI, subject: agent.tlsClientAuthSubject)
    }

    func apply(to agent: inout Agent) {
        agent.tokenEndpointAuthMethod = method
        agent.jwks = jwks
        agent.jwksURI = jwksURI
        agent.tlsClientAuthSubject = subject
    }
}

extension AgentService {
    /// The method, keys and certificate subject an agent registers with: ``Agent/privateKeyJWT``
    /// needs a key set or the URL of one (exactly one), ``Agent/selfSignedTLSClientAuth`` a key set
    /// whose keys carry their certificates (`x5c`), ``Agent/tlsClientAuth`` exactly one subject; a
    /// secret method takes none of them.
    func authentication(
        method: String?, jwks: JSONValue?, jwksURI: String?, subject: TLSClientAuthSubject?
    ) throws(ValidationError) -> RegisteredCredentials {
        let method = try method.map { method throws(ValidationError) in try FieldRules.authMethod(method, valid: authMethods) } ?? Agent.defaultAuthMethod
        if let subject, method != Agent.tlsClientAuth {
            throw ValidationError(subject.kind.metadataName, "is only used with token_endpoint_auth_method \(Agent.tlsClientAuth)")
        }
        if method == Agent.tlsClientAuth, subject == nil {
            throw ValidationError(
                "token_endpoint_auth_method", "\(Agent.tlsClientAuth) needs exactly one of \(TLSClientAuthSubject.Kind.metadataNames.joined(separator: ", "))")
        }
        if jwksURI != nil, method != Agent.privateKeyJWT {
            throw ValidationError("jwks_uri", "is only used with token_endpoint_auth_method \(Agent.privateKeyJWT)")
        }
        guard Agent.usesKeys(method) else {
            guard jwks == nil else {
                throw ValidationError("jwks", "is only used with token_endpoint_auth_method \(Agent.privateKeyJWT) or \(Agent.selfSignedTLSClientAuth)")
            }
            return RegisteredCredentials(method: method, subject: subject)
        }
        if let jwksURI {
            guard jwks == nil else { throw ValidationError("jwks_uri", "give jwks or jwks_uri, not both") }
            return RegisteredCredentials(method: method, jwksURI: try FieldRules.keySetURL(jwksURI, allowHTTP: settings.security.allowInsecureIssuers))
        }
        guard let jwks else {
            let alternative = method == Agent.privateKeyJWT ? " (or jwks_uri, where the keys are published)" : ""
            throw ValidationError("jwks", "is required with token_endpoint_auth_method \(method)\(alternative)")
        }
        let keys = method == Agent.selfSignedTLSClientAuth ? try FieldRules.certificateKeys(jwks) : try FieldRules.clientKeys(jwks)
        return RegisteredCredentials(method: method, jwks: keys)
    }
}
