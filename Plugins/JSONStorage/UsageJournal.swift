import Foundation
import MachineAuthCore

/// The JSON driver's usage counters between snapshots: an append-only JSON-lines file beside
/// the store (`<store>.usage.jsonl`, mode 0600). Each flush appends one numbered, fsynced line
/// of deltas instead of rewriting the whole store. A snapshot records the last line it
/// includes (`usage_sequence`), so loading replays only later lines, and a crash between a
/// compaction's snapshot and its truncation counts nothing twice. A torn last line from a
/// crash is skipped.
struct UsageJournal: Sendable {
    /// One flush.
    struct Entry: Codable, Sendable, Equatable {
        var sequence: Int
        var deltas: [String: Delta]
    }

    /// One agent's counters in a flush.
    struct Delta: Codable, Sendable, Equatable {
        var tokens: Int
        var refreshes: Int
        var failures: Int
        var lastTokenAt: Date?
        var lastActivityAt: Date?

        enum CodingKeys: String, CodingKey {
            case tokens, refreshes, failures, lastTokenAt = "last_token_at", lastActivityAt = "last_activity_at"
        }

        init(_ delta: UsageDelta) {
            (tokens, refreshes, failures) = (delta.tokens, delta.refreshes, delta.failures)
            (lastTokenAt, lastActivityAt) = (delta.lastTokenAt, delta.lastActivityAt)
        }

        var usage: UsageDelta {
            UsageDelta(tokens: tokens, refreshes: refreshes, failures: failures, lastTokenAt: lastTokenAt, lastActivityAt: lastActivityAt)
        }
    }

    let path: String

    init(storePath: String) {
        path = storePath + ".usage.jsonl"
    }

    func append(_ entry: Entry) throws {
        try AppendOnlyFile.append(Array(try SnapshotWriter.encoder().encode(entry)) + [UInt8(ascii: "\n")], to: path)
    }

    /// Readable entries numbered after `sequence`, in order.
    func entries(after sequence: Int) throws -> [Entry] {
        guard let data = try StoreFile.read(path) else { return [] }
        return data.split(separator: UInt8(ascii: "\n"))
            .compactMap { try? RecordLine.decode(Entry.self, Data($0)) }
            .filter { $0.sequence > sequence }
    }

    var size: Int { AppendOnlyFile.size(of: path) }

    /// Empties the journal (atomically); called once a snapshot holds every entry.
    func truncate() throws {
        guard size > 0 else { return }
        try DurableFile(path: path).write(Data())
    }
}
