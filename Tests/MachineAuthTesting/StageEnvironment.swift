import CoreMetrics
public import Foundation

import Logging
public import MachineAuthCore

/// What a stage needs to run in a test without a server: a store in memory (``MemoryStorage``:
/// the JSON driver's tables, no files), a secret hasher, a manual clock and default settings.
public struct StageEnvironment: Sendable {
    public let storage: any Storage
    public let hasher = SecretHasher(key: Data("test-key".utf8))
    public let clock = ManualClock(Date(timeIntervalSince1970: 1_800_000_000))

    public static func make() async throws -> StageEnvironment {
        StageEnvironment(storage: try await MemoryStorage.open())
    }

    public func close() async {
        try? await storage.close()
    }

    /// Runs `body` in a fresh environment and always closes it afterwards (also when `body` throws).
    public static func with<T>(_ body: (StageEnvironment) async throws -> T) async throws -> T {
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

    /// The settings of an empty configuration (every default).
    public func settings() throws -> CoreSettings {
        let empty = ConfigNode(.null, at: SourceLocation(file: "t", line: 1, column: 1))
        return CoreSettings(
            server: ConfigDecoder.decode(ServerSettings.self, from: empty, keyPath: "server").value!,
            admin: ConfigDecoder.decode(AdminSettings.self, from: empty, keyPath: "admin").value!,
            tokens: ConfigDecoder.decode(TokenSettings.self, from: empty, keyPath: "tokens").value!,
            security: ConfigDecoder.decode(SecuritySettings.self, from: empty, keyPath: "security").value!,
            gateway: ConfigDecoder.decode(GatewaySettings.self, from: empty, keyPath: "gateway").value!)
    }

    /// The context a stage factory is handed.
    public func context() throws -> StageContext {
        StageContext(
            storage: storage, hasher: hasher, secretBox: SecretBox(masterKey: Data("test-key".utf8)), telemetry: Telemetry(factory: NOOPMetricsHandler.instance),
            settings: try settings(), logger: Logger(label: "test"), now: clock.source)
    }

    /// Stores an agent with `secret`.
    public func agent(secret: String, active: Bool = true, expiresAt: Date? = nil) async throws -> Agent {
        let agent = Agent(
            id: RandomToken.uuid(), name: "a", clientID: RandomToken.hex(prefix: "cid_", bytes: 8),
            secrets: [ClientSecretHash(hash: hasher.hash(secret), createdAt: clock.now)], scopes: ["read"], isActive: active,
            createdAt: clock.now, expiresAt: expiresAt)
        try await storage.insertAgent(agent)
        return agent
    }
}
