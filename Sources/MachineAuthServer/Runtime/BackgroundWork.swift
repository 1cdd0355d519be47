import Foundation
import Logging
import MachineAuthCore
import Metrics

/// Periodic work of a running server: usage flushes, expiry purges, metrics gauges, and
/// following changes made by other instances. (Notifiers run as services of their own.)
enum BackgroundWork {
    /// Runs every task until cancelled.
    static func run(_ runtime: MachineAuthRuntime) async {
        await withDiscardingTaskGroup { group in
            group.addTask { await every(2, runtime) { try await runtime.services.usage.flush() } }
            group.addTask { await every(600, runtime, runFirst: true) { try await purgeExpired(runtime) } }
            group.addTask { await every(15, runtime, runFirst: true) { try await refreshGauges(runtime) } }
            group.addTask { await every(300, runtime) { try await runtime.services.keyRing.reload(now: runtime.now()) } }
            group.addTask { await followChanges(runtime) }
        }
    }

    /// Runs `body` every `seconds` until cancelled; failures are logged and retried next time.
    static func every(
        _ seconds: Int, _ runtime: MachineAuthRuntime, runFirst: Bool = false, _ body: @Sendable () async throws -> Void
    ) async {
        var first = runFirst
        while !Task.isCancelled {
            if !first { try? await Task.sleep(for: .seconds(seconds)) }
            first = false
            guard !Task.isCancelled else { return }
            do {
                try await body()
            } catch {
                runtime.logger.warning("background task failed", metadata: ["error": "\(error)"])
            }
        }
    }

    static func purgeExpired(_ runtime: MachineAuthRuntime) async throws {
        let horizon = runtime.now().addingTimeInterval(-TimeInterval(runtime.settings.tokens.clockSkew.seconds))
        runtime.services.revocations.purge(before: horizon)
        try await runtime.storage.purgeExpiredTokens(before: horizon)
    }

    static func refreshGauges(_ runtime: MachineAuthRuntime) async throws {
        let counts = try await runtime.storage.checkHealth()
        runtime.services.telemetry.agentsTotal.record(counts.total)
        runtime.services.telemetry.agentsActive.record(counts.active)
    }

    /// Applies changes made by other instances to this instance's caches.
    static func followChanges(_ runtime: MachineAuthRuntime) async {
        for await change in runtime.storage.changes() {
            do {
                switch change {
                case .accessTokenRevoked(let token): runtime.services.revocations.insert(token)
                case .signingKeysChanged: try await runtime.services.keyRing.reload(now: runtime.now())
                case .agentChanged, .webhooksChanged, .trustedIssuersChanged: break
                case .resynchronize:
                    try await runtime.services.revocations.load(from: runtime.storage)
                    try await runtime.services.keyRing.reload(now: runtime.now())
                }
            } catch {
                runtime.logger.warning("applying a storage change failed", metadata: ["error": "\(error)"])
            }
        }
    }
}
