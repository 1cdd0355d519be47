import Foundation
@testable import JSONStorage
@testable import MachineAuthCore
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
        #expect(pacing.pause(oldestQueuedAt: 1_000, queued: 1, now: 1_000) == 0)
    }

    @Test("once syncs carry company on a machine not kept busy, the writer waits until the oldest append is as old as a sync takes, never over the window")
    func underLoad() {
        var pacing = CommitPacing()
        for _ in 0..<20 { pacing.synced(appends: 3, taking: 400_000) }
        #expect(pacing.averageAppends >= CommitPacing.company)
        let sync = UInt64(pacing.averageSync)
        #expect((390_000...400_000).contains(sync))
        #expect(pacing.pause(oldestQueuedAt: 10_000_000, queued: 1, now: 10_000_000) == sync)
        #expect(pacing.pause(oldestQueuedAt: 10_000_000, queued: 1, now: 10_100_000) == sync - 100_000)
        #expect(pacing.pause(oldestQueuedAt: 10_000_000, queued: 1, now: 10_000_000 + sync) == 0)
        #expect(pacing.pause(oldestQueuedAt: 10_000_000, queued: 1, now: 9_000_000) == 0, "a clock read out of order never makes a long wait")
        for _ in 0..<20 { pacing.synced(appends: 3, taking: 50_000_000) }
        #expect(pacing.pause(oldestQueuedAt: 0, queued: 1, now: 0) == CommitPacing.defaultWindow, "a slow disk never makes a write wait over the window")
    }

    @Test("while the process keeps the cores busy, the writer waits the window, or until as many appends are queued as a recent sync carried")
    func busy() {
        var pacing = CommitPacing()
        for _ in 0..<20 { pacing.synced(appends: 3, taking: 100_000, load: 0.9) }
        #expect(pacing.load >= CommitPacing.busy)
        #expect(pacing.enough == 3)
        #expect(pacing.pause(oldestQueuedAt: 10_000_000, queued: 1, now: 10_000_000) == CommitPacing.defaultWindow, "a sync's time is far shorter")
        #expect(pacing.pause(oldestQueuedAt: 10_000_000, queued: 2, now: 11_500_000) == CommitPacing.defaultWindow - 1_500_000)
        #expect(pacing.pause(oldestQueuedAt: 10_000_000, queued: 2, now: 10_000_000 + CommitPacing.defaultWindow) == 0)
        #expect(!pacing.hasEnough(queued: 2))
        #expect(pacing.hasEnough(queued: 3))
        #expect(pacing.pause(oldestQueuedAt: 10_000_000, queued: 3, now: 10_000_000) == 0, "every writer of late is here: no one else is coming")
        // A larger sync raises the bar at once; each smaller one lowers it by an eighth.
        pacing.synced(appends: 12, taking: 100_000, load: 0.9)
        #expect(pacing.enough == 12)
        pacing.synced(appends: 2, taking: 100_000, load: 0.9)
        #expect(pacing.enough == 11)
        for _ in 0..<30 { pacing.synced(appends: 2, taking: 100_000, load: 0.9) }
        #expect(pacing.enough == 2, "after the load shrinks, a few dozen syncs find the new bar")
        // The load falls: back to waiting about a sync's time.
        for _ in 0..<20 { pacing.synced(appends: 2, taking: 100_000, load: 0.3) }
        #expect(pacing.load < CommitPacing.busy)
        #expect(!pacing.hasEnough(queued: 100))
        #expect((90_000...100_000).contains(pacing.pause(oldestQueuedAt: 10_000_000, queued: 1, now: 10_000_000)))
    }

    @Test("a measured load outside 0…1 or not a number counts as its bound or not at all")
    func loadBounds() {
        var pacing = CommitPacing()
        pacing.synced(appends: 2, taking: 1, load: .nan)
        #expect(pacing.load == 0)
        for _ in 0..<40 { pacing.synced(appends: 2, taking: 1, load: 1_000) }
        #expect(pacing.load <= 1)
        pacing.synced(appends: 2, taking: 1, load: -.infinity)
        #expect(pacing.load > 0.9)
        for _ in 0..<40 { pacing.synced(appends: 2, taking: 1, load: -5) }
        #expect(pacing.load >= 0 && pacing.load < 0.01)
    }

    @Test("the process's load is the CPU time its threads used over the wall time, per core")
    func processLoad() throws {
        var load = ProcessLoad(cores: 2)
        #expect(load.sample(wall: 10_000_000, cpu: 5_000_000) == nil, "the first sample only starts the interval")
        #expect(load.sample(wall: 10_500_000, cpu: 5_900_000) == nil, "too short to tell: the interval goes on")
        #expect(load.sample(wall: 12_000_000, cpu: 8_000_000) == 0.75, "3 ms of CPU in 2 ms on two cores")
        #expect(load.sample(wall: 11_000_000, cpu: 9_000_000) == nil, "a clock read out of order starts over")
        #expect(load.sample(wall: 13_000_000, cpu: 9_000_000) == 0)
        #expect(load.sample(wall: 14_000_000, cpu: 8_000_000) == nil, "CPU time never goes back; starts over")
        #expect(load.sample(wall: 16_000_000, cpu: 14_000_000) == 1.5, "not clamped here (CommitPacing clamps)")
        #expect(ProcessLoad(cores: 0).cores == 1)
        // The real clock: this thread's CPU time is part of the process's.
        let threadStart = ThreadCPUClock.now()
        let cpuStart = try #require(ProcessLoad.processCPUTime())
        let start = DispatchTime.now().uptimeNanoseconds
        var now = start
        while now - start < 5_000_000 { now = DispatchTime.now().uptimeNanoseconds }
        let cpuEnd = try #require(ProcessLoad.processCPUTime())
        let spun = ThreadCPUClock.now() - threadStart
        #expect(Duration.nanoseconds(Int64(cpuEnd - cpuStart)) >= spun - .milliseconds(1))
    }

    @Test("while busy, the append that makes the company enough wakes the waiting writer at once, and no wake-up is left over")
    func companyWakesWriter() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        // A window of a minute: only the wake-up can end the wait within the test.
        let log = GroupCommitLog(generation: 1, directory: directory.path, window: 60_000_000_000) { directory.file("journal-\($0)") }
        log.state.withLock { state in
            for _ in 0..<20 { state.pacing.synced(appends: 3, taking: 100_000, load: 0.9) }
        }
        #expect(log.state.withLock { $0.pacing.enough } == 3)
        let started = ContinuousClock.now
        let first = log.enqueue(Array("a\n".utf8))
        while !log.state.withLock({ $0.awaitingCompany }) { try await Task.sleep(for: .milliseconds(1)) }
        _ = log.enqueue(Array("b\n".utf8))
        #expect(log.state.withLock { $0.awaitingCompany }, "two of three: still waiting")
        let third = log.enqueue(Array("c\n".utf8))
        try await log.waitUntilDurable(third)
        try await log.waitUntilDurable(first)
        #expect(ContinuousClock.now - started < .seconds(30))
        #expect(try String(contentsOfFile: directory.file("journal-1"), encoding: .utf8) == "a\nb\nc\n")
        #expect(!log.state.withLock { $0.awaitingCompany })
        #expect(log.company.wait(timeout: .now()) == .timedOut, "no signal is left to end a later wait early")
        try await log.close()
    }

    @Test("when the load goes away, a few lone syncs end the waiting; absurd counts are bounded")
    func loadEnds() {
        var pacing = CommitPacing()
        pacing.synced(appends: Int.max, taking: UInt64.max)
        #expect(pacing.averageAppends <= 10_000)
        for _ in 0..<40 { pacing.synced(appends: 1, taking: 400_000) }
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
