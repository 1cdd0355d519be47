import Foundation
import MachineAuthCore
import Synchronization

/// The JSON driver's audit trail: append-only JSON-lines segments beside the store (mode 0600),
/// kept apart from the store's journal because they are history, not state. Appends go to
/// `<store>.audit.jsonl`; once that holds ``segmentBytes`` it is sealed as
/// `<store>.audit-<n>.jsonl` and a new one begins. Retention then drops whole sealed segments
/// and rewrites at most one, so its cost follows what expires, not the length of the trail.
/// Each append is fsynced; a torn last line from a crash is skipped when reading, and ended
/// before the next process appends, so it never swallows the record after it. Listings read
/// only the segments a page needs (``page(_:)``).
final class AuditLogFile: AuditTrail {
    let path: String
    let sealed: NumberedFiles
    let segmentBytes: Int
    /// What the segments hold, for listings; sealed segments' summaries are saved in
    /// `<store>.audit-summaries.json`.
    let index: AuditSegmentIndex
    /// Held for every change to the segments.
    private let lock = Mutex(Appending())

    private struct Appending {
        /// Whether the segment appended to is known to end with a whole line.
        var tailIsWhole = false
    }

    init(storePath: String, segmentBytes: Int = 32 << 20) {
        path = storePath + ".audit.jsonl"
        sealed = NumberedFiles(storePath: storePath, kind: "audit")
        self.segmentBytes = segmentBytes
        index = AuditSegmentIndex(savedAt: storePath + ".audit-summaries.json")
    }

    func append(_ records: [AuditRecord]) throws {
        var bytes = [UInt8]()
        for record in records {
            record.writeJSONLine(to: &bytes)
            bytes.append(UInt8(ascii: "\n"))
        }
        try lock.withLock { appending in
            if AppendOnlyFile.size(of: path) >= segmentBytes { try seal() }
            if !appending.tailIsWhole, Self.endsTorn(path) { bytes.insert(UInt8(ascii: "\n"), at: 0) }
            do {
                try AppendOnlyFile.append(bytes, to: path)
            } catch {
                // The failed append is cut off again, unless that failed too: look next time.
                appending.tailIsWhole = false
                throw error
            }
            appending.tailIsWhole = true
        }
    }

    /// Runs `body` while no append, seal or retention change is under way.
    func withLock<T>(_ body: () throws -> T) rethrows -> T {
        try lock.withLock { _ in try body() }
    }

    /// Whether the file at `path` ends inside a line (a crash tore the last append).
    private static func endsTorn(_ path: String) -> Bool {
        guard let descriptor = try? StoreFile.open(path, O_RDONLY) else { return false }
        defer { close(descriptor) }
        let size = lseek(descriptor, 0, SEEK_END)
        guard size > 0 else { return false }
        var last: UInt8 = 0
        return pread(descriptor, &last, 1, size - 1) == 1 && last != UInt8(ascii: "\n")
    }

    /// Every record, oldest first, read without holding up appends (damaged lines are left out,
    /// as listings leave them out).
    func readAll() throws -> [AuditRecord] {
        let segments = try openForReading()
        var records: [AuditRecord] = []
        for position in (0..<segments.count).reversed() {
            guard let segment = try segments.open(position) else { continue }
            try segment.forEachRecord(in: 0..<segment.length, whole: true) { line, _ in records.append(line.probe) }
        }
        return records
    }

    /// Removes the records before `time`; returns how many. Records are appended in time
    /// order, so segments are taken oldest first: sealed ones that hold only earlier records
    /// are deleted, the first holding a later record is rewritten with the rest, and the ones
    /// after it are not read. A sealed segment without a single readable record is deleted
    /// when it was last written before `time` (so a damaged segment never stops retention).
    func removeRecords(before time: Date) throws -> Int {
        try withLock {
            var removed = 0
            var expired: [String] = []
            for path in segments {
                guard let segment = try AuditSegment(path: path) else { continue }
                let isSealed = path != self.path
                guard let oldest = try Self.oldestTime(in: segment) else {
                    guard isSealed, segment.modified < time else { break }
                    expired.append(path)
                    continue
                }
                guard oldest < time else { break }
                var kept: [UInt8] = []
                try segment.forEachRecord(in: 0..<segment.length) { line, bytes in
                    guard line.probe.time >= time else {
                        removed += 1
                        return
                    }
                    kept.append(contentsOf: bytes)
                    kept.append(UInt8(ascii: "\n"))
                }
                if kept.isEmpty, isSealed {
                    expired.append(path)
                    continue
                }
                try DurableFile(path: path).write(Data(kept))
                break
            }
            try sealed.remove(expired)
            return removed
        }
    }

    /// The sealed segments, oldest first, then the one appended to.
    private var segments: [String] {
        sealed.existing().map(\.path) + [path]
    }

    /// Ends the segment appended to; the next append starts a new one.
    private func seal() throws {
        let target = sealed.path((sealed.existing().last?.number ?? 0) + 1)
        guard rename(path, target) == 0 else {
            throw StorageError.unavailable("cannot rename \(path) to \(target): \(String(cString: strerror(errno)))")
        }
        try StoreFile.syncDirectory(sealed.directory)
    }

    /// The time of the segment's first record (the oldest: records are appended in time
    /// order), reading no further than that record; `nil` when the segment holds none.
    private static func oldestTime(in segment: AuditSegment) throws -> Date? {
        var oldest: Date?
        do {
            try segment.forEachRecord(in: 0..<segment.length) { line, _ in
                oldest = line.probe.time
                throw FoundRecord()
            }
        } catch is FoundRecord {}
        return oldest
    }

    private struct FoundRecord: Error {}
}
