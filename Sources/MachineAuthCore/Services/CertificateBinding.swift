/// Certificate-bound access tokens (RFC 8705 §3): the token endpoint binds a token to the client
/// certificate of the request (`cnf."x5t#S256"`), and a resource accepts a bound token only with
/// that certificate. The certificate comes from a TLS-terminating proxy among the trusted ones
/// (`server.client_certificate_header`); the server never reads it from anyone else.
///
/// ```swift
/// try CertificateBinding.requireBinding(presentation.clientCertificate, for: agent, configured: true)  // token endpoint
/// try CertificateBinding.checkPresentation(of: validated, certificate: certificate)                   // resource
/// ```
public enum CertificateBinding {
    /// Refuses an unbound issuance to an agent with `tls_client_certificate_bound_access_tokens` (RFC 8705 §3.4).
    /// - Parameters:
    ///   - certificate: the request's client certificate, if a trusted proxy passed one.
    ///   - configured: whether the server reads client certificates at all.
    static func requireBinding(_ certificate: ClientCertificate?, for agent: Agent, configured: Bool) throws(OAuthError) {
        guard certificate == nil, agent.tlsClientCertificateBoundAccessTokens else { return }
        guard configured else {
            throw OAuthError.invalidRequest(
                "this client requires certificate-bound tokens, but the server reads no client certificates (server.client_certificate_header is empty)")
        }
        throw OAuthError.invalidRequest("this client requires certificate-bound tokens (RFC 8705): send the token request with its client certificate over mutual TLS")
    }

    /// Checks a valid access token against the certificate the request was made with: a token
    /// bound to a certificate needs that same certificate; an unbound token needs none.
    /// Refusals are 401 `invalid_token` with a Bearer challenge (RFC 6750 §3.1).
    public static func checkPresentation(of token: ValidatedAccessToken, certificate: ClientCertificate?) throws(OAuthError) {
        guard let bound = Confirmation(claims: token.claims).certificateThumbprint else { return }
        guard let certificate else {
            throw OAuthError.invalidToken("the token is bound to a client certificate (RFC 8705): send the request with that certificate over mutual TLS")
        }
        guard ConstantTime.equals(certificate.thumbprint, bound) else {
            throw OAuthError.invalidToken("the client certificate is not the one the token is bound to")
        }
    }
}
