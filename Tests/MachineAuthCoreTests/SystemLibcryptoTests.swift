import Crypto
import CryptoExtras
import Foundation
import Testing

@testable import MachineAuthCore

@Suite("RS256 signing through the system's OpenSSL")
struct SystemLibcryptoTests {
    @Test("OpenSSL and swift-crypto produce the same RS256 signature for the same key and input")
    func identicalSignatures() throws {
        let libcrypto = try #require(SystemLibcrypto.shared, "libcrypto.so.3 should load on Debian")
        #expect(libcrypto.version.hasPrefix("OpenSSL 3"))
        let rsa = try _RSA.Signing.PrivateKey(keySize: .bits2048)
        let system = try #require(SystemRSAKey(der: rsa.derRepresentation))
        let builtIn = SigningKey(kid: "k", algorithm: .rs256, backing: .rsa(rsa, nil))
        let accelerated = SigningKey(kid: "k", algorithm: .rs256, backing: .rsa(rsa, system))
        for input in ["a.b", String(repeating: "x", count: 5_000)] {
            let expected = try builtIn.sign(Data(input.utf8))
            #expect(try accelerated.sign(Data(input.utf8)) == expected)
            #expect(expected.count == 256)
        }
    }

    @Test("keys restored from storage sign through OpenSSL and verify with the published key")
    func restoredKeys() throws {
        let key = try SigningKey(record: SigningKey.generate(.rs256, kid: "k").record(createdAt: Date()))
        guard case .rsa(_, let system) = key.backing else { Issue.record("not an RSA key"); return }
        #expect(system != nil)
        let token = try JWS.sign(header: [:], claims: ["sub": "agent"], with: key)
        let parsed = try JWS.parse(token)
        #expect(key.verificationKey.verify(parsed.signature, for: parsed.signingInput))
    }

    @Test("a missing library or an undecodable key falls back instead of failing")
    func fallbacks() {
        #expect(SystemLibcrypto(path: "libcrypto-does-not-exist.so.3") == nil)
        #expect(SystemRSAKey(der: Data("not a key".utf8)) == nil)
        #expect(SystemRSAKey(der: Data()) == nil)
    }
}
