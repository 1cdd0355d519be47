import Foundation
import MachineAuthCore
import Testing

@Suite("JWS signing and verification")
struct TokenCryptoTests {
    @Test("each algorithm signs and verifies, and the JWK has the right shape", arguments: SigningAlgorithm.allCases)
    func roundTrip(algorithm: SigningAlgorithm) throws {
        let key = try SigningKey.generate(algorithm, kid: "k1")
        let token = try JWS.sign(header: ["typ": "at+jwt"], claims: ["sub": "x", "n": 1], with: key)
        let parsed = try JWS.parse(token)
        #expect(parsed.header["alg"]?.stringValue == algorithm.rawValue)
        #expect(parsed.header["kid"]?.stringValue == "k1")
        #expect(parsed.claims["sub"]?.stringValue == "x")
        #expect(key.verificationKey.verify(parsed.signature, for: parsed.signingInput))
        let jwk = key.verificationKey.jwk
        switch algorithm {
        case .rs256: #expect(jwk["kty"] == "RSA" && jwk["n"] != nil && jwk["e"] == "AQAB")
        case .es256: #expect(jwk["kty"] == "EC" && jwk["crv"] == "P-256" && jwk["x"] != nil && jwk["y"] != nil)
        case .edDSA: #expect(jwk["kty"] == "OKP" && jwk["crv"] == "Ed25519" && jwk["x"] != nil)
        }
    }

    @Test("a stored key restores to the same public key", arguments: SigningAlgorithm.allCases)
    func storedKeyRestores(algorithm: SigningAlgorithm) throws {
        let key = try SigningKey.generate(algorithm, kid: "k")
        let restored = try SigningKey(record: key.record(createdAt: Date()))
        #expect(restored.verificationKey.jwk == key.verificationKey.jwk)
    }

    @Test("tampered payloads and signatures from another key fail")
    func tampering() throws {
        let key = try SigningKey.generate(.es256, kid: "k")
        let other = try SigningKey.generate(.es256, kid: "k")
        let token = try JWS.sign(header: [:], claims: ["scope": "read"], with: key)
        let parts = token.split(separator: ".").map(String.init)
        let forged = parts[0] + "." + Base64URL.encode(Data("{\"scope\":\"admin\"}".utf8)) + "." + parts[2]
        let parsed = try JWS.parse(forged)
        #expect(!key.verificationKey.verify(parsed.signature, for: parsed.signingInput))
        let genuine = try JWS.parse(token)
        #expect(!other.verificationKey.verify(genuine.signature, for: genuine.signingInput))
    }

    @Test("malformed tokens are rejected, never crash", arguments: ["", "a.b", "a.b.c.d", "!!!.e30.e30", "e30.bm90anNvbg.e30", String(repeating: "a", count: 20_000)])
    func malformed(token: String) {
        #expect(throws: TokenRejection.self) { try JWS.parse(token) }
    }

    @Test("secret hashes verify in both stored forms and reject others")
    func secretHashing() {
        let hasher = SecretHasher(key: Data("k".utf8))
        let stored = hasher.hash("cs_abc")
        #expect(stored.hasPrefix("hmac-sha256:"))
        #expect(hasher.verify("cs_abc", against: stored))
        #expect(!hasher.verify("cs_abd", against: stored))
        #expect(!SecretHasher(key: Data("other".utf8)).verify("cs_abc", against: stored))
        #expect(hasher.verify("cs_abc", against: SecretHasher.unkeyedHash("cs_abc")))
        #expect(!hasher.verify("cs_abc", against: "plain:cs_abc"))
    }

    @Test("secret hashes are standard HMAC-SHA-256 (a known answer), the same on every call")
    func secretHashKnownAnswer() {
        let hasher = SecretHasher(key: Data("key".utf8))
        let expected = "hmac-sha256:97yD9DBThCSxMpjmqm-xQ-9NWaFJRhdZl0edvC0aPNg"
        #expect(hasher.hash("The quick brown fox jumps over the lazy dog") == expected)
        #expect(hasher.hash("The quick brown fox jumps over the lazy dog") == expected)
        #expect(hasher.hash("") != expected)
    }

