import Foundation
import MachineAuthCore
import MachineAuthTesting
import Testing

/// Envoy's `x-forwarded-client-cert` (XFCC): values in the shape Envoy writes them
/// (`set_current_client_cert_details` with `cert: true`, `subject: true`, `uri: true`, `dns: true`).
@Suite("Envoy XFCC")
struct ForwardedClientCertificateTests {
    /// Envoy's URL-encoded PEM: like nginx's, newlines as %0A (Envoy writes them lower-case too).
    static let certA = CertificateFixtures.escaped(CertificateFixtures.pemA)
    static let certB = CertificateFixtures.escaped(CertificateFixtures.pemB)
    static let hash = "468ed33be74eee6556d90c0149c1309e9ba61d6425303443c0748a02dd8de688"

    static func element(_ cert: String, by: String = "spiffe://example.org/envoy") -> String {
        #"By=\#(by);Hash=\#(hash);Cert="\#(cert)";Subject="CN=agent-a,O=Example\, Inc.";URI=spiffe://example.org/a;DNS=a.example.com"#
    }

    @Test("one element: its Cert is the certificate, quoted or not, keys in any case")
    func oneElement() throws {
        #expect(try ForwardedClientCertificate.certificate(in: Self.element(Self.certA)).thumbprint == CertificateFixtures.thumbprintA)
        #expect(try ForwardedClientCertificate.certificate(in: "Hash=\(Self.hash);cert=\(Self.certA)").thumbprint == CertificateFixtures.thumbprintA)
        let lowerEscapes = Self.certA.replacingOccurrences(of: "%0A", with: "%0a")
        #expect(try ForwardedClientCertificate.certificate(in: "Cert=\"\(lowerEscapes)\"").thumbprint == CertificateFixtures.thumbprintA)
    }

    @Test("several elements: the last one, which the nearest proxy appended, counts")
    func lastElement() throws {
        let header = Self.element(Self.certB, by: "spiffe://example.org/edge") + "," + Self.element(Self.certA)
        #expect(try ForwardedClientCertificate.certificate(in: header).thumbprint == CertificateFixtures.thumbprintA)
        let reversed = Self.element(Self.certA) + "," + Self.element(Self.certB)
        #expect(try ForwardedClientCertificate.certificate(in: reversed).thumbprint == CertificateFixtures.thumbprintB)
    }

    @Test("inside quoted values \\\" is a quote, other backslashes are literal, separators separate nothing")
    func quoting() throws {
        let header = #"Subject="CN=\"x\",O=a\\b\, c;c=d";Cert=""# + Self.certA + #"""#
        #expect(try ForwardedClientCertificate.certificate(in: header).thumbprint == CertificateFixtures.thumbprintA)
    }

    static let malformed: [(String, String)] = [
        ("Cert=\"\(certA)", "not closed"),
        ("Cert=\"\(certA)\";Subject=\"ends in a backslash\\\"", "not closed"),
        ("Subject=a\"b;Cert=\"\(certA)\"", "holds a quote"),
        ("Cert=\"\(certA)\";Cert=\"\(certB)\"", "appears twice"),
        ("cert=\"\(certA)\";CERT=\"\(certB)\"", "appears twice"),
        ("Cert=\"\(certA)\",", "ends with a separator"),
        ("Cert=\"\(certA)\";", "ends with a separator"),
        (",Cert=\"\(certA)\"", "a key holds ','"),
        ("Cert=\"\(certA)\",,Cert=\"\(certB)\"", "a key holds ','"),
        ("Cert=\"\(certA)\"x", "expected ; or ,"),
        ("=\(certA)", "expected Key=Value"),
        ("Cert", "expected Key=Value"),
        ("Ce rt=\(certA)", "a key holds"),
        ("Cert\u{7F}=x", "a key holds"),
        ("Hash=\(hash);URI=spiffe://example.org/a", "has no Cert"),
        ("Cert=\"\(certA)\",Hash=\(hash)", "has no Cert"),  // the last element has none: the first is not used instead
        ("Cert=\"\"", "not one PEM certificate"),
        ("Cert=%zz", "malformed % escape"),
        ("Cert=\"\(escapedBoth)\"", "more than one PEM block"),
        (String(repeating: "a=b,", count: 40) + "Cert=x", "more than 32 elements"),
        ((1...17).map { "k\($0)=v" }.joined(separator: ";"), "more than 16 pairs"),
        ("Cert=\"" + String(repeating: "A", count: ForwardedClientCertificate.maxBytes) + "\"", "longer than"),
        ("Cert=\"" + String(repeating: "%41", count: 6000) + "\"", "longer than"),
    ]
    static let escapedBoth = CertificateFixtures.escaped(CertificateFixtures.pemA + "\n" + CertificateFixtures.pemB)

    @Test("malformed or ambiguous values are refused with what is wrong", arguments: malformed)
    func refused(value: String, problem: String) {
        #expect {
            _ = try ForwardedClientCertificate.certificate(in: value)
        } throws: { error in
            (error as? ClientCertificate.Problem)?.message.contains(problem) == true
        }
    }

    @Test("the format decides how a header value is read")
    func formats() throws {
        #expect(try ClientCertificate.parse(header: Self.certA, format: .nginx).thumbprint == CertificateFixtures.thumbprintA)
        #expect(try ClientCertificate.parse(header: Self.element(Self.certA), format: .envoyXFCC).thumbprint == CertificateFixtures.thumbprintA)
        #expect(throws: ClientCertificate.Problem.self) { _ = try ClientCertificate.parse(header: Self.element(Self.certA), format: .nginx) }
        #expect(throws: ClientCertificate.Problem.self) { _ = try ClientCertificate.parse(header: Self.certA, format: .envoyXFCC) }
        #expect(ClientCertificateFormat.allCases.map(\.rawValue) == ["nginx", "envoy-xfcc"])
    }

    @Test("random bytes never trap: they are a certificate or a Problem")
    func fuzz() {
        var generator = SystemRandomNumberGenerator()
        let alphabet = Array("=;,\"\\ aC%0-".utf8)
        for _ in 0..<2000 {
            let length = Int.random(in: 0..<64, using: &generator)
            let bytes = (0..<length).map { _ in alphabet.randomElement(using: &generator)! }
            _ = try? ForwardedClientCertificate.certificate(in: String(decoding: bytes, as: UTF8.self))
        }
    }
}
