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

    private var numbered: NumberedFiles { NumberedFiles(storePath: storePath, kind: "journal") }
    private var legacyUsagePath: String { storePath + ".usage.jsonl" }

    func path(_ generation: Int) -> String { numbered.path(generation) }

    /// The journal files there are, oldest first.
    func existing() -> [(generation: Int, path: String)] {
        let files = numbered.existing().map { (generation: $0.number, path: $0.path) }
        return FileManager.default.fileExists(atPath: legacyUsagePath) ? [(0, legacyUsagePath)] + files : files
    }

    /// Bytes in the journal files there are.
    func size() -> Int {
        existing().reduce(0) { $0 + AppendOnlyFile.size(of: $1.path) }
    }

    /// Deletes the files numbered below `generation` (their records are in a snapshot now).
    func remove(below generation: Int) throws {
        try numbered.remove(existing().filter { $0.generation < generation }.map(\.path))
    }

    /// Calls `body` with each record of the file, in order, up to the first line that is not a
    /// whole record: a crash can tear the last appends, and whatever follows a torn line was
    /// never acknowledged. Returns how many bytes were left unread.
    @discardableResult
    static func forEachRecord(in path: String, _ body: (JournalRecord) throws -> Void) throws -> Int {
        guard let data = try StoreFile.map(path) else { return 0 }
        let decoder = StoreJSON.decoder()
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
