import MachineAuthCore
import ServiceLifecycle

/// A started part of the runtime in the one `ServiceGroup`: its background work runs until
/// graceful shutdown, then it is shut down (flushed, closed). The group lists storage first and
/// the HTTP server last, so shutdown goes the other way: requests finish, notifiers and usage
/// counters flush, storage closes.
///
/// ```swift
/// StageService(name: "notifier audit", work: { await notifier.run() }, shutdown: { await notifier.shutdown() })
/// ```
struct StageService: Service, CustomStringConvertible {
    let name: String
    let work: @Sendable () async -> Void
    let shutdown: @Sendable () async -> Void

    init(name: String, work: @escaping @Sendable () async -> Void = {}, shutdown: @escaping @Sendable () async -> Void = {}) {
        self.name = name
        self.work = work
        self.shutdown = shutdown
    }

    var description: String { name }

    func run() async throws {
        await withDiscardingTaskGroup { group in
            group.addTask { await work() }
            try? await gracefulShutdown()
            group.cancelAll()
        }
        await shutdown()
    }
}

extension MachineAuthRuntime {
    /// Storage, the periodic work, and every notifier, in start order.
    var lifecycle: [StageService] {
        var services = [
            StageService(name: "storage \(storage.summary)", shutdown: { [self] in await closeStorage() }),
            StageService(
                name: "background work", work: { [self] in await BackgroundWork.run(self) }, shutdown: { [self] in await flushUsage() }),
        ]
        for (index, notifier) in stages.notifiers.enumerated() {
            services.append(StageService(
                name: "notifier \(pipeline.notifiers[index].type)", work: { await notifier.run() }, shutdown: { await notifier.shutdown() }))
        }
        return services
    }
}
