import Dispatch
import Foundation
@testable import JSONStorage
import MachineAuthCore
import MachineAuthTesting
import Testing

@Suite("JSON audit trail segments")
struct AuditSegmentTests {
    static let base = Date(timeIntervalSince1970: 1_800_000_000)

    static func record(_ minute: Int) -> AuditRecord {
        AuditRecord(id: "r\(minute)", time: base.addingTimeInterval(Double(minute) * 60), action: "token.issued", actorType: "agent",
                    actorID: "a", targetType: nil, targetID: nil, agentID: "a", organizationID: nil, outcome: "success",
                    ipAddress: nil, userAgent: nil, requestID: nil, details: [:])
    }

    @Test("a full segment is sealed; retention drops whole sealed segments and rewrites only the one it cuts")
    func retention() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let log = try Self.fortyMinutes(in: directory)
        let sealed = log.sealed.existing()
        #expect(sealed.count >= 4, "about 300 bytes a record, 1 KiB a segment")
        #expect(try log.readAll().map(\.id) == (0..<40).map { "r\($0)" }, "oldest first across segments")
        let untouched = try sealed.suffix(2).map { try Data(contentsOf: URL(fileURLWithPath: $0.path)) }

        #expect(try log.removeRecords(before: Self.base.addingTimeInterval(10 * 60)) == 10)
        #expect(try log.readAll().map(\.id) == (10..<40).map { "r\($0)" })
        #expect(log.sealed.existing().count < sealed.count, "expired segments were deleted")
        #expect(try sealed.suffix(2).map { try Data(contentsOf: URL(fileURLWithPath: $0.path)) } == untouched, "later segments were not rewritten")
        #expect(try log.removeRecords(before: Self.base.addingTimeInterval(10 * 60)) == 0)
        #expect(try log.removeRecords(before: Self.base.addingTimeInterval(3600)) == 30)
        #expect(try log.readAll().isEmpty && log.sealed.existing().isEmpty)
        try log.append([Self.record(99)])
        #expect(try log.readAll().map(\.id) == ["r99"])
    }

    @Test("retention seals a large segment appended to before cutting it, and appends go on in a new one")
    func cutsLargeAppendedToAsSealed() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let log = try Self.tenMinutesPastInPlaceCut(in: directory)
        #expect(log.sealed.existing().isEmpty)
        #expect(try log.removeRecords(before: Self.base.addingTimeInterval(5 * 60)) == 5)
        #expect(log.sealed.existing().count == 1, "the segment appended to was sealed, then cut")
        #expect(try Self.ids(in: log.sealed.existing()[0].path) == (5..<10).map { "r\($0)" })
        try log.append([Self.record(99)])
        #expect(try Self.ids(in: log.path) == ["r99"])
        #expect(try log.readAll().map(\.id) == (5..<10).map { "r\($0)" } + ["r99"])
        #expect(try log.page(AuditQuery(page: PageRequest(page: 1, limit: 100))).total == 6)
        #expect(try log.removeRecords(before: Self.base.addingTimeInterval(50 * 60)) == 5)
        #expect(log.sealed.existing().isEmpty)
        #expect(try log.readAll().map(\.id) == ["r99"])
    }

    @Test("retention cuts a sealed segment while appends hold the lock; it waits only to delete")
    func cutsSealedWithoutTheLock() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let log = try Self.fortyMinutes(in: directory)
        let target = try #require(try log.sealed.existing().dropFirst().first { try Self.ids(in: $0.path).count >= 2 })
        let before = try Self.ids(in: target.path)
        let cutoff = try #require(Int(before[1].dropFirst()))
        let finished = DispatchSemaphore(value: 0)
        let cutWhileLocked = try log.withLock { () -> Bool in
            DispatchQueue.global().async {
                _ = try? log.removeRecords(before: Self.base.addingTimeInterval(Double(cutoff) * 60))
                finished.signal()
            }
            let deadline = Date().addingTimeInterval(30)
            while Date() < deadline {
                if try Self.ids(in: target.path) != before { return true }
                usleep(10_000)
            }
            return false
        }
        finished.wait()
        #expect(cutWhileLocked, "the sealed segment was cut while the append lock was held")
        #expect(try log.readAll().map(\.id) == (cutoff..<40).map { "r\($0)" })
    }

    @Test("a page whose segment retention rewrote between its count and its reading is read again, so its items and total agree")
    func rereadAfterRetention() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let log = try Self.fortyMinutes(in: directory)
        let target = try #require(try log.sealed.existing().first { try Self.ids(in: $0.path).count >= 2 })
        let cutoff = try #require(Int(try Self.ids(in: target.path)[1].dropFirst()))
        let query = AuditQuery(page: PageRequest(page: 1, limit: 100))
        var passes = 0
        let page = try log.page(query) {
            passes += 1
            if passes == 1 { _ = try log.removeRecords(before: Self.base.addingTimeInterval(Double(cutoff) * 60)) }
        }
        #expect(passes == 2)
        #expect(page.total == 40 - cutoff && page.items.count == page.total)
        #expect(page.items.map(\.id) == (cutoff..<40).reversed().map { "r\($0)" })
    }

    @Test("retention keeps lines that are not records unless an expired record follows them")
    func keepsUnreadableLinesAfterTheCutoff() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let log = AuditLogFile(storePath: directory.file("store.json"))
        func damage(_ text: String) throws { try AuditListingTests.appendRaw(Data((text + "\n").utf8), to: log.path) }
        for minute in 0..<3 { try log.append([Self.record(minute)]) }
        try damage("older damage")
        for minute in 3..<7 { try log.append([Self.record(minute)]) }
        try damage("newer damage")
        for minute in 7..<10 { try log.append([Self.record(minute)]) }
        #expect(try log.removeRecords(before: Self.base.addingTimeInterval(5 * 60)) == 5)
        let text = try String(contentsOfFile: log.path, encoding: .utf8)
        #expect(!text.contains("older damage") && text.contains("newer damage"))
        #expect(try log.readAll().map(\.id) == (5..<10).map { "r\($0)" })
    }

    @Test("a sealed segment whose records all expired goes with the unreadable lines after them when it was written before the cutoff")
    func expiredWithTrailingDamage() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let log = try Self.fortyMinutes(in: directory)
        let first = try #require(log.sealed.existing().first).path
        try AuditListingTests.appendRaw(Data("a line from elsewhere\n".utf8), to: first)
        let cutoff = Self.base.addingTimeInterval(30 * 60)
        try AuditListingTests.setModified(first, seconds: Int(cutoff.timeIntervalSince1970) - 60, nanoseconds: 0)
        #expect(try log.removeRecords(before: cutoff) == 30)
        #expect(!FileManager.default.fileExists(atPath: first))
        #expect(try log.readAll().map(\.id) == (30..<40).map { "r\($0)" })
    }

    @Test("a large segment appended to whose records have all expired is sealed, cut to nothing and deleted")
    func removesLargeAppendedToWhole() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let log = try Self.tenMinutesPastInPlaceCut(in: directory)
        #expect(try log.removeRecords(before: Self.base.addingTimeInterval(60 * 60)) == 10)
        #expect(log.sealed.existing().isEmpty)
        #expect(try log.readAll().isEmpty)
        try log.append([Self.record(99)])
        #expect(try log.readAll().map(\.id) == ["r99"])
    }

    /// A trail of one record a minute for 10 minutes in the segment appended to, which is
    /// larger than retention cuts in place.
    static func tenMinutesPastInPlaceCut(in directory: TemporaryDirectory) throws -> AuditLogFile {
        let log = AuditLogFile(storePath: directory.file("store.json"), segmentBytes: 1 << 20, inPlaceCutBytes: 512)
        for minute in 0..<10 { try log.append([record(minute)]) }
        return log
    }

    /// A trail of one record a minute for 40 minutes, over segments of 1 KiB.
    static func fortyMinutes(in directory: TemporaryDirectory) throws -> AuditLogFile {
        let log = AuditLogFile(storePath: directory.file("store.json"), segmentBytes: 1024)
        for minute in 0..<40 { try log.append([record(minute)]) }
        return log
    }

    /// The ids of the records in the segment at `path`, in order.
    static func ids(in path: String) throws -> [String] {
        let segment = try #require(try AuditSegment(path: path))
        var ids: [String] = []
        try segment.forEachRecord(in: 0..<segment.length) { line, _ in ids.append(line.probe.id) }
        return ids
    }

    @Test("retention reads past damaged lines: a segment whose first line is torn is still cut, and a sealed segment without one readable record goes once it was last written before the cutoff")
    func retentionPastDamage() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let log = try Self.fortyMinutes(in: directory)
        let sealed = log.sealed.existing().map(\.path)
        #expect(sealed.count >= 4)
        let lost = try Self.ids(in: sealed[0])
        // The oldest segment damaged whole; the next one torn at its first line by a crash
        // just after it was begun (the next append ended the torn line).
        try Data("{\"id\":\"r0\",\"time\":\n[]\n".utf8).write(to: URL(fileURLWithPath: sealed[0]))
        let cutoff = Self.base.addingTimeInterval(30 * 60)
        try AuditListingTests.setModified(sealed[0], seconds: Int(cutoff.timeIntervalSince1970) - 60, nanoseconds: 0)
        let second = try Data(contentsOf: URL(fileURLWithPath: sealed[1]))
        try (Data(#"{"action":"token.iss"#.utf8) + [0x0A] + second).write(to: URL(fileURLWithPath: sealed[1]))

        #expect(try log.removeRecords(before: cutoff) == 30 - lost.count)
        #expect(try log.readAll().map(\.id) == (30..<40).map { "r\($0)" })
        #expect(!FileManager.default.fileExists(atPath: sealed[0]), "the unreadable segment, last written before the cutoff, went")
        #expect(try log.page(AuditQuery(page: PageRequest(page: 1, limit: 100))).total == 10)
    }

    @Test("a sealed segment without a readable record that was written after the cutoff stops retention, as a later record would")
    func retentionStopsAtRecentDamage() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let log = try Self.fortyMinutes(in: directory)
        let sealed = log.sealed.existing().map(\.path)
        try Data("not a record\n".utf8).write(to: URL(fileURLWithPath: sealed[0]))
        let cutoff = Self.base.addingTimeInterval(30 * 60)
        try AuditListingTests.setModified(sealed[0], seconds: Int(cutoff.timeIntervalSince1970) + 60, nanoseconds: 0)
        let before = try log.readAll().map(\.id)
        #expect(try log.removeRecords(before: cutoff) == 0)
        #expect(try log.readAll().map(\.id) == before)
        #expect(FileManager.default.fileExists(atPath: sealed[0]))
    }
}
