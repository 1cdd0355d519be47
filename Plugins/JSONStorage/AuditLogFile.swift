#if canImport(Glibc)
import Glibc
#endif
import Foundation
import MachineAuthCore
import Synchronization

/// The JSON driver's audit trail: an append-only JSON-lines file beside the store
/// (`<store>.audit.jsonl`, mode 0600). Appends cost only the new records (the store itself is
/// rewritten whole on every change, which a growing trail would make ever slower); each batch
/// is fsynced; a torn last line from a crash is skipped when reading.
final class AuditLogFile: Sendable {
    let path: String
    private let lock = Mutex(())

    init(storePath: String) {
        path = storePath + ".audit.jsonl"
    }

    func append(_ records: [AuditRecord]) throws {
        var text = ""
        for record in records { text += try RecordLine.encode(record) + "\n" }
        try lock.withLock { _ in
            let descriptor = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0o600)
            guard descriptor >= 0 else { throw StorageError.unavailable("cannot open \(path): \(String(cString: strerror(errno)))") }
            defer { close(descriptor) }
            let bytes = Array(text.utf8)
            var offset = 0
            while offset < bytes.count {
                let written = bytes[offset...].withUnsafeBytes { Glibc.write(descriptor, $0.baseAddress, $0.count) }
                if written < 0 {
                    if errno == EINTR { continue }
                    throw StorageError.unavailable("cannot append to \(path): \(String(cString: strerror(errno)))")
                }
                offset += written
            }
            guard fsync(descriptor) == 0 else { throw StorageError.unavailable("cannot fsync \(path)") }
        }
    }

    /// Every readable record, oldest first.
    func readAll() -> [AuditRecord] {
        lock.withLock { _ in
            guard let data = FileManager.default.contents(atPath: path) else { return [] }
            return data.split(separator: UInt8(ascii: "\n")).compactMap { try? RecordLine.decode(AuditRecord.self, Data($0)) }
        }
    }

    /// Keeps only records at or after `time` (atomic rewrite); returns how many were removed.
    func removeRecords(before time: Date) throws -> Int {
        let all = readAll()
        let kept = all.filter { $0.time >= time }
        guard kept.count < all.count else { return 0 }
        var text = ""
        for record in kept { text += try RecordLine.encode(record) + "\n" }
        try lock.withLock { _ in try DurableFile(path: path).write(Data(text.utf8)) }
        return all.count - kept.count
    }
}

/// One record per line, with the store's date format.
enum RecordLine {
    static func encode(_ value: some Encodable) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        encoder.dateEncodingStrategy = .custom { date, encoder in
            var container = encoder.singleValueContainer()
            try container.encode(TimestampFormat.string(date))
        }
        return String(decoding: try encoder.encode(value), as: UTF8.self)
    }

    static func decode<T: Decodable>(_ type: T.Type, _ data: Data) throws -> T {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .custom { decoder in
            let text = try decoder.singleValueContainer().decode(String.self)
            if let date = try? Date(text, strategy: SnapshotWriter.preciseDates) { return date }
            return try Date(text, strategy: .iso8601)
        }
        return try decoder.decode(T.self, from: data)
    }
}
