import Foundation
import JSONStorage
import Logging
import MachineAuthCore
@testable import MachineAuthServer
import MachineAuthServerTesting
import MachineAuthTesting
import ServiceLifecycle
import ServiceLifecycleTestKit
import Synchronization
import Testing

/// Storage, background work and notifiers are services of one group: they run until graceful
/// shutdown and stop in reverse order, storage last.
@Suite("Service lifecycle")
struct LifecycleTests {
    final class Journal: Sendable {
        let entries = Mutex<[String]>([])
        func add(_ entry: String) { entries.withLock { $0.append(entry) } }
        var all: [String] { entries.withLock { $0 } }
    }

    @Test("a stage service works until graceful shutdown, then shuts down")
    func stageService() async throws {
        let journal = Journal()
        try await testGracefulShutdown { trigger in
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask {
                    try await StageService(name: "s", work: {
                        journal.add("working")
                        try? await Task.sleep(for: .seconds(60))
                        journal.add(Task.isCancelled ? "work cancelled" : "work ran out")
                    }, shutdown: { journal.add("shut down") }).run()
                }
                while !journal.all.contains("working") { try await Task.sleep(for: .milliseconds(5)) }
                trigger.triggerGracefulShutdown()
                try await group.waitForAll()
            }
        }
        #expect(journal.all == ["working", "work cancelled", "shut down"])
    }

    @Test("the runtime's services shut down in reverse order: notifiers, then background work, then storage")
    func order() async throws {
        let fixture = try await RuntimeFixture.start()
        let services = fixture.runtime.lifecycle
        #expect(services.map(\.name).first?.hasPrefix("storage json:") == true)
        #expect(services.map(\.name).dropFirst() == ["background work", "notifier audit", "notifier recording"])
        let journal = Journal()
        let recorded = services.map { service in
            StageService(name: service.name, work: service.work, shutdown: {
                journal.add(service.name.components(separatedBy: " ").first ?? "")
                await service.shutdown()
            })
        }
        var logger = Logger(label: "test")
        logger.logLevel = .error
        let group = ServiceGroup(services: recorded, gracefulShutdownSignals: [], logger: logger)
        try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await group.run() }
            try await Task.sleep(for: .milliseconds(100))
            await group.triggerGracefulShutdown()
            try await tasks.waitForAll()
        }
        #expect(journal.all == ["notifier", "notifier", "background", "storage"])
        let reopened = JSONStorage(path: fixture.directory.file("store.json"), logger: logger)
        try await reopened.open()  // the process lock is free: the store was closed
        try await reopened.close()
        fixture.directory.remove()
    }
}
