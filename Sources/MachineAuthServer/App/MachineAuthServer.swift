import Logging
import MachineAuthCore
import ServiceLifecycle

/// Runs MachineAuth until SIGINT or SIGTERM: the runtime's background work and the HTTP
/// server in one service group. Shutdown finishes in-flight requests, then flushes and
/// closes storage.
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
                services: [
                    .init(service: RuntimeService(runtime: runtime, background: BackgroundWork.tasks(for: runtime))),
                    .init(service: app),
                ],
                gracefulShutdownSignals: [.sigterm, .sigint],
                logger: runtime.logger))
        try await group.run()
    }
}
