#if canImport(Glibc)
import Glibc
#endif
import Foundation
import MachineAuthCore

/// The journal's files beside the store: `<store>.journal-<n>.jsonl` (mode 0600), numbered in
/// the order they were written, one ``JournalRecord`` per line. The usage journal of earlier
/// versions (`<store>.usage.jsonl`) reads as file 0.
///
/// ```swift
/// for file in files.existing() { try JournalFiles.forEachRecord(in: file.path) { apply($0) } }
/// ```
struct JournalFiles: Sendable {
    let storePath: String

    var directory: String { DurableFile(path: storePath).directory }
    private var prefix: String { (storePath as NSString).lastPathComponent + ".journal-" }
    private var legacyUsagePath: String { storePath + ".usage.jsonl" }

    func path(_ generation: Int) -> String {
        let digits = String(generation)
        return storePath + ".journal-" + String(repeating: "0", count: max(0, 8 - digits.count)) + digits + ".jsonl"
    }

    /// The journal files there are, oldest first. Names that are not a plain number (of at
    /// most 12 digits) are not the journal's and are left alone.
    func existing() -> [(generation: Int, path: String)] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
        var files: [(generation: Int, path: String)] = names.compactMap { name in
            guard name.hasPrefix(prefix), name.hasSuffix(".jsonl") else { return nil }
            let number = name.dropFirst(prefix.count).dropLast(".jsonl".count)
            guard (1...12).contains(number.count), number.allSatisfy(\.isASCII), number.allSatisfy(\.isNumber), let generation = Int(number) else { return nil }
            return (generation, path(generation))
        }
        if FileManager.default.fileExists(atPath: legacyUsagePath) { files.append((0, legacyUsagePath)) }
        return files.sorted { $0.generation < $1.generation }
    }

    /// Bytes in the journal files there are.
    func size() -> Int {
        existing().reduce(0) { $0 + AppendOnlyFile.size(of: $1.path) }
    }

    /// Deletes the files numbered below `generation` (their records are in a snapshot now).
    func remove(below generation: Int) throws {
        let stale = existing().filter { $0.generation < generation }
        guard !stale.isEmpty else { return }
        for file in stale where unlink(file.path) != 0 && errno != ENOENT {
            throw StorageError.unavailable("cannot remove \(file.path): \(String(cString: strerror(errno)))")
        }
        try StoreFile.syncDirectory(directory)
    }

    /// Calls `body` with each record of the file, in order, up to the first line that is not a
    /// whole record: a crash can tear the last appends, and whatever follows a torn line was
    /// never acknowledged. Returns how many bytes were left unread.
    @discardableResult
    static func forEachRecord(in path: String, _ body: (JournalRecord) throws -> Void) throws -> Int {
        guard let data = try StoreFile.map(path) else { return 0 }
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = RFC3339.decodingStrategy
        return try data.withUnsafeBytes { bytes -> Int in
            var start = 0
            while start < bytes.count {
                guard let newline = bytes[start...].firstIndex(of: UInt8(ascii: "\n")),
                    let record = try? decoder.decode(JournalRecord.self, from: Data(UnsafeRawBufferPointer(rebasing: bytes[start..<newline])))
                else { return bytes.count - start }
                try body(record)
                start = newline + 1
            }
            return 0
        }
    }
}
