import MachineAuthCore
import MachineAuthTesting
import Testing

@Suite("Gateway rule matching")
struct GatewayRuleTests {
    @Test("path globs", arguments: [
        ("/public/**", "/public", true), ("/public/**", "/public/a/b/c", true), ("/public/**", "/publicity", false),
        ("/v1/*/items", "/v1/x/items", true), ("/v1/*/items", "/v1/x/y/items", false), ("/v1/**/items", "/v1/x/y/items", true),
        ("/v1/**/items", "/v1/items", true), ("/files/*.json", "/files/a.json", true), ("/files/*.json", "/files/a.xml", false),
        ("/a/?", "/a/b", true), ("/a/?", "/a/bc", false), ("/exact", "/exact", true), ("/exact", "/exact/more", false),
        ("/**", "/", true),
    ])
    func paths(pattern: String, path: String, matches: Bool) throws {
        #expect(try PathPattern(pattern).matches(path) == matches)
    }

    @Test("paths are canonicalized once: decoded, repeated slashes dropped, query cut off", arguments: [
        ("/v1///x/", "/v1/x"), ("/v1/x?q=1&../=2", "/v1/x"), ("/a%20b", "/a b"), ("/a+b", "/a+b"), ("/caf%C3%A9/", "/café"),
        ("/", "/"), ("/%7Euser", "/~user"), ("/é/ü", "/é/ü"),
    ])
    func canonical(raw: String, canonical: String) {
        #expect(CanonicalPath.parse(raw) == .canonical(canonical))
    }

    @Test("ambiguous paths are refused, not guessed", arguments: [
        ("/v1/admin/x%ff", CanonicalPath.Ambiguity.invalidEscape), ("/x%zz/y", .invalidEscape), ("/x%4", .invalidEscape),
        ("/v1/admin/%2e%2e/%2e%2e/public/x", .dotSegment), ("/public/../admin", .dotSegment), ("/v1/./x", .dotSegment),
        ("/v1/%2E/x", .dotSegment), ("/v1%2F..%2Fadmin", .encodedSeparator), ("/v1/admin%2fx", .encodedSeparator),
        ("/v1/a%5cb", .encodedSeparator), ("/v1\\admin", .backslash), ("/v1/admin;jsessionid=1", .parameter),
        ("/public;/../admin", .parameter), ("/v1/%252e%252e/admin", .doubleEncoding), ("/a%00b", .controlCharacter),
        ("/a%0ab", .controlCharacter), ("/x#frag", .fragment), ("http://evil/v1", .notAPath), ("", .notAPath), ("*", .notAPath),
        ("/public/%EF%BC%8E%EF%BC%8E/v1/admin", .dotSegment), ("/public/x, /v1/admin", .invalidCharacter), ("/a b", .invalidCharacter),
        ("/a\"b", .invalidCharacter), ("/a{b}", .invalidCharacter),
    ])
    func ambiguous(raw: String, reason: CanonicalPath.Ambiguity) {
        #expect(CanonicalPath.parse(raw) == .ambiguous(reason))
    }

    @Test("the lenient reading (ambiguous_paths: decode) resolves dot segments and keeps bad escapes", arguments: [
        ("/public/../admin", "/admin"), ("/public/%2e%2e/admin", "/admin"), ("/v1%2F..%2Fadmin", "/admin"), ("/x%zz/y", "/x%zz/y"),
        ("/../../etc", "/etc"),
    ])
    func lenient(raw: String, decoded: String) {
        #expect(CanonicalPath.decodeLeniently(raw) == decoded)
    }

    @Test("segments split on bytes: a combining mark or joiner after / never glues two segments together")
    func byteSegments() throws {
        #expect(try PathPattern("/docs/*").matches("/docs/x/\u{301}secret") == false)
        #expect(try PathPattern("/v1/admin/**").matches("/v1/admin/\u{200D}users"))
        #expect(try PathPattern("/caf\u{E9}").matches("/cafe\u{301}") == false, "bytes, not canonical equivalence")
        #expect(try HostPattern("[::1]").matches("[::1]:443"))
    }

    @Test("host globs ignore case and ports", arguments: [
        ("api.example.com", "API.example.com:443", true), ("*.example.com", "eu.example.com", true),
        ("*.example.com", "a.b.example.com", false), ("*.example.com", "example.com", false), ("api.example.com", "api.example.com.", true),
    ])
    func hosts(pattern: String, host: String, matches: Bool) throws {
        #expect(try HostPattern(pattern).matches(host) == matches)
    }

    func settings(_ yaml: String) throws -> GatewaySettings {
        try ConfigFixtures.load("gateway:\n" + yaml, registry: ConfigFixtures.registry()).get().settings.gateway
    }

    @Test("the first matching rule wins; methods and hosts narrow a rule")
    func precedence() throws {
        let gateway = try settings("""
              rules:
                - match: { path: "/public/**" }
                  allow_anonymous: true
                - match: { host: api.example.com, path: "/v1/reports/**", methods: [get, HEAD] }
                  require_scopes: [read]
                - match: { path: "/v1/**" }
                  require_scopes: [write]
            """)
        #expect(gateway.rule(method: "GET", host: "x", path: "/public/a")?.allowAnonymous == true)
        #expect(gateway.rule(method: "GET", host: "api.example.com", path: "/v1/reports/1")?.requireScopes == ["read"])
        #expect(gateway.rule(method: "POST", host: "api.example.com", path: "/v1/reports/1")?.requireScopes == ["write"])
        #expect(gateway.rule(method: "GET", host: "other.example.com", path: "/v1/reports/1")?.requireScopes == ["write"])
        #expect(gateway.rule(method: "GET", host: "x", path: "/elsewhere") == nil)
        #expect(gateway.unmatched == .deny)
    }

    @Test("scope modes")
    func scopeModes() throws {
        let gateway = try settings("""
              rules:
                - match: { path: "/all" }
                  require_scopes: [a, b]
                - match: { path: "/any" }
                  require_scopes: [a, b]
                  scopes_match: any
            """)
        let all = try #require(gateway.rules.first)
        let any = try #require(gateway.rules.last)
        #expect(all.scopesSatisfied(by: ["a", "b", "c"]) && !all.scopesSatisfied(by: ["a"]))
        #expect(any.scopesSatisfied(by: ["b"]) && !any.scopesSatisfied(by: ["c"]))
    }

    @Test("bad rules are configuration errors with their lines")
    func errors() {
        let problems = ConfigFixtures.problems("""
            gateway:
              unmatched: allow
              identity_headers: { X-Who: password }
              rules:
                - match: { path: "no-slash" }
                - match: { path: "/x" }
                  allow_anonymous: true
                  require_scopes: [read]
            """, registry: ConfigFixtures.registry())
        #expect(problems.contains { $0.location.line == 2 && $0.message.contains("valid choices: deny, authenticate") })
        #expect(problems.contains { $0.location.line == 5 && $0.message.contains("starts with /") })
        let semantic = ConfigFixtures.problems("""
            gateway:
              identity_headers: { X-Who: password }
              rules:
                - match: { path: "/x" }
                  allow_anonymous: true
                  require_scopes: [read]
            """, registry: ConfigFixtures.registry())
        #expect(semantic.contains { $0.message.contains("unknown source \"password\"") })
        #expect(semantic.contains { $0.message.contains("allow_anonymous cannot be combined") })
    }
}
