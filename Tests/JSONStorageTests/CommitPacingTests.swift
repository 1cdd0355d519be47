import Foundation
@testable import JSONStorage
import MachineAuthTesting
import Synchronization
import Testing

@Suite("JSON store group commit pacing")
struct CommitPacingTests {
    final class Tickets: Sendable {
        let list = Mutex<[Int]>([])
    }

    @Test("a lone sequential writer never waits: it is all the company there is")
    func loneWriter() {
        var pacing = CommitPacing()
        for _ in 0..<100 {
            pacing.arrived(outstanding: 1)
            #expect(pacing.pause(oldestQueuedAt: 1_000, queued: 1, now: 1_000) == 0)
            pacing.synced()
        }
        #expect(pacing.writers == 1)
    }

    @Test("writers in lockstep wait only for each other: the sync goes as soon as all of them are queued")
    func lockstep() {
        var pacing = CommitPacing()
        for outstanding in 1...3 { pacing.arrived(outstanding: outstanding) }
        #expect(pacing.pause(oldestQueuedAt: 10_000_000, queued: 3, now: 10_000_000) == 0)
        #expect(pacing.pause(oldestQueuedAt: 10_000_000, queued: 1, now: 10_000_000) == CommitPacing.window)
        #expect(pacing.pause(oldestQueuedAt: 10_000_000, queued: 2, now: 10_100_000) == CommitPacing.window - 100_000)
    }

    @Test("under heavy load a sync waits for the window at most, and a clock read out of order never makes a wait")
    func heavyLoad() {
        var pacing = CommitPacing()
        pacing.arrived(outstanding: 64)
        #expect(pacing.pause(oldestQueuedAt: 0, queued: 12, now: 0) == CommitPacing.window)
        #expect(pacing.pause(oldestQueuedAt: 0, queued: 12, now: CommitPacing.window) == 0)
        #expect(pacing.pause(oldestQueuedAt: 0, queued: 12, now: 10 * CommitPacing.window) == 0)
        #expect(pacing.pause(oldestQueuedAt: 10_000_000, queued: 12, now: 9_000_000) == 0)
        #expect(pacing.pause(oldestQueuedAt: 0, queued: 64, now: 0) == 0)
    }

    @Test("when the load goes away the remembered company fades within a few dozen syncs; absurd counts are bounded")
    func loadEnds() {
        var pacing = CommitPacing()
        pacing.arrived(outstanding: Int.max)
        #expect(pacing.writers == Double(CommitPacing.maximumWriters))
        pacing.arrived(outstanding: Int.min)
        #expect(pacing.writers == Double(CommitPacing.maximumWriters))
        for _ in 0..<200 { pacing.synced() }
        #expect(pacing.writers == 1)
        pacing.arrived(outstanding: 64)
        for _ in 0..<90 { pacing.synced() }
        #expect(pacing.pause(oldestQueuedAt: 0, queued: 1, now: 0) == 0)
    }

    @Test("concurrent writers share syncs, and every append is on disk, in ticket order, when its wait returns")
    func sharedSyncs() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let log = GroupCommitLog(generation: 1, directory: directory.path) { directory.file("journal-\($0)") }
        let tickets = Tickets()
        try await withThrowingTaskGroup(of: Void.self) { group in
            for writer in 0..<32 {
                group.addTask {
                    for round in 0..<20 {
                        let ticket = tickets.list.withLock { list -> Int in
                            let ticket = log.enqueue(Array("\(writer)-\(round)\n".utf8))
                            list.append(ticket)
                            return ticket
                        }
                        try await log.waitUntilDurable(ticket)
                        let written = try String(contentsOfFile: directory.file("journal-1"), encoding: .utf8)
                        #expect(written.contains("\(writer)-\(round)\n"))
                    }
                }
            }
            try await group.waitForAll()
        }
        try await log.close()
        let lines = try String(contentsOfFile: directory.file("journal-1"), encoding: .utf8).split(separator: "\n")
        #expect(lines.count == 32 * 20)
        #expect(tickets.list.withLock { $0 } == Array(1...(32 * 20)))
    }
}
