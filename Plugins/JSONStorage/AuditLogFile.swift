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
    /// The segment appended to is cut in place while at most this large (see ``removeRecords(before:)``).
    let inPlaceCutBytes: Int
    /// Held for every append, seal and deletion, and for changes to the segment appended to.
    private let lock = Mutex(Appending())
    /// Held by retention, one run at a time.
    private let retention = Mutex(())

    private struct Appending {
        /// Whether the segment appended to is known to end with a whole line.
        var tailIsWhole = false
        /// Whether the directory entry of the segment appended to is known to be on disk (a
        /// seal leaves the next append to create the file anew).
        var entryIsDurable = false
        /// The highest segment number this process sealed or listed for a reader. Seals take a
        /// higher one, so no reader's view can take a later segment for one it listed.
        var highestNumber = 0
    }

    init(storePath: String, segmentBytes: Int = 32 << 20, inPlaceCutBytes: Int = 1 << 20) {
        path = storePath + ".audit.jsonl"
        sealed = NumberedFiles(storePath: storePath, kind: "audit")
        self.segmentBytes = segmentBytes
        self.inPlaceCutBytes = inPlaceCutBytes
        index = AuditSegmentIndex(savedAt: storePath + ".audit-summaries.json")
    }

    /// Deletes what a crash left of rewrites: temporary copies of the segments, sealed ones that
    /// retention has since deleted included, and of the saved summaries.
    func removeStaleTemporaries() {
        let name = (path as NSString).lastPathComponent
        let summaries = (index.savedAt as NSString).lastPathComponent
        DurableFile.removeStaleTemporaries(in: sealed.directory) { [sealed] target in
            target == name || target == summaries || sealed.number(named: target) != nil
        }
    }

    func append(_ records: [AuditRecord]) throws {
        var bytes = [UInt8]()
        for record in records {
            record.writeJSONLine(to: &bytes)
            bytes.append(UInt8(ascii: "\n"))
        }
        try lock.withLock { appending in
            if AppendOnlyFile.size(of: path) >= segmentBytes { try seal(&appending) }
            if !appending.entryIsDurable {
                // The file first, its name on disk, then the records: a failure writes none.
                guard let descriptor = try StoreFile.open(path, O_WRONLY | O_CREAT) else { throw StorageError.unavailable("cannot open \(path)") }
                close(descriptor)
                try StoreFile.syncDirectory(sealed.directory)
                appending.entryIsDurable = true
            }
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

    /// The segments as a reader sees them now (see ``ReadingView``).
    func openForReading() throws -> ReadingView {
        try lock.withLock { appending in
            let listed = sealed.existing()
            appending.highestNumber = max(appending.highestNumber, listed.last?.number ?? 0)
            return ReadingView(appendedTo: try AuditSegment(path: path), sealedPaths: listed.map(\.path).reversed())
        }
    }

    /// Runs `body` while no append, seal or deletion is under way.
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
    ///
    /// Appends wait only for what is quick: renames and deletions, and the cutting of a segment
    /// appended to of at most ``inPlaceCutBytes``. A larger one holding expired records is
    /// sealed first and cut like the sealed ones, which nothing appends to, without the lock
    /// (rewriting 32 MiB with its fsync takes a second or more on a slow disk).
    func removeRecords(before time: Date) throws -> Int {
        try retention.withLock { _ in
            var removed = 0
            var expired: [String] = []
            var reachedLater = false
            for path in sealed.existing().map(\.path) where !reachedLater {
                switch try Self.cut(path, before: time, removed: &removed) {
                case .expired: expired.append(path)
                case .missing: continue
                case .holdsLater: reachedLater = true
                }
            }
            if !reachedLater {
                let sealedNow = try lock.withLock { appending -> String? in
                    guard AppendOnlyFile.size(of: path) > inPlaceCutBytes else {
                        // A cut replaces the file: its name is durable once the cut returns.
                        appending.entryIsDurable = false
                        _ = try Self.cut(path, before: time, appendedTo: true, removed: &removed)
                        appending.entryIsDurable = true
                        return nil
                    }
                    guard let segment = try AuditSegment(path: path), let oldest = try Self.oldestTime(in: segment), oldest < time else { return nil }
                    return try seal(&appending)
                }
                if let sealedNow, try Self.cut(sealedNow, before: time, removed: &removed) == .expired { expired.append(sealedNow) }
            }
            // Under the lock: a seal picks the number after the last sealed segment, so none
            // may vanish while it looks.
            try withLock { try sealed.remove(expired) }
            return removed
        }
    }

    private enum Cut: Equatable {
        /// Nothing in the (sealed) segment is from the cutoff on: every record was before it,
        /// or it holds no readable record and was last written before it. It can go.
        case expired
        /// The segment holds records from the cutoff on (or may: see ``cut(_:before:appendedTo:removed:)``),
        /// and is left with only those.
        case holdsLater
        /// The file is gone (someone else removed it).
        case missing
    }

    /// Cuts the records before `time` out of the segment at `path` (adding how many to
    /// `removed`); a segment `appendedTo` is rewritten even when nothing is left in it. Lines
    /// that are not records have no time of their own, but are in time order with the rest:
    /// those before an expired record go with it, the others are kept as they are.
    private static func cut(_ path: String, before time: Date, appendedTo: Bool = false, removed: inout Int) throws -> Cut {
        guard let segment = try AuditSegment(path: path) else { return .missing }
        guard let oldest = try oldestTime(in: segment) else {
            return !appendedTo && segment.modified < time ? .expired : .holdsLater
        }
        guard oldest < time else { return .holdsLater }
        var kept: [UInt8] = []
        var keptRecords = 0
        /// Lines that are not records, since the last record.
        var unread: [UInt8] = []
        _ = try segment.forEachLine(in: 0..<segment.length) { bytes, place in
            guard let line = AuditLine(bytes, place: place) else {
                unread.append(contentsOf: bytes)
                unread.append(UInt8(ascii: "\n"))
                return
            }
            if line.probe.time < time {
                removed += 1
            } else {
                kept.append(contentsOf: unread)
                kept.append(contentsOf: bytes)
                kept.append(UInt8(ascii: "\n"))
                keptRecords += 1
            }
            unread.removeAll(keepingCapacity: true)
        }
        kept.append(contentsOf: unread)
        // Unreadable lines after the last expired record of a sealed segment written before
        // the cutoff are older than the cutoff too.
        if keptRecords == 0, !appendedTo, unread.isEmpty || segment.modified < time { return .expired }
        try DurableFile(path: path).write(Data(kept))
        return .holdsLater
    }

    /// Ends the segment appended to; the next append starts a new one. Returns its new path:
    /// the number after the last sealed segment and after any this process sealed, never one
    /// that names a file (a directory listing that failed must not lead to a sealed segment
    /// being replaced).
    private func seal(_ appending: inout Appending) throws -> String {
        let number = max(try sealed.listed().last?.number ?? 0, appending.highestNumber) + 1
        let target = sealed.path(number)
        var info = stat()
        if lstat(target, &info) == 0 || errno != ENOENT {
            throw StorageError.unavailable("cannot seal \(path) as \(target): a file of that name is there, or it cannot be checked")
        }
        guard rename(path, target) == 0 else {
            throw StorageError.unavailable("cannot rename \(path) to \(target): \(String(cString: strerror(errno)))")
        }
        appending.highestNumber = number
        appending.entryIsDurable = false
        try StoreFile.syncDirectory(sealed.directory)
        return target
    }

    /// The time of the segment's first record (the oldest: records are appended in time
    /// order), reading no further than the chunk that holds it; `nil` when the segment holds none.
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
