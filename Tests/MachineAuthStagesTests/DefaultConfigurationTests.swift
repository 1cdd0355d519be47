import MachineAuthCore
import MachineAuthStages
import MachineAuthTesting
import Testing

@Suite("Default configuration")
struct DefaultConfigurationTests {
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
}
