import CoreMetrics
import Foundation
import JSONStorage
import Logging
import MachineAuthCore
import MachineAuthStages
import MachineAuthTesting

/// A real JSON store in a temporary directory, with a hasher and settings, for stage tests.
struct StageEnvironment {
    let directory: TemporaryDirectory
    let storage: JSONStorage
    let hasher = SecretHasher(key: Data("test-key".utf8))
    let clock = ManualClock(Date(timeIntervalSince1970: 1_800_000_000))

    static func make() async throws -> StageEnvironment {
        let directory = try TemporaryDirectory()
        let storage = JSONStorage(path: directory.file("store.json"), logger: Logger(label: "test"))
        try await storage.open()
        return StageEnvironment(directory: directory, storage: storage)
    }

    func close() async {
        try? await storage.close()
        directory.remove()
    }

    /// Runs `body` in a fresh environment and always closes it afterwards (also when `body` throws).
    static func with<T>(_ body: (StageEnvironment) async throws -> T) async throws -> T {
        let environment = try await make()
        do {
            let result = try await body(environment)
            await environment.close()
            return result
        } catch {
            await environment.close()
            throw error
        }
    }

    func settings() throws -> CoreSettings {
        let (server, _) = ConfigDecoder.decode(ServerSettings.self, from: ConfigNode(.null, at: SourceLocation(file: "t", line: 1, column: 1)), keyPath: "server")
        let empty = ConfigNode(.null, at: SourceLocation(file: "t", line: 1, column: 1))
        return CoreSettings(
            server: server!, admin: ConfigDecoder.decode(AdminSettings.self, from: empty, keyPath: "admin").value!,
            tokens: ConfigDecoder.decode(TokenSettings.self, from: empty, keyPath: "tokens").value!,
            security: ConfigDecoder.decode(SecuritySettings.self, from: empty, keyPath: "security").value!,
            gateway: ConfigDecoder.decode(GatewaySettings.self, from: empty, keyPath: "gateway").value!)
    }

    func context() throws -> StageContext {
        StageContext(
            storage: storage, hasher: hasher, secretBox: SecretBox(masterKey: Data("test-key".utf8)), telemetry: Telemetry(factory: NOOPMetricsHandler.instance),
            settings: try settings(), logger: Logger(label: "test"), now: clock.source)
    }

    /// Stores an agent with `secret`.
    func agent(secret: String, active: Bool = true, expiresAt: Date? = nil) async throws -> Agent {
        let agent = Agent(
            id: RandomToken.uuid(), name: "a", clientID: RandomToken.hex(prefix: "cid_", bytes: 8),
            secrets: [ClientSecretHash(hash: hasher.hash(secret), createdAt: clock.now)], scopes: ["read"], isActive: active,
            createdAt: clock.now, expiresAt: expiresAt)
        try await storage.insertAgent(agent)
        return agent
    }

    /// Decodes a stage's options from YAML text through the real registry entry.
    static func prepare<P, C>(_ blueprint: StageBlueprint<P, C>?, _ yaml: String) -> [ConfigDiagnostic] {
        let section = StageRegistry.standard.grants[blueprint?.type ?? ""] != nil ? "grants" : "authenticators"
        let text = "\(section):\n  - type: \(blueprint?.type ?? "?")\n" + yaml
        switch ConfigFixtures.load(text, registry: .standard) {
        case .success: return []
        case .failure(let error): return error.diagnostics
        }
    }
}
