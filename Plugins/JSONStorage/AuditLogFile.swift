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
            try AppendOnlyFile.append(bytes, to: path)
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

    /// Every readable record, oldest first, read without holding up appends.
    func readAll() throws -> [AuditRecord] {
        let segments = try openForReading()
        var records: [AuditRecord] = []
        for position in (0..<segments.count).reversed() {
            guard let segment = try segments.open(position) else { continue }
            _ = try segment.forEachLine(in: 0..<segment.length) { line, _ in
                if let record = try? RecordLine.decode(AuditRecord.self, Data(line)) { records.append(record) }
            }
        }
        return records
    }

    /// Removes the records before `time` (records are appended in time order, so the segments
    /// after the first one holding a later record are not read); returns how many.
    func removeRecords(before time: Date) throws -> Int {
        try withLock {
            var removed = 0
            var expired: [String] = []
            for segment in segments {
                guard let oldest = Self.firstRecord(in: segment), oldest.time < time else { break }
                let records = try Self.records(in: segment)
                let kept = records.filter { $0.time >= time }
                removed += records.count - kept.count
                if kept.isEmpty, segment != path {
                    expired.append(segment)
                    continue
                }
                try DurableFile(path: segment).write(Data(kept.map { $0.jsonLine + "\n" }.joined().utf8))
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

    private static func records(in path: String) throws -> [AuditRecord] {
        guard let data = try StoreFile.read(path) else { return [] }
        return data.split(separator: UInt8(ascii: "\n")).compactMap { try? RecordLine.decode(AuditRecord.self, Data($0)) }
    }

    /// The segment's first record, read without loading the file.
    private static func firstRecord(in path: String) -> AuditRecord? {
        guard let descriptor = try? StoreFile.open(path, O_RDONLY) else { return nil }
        let handle = FileHandle(fileDescriptor: descriptor, closeOnDealloc: true)
        var line = Data()
        while let chunk = try? handle.read(upToCount: 4096), !chunk.isEmpty {
            if let newline = chunk.firstIndex(of: UInt8(ascii: "\n")) {
                line.append(chunk[chunk.startIndex..<newline])
                break
            }
            line.append(chunk)
        }
        return try? RecordLine.decode(AuditRecord.self, line)
    }
}

/// Reads one record per line (written by ``AuditRecord/jsonLine``).
enum RecordLine {
    static func decode<T: Decodable>(_ type: T.Type, _ data: Data) throws -> T {
        try StoreJSON.decoder().decode(T.self, from: data)
    }
}
