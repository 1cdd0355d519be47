import MachineAuthCore
import MachineAuthStages
import MachineAuthTesting
import Testing

@Suite("Environment interpolation")
struct InterpolationTests {
    func port(_ yaml: String, _ environment: [String: String]) throws -> Int {
        try ConfigFixtures.load(yaml, registry: .standard, environment: environment).get().settings.server.port
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
        let pipeline = try ConfigFixtures.load("server: { issuer: \"${ISS-https://x.example}\" }", registry: .standard, environment: ["ISS": ""]).get()
        #expect(pipeline.settings.server.issuer == "http://localhost:8080")
    }

    @Test("nested defaults and $$ escapes")
    func nestedAndEscape() throws {
        let pipeline = try ConfigFixtures.load(
            "server: { issuer: \"${ISSUER:-http://${HOST_NAME:-auth.local}:${PORT:-1}}\" }\nadmin: { password: \"p$$w0rd-long-enough\" }",
            registry: .standard, environment: ["PORT": "9"]
        ).get()
        #expect(pipeline.settings.server.issuer == "http://auth.local:9")
        #expect(pipeline.settings.admin.password == "p$w0rd-long-enough")
    }

    @Test("an unset variable without default is an error at its line")
    func unset() {
        let problems = ConfigFixtures.problems("server:\n  port: \"${NOPE}\"\n", registry: .standard)
        #expect(problems.count == 1)
        #expect(problems[0].location.line == 2)
        #expect(problems[0].keyPath == "server.port")
        #expect(problems[0].message.contains("NOPE is not set"))
    }

    @Test("the classic variables keep working through the default config")
    func classicVariables() throws {
        let environment = [
            "PORT": "9191", "ENV": "production", "DATABASE_URL": "json:/tmp/x.json", "JWT_SIGNING_ALGORITHM": "ES256",
            "JWT_KEY_ID": "k9", "JWT_ACCESS_TOKEN_EXPIRY": "600", "ALLOWED_ORIGINS": "https://a.example,https://b.example",
            "REQUIRE_HTTPS": "true", "ADMIN_EMAIL": "ops@example.com", "ADMIN_PASSWORD": "a-very-long-password",
        ]
        let pipeline = try ConfigFixtures.load(DefaultConfiguration.yaml, registry: .standard, environment: environment).get()
        let settings = pipeline.settings
        #expect(settings.server.port == 9191)
        #expect(settings.server.environment == .production)
        #expect(settings.server.requireHTTPS)
        #expect(settings.server.allowedOrigins == ["https://a.example", "https://b.example"])
        #expect(settings.tokens.algorithm == .es256)
        #expect(settings.tokens.keyID == "k9")
        #expect(settings.tokens.accessTokenTTL.seconds == 600)
        #expect(settings.admin.email == "ops@example.com")
        #expect(pipeline.storage.type == "json")
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
