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

    @Test("a lone sequential writer never waits: every sync carries one append")
    func loneWriter() {
        var pacing = CommitPacing()
        for _ in 0..<100 { pacing.synced(appends: 1, taking: 500_000) }
        #expect(pacing.pause(oldestQueuedAt: 1_000, now: 1_000) == 0)
    }

    @Test("once syncs carry company, the writer waits until the oldest append is as old as a sync takes, never over the window")
    func underLoad() {
        var pacing = CommitPacing()
        for _ in 0..<20 { pacing.synced(appends: 3, taking: 400_000) }
        #expect(pacing.averageAppends >= CommitPacing.company)
        let sync = UInt64(pacing.averageSync)
        #expect((390_000...400_000).contains(sync))
        #expect(pacing.pause(oldestQueuedAt: 10_000_000, now: 10_000_000) == sync)
        #expect(pacing.pause(oldestQueuedAt: 10_000_000, now: 10_100_000) == sync - 100_000)
        #expect(pacing.pause(oldestQueuedAt: 10_000_000, now: 10_000_000 + sync) == 0)
        #expect(pacing.pause(oldestQueuedAt: 10_000_000, now: 9_000_000) == 0, "a clock read out of order never makes a long wait")
        for _ in 0..<20 { pacing.synced(appends: 3, taking: 50_000_000) }
        #expect(pacing.pause(oldestQueuedAt: 0, now: 0) == CommitPacing.window, "a slow disk never makes a write wait over the window")
    }

    @Test("when the load goes away, a few lone syncs end the waiting; absurd counts are bounded")
    func loadEnds() {
        var pacing = CommitPacing()
        pacing.synced(appends: Int.max, taking: UInt64.max)
        #expect(pacing.averageAppends <= 10_000)
        for _ in 0..<40 { pacing.synced(appends: 1, taking: 400_000) }
        #expect(pacing.pause(oldestQueuedAt: 0, now: 0) == 0)
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
