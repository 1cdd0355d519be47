import Foundation
import MachineAuthCore

extension AuditLogFile {
    /// One page of the records matching `query`, newest first (then by id, as the PostgreSQL
    /// driver orders them), with how many match. Only the segments that can hold the page's
    /// records are read, and only the page's records are decoded whole. When `query` filters on
    /// time alone, the other segments are counted from their summaries; other filters scan
    /// every segment in the time range, one line at a time. Memory follows the page's offset,
    /// not the trail's length.
    func page(_ query: AuditQuery) throws -> Page<AuditRecord> {
        let segments = try openSegments()
        index.keep(only: Set(segments.map(\.identity)))
        let filtersFields = query.agentID != nil || query.action != nil || query.actorID != nil || query.organizationID != nil
        var selection = AuditSelection(wanted: query.page.offset + query.page.limit)
        var total = 0
        for (number, segment) in segments.enumerated() {
            let summary = try index.summary(of: segment)
            guard let oldest = summary.oldest, let newest = summary.newest else { continue }
            if let from = query.from, newest < from { continue }
            if let to = query.to, oldest > to { continue }
            let wholly = (query.from.map { oldest >= $0 } ?? true) && (query.to.map { newest <= $0 } ?? true)
            if !filtersFields, wholly, !selection.mayTake(newest: newest) {
                total += summary.count
                continue
            }
            try segment.withBytes(0..<summary.end) { bytes in
                _ = AuditSegment.forEachLine(in: bytes) { range in
                    guard let line = AuditLine(bytes, range: range), query.matches(line.probe) else { return }
                    total += 1
                    selection.offer(line, segment: number)
                }
            }
        }
        let chosen = selection.ranked().dropFirst(query.page.offset).prefix(query.page.limit)
        let records = try chosen.compactMap { entry in
            try segments[entry.segment].withBytes(entry.range) { try? RecordLine.decode(AuditRecord.self, Data($0)) }
        }
        return Page(items: records, total: total, request: query.page)
    }

    /// Every segment, newest first, opened together under the lock: the listing sees exactly
    /// the records appended before it.
    private func openSegments() throws -> [AuditSegment] {
        try withLock {
            try (sealed.existing().map(\.path) + [path]).compactMap { try AuditSegment(path: $0) }.reversed()
        }
    }
}
