import Foundation
import MachineAuthCore
import MachineAuthTesting
import Testing

/// The subject a `tls_client_auth` agent registers (RFC 8705 §2.1.2): its formats, and whether a
/// certificate carries it — against a certificate openssl issued with a DN and every SAN kind.
@Suite("tls_client_auth subjects")
struct TLSClientAuthSubjectTests {
    static let issued = try! ClientCertificate.parse(escapedPEM: CertificateFixtures.escaped(CertificateFixtures.pemIssued))
    static let selfSigned = try! ClientCertificate.parse(escapedPEM: CertificateFixtures.escaped(CertificateFixtures.pemA))

    static func subject(_ kind: TLSClientAuthSubject.Kind, _ value: String) throws -> TLSClientAuthSubject {
        try #require(try FieldRules.tlsClientAuthSubject([kind.metadataName: value]))
    }

    @Test("the subject DN matches as RFC 4517 distinguishedNameMatch: order, types, values ignoring case and spaces", arguments: [
        CertificateFixtures.issuedSubjectDN,
        "cn=AGENT-A,ou=agents,o=example\\, inc.,c=us",
        "CN=agent-a, OU=Agents, O=Example\\, Inc., C=US",
        "CN = agent-a ,OU=  Agents  ,O=Example\\2C Inc.,C=US",
        "2.5.4.3=agent-a,2.5.4.11=Agents,2.5.4.10=Example\\, Inc.,2.5.4.6=US",
        "CN=agent-a,OU=Agents,O=Example\\,   Inc.,C=us",
        "CN=agent-a,OU=Agents,O=Example\\, Inc.,C=#13025553",  // C as its BER encoding: PrintableString "US"
    ])
    func subjectDNMatches(dn: String) throws {
        #expect(Self.issued.matches(try Self.subject(.subjectDN, dn)), "\(dn)")
    }

    @Test("another DN does not match", arguments: [
        "CN=agent-b,OU=Agents,O=Example\\, Inc.,C=US",
        "C=US,O=Example\\, Inc.,OU=Agents,CN=agent-a",  // the RDNs reversed
        "CN=agent-a,OU=Agents,O=Example\\, Inc.",  // one RDN short
        "CN=agent-a,OU=Agents,O=Example\\, Inc.,C=US,DC=com",  // one RDN more
        "CN=agent-a+UID=1,OU=Agents,O=Example\\, Inc.,C=US",  // a multi-valued RDN
        "CN=agent-a,OU=Agents,O=Example Inc.,C=US",
        "L=agent-a,OU=Agents,O=Example\\, Inc.,C=US",  // the value under another type
        "CN=agent-a",
    ])
    func subjectDNDiffers(dn: String) throws {
        #expect(!Self.issued.matches(try Self.subject(.subjectDN, dn)))
    }

    static let names: [(TLSClientAuthSubject.Kind, String, Bool)] = [
        (.sanDNS, "agent-a.example.com", true), (.sanDNS, "AGENT-A.Example.COM", true),
        (.sanDNS, "agent-b.example.com", false), (.sanDNS, "*.example.com", false), (.sanDNS, "example.com", false),
        (.sanURI, "spiffe://example.org/ns/prod/sa/agent-a", true), (.sanURI, "SPIFFE://example.org/ns/prod/sa/agent-a", false),
        (.sanURI, "spiffe://example.org/ns/prod/sa/agent-a/", false), (.sanURI, "spiffe://example.org/ns/prod/sa", false),
        (.sanIP, "10.1.2.3", true), (.sanIP, "2001:db8::1", true), (.sanIP, "2001:DB8:0:0:0:0:0:1", true),
        (.sanIP, "10.1.2.4", false), (.sanIP, "::ffff:10.1.2.3", false), (.sanIP, "2001:db8::2", false),
        (.sanEmail, "agent-a@Example.COM", true), (.sanEmail, "agent-a@example.com", true),
        (.sanEmail, "Agent-A@example.com", false), (.sanEmail, "agent-b@example.com", false),
    ]

    @Test("SANs: DNS ignoring case, URI exactly, IP by its bytes, email with the domain ignoring case", arguments: names)
    func alternativeNames(kind: TLSClientAuthSubject.Kind, value: String, matches: Bool) throws {
        #expect(Self.issued.matches(try Self.subject(kind, value)) == matches, "\(kind) \(value)")
    }

