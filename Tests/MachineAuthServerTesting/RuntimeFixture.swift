public import Foundation
import Logging
public import MachineAuthCore
public import MachineAuthServer
public import MachineAuthStages
public import MachineAuthTesting

/// Starts a real runtime (real stages, JSON storage in a temporary directory) from YAML.
public struct RuntimeFixture: Sendable {
    public let runtime: MachineAuthRuntime
    public let directory: TemporaryDirectory
    public let notifier: RecordingNotifier

    /// The test pipeline: the given authenticators and grants, audit and a `recording` notifier.
    public static func yaml(
        algorithm: String = "RS256", extra: String = "", authenticators: [String] = ["client_secret", "api_key"],
        grants: [String] = ["client_credentials", "refresh_token"], enrichers: String = "  - type: org_team"
    ) -> String {
        """
        server:
          issuer: http://issuer.test
          allowed_origins: [http://dashboard.test]
        admin:
          email: admin@example.com
          password: correct-horse-battery
          max_failed_logins: 3
        tokens:
          algorithm: \(algorithm)
          access_token_ttl: 600
          refresh_tokens_for_client_credentials: true
          allowed_audiences: [https://api.example.com, https://api.example.com/]
        security:
          max_failed_authentications: 5
        authenticators:
        \(authenticators.map { "  - type: \($0)" }.joined(separator: "\n"))
        grants:
        \(grants.map { "  - type: \($0)" }.joined(separator: "\n"))
        enrichers:
        \(enrichers)
        notifiers:
          - type: audit
          - type: recording
        \(extra)
        """
    }

    /// Loads `yaml` (adding JSON storage in a temporary directory unless it names storage) and starts it.
    public static func start(
        _ yaml: String = RuntimeFixture.yaml(), registry: StageRegistry = .standard, environment: [String: String] = [:],
        now: @escaping @Sendable () -> Date = { Date() }
    ) async throws -> RuntimeFixture {
        let directory = try TemporaryDirectory()
        let notifier = RecordingNotifier()
        var registry = registry
        registry.registerNotifier(type: "recording") { _ in notifier }
        var text = yaml
        if !text.contains("\nstorage:") { text += "\nstorage: { url: \"json:\(directory.file("store.json"))\" }\n" }
        let pipeline = try PipelineLoader(registry: registry).load(
            ConfigSource(name: "fixture.yaml", text: text, dotEnvPath: nil), environment: ConfigEnvironment(environment))
        var logger = Logger(label: "test")
        logger.logLevel = .warning
        let runtime = try await MachineAuthRuntime.start(pipeline, logger: logger, now: now)
        return RuntimeFixture(runtime: runtime, directory: directory, notifier: notifier)
    }

    public func stop() async {
        await runtime.stop()
        directory.remove()
    }
}
