import Foundation
import MachineAuthCore
import Synchronization

/// The JSON driver's audit trail: an append-only JSON-lines file beside the store
/// (`<store>.audit.jsonl`, mode 0600), kept apart from the store's journal because it is
/// history, not state (snapshots would carry it for ever). Appends cost only the new records;
/// each batch is fsynced; a torn last line from a crash is skipped when reading.
final class AuditLogFile: Sendable {
    let path: String
    private let lock = Mutex(())

    init(storePath: String) {
        path = storePath + ".audit.jsonl"
    }

    func append(_ records: [AuditRecord]) throws {
        var bytes = [UInt8]()
        for record in records {
            record.writeJSONLine(to: &bytes)
            bytes.append(UInt8(ascii: "\n"))
        }
        try lock.withLock { _ in try AppendOnlyFile.append(bytes, to: path) }
    }

    /// Every readable record, oldest first.
    func readAll() throws -> [AuditRecord] {
        try lock.withLock { _ in
            guard let data = try StoreFile.read(path) else { return [] }
            return data.split(separator: UInt8(ascii: "\n")).compactMap { try? RecordLine.decode(AuditRecord.self, Data($0)) }
        }
    }

    /// The oldest record (records are appended in time order), read without loading the file.
    func oldest() -> AuditRecord? {
        lock.withLock { _ in
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

    /// Keeps only records at or after `time` (atomic rewrite); returns how many were removed.
    func removeRecords(before time: Date) throws -> Int {
        guard let oldest = oldest(), oldest.time < time else { return 0 }
        let all = try readAll()
        let kept = all.filter { $0.time >= time }
        guard kept.count < all.count else { return 0 }
        var text = ""
        for record in kept { text += record.jsonLine + "\n" }
        try lock.withLock { _ in try DurableFile(path: path).write(Data(text.utf8)) }
        return all.count - kept.count
    }
}

/// Reads one record per line (written by ``AuditRecord/jsonLine``).
enum RecordLine {
    static func decode<T: Decodable>(_ type: T.Type, _ data: Data) throws -> T {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = RFC3339.decodingStrategy
        return try decoder.decode(T.self, from: data)
    }
}
