#if canImport(Glibc)
import Glibc
#endif
import CoreFoundation  // timespec, for utimensat
import Foundation
@testable import JSONStorage
import MachineAuthCore
import MachineAuthTesting
import Testing

@Suite("JSON audit trail listings")
struct AuditListingTests {
    static let base = Date(timeIntervalSince1970: 1_800_000_000)

    /// Records appended slightly out of time order, several to a second, over small segments.
    static func record(_ number: Int, seed: Int) -> AuditRecord {
        let jitter = (number * 7919 + seed) % 5
        let actions = ["token.issued", "token.refreshed", "agent.created", "token.revoked"]
        return AuditRecord(
            id: String(format: "r%05d-%d", (number * 31 + seed) % 997, number), time: base.addingTimeInterval(Double(number / 3 + jitter)),
            action: actions[(number + seed) % actions.count], actorType: number % 4 == 0 ? "admin" : "agent",
            actorID: number % 4 == 0 ? "root" : "a\(number % 3)", targetType: "token", targetID: "t\(number)", agentID: "a\(number % 3)",
            organizationID: number % 5 == 0 ? "o1" : nil, outcome: "success", ipAddress: "127.0.0.1", userAgent: nil, requestID: nil,
            details: ["n": .int(number)])
    }

    /// Every page a listing can ask for, with each filter.
    static func queries() -> [AuditQuery] {
        let pages = [PageRequest(page: 1, limit: 5), PageRequest(page: 3, limit: 7), PageRequest(page: 1, limit: 500), PageRequest(page: 40, limit: 10)]
        let times: [(Date?, Date?)] = [(nil, nil), (base.addingTimeInterval(20), nil), (nil, base.addingTimeInterval(30)),
                                       (base.addingTimeInterval(12), base.addingTimeInterval(14))]
        var queries: [AuditQuery] = []
        for page in pages {
            for (from, to) in times {
                queries.append(AuditQuery(from: from, to: to, page: page))
                queries.append(AuditQuery(agentID: "a1", from: from, to: to, page: page))
                queries.append(AuditQuery(action: "token.*", actorID: "root", from: from, to: to, page: page))
            }
            queries.append(AuditQuery(organizationID: "o1", page: page))
        }
        return queries
    }

    /// What a listing must return: every record filtered and sorted.
    static func expected(_ log: AuditLogFile, _ query: AuditQuery) throws -> Page<AuditRecord> {
        Page.slice(try log.readAll().filter(query.matches).sorted { ($0.time, $0.id) > ($1.time, $1.id) }, query.page)
    }

    static func expectSame(_ log: AuditLogFile, _ context: String, queries: [AuditQuery] = queries()) throws {
        let all = try log.readAll()
        for query in queries {
            let page = try log.page(query)
            let expected = Page.slice(all.filter(query.matches).sorted { ($0.time, $0.id) > ($1.time, $1.id) }, query.page)
            #expect(page.total == expected.total, "\(context): total for \(query)")
            #expect(page.items == expected.items, "\(context): items for \(query)")
        }
    }

