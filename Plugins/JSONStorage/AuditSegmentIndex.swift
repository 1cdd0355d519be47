import Foundation
import MachineAuthCore
import Synchronization

/// How many records each audit segment holds and the span of their times, kept in memory so a
/// listing counts and skips whole segments without reading them again. A segment only grows
/// at its end (sealing renames it and keeps the file), so a longer file is summarized on from
/// where the last look ended; a file whose first line is not the one summarized (a deleted
/// segment's inode reused) is summarized anew. One summary is computed at a time: listings
/// that start together wait for it instead of each reading every segment.
///
/// ```swift
/// let summary = try index.summary(of: segment)   // count, oldest, newest, end
/// ```
final class AuditSegmentIndex: Sendable {
    struct Summary: Sendable {
        var count = 0
        var oldest: Date?
        var newest: Date?
        /// The bytes summarized: whole lines from the start of the file.
        var end = 0
        /// The file's first line with its newline (at most ``headLimit`` bytes of it).
        var head: [UInt8] = []

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
        try summaries.withLock { summaries in
            guard let cached = summaries[segment.identity], try Self.head(of: segment, is: cached.head) else {
                let summary = try Self.summarize(segment, from: Summary())
                summaries[segment.identity] = summary
                return summary
            }
            // A listing that opened the segment before the one that summarized it reads fewer
            // bytes: it gets a summary of its own, and the longer one stays.
            guard cached.end <= segment.length else { return try Self.summarize(segment, from: Summary()) }
            guard cached.end < segment.length else { return cached }
            let summary = try Self.summarize(segment, from: cached)
            summaries[segment.identity] = summary
            return summary
        }
    }

    /// Drops the summaries of files that are no longer segments.
    func keep(only identities: Set<AuditSegment.Identity>) {
        summaries.withLock { summaries in summaries = summaries.filter { identities.contains($0.key) } }
    }

    private static func summarize(_ segment: AuditSegment, from start: Summary) throws -> Summary {
        var summary = start
        summary.end = try segment.forEachLine(in: start.end..<segment.length) { line, place in
            if place.lowerBound == 0 { summary.head = Array(line.prefix(headLimit)) + (line.count < headLimit ? [0x0A] : []) }
            if let line = AuditLine(line, place: place) { summary.add(line.probe.time) }
        }
        return summary
    }

    private static func head(of segment: AuditSegment, is head: [UInt8]) throws -> Bool {
        guard !head.isEmpty else { return true }
        return try segment.bytes(0..<head.count) == head
    }
}
