#if canImport(Glibc)
import Glibc
#endif
import Foundation
import MachineAuthCore

/// Files beside the store numbered in the order they were written: `<store>.<kind>-<n>.jsonl`
/// (the journal's files, the audit trail's sealed segments).
///
/// ```swift
/// let segments = NumberedFiles(storePath: "/var/lib/machineauth.json", kind: "audit")
/// segments.path(3)        // "/var/lib/machineauth.json.audit-00000003.jsonl"
/// ```
struct NumberedFiles: Sendable {
    let storePath: String
    let kind: String

    var directory: String { DurableFile(path: storePath).directory }
    private var prefix: String { (storePath as NSString).lastPathComponent + "." + kind + "-" }

    func path(_ number: Int) -> String {
        let digits = String(number)
        return storePath + "." + kind + "-" + String(repeating: "0", count: max(0, 8 - digits.count)) + digits + ".jsonl"
    }

    /// The files there are, lowest number first. Names that are not a plain number (of at most
    /// 12 digits) are not ours and are left alone.
    func existing() -> [(number: Int, path: String)] {
        (try? listed()) ?? []
    }

    /// ``existing()``, or an error when the directory cannot be listed.
    func listed() throws -> [(number: Int, path: String)] {
        let names = try FileManager.default.contentsOfDirectory(atPath: directory)
        return names.compactMap { name -> (number: Int, path: String)? in
            number(named: name[...]).map { ($0, path($0)) }
        }.sorted { $0.number < $1.number }
    }

    /// The number of the file called `name` (no directory), or `nil` when it is not one of these.
    func number(named name: Substring) -> Int? {
        guard name.hasPrefix(prefix), name.hasSuffix(".jsonl") else { return nil }
        let digits = name.dropFirst(prefix.count).dropLast(".jsonl".count)
        guard (1...12).contains(digits.count), digits.allSatisfy({ $0.isASCII && $0.isNumber }) else { return nil }
        return Int(digits)
    }

    /// Deletes `paths` and makes that durable.
    func remove(_ paths: [String]) throws {
        guard !paths.isEmpty else { return }
        for path in paths where unlink(path) != 0 && errno != ENOENT {
            throw StorageError.unavailable("cannot remove \(path): \(String(cString: strerror(errno)))")
        }
        try StoreFile.syncDirectory(directory)
    }
}
