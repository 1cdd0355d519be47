import Foundation
@testable import JWTBearerGrant
import MachineAuthCore
import Testing

/// The claim checks of a verified outside token (RFC 7523 §3), with hostile numbers.
@Suite("jwt-bearer assertion rules")
struct AssertionRulesTests {
    let rules = AssertionRules(defaultAudiences: ["https://auth.example.com", "https://auth.example.com/oauth/token"], clockSkew: 60)
    let now = Date(timeIntervalSince1970: 1_800_000_000)
    let issuer = TrustedIssuer(id: "t", issuer: "https://issuer.example", rules: [IdentityRule(subject: "a", agent: "cid")])

    func claims(_ extra: [String: JSONValue] = [:]) -> [String: JSONValue] {
        var values: [String: JSONValue] = [
            "sub": "workload", "aud": "https://auth.example.com", "exp": .int(1_800_000_300), "iat": .int(1_800_000_000),
            "jti": "once",
        ]
        values.merge(extra) { _, new in new }
        return values
    }

    func reason(_ values: [String: JSONValue], issuer: TrustedIssuer? = nil) -> String? {
        do {
            _ = try rules.check(values, of: issuer ?? self.issuer, at: now)
            return nil
        } catch {
            return error.description
        }
    }

    @Test("a well-formed assertion passes, and is usable until exp plus the skew")
    func accepted() throws {
        let outcome = try rules.check(claims(), of: issuer, at: now)
        #expect(outcome.subject == "workload" && outcome.jti == "once")
        #expect(outcome.usableUntil == Date(timeIntervalSince1970: 1_800_000_360))
    }

    @Test("audiences: one of several may name this server; none, another or a non-string does not")
    func audiences() {
        #expect(reason(claims(["aud": .array(["https://other", "https://auth.example.com/oauth/token"])])) == nil)
        #expect(reason(claims(["aud": "https://other"]))?.contains("aud") == true)
        #expect(reason(claims(["aud": .int(1)]))?.contains("aud") == true)
        #expect(reason(claims(["aud": .null]))?.contains("aud") == true)
        var custom = issuer
        custom.audiences = ["sts.example"]
        #expect(reason(claims(["aud": "sts.example"]), issuer: custom) == nil)
        #expect(reason(claims(), issuer: custom)?.contains("sts.example") == true)
    }

    @Test("numeric dates that are huge, fractional, negative, strings or missing never trap", arguments: [
        JSONValue.int(Int.max), .int(Int.min), .double(1e308), .double(-1e308), .string("1800000300"), .null, .bool(true),
    ])
    func hostileNumbers(exp: JSONValue) {
        #expect(reason(claims(["exp": exp])) != nil)
        #expect(reason(claims(["iat": exp])) != nil)
        #expect(reason(claims(["nbf": exp])) != nil || exp == .int(Int.min) || exp == .double(-1e308))
    }

    @Test("lifetime limits: exp too far ahead, exp - iat too long, iat or nbf in the future, expired")
    func lifetimes() {
        #expect(reason(claims(["exp": .int(1_800_000_000 + 3600 + 61), "iat": .int(1_800_000_000)]))?.contains("max_token_lifetime") == true)
        #expect(reason(claims(["exp": .int(1_800_000_100), "iat": .int(1_800_000_100 - 3700)]))?.contains("exp - iat") == true)
        #expect(reason(claims(["iat": .int(1_800_000_100)]))?.contains("future") == true)
        #expect(reason(claims(["nbf": .int(1_800_000_100)]))?.contains("nbf") == true)
        #expect(reason(claims(["exp": .int(1_799_999_900)]))?.contains("expired") == true)
        #expect(reason(claims(["exp": .double(1_800_000_300.5)])) == nil)
    }

    @Test("a single-use issuer needs a printable jti; a reusable one does not")
    func jti() {
        #expect(reason(claims(["jti": .null]))?.contains("jti") == true)
        #expect(reason(claims(["jti": "with space"]))?.contains("jti") == true)
        #expect(reason(claims(["jti": .string(String(repeating: "a", count: 257))]))?.contains("jti") == true)
        var reusable = issuer
        reusable.singleUse = false
        #expect(reason(claims(["jti": .null]), issuer: reusable) == nil)
    }

    @Test("sub is required and bounded")
    func subject() {
        #expect(reason(claims(["sub": .null]))?.contains("sub") == true)
        #expect(reason(claims(["sub": ""]))?.contains("sub") == true)
        #expect(reason(claims(["sub": .string(String(repeating: "s", count: 1025))]))?.contains("sub") == true)
    }

    @Test("the outside identity is a claim only the token service sets: enrichers cannot forge or remove it")
    func grantClaimsAreReserved() {
        var claims = TokenClaims(registered: [:])
        #expect(throws: ClaimError.self) { try claims.set("external_identity", "forged") }
        #expect(throws: ClaimError.self) { try claims.remove("external_identity") }
    }
}
