import Foundation
import MachineAuthCore
import Synchronization

/// How many records each audit segment holds and the span of their times, kept in memory so a
/// listing counts and skips whole segments without reading them again. A segment only grows
/// at its end (sealing renames it and keeps the file), so a longer file is summarized on from
/// where the last look ended; a file whose first line is not the one summarized (a deleted
/// segment's inode reused) is summarized anew.
final class AuditSegmentIndex: Sendable {
    struct Summary: Sendable {
        var count = 0
        var oldest: Date?
        var newest: Date?
        /// The bytes summarized: whole lines from the start of the file.
        var end = 0
        /// The file's first line (at most ``headLimit`` bytes of it).
        var head = Data()

        mutating func add(_ time: Date) {
            count += 1
            oldest = min(oldest ?? time, time)
            newest = max(newest ?? time, time)
        }
    }

    static let headLimit = 64 << 10
    private let summaries = Mutex<[AuditSegment.Identity: Summary]>([:])

    /// The summary of `segment` up to the length it was opened with.
    func summary(of segment: AuditSegment) throws -> Summary {
        let cached = summaries.withLock { $0[segment.identity] }
        if var summary = cached, try Self.head(of: segment, is: summary.head) {
            // A listing that opened the segment earlier than the one that summarized it reads
            // fewer bytes: it gets a summary of its own, and the longer one stays.
            guard summary.end <= segment.length else { return try Self.summarize(segment, from: Summary()) }
            guard summary.end < segment.length else { return summary }
            summary = try Self.summarize(segment, from: summary)
            summaries.withLock { $0[segment.identity] = summary }
            return summary
        }
        let summary = try Self.summarize(segment, from: Summary())
        summaries.withLock { $0[segment.identity] = summary }
        return summary
    }

    /// Drops the summaries of files that are no longer segments.
    func keep(only identities: Set<AuditSegment.Identity>) {
        summaries.withLock { summaries in summaries = summaries.filter { identities.contains($0.key) } }
    }

    private static func summarize(_ segment: AuditSegment, from start: Summary) throws -> Summary {
        var summary = start
        try segment.withBytes(start.end..<segment.length) { bytes in
            let first = summary.end == 0
            summary.end += AuditSegment.forEachLine(in: bytes) { range in
                if first, summary.count == 0, summary.head.isEmpty {
                    summary.head = Data(bytes[range.lowerBound..<min(range.upperBound, range.lowerBound + headLimit)])
                }
                if let line = AuditLine(bytes, range: range) { summary.add(line.probe.time) }
            }
        }
        return summary
    }

    private static func head(of segment: AuditSegment, is head: Data) throws -> Bool {
        guard !head.isEmpty else { return true }
        guard segment.length >= head.count else { return false }
        return try segment.withBytes(0..<head.count) { $0.elementsEqual(head) }
    }
}
