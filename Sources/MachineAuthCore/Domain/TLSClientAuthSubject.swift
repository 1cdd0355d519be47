/// The one certificate subject a `tls_client_auth` agent registered (RFC 8705 §2.1.2): its
/// subject DN, or one subject alternative name the certificate its CA issued must carry.
///
/// ```swift
/// let subject = TLSClientAuthSubject(kind: .sanDNS, value: "agent-a.example.com")
/// subject.kind.metadataName  // "tls_client_auth_san_dns"
/// certificate.matches(subject)
/// ```
public struct TLSClientAuthSubject: Sendable, Hashable, Codable {
    /// Which part of the certificate is compared, named as in storage (`san_dns`); the API
    /// and provisioning name the RFC 7591 client metadata (``Kind/metadataName``).
    public enum Kind: String, Sendable, Hashable, CaseIterable, Codable {
        case subjectDN = "subject_dn", sanDNS = "san_dns", sanURI = "san_uri", sanIP = "san_ip", sanEmail = "san_email"

        /// The client metadata name: `tls_client_auth_subject_dn`, `tls_client_auth_san_dns`, …
        public var metadataName: String { "tls_client_auth_" + rawValue }

        /// The kind a client metadata name stands for.
        public init?(metadataName: String) {
            guard metadataName.hasPrefix("tls_client_auth_") else { return nil }
            self.init(rawValue: String(metadataName.dropFirst("tls_client_auth_".count)))
        }

        /// Every client metadata name, in RFC order.
        public static let metadataNames = allCases.map(\.metadataName)
    }

    public var kind: Kind
    /// As registered (checked by ``FieldRules/tlsClientAuthSubject(_:)``).
    public var value: String

    public init(kind: Kind, value: String) {
        self.kind = kind
        self.value = value
    }
}
