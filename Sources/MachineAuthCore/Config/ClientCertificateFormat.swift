/// How a TLS-terminating proxy writes the client certificate into `server.client_certificate_header`
/// (`server.client_certificate_format`, `CLIENT_CERTIFICATE_FORMAT`).
public enum ClientCertificateFormat: String, ConfigChoice, Hashable {
    /// One URL-escaped PEM certificate: nginx's `$ssl_client_escaped_cert` (Caddy, HAProxy can write the same).
    case nginx
    /// Envoy's `x-forwarded-client-cert`: the `Cert` of the last element (``ForwardedClientCertificate``).
    case envoyXFCC = "envoy-xfcc"
}

extension ClientCertificate {
    /// The certificate a header value holds in `format`.
    /// - Throws: ``Problem`` saying what is wrong with the value.
    public static func parse(header value: String, format: ClientCertificateFormat) throws(Problem) -> ClientCertificate {
        switch format {
        case .nginx: try parse(escapedPEM: value)
        case .envoyXFCC: try ForwardedClientCertificate.certificate(in: value)
        }
    }
}
