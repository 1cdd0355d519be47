import MachineAuthCore
import MachineAuthServer
import Testing

@Suite("Form parameters")
struct RequestParametersTests {
    @Test("decoding", arguments: [
        ("grant_type=client_credentials&scope=read+write", "scope", ["read write"]),
        ("a=%41%62%2B%26%3D&b=1", "a", ["Ab+&="]),
        ("resource=https%3A%2F%2Fa.example&resource=https%3A%2F%2Fb.example", "resource", ["https://a.example", "https://b.example"]),
        ("name=%C3%A9t%C3%A9", "name", ["été"]),
        ("&&flag&x=", "flag", [""]),
        ("x=&y=1", "x", [""]),
        ("k=a=b", "k", ["a=b"]),
    ])
    func decoding(form: String, name: String, expected: [String]) throws {
        #expect(try RequestParameters.form(form).all(name) == expected)
    }

    @Test("bad escapes and invalid UTF-8 are invalid_request, never a crash or a silently dropped value",
          arguments: ["v=%", "v=%4", "v=%zz", "v=%FF", "v=abc%", "%zz=1&ok=2", "scope=read%C3"])
    func badEscapes(form: String) {
        #expect(throws: OAuthError.self) { try RequestParameters.form(form) }
    }

    @Test("single rejects repeats")
    func repeats() throws {
        #expect(throws: (any Error).self) { try RequestParameters.form("scope=a&scope=b").single("scope") }
        #expect(try RequestParameters.form("scope=a").single("scope") == "a")
    }
}