    @Test("a certificate without SANs matches no SAN; its own CN matches its DN")
    func withoutSANs() throws {
        #expect(!Self.selfSigned.matches(try Self.subject(.sanDNS, "agent-a")))
        #expect(!Self.selfSigned.matches(try Self.subject(.sanIP, "10.1.2.3")))
        #expect(Self.selfSigned.matches(try Self.subject(.subjectDN, "CN=agent-a")))
        #expect(!Self.issued.matches(try Self.subject(.subjectDN, "CN=agent-a")))
    }

    static let badFormats: [(TLSClientAuthSubject.Kind, String)] = [
        (.subjectDN, ""), (.subjectDN, "agent-a"), (.subjectDN, "CN="), (.subjectDN, "CN=a,"),
        (.subjectDN, ",CN=a"), (.subjectDN, "XX=a"), (.subjectDN, "CN=a\\"), (.subjectDN, "CN=a\\4"), (.subjectDN, "CN=a\\zz"),
        (.subjectDN, "CN=\"quoted\""), (.subjectDN, "CN=a;O=b"), (.subjectDN, "CN=<a>"), (.subjectDN, "CN=a\u{0}b"),
        (.subjectDN, "CN=\\C3\\28"), (.subjectDN, "CN=#"), (.subjectDN, "CN=#abc"), (.subjectDN, "CN=a+CN=a"),
        (.subjectDN, "01.2=a"), (.subjectDN, "1..2=a"), (.subjectDN, String(repeating: "CN=a,", count: 300) + "CN=a"),
        (.subjectDN, Array(repeating: "CN=a", count: 33).joined(separator: ",")),
        (.sanDNS, "agent a.example.com"), (.sanDNS, "-agent.example.com"), (.sanDNS, "agent..example.com"),
        (.sanDNS, String(repeating: "a", count: 64) + ".com"), (.sanDNS, "*"), (.sanDNS, "a.*.com"), (.sanDNS, "ägent.example.com"),
        (.sanURI, "not a uri"), (.sanURI, "no-scheme"), (.sanURI, "1http://x"), (.sanURI, "spiffe:"), (.sanURI, "https://" + String(repeating: "a", count: 2100)),
        (.sanIP, "10.1.2"), (.sanIP, "[2001:db8::1]"), (.sanIP, "10.1.2.3/32"), (.sanIP, "fe80::1%eth0"), (.sanIP, "host"),
        (.sanEmail, "agent"), (.sanEmail, "@example.com"), (.sanEmail, "agent@"), (.sanEmail, "a b@example.com"),
        (.sanEmail, String(repeating: "a", count: 65) + "@example.com"),
    ]

    @Test("values in the wrong format are refused naming the field", arguments: badFormats)
    func refusedFormats(kind: TLSClientAuthSubject.Kind, value: String) {
        #expect {
            _ = try FieldRules.tlsClientAuthSubject([kind.metadataName: value])
        } throws: { error in
            (error as? ValidationError)?.field == kind.metadataName
        }
    }

    @Test("exactly one subject field: none is nil, two are refused")
    func exactlyOne() throws {
        #expect(try FieldRules.tlsClientAuthSubject([:]) == nil)
        #expect(throws: ValidationError.self) {
            _ = try FieldRules.tlsClientAuthSubject(["tls_client_auth_san_dns": "a.example.com", "tls_client_auth_san_ip": "10.1.2.3"])
        }
        #expect(throws: ValidationError.self) { _ = try FieldRules.tlsClientAuthSubject(["tls_client_auth_other": "x"]) }
    }

    @Test("a subject round-trips through storage JSON")
    func codable() throws {
        let subject = TLSClientAuthSubject(kind: .sanURI, value: "spiffe://example.org/a")
        let decoded = try JSONDecoder().decode(TLSClientAuthSubject.self, from: JSONEncoder().encode(subject))
        #expect(decoded == subject)
        #expect(TLSClientAuthSubject.Kind(metadataName: "tls_client_auth_san_uri") == .sanURI)
        #expect(TLSClientAuthSubject.Kind(metadataName: "san_uri") == nil)
    }
}
