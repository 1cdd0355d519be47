import Foundation
import SwiftASN1
import X509

extension ClientCertificate {
    /// The certificate read by swift-certificates, or `nil` when it does not parse (an
    /// unsupported key type, a malformed field): such a certificate matches no subject.
    var x509: Certificate? { try? Certificate(derEncoded: der) }

    /// Whether the certificate carries the subject a `tls_client_auth` agent registered
    /// (RFC 8705 §2.1.2):
    /// - `subject_dn`: RFC 4517 `distinguishedNameMatch` — the same RDNs in the same order,
    ///   each with the same attribute types, values equal ignoring case and insignificant spaces;
    /// - `san_dns`: a dNSName equal ignoring ASCII case (no wildcard expansion);
    /// - `san_uri`: a uniformResourceIdentifier equal character for character (RFC 3986 §6.2.1);
    /// - `san_ip`: an iPAddress with the same bytes (RFC 5952 §8);
    /// - `san_email`: an rfc822Name with the same local part and the domain equal ignoring case.
    public func matches(_ subject: TLSClientAuthSubject) -> Bool {
        guard let certificate = x509 else { return false }
        if subject.kind == .subjectDN {
            guard let expected = try? DistinguishedNameString.parse(subject.value) else { return false }
            return Self.name(of: certificate.subject) == Self.canonical(expected)
        }
        guard let names = try? certificate.extensions.subjectAlternativeNames else { return false }
        return names.contains { name in
            switch (subject.kind, name) {
            case (.sanDNS, .dnsName(let dns)): return dns.lowercasedASCII == subject.value.lowercasedASCII
            case (.sanURI, .uniformResourceIdentifier(let uri)): return uri == subject.value
            case (.sanIP, .ipAddress(let octets)): return IPAddressRange.parse(subject.value) == Array(octets.bytes)
            case (.sanEmail, .rfc822Name(let email)): return Self.sameMailbox(email, subject.value)
            default: return false
            }
        }
    }

    /// A certificate's subject as RFC 4514 strings are read: string values prepared, others by their encoding.
    static func name(of subject: DistinguishedName) -> DistinguishedNameString {
        DistinguishedNameString(rdns: subject.map { rdn in
            Set(rdn.map { attribute in
                let value: DistinguishedNameString.Value
                if let text = String(attribute.value) {
                    value = .text(DistinguishedNameString.prepared(text))
                } else {
                    var serializer = DER.Serializer()
                    value = (try? serializer.serialize(ASN1Any(attribute.value))).map { .encoded(serializer.serializedBytes) } ?? .encoded([])
                }
                return DistinguishedNameString.Attribute(type: attribute.type.description, value: value)
            })
        })
    }

    /// A registered name with each `#hex` value that encodes a string (UTF8String, PrintableString,
    /// IA5String) read as that string, so it compares as the certificate's string value does.
    static func canonical(_ name: DistinguishedNameString) -> DistinguishedNameString {
        DistinguishedNameString(rdns: name.rdns.map { rdn in
            Set(rdn.map { attribute in
                guard case .encoded(let bytes) = attribute.value, let node = try? DER.parse(bytes), case let any = ASN1Any(derEncoded: node),
                    let text = String(RelativeDistinguishedName.Attribute.Value(asn1Any: any))
                else { return attribute }
                return DistinguishedNameString.Attribute(type: attribute.type, value: .text(DistinguishedNameString.prepared(text)))
            })
        })
    }

    /// RFC 5280 §7.5: the local part compares exactly, the domain ignoring case.
    static func sameMailbox(_ a: String, _ b: String) -> Bool {
        guard let atA = a.lastIndex(of: "@"), let atB = b.lastIndex(of: "@") else { return false }
        return a[..<atA] == b[..<atB] && a[atA...].lowercasedASCII == b[atB...].lowercasedASCII
    }
}

private extension StringProtocol {
    /// Only A–Z folded: DNS names and mail domains compare so (RFC 4343).
    var lowercasedASCII: String {
        String(decoding: utf8.map { (0x41...0x5A).contains($0) ? $0 + 0x20 : $0 }, as: UTF8.self)
    }
}