    @Test("passwords hash slowly and verify")
    func passwords() throws {
        let stored = try PasswordHasher.hash("correct horse battery", rounds: 210_000)
        #expect(PasswordHasher.verify("correct horse battery", against: stored))
        #expect(!PasswordHasher.verify("wrong", against: stored))
    }

    @Test("token ids carry millisecond issue times")
    func tokenIDs() {
        let time = Date(timeIntervalSince1970: 1_700_000_000.123)
        let jti = TokenID.make(at: time)
        #expect(abs(TokenID.issueTime(of: jti)!.timeIntervalSince1970 - 1_700_000_000.123) < 0.001)
        #expect(TokenID.issueTime(of: "no-time") == nil)
    }

    @Test("IP ranges", arguments: [
        ("10.0.0.0/8", "10.2.3.4", true), ("10.0.0.0/8", "11.0.0.1", false), ("127.0.0.1", "127.0.0.1", true),
        ("::1", "::1", true), ("fd00::/8", "fd12::1", true), ("192.168.0.0/16", "::ffff:192.168.1.1", true),
        ("10.0.0.0/8", "not-an-ip", false),
    ])
    func ipRanges(range: String, address: String, expected: Bool) {
        #expect(IPAddressRange(range)?.contains(address) == expected)
    }

    @Test("registered claims cannot be set by enrichers")
    func reservedClaims() {
        var claims = TokenClaims(registered: ["sub": "x"])
        #expect(throws: ClaimError.self) { try claims.set("exp", 1) }
        #expect(throws: ClaimError.self) { try claims.remove("sub") }
        #expect(throws: Never.self) { try claims.set("org_id", "o") }
        #expect(claims["org_id"] == "o")
    }
}

@Suite("Base64url")
struct Base64URLTests {
    @Test("matches Foundation's base64 with the URL alphabet and no padding, for every length")
    func againstFoundation() {
        for length in 0..<70 {
            let bytes = RandomToken.randomBytes(length)
            let expected = Data(bytes).base64EncodedString().replacingOccurrences(of: "+", with: "-")
                .replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
            #expect(Base64URL.encode(bytes) == expected)
            #expect(Base64URL.decode(expected) == Data(bytes))
        }
    }

    @Test("rejects padding, foreign characters, impossible lengths and non-canonical trailing bits", arguments: ["YQ==", "a+b/", "abcde", "YR", "Y!"])
    func rejects(text: String) {
        #expect(Base64URL.decode(text) == nil)
    }
}

@Suite("Random tokens")
struct RandomTokenTests {
    @Test("ids are version-4 UUIDs, never repeated, also when drawn from many tasks at once")
    func uuids() async throws {
        let ids = await withTaskGroup(of: [String].self) { group in
            for _ in 0..<8 { group.addTask { (0..<2_000).map { _ in RandomToken.uuid() } } }
            return await group.reduce(into: [String]()) { $0 += $1 }
        }
        #expect(Set(ids).count == ids.count)
        for id in ids.prefix(200) {
            let parsed = try #require(UUID(uuidString: id))
            #expect(parsed.uuidString.lowercased() == id)
            let bytes = withUnsafeBytes(of: parsed.uuid) { Array($0) }
            #expect(bytes[6] >> 4 == 4 && bytes[8] >> 6 == 0b10)
        }
    }

    @Test("random bytes of any length, spread over every value, never handed out twice", arguments: [1, 32, 1_024, 1_025, 10_000])
    func bytes(count: Int) {
        let first = RandomToken.randomBytes(count)
        let second = RandomToken.randomBytes(count)
        #expect(first.count == count && second.count == count)
        if count >= 32 { #expect(first != second) }
        if count >= 10_000 { #expect(Set(first).count == 256, "10,000 random bytes cover every byte value") }
    }
}

@Suite("Constant-time comparison")
struct ConstantTimeTests {
    @Test("equal only when every byte and the length match, even lengths 256 apart with zero padding")
    func equality() {
        #expect(ConstantTime.equals("abc", "abc"))
        #expect(!ConstantTime.equals("abc", "abd") && !ConstantTime.equals("abc", "ab") && !ConstantTime.equals("", "a"))
        #expect(!ConstantTime.equals("abc", "abc" + String(repeating: "\u{0}", count: 256)))
        #expect(!ConstantTime.equals([UInt8](), [UInt8](repeating: 0, count: 512)))
    }
}