    @Test("a listing returns what filtering and sorting every record would, as segments fill, seal and expire", arguments: [1, 2])
    func matchesFullScan(seed: Int) throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let log = AuditLogFile(storePath: directory.file("store.json"), segmentBytes: 2048)
        var number = 0
        for round in 0..<4 {
            for _ in 0..<(25 + round * 10) {
                try log.append((0..<(number % 3 + 1)).map { Self.record(number + $0, seed: seed) })
                number += number % 3 + 1
            }
            try Self.expectSame(log, "round \(round)")
        }
        #expect(log.sealed.existing().count > 10)
        #expect(try log.removeRecords(before: Self.base.addingTimeInterval(13)) > 0)
        try Self.expectSame(log, "after retention")
        try log.append([Self.record(number, seed: seed)])
        try Self.expectSame(log, "after retention and an append")
    }

    @Test("a listing that began before retention emptied the sealed segments, and cut the one appended to or not, reads no record twice after the next seal",
          arguments: [0, 1], [false, true])
    func reusedSealedName(firstKept: Int, restarted: Bool) throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        var log = AuditLogFile(storePath: directory.file("store.json"), segmentBytes: 2048)
        func record(_ number: Int) -> AuditRecord {
            var record = Self.record(number, seed: 1)
            record.time = Self.base.addingTimeInterval(Double(number))
            return record
        }
        var number = 0
        // Appended until the next append seals the segment appended to.
        while log.sealed.existing().isEmpty || AppendOnlyFile.size(of: log.path) < 2048 {
            try log.append([record(number)])
            number += 1
        }
        // After a restart the segments were sealed by another process.
        if restarted { log = AuditLogFile(storePath: directory.file("store.json"), segmentBytes: 2048) }
        func records(in segment: AuditSegment) throws -> [AuditRecord] {
            var records: [AuditRecord] = []
            try segment.forEachRecord(in: 0..<segment.length, whole: true) { line, _ in
                records.append(line.probe)
            }
            return records
        }
        let view = try log.openForReading()
        let firstSealed = try #require(log.sealed.existing().first).path
        #expect(view.sealedPaths.contains(firstSealed))
        let appendedTo = try records(in: try #require(view.appendedTo))
        let all = try log.readAll()
        // Retention removes every sealed segment (their records are older than the first one
        // appended to), and cuts the segment appended to when `firstKept` is 1 (a new file);
        // then the next append seals that segment, under a number not used before.
        let cutoff = appendedTo[firstKept].time
        #expect(try log.removeRecords(before: cutoff) == all.count - appendedTo.count + firstKept)
        #expect(log.sealed.existing().isEmpty)
        while log.sealed.existing().isEmpty {
            try log.append([record(number)])
            number += 1
        }
        #expect(log.sealed.existing().count == 1)
        #expect(!log.sealed.existing().map(\.path).contains(firstSealed))

        var ids: [String] = []
        for position in 0..<view.count {
            guard let segment = try view.open(position) else { continue }
            ids += try records(in: segment).map(\.id)
        }
        #expect(ids.count == Set(ids).count, "a record read twice")
        #expect(ids.sorted() == appendedTo.map(\.id).sorted())
    }

    @Test("a listing that filters on time alone does not read the segments it cannot show; one that filters fields reads them all")
    func skipsSegments() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let log = AuditLogFile(storePath: directory.file("store.json"), segmentBytes: 2048)
        for number in 0..<200 { try log.append([Self.record(number, seed: 0)]) }
        let newest = AuditQuery(page: PageRequest(page: 1, limit: 5))
        let before = try log.page(newest)
        #expect(before.total == 200)
        let agentRecords = try log.page(AuditQuery(agentID: "a1")).total
        // Damage the oldest segment's records after its first line, in place: the summary the
        // listing keeps for it still holds, so only a listing that reads it notices.
        try Self.overwriteRecords(of: try #require(log.sealed.existing().first).path)
        let after = try log.page(newest)
        #expect(after.items == before.items && after.total == 200, "the oldest segment was counted from its summary, not read")
        #expect(try Self.expected(log, newest).total < 200, "the damaged records are unreadable")
        let filtered = try log.page(AuditQuery(agentID: "a1"))
        #expect(filtered.total < agentRecords, "a field filter reads every segment, the damaged one too")
        #expect(filtered.total == (try Self.expected(log, AuditQuery(agentID: "a1")).total))
    }

    @Test("after a restart sealed segments are counted from their saved summaries, which hold only for the same unchanged file")
    func savedSummaries() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let store = directory.file("store.json")
        let newest = AuditQuery(page: PageRequest(page: 1, limit: 5))
        let log = AuditLogFile(storePath: store, segmentBytes: 2048)
        for number in 0..<200 { try log.append([Self.record(number, seed: 0)]) }
        let before = try log.page(newest)
        #expect(before.total == 200 && FileManager.default.fileExists(atPath: store + ".audit-summaries.json"))
        // Damage the oldest segment in place and give it back its modification time: only a
        // listing that reads it again notices.
        let oldest = try #require(log.sealed.existing().first).path
        let stamp = try #require(try AuditSegment(path: oldest)).stamp
        try Self.overwriteRecords(of: oldest)
        try Self.setModified(oldest, seconds: stamp.modifiedSeconds, nanoseconds: stamp.modifiedNanoseconds)
        let restarted = try AuditLogFile(storePath: store, segmentBytes: 2048).page(newest)
        #expect(restarted.total == 200 && restarted.items == before.items, "the saved summary was used")
        try Self.setModified(oldest, seconds: stamp.modifiedSeconds + 1, nanoseconds: 0)
        let changed = AuditLogFile(storePath: store, segmentBytes: 2048)
        #expect(try changed.page(newest).total == Self.expected(changed, newest).total, "a file that changed is summarized anew")
        #expect(try Self.expected(changed, newest).total < 200)
        // A damaged summaries file is a cache: it is ignored and written again.
        try Data("{\"segments\":[{\"count\":-1}]}".utf8).write(to: URL(fileURLWithPath: store + ".audit-summaries.json"))
        let fresh = AuditLogFile(storePath: store, segmentBytes: 2048)
        try Self.expectSame(fresh, "after a damaged summaries file", queries: Array(Self.queries().prefix(8)))
        let rewritten = try Data(contentsOf: URL(fileURLWithPath: store + ".audit-summaries.json"))
        #expect(String(decoding: rewritten, as: UTF8.self).contains("\"inode\""))
    }

    @Test("saved summaries whose numbers cannot describe their file are not used", arguments: [
        "count beyond end", "negative count", "end beyond length", "oldest after newest", "times without a count", "a count without times",
    ])
    func implausibleSummaries(damage: String) throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let store = directory.file("store.json")
        let log = AuditLogFile(storePath: store, segmentBytes: 2048)
        for number in 0..<200 { try log.append([Self.record(number, seed: 0)]) }
        _ = try log.page(AuditQuery())
        let savedAt = URL(fileURLWithPath: store + ".audit-summaries.json")
        var file = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: savedAt)) as? [String: Any])
        var segments = try #require(file["segments"] as? [[String: Any]])
        #expect(segments.count == log.sealed.existing().count)
        for index in segments.indices {
            let end = try #require(segments[index]["end"] as? Int)
            switch damage {
            case "count beyond end": segments[index]["count"] = end + 1
            case "negative count": segments[index]["count"] = -1
            case "end beyond length": segments[index]["end"] = Int.max
            case "oldest after newest": segments[index]["oldest"] = 4e9
            case "times without a count": segments[index]["count"] = 0
            default: segments[index]["oldest"] = nil
            }
        }
        file["segments"] = segments
        try JSONSerialization.data(withJSONObject: file).write(to: savedAt)
        try Self.expectSame(AuditLogFile(storePath: store, segmentBytes: 2048), "saved summaries with \(damage)", queries: Array(Self.queries().prefix(8)))
    }

    /// Overwrites every record of the segment at `path` after its first line, keeping its length.
    static func overwriteRecords(of path: String) throws {
        var bytes = try Data(contentsOf: URL(fileURLWithPath: path))
        let firstLine = try #require(bytes.firstIndex(of: UInt8(ascii: "\n")))
        for index in (firstLine + 1)..<bytes.count where bytes[index] != UInt8(ascii: "\n") { bytes[index] = UInt8(ascii: "x") }
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
        try handle.write(contentsOf: bytes)
        try handle.close()
    }

    /// Appends `bytes` to the file at `path` as they are, as a crash or a hand edit would.
    static func appendRaw(_ bytes: Data, to path: String) throws {
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
        try handle.seekToEnd()
        try handle.write(contentsOf: bytes)
        try handle.close()
    }

    static func setModified(_ path: String, seconds: Int, nanoseconds: Int) throws {
        var time = timespec()
        time.tv_sec = seconds
        time.tv_nsec = nanoseconds
        let times = [time, time]
        #expect(utimensat(AT_FDCWD, path, times, 0) == 0)
    }

    @Test("a torn last line from a crash is ended before the next append, so the record after it is kept")
    func tornTail() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let store = directory.file("store.json")
        try AuditLogFile(storePath: store).append([Self.record(1, seed: 0)])
        try Self.appendRaw(Data(#"{"action":"token.iss"#.utf8), to: store + ".audit.jsonl")
        let reopened = AuditLogFile(storePath: store)
        try reopened.append([Self.record(2, seed: 0)])
        try reopened.append([Self.record(3, seed: 0)])
        #expect(try reopened.readAll().map(\.id) == [1, 2, 3].map { Self.record($0, seed: 0).id })
        #expect(try reopened.page(AuditQuery()).total == 3)
    }

    @Test("damaged lines are left out of a page and its total alike, so every counted record can be listed")
    func damagedLines() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let log = AuditLogFile(storePath: directory.file("store.json"))
        try log.append((0..<5).map { Self.record($0, seed: 0) })
        let good = Self.record(9, seed: 0).jsonLine
        let damaged = [
            good + "junk",                                                      // bytes after the object
            good.replacingOccurrences(of: #""outcome":"success""#, with: #""outcome":"success","id":"dup""#),  // a key twice
            good.replacingOccurrences(of: #""details":{"n":9}"#, with: #""details":7"#),  // details not an object
            good.replacingOccurrences(of: #""action":"#, with: #""\u0061ction":"#),     // an escaped key
            good.replacingOccurrences(of: #""details":{"n":9}"#, with: #""details":{"n":tru}"#),  // details not JSON inside
            good.replacingOccurrences(of: #""details":{"n":9}"#, with: #""details":{"n":9]"#),    // details closed by the wrong bracket
            good.replacingOccurrences(of: #""details":{"n":9}"#, with: #""details":{"a":"x","a":"y"}"#),  // a key twice in details
            good.replacingOccurrences(of: #""details":{"n":9}"#, with: "\"details\":{\"\u{E9}\":\"x\",\"e\u{301}\":\"y\"}"),  // é twice (NFC, NFD)
            #"{"id":"x","time":"2027-01-15T08:00:00.000Z","action":"a","actor_type":"agent","outcome":"success"}"#,  // no details
            "[1,2,3]", "{", "",
        ]
        var bytes = Data(damaged.joined(separator: "\n").utf8)
        let marked = Data(good.replacingOccurrences(of: #""outcome":"success""#, with: "\"outcome\":\"succ\u{1}ss\"").utf8)
        bytes.append(0x0A)
        bytes.append(Data(marked.map { $0 == 0x01 ? 0x09 : $0 }) + [0x0A])  // a raw tab inside a string
        bytes.append(Data(marked.map { $0 == 0x01 ? 0xFF : $0 }) + [0x0A])  // a string that is not UTF-8
        let accented = Self.record(6, seed: 0).jsonLine.replacingOccurrences(of: #""outcome":"success""#, with: #""outcome":"réussi""#)
            .replacingOccurrences(of: #""details":{"n":6}"#, with: #""details":{"scope":"réad","k":"", "q" : "x"}"#)
        bytes.append(Data(accented.utf8) + [0x0A])  // UTF-8 beyond ASCII: kept
        try Self.appendRaw(bytes, to: directory.file("store.json") + ".audit.jsonl")
        try log.append([Self.record(5, seed: 0)])
        let page = try log.page(AuditQuery(page: PageRequest(page: 1, limit: 500)))
        #expect(page.total == 7 && page.items.count == 7)
        #expect(Set(page.items.map(\.id)) == Set((0...6).map { Self.record($0, seed: 0).id }))
        let accentedRecord = page.items.first { $0.id == Self.record(6, seed: 0).id }
        #expect(accentedRecord?.outcome == "réussi")
        #expect(accentedRecord?.details == ["scope": .string("réad"), "k": .string(""), "q": .string("x")])
    }

    @Test("after a failed append the next one looks at the tail again, so a line the failure left torn does not swallow its record")
    func tornByFailedAppend() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let log = AuditLogFile(storePath: directory.file("store.json"))
        try log.append([Self.record(1, seed: 0)])
        let kept = try Data(contentsOf: URL(fileURLWithPath: log.path))
        try FileManager.default.removeItem(atPath: log.path)
        try FileManager.default.createDirectory(atPath: log.path, withIntermediateDirectories: false)
        #expect(throws: (any Error).self) { try log.append([Self.record(2, seed: 0)]) }
        // What a write that failed half-way, and whose undoing failed too, leaves behind.
        try FileManager.default.removeItem(atPath: log.path)
        try (kept + Data(#"{"id":"r2","time":"20"#.utf8)).write(to: URL(fileURLWithPath: log.path))
        try log.append([Self.record(3, seed: 0)])
        #expect(try log.readAll().map(\.id) == [1, 3].map { Self.record($0, seed: 0).id })
    }

    @Test("a segment larger than a read is read a chunk at a time, lines across chunks included")
    func largeSegment() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let log = AuditLogFile(storePath: directory.file("store.json"))
        for start in stride(from: 0, to: 6000, by: 500) { try log.append((start..<(start + 500)).map { Self.record($0, seed: 3) }) }
        #expect(AppendOnlyFile.size(of: log.path) > AuditSegment.chunkBytes + AuditSegment.chunkBytes / 2)
        #expect(try log.readAll().count == 6000)
        try Self.expectSame(log, "one segment of several chunks", queries: Array(Self.queries().prefix(8)))
    }
}
