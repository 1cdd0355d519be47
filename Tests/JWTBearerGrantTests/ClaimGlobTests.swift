import MachineAuthCore
import Testing

/// The patterns identity rules match claims with.
@Suite("Claim globs")
struct ClaimGlobTests {
    @Test("matches", arguments: [
        ("repo:acme/api:ref:refs/heads/main", "repo:acme/*:ref:refs/heads/main"),
        ("system:serviceaccount:prod:deployer", "system:serviceaccount:prod:*"),
        ("spiffe://example.org/ns/prod/sa/api", "spiffe://example.org/ns/*/sa/api"),
        ("abc", "a?c"), ("abc", "*"), ("", "*"), ("aaa", "a*a*a"), ("exact", "exact"),
    ])
    func matches(value: String, pattern: String) {
        #expect(ClaimGlob.matches(value, pattern: pattern))
    }

    @Test("does not match", arguments: [
        ("repo:evil/api:ref:refs/heads/main", "repo:acme/*:ref:refs/heads/main"),
        ("repo:acme/api:ref:refs/heads/dev", "repo:acme/*:ref:refs/heads/main"),
        ("system:serviceaccount:dev:deployer", "system:serviceaccount:prod:*"),
        ("ab", "a?c"), ("abcd", "abc"), ("abc", "abcd"), ("", "?"), ("xexact", "exact"),
    ])
    func doesNotMatch(value: String, pattern: String) {
        #expect(!ClaimGlob.matches(value, pattern: pattern))
    }

    @Test("a pathological pattern is answered quickly (no exponential backtracking)")
    func pathological() {
        let value = String(repeating: "a", count: 5000) + "b"
        let pattern = String(repeating: "*a", count: 200) + "c"
        #expect(!ClaimGlob.matches(value, pattern: pattern))
    }

    @Test("the literal prefix ends at the first wildcard")
    func literalPrefix() {
        #expect(ClaimGlob.literalPrefix(of: "repo:acme/*:ref:*") == "repo:acme/")
        #expect(ClaimGlob.literalPrefix(of: "a?b") == "a")
        #expect(ClaimGlob.literalPrefix(of: "plain") == "plain")
    }
}
