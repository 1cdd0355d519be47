import MachineAuthCore
import MachineAuthTesting
import Testing

@Suite("Environment interpolation")
struct InterpolationTests {
    func port(_ yaml: String, _ environment: [String: String]) throws -> Int {
        try ConfigFixtures.load(yaml, registry: ConfigFixtures.registry(), environment: environment).get().settings.server.port
    }

    @Test("${VAR} reads the environment")
    func plain() throws {
        #expect(try port("server: { port: \"${PORT}\" }", ["PORT": "9000"]) == 9000)
    }

    @Test("${VAR:-default} uses the default when unset or empty")
    func defaults() throws {
        #expect(try port("server: { port: \"${PORT:-8081}\" }", [:]) == 8081)
        #expect(try port("server: { port: \"${PORT:-8081}\" }", ["PORT": ""]) == 8081)
        #expect(try port("server: { port: \"${PORT:-8081}\" }", ["PORT": "7000"]) == 7000)
    }

    @Test("${VAR-default} keeps an empty value")
    func dashOnly() throws {
        let pipeline = try ConfigFixtures.load("server: { issuer: \"${ISS-https://x.example}\" }", registry: ConfigFixtures.registry(), environment: ["ISS": ""]).get()
        #expect(pipeline.settings.server.issuer == "http://localhost:8080")
    }

    @Test("nested defaults and $$ escapes")
    func nestedAndEscape() throws {
        let pipeline = try ConfigFixtures.load(
            "server: { issuer: \"${ISSUER:-http://${HOST_NAME:-auth.local}:${PORT:-1}}\" }\nadmin: { password: \"p$$w0rd-long-enough\" }",
            registry: ConfigFixtures.registry(), environment: ["PORT": "9"]
        ).get()
        #expect(pipeline.settings.server.issuer == "http://auth.local:9")
        #expect(pipeline.settings.admin.password == "p$w0rd-long-enough")
    }

    @Test("an unset variable without default is an error at its line")
    func unset() {
        let problems = ConfigFixtures.problems("server:\n  port: \"${NOPE}\"\n", registry: ConfigFixtures.registry())
        #expect(problems.count == 1)
        #expect(problems[0].location.line == 2)
        #expect(problems[0].keyPath == "server.port")
        #expect(problems[0].message.contains("NOPE is not set"))
    }

    @Test(".env files: quotes, comments, export")
    func dotEnv() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let env = try directory.write(".env", "# comment\nexport A=1\nB=\"two words\"\nC='x#y'\nD=plain # trailing\n")
        let loaded = try ConfigEnvironment.load(dotEnvFile: env)
        #expect(loaded["A"] == "1")
        #expect(loaded["B"] == "two words")
        #expect(loaded["C"] == "x#y")
        #expect(loaded["D"] == "plain")
    }
}
