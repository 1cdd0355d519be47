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
    func decoding(form: String, name: String, expected: [String]) {
        #expect(RequestParameters.form(form).all(name) == expected)
    }

    @Test("bad escapes and invalid UTF-8 drop the value, never crash", arguments: ["v=%", "v=%4", "v=%zz", "v=%FF", "v=abc%"])
    func badEscapes(form: String) {
        #expect(RequestParameters.form(form).all("v") == [""])
    }

    @Test("a name that does not decode drops the pair")
    func badName() {
        #expect(RequestParameters.form("%zz=1&ok=2").values == ["ok": ["2"]])
    }

    @Test("single rejects repeats")
    func repeats() throws {
        #expect(throws: (any Error).self) { try RequestParameters.form("scope=a&scope=b").single("scope") }
        #expect(try RequestParameters.form("scope=a").single("scope") == "a")
    }
}
