import Foundation
import MachineAuthCore
import MachineAuthStages
import MachineAuthTesting
import Testing

@Suite("Pipeline loading")
struct PipelineLoaderTests {
    @Test("the embedded default equals config/machineauth.yaml")
    func embeddedMatchesFile() throws {
        let file = try String(contentsOfFile: Self.projectFile("config/machineauth.yaml"), encoding: .utf8)
        #expect(file == DefaultConfiguration.yaml + "\n", "run scripts/embed-default-config after editing config/machineauth.yaml")
    }

    @Test("every configuration file in config/ loads with the real registry")
    func everySampleLoads() throws {
        let files = try Self.configFiles()
        #expect(!files.isEmpty)
        for file in files {
            let text = try String(contentsOfFile: file, encoding: .utf8)
            let environment = [
                "DATABASE_URL": "postgres://machineauth:secret@db.internal:5432/machineauth?sslmode=require", "ISSUER": "https://auth.example.com",
                "ADMIN_EMAIL": "ops@example.com", "ADMIN_PASSWORD": "a-long-admin-password", "SECRET_HASH_KEY": String(repeating: "k", count: 40),
                "BILLING_EXPORTER_SECRET": "cs_" + String(repeating: "b", count: 40), "OPS_WEBHOOK_SECRET": "whsec_" + String(repeating: "c", count: 32),
            ]
            let result = Result { () throws(ConfigError) -> LoadedPipeline in
                try PipelineLoader(registry: .standard).load(
                    ConfigSource(name: file, text: text, dotEnvPath: nil), environment: ConfigEnvironment(environment))
            }
            if case .failure(let error) = result { Issue.record("\(file): \(error)") }
        }
    }

    @Test("a typo in a stage type names file:line and lists the registered types")
    func unknownStageType() {
        let problems = ConfigFixtures.problems("authenticators:\n  - type: client_secrt\n", registry: .standard)
        #expect(problems.count == 1)
        #expect(problems[0].location.line == 2)
        #expect(problems[0].keyPath == "authenticators[0].type")
        #expect(problems[0].message.contains("did you mean \"client_secret\""))
        #expect(problems[0].message.contains("registered authenticator types: api_key, client_secret"))
    }

    @Test("unknown sections, missing types, bad storage schemes and YAML syntax errors")
    func structuralErrors() {
        #expect(ConfigFixtures.problems("servre: {}\n", registry: .standard).first?.message.contains("did you mean \"server\"") == true)
        #expect(ConfigFixtures.problems("notifiers:\n  - retention: 1d\n", registry: .standard).first?.message.contains("missing required key \"type\"") == true)
        #expect(ConfigFixtures.problems("storage: { url: \"mysql://x\" }\n", registry: .standard).first?.message.contains("unknown storage URL scheme") == true)
        #expect(ConfigFixtures.problems("notifiers: audit\n", registry: .standard).first?.message.contains("expected a list of stages") == true)
        let syntax = ConfigFixtures.problems("server:\n  port: [1, 2\n", registry: .standard)
        #expect(syntax.count == 1)
        #expect(syntax[0].message.hasPrefix("invalid YAML"))
    }

    @Test("errors from several sections and stages are all reported, in line order")
    func collectsAcrossSections() {
        let problems = ConfigFixtures.problems(
            """
            server:
              port: big
            tokens:
              algorithm: HS256
            authenticators:
              - type: nope
            grants:
              - type: refresh_token
                ttl: 5s
            notifiers:
              - type: audit
                retention: forever
            """, registry: .standard)
        #expect(problems.map(\.location.line) == [2, 4, 6, 9, 12])
    }

    @Test("a stage listed in the wrong section is pointed to its own")
    func wrongSection() {
        let problems = ConfigFixtures.problems("authenticators:\n  - type: refresh_token\n", registry: .standard)
        #expect(problems.map(\.message) == ["\"refresh_token\" is a grant stage; list it under grants:"])
    }

    @Test("config show masks secrets and URL passwords")
    func renderMasks() throws {
        let pipeline = try ConfigFixtures.load(
            "admin: { password: \"hunter2-hunter2\" }\nstorage: { url: \"json:db.json\" }\nsecurity: { secret_hash_key: \"0123456789abcdef0123456789abcdef\" }\n",
            registry: .standard
        ).get()
        let text = ConfigRenderer.render(pipeline.effectiveDocument)
        #expect(!text.contains("hunter2"))
        #expect(!text.contains("0123456789abcdef"))
        #expect(text.contains("password: \"********\"") || text.contains("password: ********"))
        #expect(ConfigRenderer.maskURLPassword("postgres://u:secret@db/x") == "postgres://u:********@db/x")
    }

    static func projectFile(_ relative: String) -> String {
        var url = URL(fileURLWithPath: #filePath)
        while url.pathComponents.count > 1 {
            url.deleteLastPathComponent()
            if FileManager.default.fileExists(atPath: url.appendingPathComponent("Package.swift").path) { break }
        }
        return url.appendingPathComponent(relative).path
    }

    static func configFiles() throws -> [String] {
        let root = projectFile("config")
        let enumerator = FileManager.default.enumerator(atPath: root)
        var files: [String] = []
        while let name = enumerator?.nextObject() as? String {
            if name.hasSuffix(".yaml") || name.hasSuffix(".yml"), !name.contains("proxies/"), !name.contains("provision.d/") {
                files.append((root as NSString).appendingPathComponent(name))
            }
        }
        return files.sorted()
    }
}
