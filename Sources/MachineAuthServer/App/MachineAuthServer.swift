import Logging
import MachineAuthCore
import ServiceLifecycle
import UnixSignals

/// Runs MachineAuth until SIGINT or SIGTERM: storage, the background work, every notifier and
/// the HTTP server in one service group (``StageService``). Shutdown goes in reverse order:
/// in-flight requests finish, notifiers and usage counters flush, storage closes.
public enum MachineAuthServer {
    public static func run(runtime: MachineAuthRuntime) async throws {
        let pipeline = runtime.pipeline
        let app = buildApplication(runtime: runtime) { port in
            runtime.logger.notice(
                "MachineAuth \(MachineAuthVersion.current) listening on \(runtime.settings.server.host):\(port) config=\(pipeline.source) storage=\(runtime.storage.summary) \(pipeline.stageSummary)")
            if runtime.settings.tokens.algorithm == .rs256 {
                runtime.logger.info("RS256 signing with \(SystemLibcrypto.rsaBackend)")
            }
        }
        let group = ServiceGroup(
            configuration: .init(
                services: runtime.lifecycle.map { ServiceGroupConfiguration.ServiceConfiguration(service: $0) } + [.init(service: app)],
                gracefulShutdownSignals: [.sigterm, .sigint],
                logger: runtime.logger))
        try await group.run()
        runtime.logger.notice("MachineAuth stopped: requests finished, storage flushed and closed")
    }
}
