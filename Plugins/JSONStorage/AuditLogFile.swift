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
    let lock = Mutex(Appending())
    /// Held by retention, one run at a time.
    let retention = Mutex(())

    struct Appending {
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
            if AppendOnlyFile.size(of: path) >= segmentBytes { _ = try seal(&appending) }
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

    /// Ends the segment appended to; the next append starts a new one. Returns its new path:
    /// the number after the last sealed segment and after any this process sealed, never one
    /// that names a file (a directory listing that failed must not lead to a sealed segment
    /// being replaced).
    func seal(_ appending: inout Appending) throws -> String {
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
}
