import Logging
import MachineAuthCore
import ServiceLifecycle

/// Runs the runtime's background work until graceful shutdown, then flushes and closes it.
/// Listed before the HTTP server, so it stops after the server has finished its requests.
struct RuntimeService: Service {
    let runtime: MachineAuthRuntime
    let background: [@Sendable () async -> Void]

    func run() async throws {
        await withDiscardingTaskGroup { group in
            for task in background {
                group.addTask { await task() }
            }
            try? await gracefulShutdown()
            group.cancelAll()
        }
        await runtime.stop()
        runtime.logger.notice("MachineAuth stopped: requests finished, storage flushed and closed")
    }
}
