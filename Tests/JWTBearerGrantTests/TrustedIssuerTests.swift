import Crypto
import Foundation
import MachineAuthCore
@testable import RemoteKeySets
import Testing

/// What a trusted issuer may be, checked the same way for YAML and the API.
@Suite("Trusted issuers")
struct TrustedIssuerTests {
    func issuer(preset: FederationPreset? = nil, rules: [IdentityRule], trustDomain: String? = nil, url: String = "https://issuer.example") -> TrustedIssuer {
        TrustedIssuer(id: "", issuer: url, preset: preset, trustDomain: trustDomain, rules: rules)
    }

    func fields(_ issuer: TrustedIssuer, allowHTTP: Bool = false) -> [String] {
        issuer.problems(allowHTTP: allowHTTP).map(\.field)
    }

    @Test("GitHub Actions rules must pin the repository owner")
    func githubOwner() {
        let admitted = [
            IdentityRule(subject: "repo:acme/deploy:ref:refs/heads/main", agent: "a"),
            IdentityRule(subject: "repo:acme/*", agent: "a"),
            IdentityRule(claims: ["repository": "acme/*"], agent: "a"),
            IdentityRule(claims: ["repository_owner": "acme"], agent: "a"),
            IdentityRule(claims: ["repository_owner_id": "1234", "workflow": "*"], agent: "a"),
        ]
        for rule in admitted { #expect(fields(issuer(preset: .githubActions, rules: [rule])).isEmpty, "\(rule)") }
        let refused = [
            IdentityRule(subject: "repo:*", agent: "a"),
            IdentityRule(subject: "repo:*/deploy:ref:refs/heads/main", agent: "a"),
            IdentityRule(subject: "*", agent: "a"),
            IdentityRule(claims: ["repository": "*/deploy"], agent: "a"),
            IdentityRule(claims: ["repository_owner": "ac*"], agent: "a"),
            IdentityRule(claims: ["workflow": "release"], agent: "a"),
        ]
        for rule in refused { #expect(fields(issuer(preset: .githubActions, rules: [rule])) == ["rules[0].subject"], "\(rule)") }
        // A wildcard followed by a combining mark is still a wildcard for the owner check.
        let combining = IdentityRule(subject: "repo:*\u{301}acme/x", agent: "a")
        #expect(fields(issuer(preset: .githubActions, rules: [combining])) == ["rules[0].subject"])
        // GitHub's own issuer is only accepted with the preset that pins owners.
        let workflowOnly = IdentityRule(claims: ["workflow": "release"], agent: "a")
        #expect(fields(issuer(rules: [workflowOnly], url: FederationPreset.githubActionsIssuer)) == ["preset"])
    }

    @Test("Kubernetes and SPIFFE subjects must have the platform's shape")
    func platformShapes() {
        #expect(fields(issuer(preset: .kubernetes, rules: [IdentityRule(subject: "system:serviceaccount:prod:*", agent: "a")])).isEmpty)
        for wide in ["*", "system:serviceaccount:*", "system:serviceaccount:prod*", "system:serviceaccount::x", "system:serviceaccount:Prod:x"] {
            #expect(fields(issuer(preset: .kubernetes, rules: [IdentityRule(subject: wide, agent: "a")])) == ["rules[0].subject"], "\(wide)")
        }
        let spiffe = IdentityRule(subject: "spiffe://example.org/ns/*", agent: "a")
        #expect(fields(issuer(preset: .spiffe, rules: [spiffe], trustDomain: "example.org")).isEmpty)
        #expect(fields(issuer(preset: .spiffe, rules: [spiffe], trustDomain: "other.org")) == ["rules[0].subject"])
        #expect(fields(issuer(preset: .spiffe, rules: [spiffe])).contains("trust_domain"))
        #expect(fields(issuer(preset: .spiffe, rules: [spiffe], trustDomain: "Example.org")).contains("trust_domain"))
        #expect(fields(issuer(rules: [spiffe], trustDomain: "example.org")) == ["trust_domain"])
    }

    @Test("URLs: https only unless allowed, no user information or fragment")
    func urls() {
        let rule = IdentityRule(subject: "x", agent: "a")
        #expect(fields(issuer(rules: [rule], url: "http://issuer.example")) == ["issuer"])
        #expect(fields(issuer(rules: [rule], url: "http://127.0.0.1:9000/k8s"), allowHTTP: true).isEmpty)
        for bad in ["https://user@issuer.example", "https://issuer.example/#x", "ftp://issuer.example", "https://", "https://issuer.example:99999"] {
            #expect(fields(issuer(rules: [rule], url: bad)) == ["issuer"], "\(bad)")
        }
        var both = issuer(rules: [rule])
        both.jwksURI = "https://issuer.example/keys"
        both.jwks = ["keys": []]
        #expect(fields(both).contains("jwks"))
    }

    @Test("rules: a condition is needed, globs and claim names are bounded, scopes valid")
    func rules() {
        #expect(fields(issuer(rules: [])) == ["rules"])
        #expect(fields(issuer(rules: [IdentityRule(agent: "a")])) == ["rules[0].subject"])
        #expect(fields(issuer(rules: [IdentityRule(subject: String(repeating: "a", count: 513), agent: "a")])) == ["rules[0].subject"])
        #expect(fields(issuer(rules: [IdentityRule(claims: ["sub": "x"], agent: "a")])) == ["rules[0].claims.sub"])
        #expect(fields(issuer(rules: [IdentityRule(subject: "x", agent: "a", scopes: ["bad scope"])])) == ["rules[0].scopes"])
        #expect(fields(issuer(rules: [IdentityRule(subject: "x", agent: "")])) == ["rules[0].agent"])
    }

    @Test("the first rule whose conditions all hold maps the identity; non-string claims never match")
    func mapping() {
        let issuer = issuer(rules: [
            IdentityRule(subject: "repo:acme/*", claims: ["workflow": "release"], agent: "release"),
            IdentityRule(subject: "repo:acme/*", agent: "any-acme"),
        ])
        #expect(issuer.rule(for: ["sub": "repo:acme/x", "workflow": "release"])?.agent == "release")
        #expect(issuer.rule(for: ["sub": "repo:acme/x", "workflow": "nightly"])?.agent == "any-acme")
        #expect(issuer.rule(for: ["sub": "repo:acme/x", "workflow": .int(1)])?.agent == "any-acme")
        #expect(issuer.rule(for: ["sub": .array(["repo:acme/x"])]) == nil)
        #expect(issuer.rule(for: ["sub": "repo:other/x"]) == nil)
    }

    @Test("cache lifetimes follow Cache-Control within bounds")
    func lifetimes() {
        let policy = RemoteKeySets.Policy()
        #expect(RemoteKeySets.lifetime(cacheControl: nil, policy: policy) == 300)
        #expect(RemoteKeySets.lifetime(cacheControl: "public, max-age=3600", policy: policy) == 3600)
        #expect(RemoteKeySets.lifetime(cacheControl: "max-age=1", policy: policy) == 60)
        #expect(RemoteKeySets.lifetime(cacheControl: "max-age=99999999999999999999", policy: policy) == 300)
        #expect(RemoteKeySets.lifetime(cacheControl: "max-age=9999999", policy: policy) == 86_400)
        #expect(RemoteKeySets.lifetime(cacheControl: "no-store", policy: policy) == 60)
        #expect(RemoteKeySets.lifetime(cacheControl: "max-age=-5", policy: policy) == 300)
        for odd in ["=", ",=", "max-age", "max-age=", "=,=,", ", , max-age=120"] {
            #expect(policy.lifetimes.contains(RemoteKeySets.lifetime(cacheControl: odd, policy: policy)), "\(odd)")
        }
    }

    @Test("only valid public signing keys of a set are kept (SPIFFE jwt-svid keys too), repeated kids dropped")
    func signingKeys() {
        func ec(_ kid: String, use: String? = nil, extra: [String: JSONValue] = [:]) -> JSONValue {
            let point = P256.Signing.PrivateKey().publicKey.rawRepresentation
            var key: [String: JSONValue] = [
                "kty": "EC", "kid": .string(kid), "crv": "P-256",
                "x": .string(Base64URL.encode(point.prefix(32))), "y": .string(Base64URL.encode(point.suffix(32))),
            ]
            if let use { key["use"] = .string(use) }
            return .object(key.merging(extra) { _, new in new })
        }
        let document: [String: JSONValue] = ["keys": [
            ec("a", use: "jwt-svid"), ec("b", use: "x509-svid"), ec("c", extra: ["d": "private"]), ec("twin"), ec("twin"),
            ["kty": "EC", "kid": "fake", "crv": "P-256", "x": "eA", "y": "eQ"], ["kty": "oct", "kid": "d", "k": "secret"], "not a key",
        ]]
        let keys = RemoteKeySets.signingKeys(in: document, limit: 100)
        #expect(keys.map { $0["kid"] } == ["a", "c"])
        #expect(keys[1]["d"] == nil && keys[0]["use"] == nil)
        #expect(RemoteKeySets.signingKeys(in: document, limit: 1).count == 1)
    }
}
