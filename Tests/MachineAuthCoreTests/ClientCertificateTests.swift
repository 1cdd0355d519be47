import Foundation
import MachineAuthCore
import MachineAuthTesting
import Testing

/// Reading the client certificate a TLS-terminating proxy passes on (nginx's
/// `$ssl_client_escaped_cert`) and the `cnf` claim it binds a token to (RFC 8705 §3.1).
@Suite("Client certificates")
struct ClientCertificateTests {
    @Test("nginx's escaped PEM reads as the certificate; its thumbprint is openssl's SHA-256 of the DER")
    func escapedPEM() throws {
        let a = try ClientCertificate.parse(escapedPEM: CertificateFixtures.escaped(CertificateFixtures.pemA))
        #expect(a.thumbprint == CertificateFixtures.thumbprintA)
        let b = try ClientCertificate.parse(escapedPEM: CertificateFixtures.escaped(CertificateFixtures.pemB))
        #expect(b.thumbprint == CertificateFixtures.thumbprintB)
        #expect(try ClientCertificate.parse(escapedPEM: CertificateFixtures.pemA.replacingOccurrences(of: "\n", with: "%0A")) == a)
    }

    static let body = CertificateFixtures.pemA.split(separator: "\n").dropFirst().dropLast().joined()

    @Test("anything but one escaped PEM certificate is refused with what is wrong", arguments: [
        ("", "not one PEM certificate"),
        ("%zz", "malformed % escape"),
        ("%E0%80", "malformed % escape"),
        ("hello", "not one PEM certificate"),
        ("-----BEGIN CERTIFICATE-----%0A-----END CERTIFICATE-----", "not valid base64"),
        ("-----BEGIN CERTIFICATE-----%0A!!!!%0A-----END CERTIFICATE-----", "not valid base64"),
        ("-----BEGIN CERTIFICATE-----%0AaGVsbG8gd29ybGQ=%0A-----END CERTIFICATE-----", "not an X.509 certificate"),
        ("-----BEGIN PRIVATE KEY-----%0A\(body)%0A-----END PRIVATE KEY-----", "not one PEM certificate"),
        (CertificateFixtures.escaped(CertificateFixtures.pemA + "\n" + CertificateFixtures.pemB), "more than one PEM block"),
        (String(repeating: "A", count: ClientCertificate.maxHeaderBytes + 1), "longer than"),
    ])
    func refused(value: String, problem: String) {
        #expect {
            _ = try ClientCertificate.parse(escapedPEM: value)
        } throws: { error in
            (error as? ClientCertificate.Problem)?.message.contains(problem) == true
        }
    }

    @Test("DER with bytes after the certificate, or cut short, is not a certificate")
    func outline() throws {
        let der = try ClientCertificate.parse(escapedPEM: CertificateFixtures.escaped(CertificateFixtures.pemA)).der
        let broken: [[UInt8]] = [
            der + [0], Array(der.dropLast()), [0x30, 0x80] + Array(der.dropFirst(2)), [0x30, 0x00],
            [0x30, 0x81, 0x05, 0x02, 0x01, 0x00, 0x30, 0x00],  // long form for a short length
            [0x30, 0x84, 0x00, 0x00, 0x01, 0x00] + [UInt8](repeating: 0, count: 256),  // four length bytes
            [0x30, 0x82, 0x00, 0x90] + [UInt8](repeating: 0, count: 0x90),  // a leading zero length byte
            [0x30, 0x83, 0xFF, 0xFF, 0xFF],  // a length far beyond the bytes
            [0x1F, 0x81, 0x01, 0x00],  // a high tag number
        ]
        for bytes in broken {
            let pem = "-----BEGIN CERTIFICATE-----\n" + Data(bytes).base64EncodedString() + "\n-----END CERTIFICATE-----"
            #expect(throws: ClientCertificate.Problem.self) { _ = try ClientCertificate.parse(escapedPEM: CertificateFixtures.escaped(pem)) }
        }
    }

    @Test("cnf holds a key, a certificate or both, and reads back from claims")
    func confirmation() {
        #expect(Confirmation().claim == nil)
        let both = Confirmation(keyThumbprint: "k", certificateThumbprint: "c")
        #expect(both.claim == .object(["jkt": "k", "x5t#S256": "c"]))
        #expect(Confirmation(claims: ["cnf": both.claim!]) == both)
        #expect(Confirmation(claims: ["cnf": .object(["x5t#S256": "c"])]) == Confirmation(certificateThumbprint: "c"))
        #expect(Confirmation(claims: ["cnf": "c"]) == Confirmation())
    }
}
