import Foundation
import MachineAuthCore

extension AuditLogFile {
    /// The segments as a reader sees them, newest first: the one appended to, opened under the
    /// lock (so every record appended before the read is in it), then the sealed ones, opened
    /// one at a time as they are read.
    struct ReadingView {
        let appendedTo: AuditSegment?
        let sealedPaths: [String]

        var count: Int { sealedPaths.count + 1 }

        /// The segment at `position`, opened; `nil` when it no longer exists (retention removed
        /// it) or its path now names the segment at position 0 (seals take numbers above every
        /// one a view listed, so this is a second guard against reading its records twice).
        func open(_ position: Int) throws -> AuditSegment? {
            guard position > 0 else { return appendedTo }
            guard let segment = try AuditSegment(path: sealedPaths[position - 1]) else { return nil }
            return segment.identity == appendedTo?.identity ? nil : segment
        }
    }

    /// One page of the records matching `query`, newest first (then by id, as the PostgreSQL
    /// driver orders them), with how many match, read without holding up appends. Only the
    /// segments that can hold the page's records are read, a chunk at a time, and only the
    /// page's records are decoded whole. When `query` filters on time alone, the other
    /// segments are counted from their summaries; other filters scan every segment in the
    /// time range. Memory follows the page's offset (a sort key per record before the page).
    func page(_ query: AuditQuery) throws -> Page<AuditRecord> {
        try page(query, betweenPasses: {})
    }

    /// How often a page is read before one is returned that lacks records retention removed
    /// between its two passes.
    static let pageAttempts = 3

    /// ``page(_:)``, calling `betweenPasses` after each count (tests change the trail there).
    /// When retention rewrote or removed a sealed segment between the passes, the page is read
    /// again, so its items and total agree. (The segment appended to is read through the file
    /// opened for the view, so a page can still show records retention cut from it meanwhile.)
    func page(_ query: AuditQuery, betweenPasses: () throws -> Void) throws -> Page<AuditRecord> {
        for attempt in 1...Self.pageAttempts {
            if let page = try readPage(query, betweenPasses: betweenPasses, complete: attempt < Self.pageAttempts) { return page }
        }
        preconditionFailure("the last attempt returns a page")
    }

    /// One reading of the page; `nil` when it must be `complete` and a record it chose is gone.
    private func readPage(_ query: AuditQuery, betweenPasses: () throws -> Void, complete: Bool) throws -> Page<AuditRecord>? {
        let segments = try openForReading()
        var identities: [AuditSegment.Identity?] = Array(repeating: nil, count: segments.count)
        var stamps: [AuditSegment.Stamp?] = Array(repeating: nil, count: segments.count)
        var selection = AuditSelection(wanted: query.page.offset + query.page.limit)
        var total = 0
        for position in 0..<segments.count {
            guard let segment = try segments.open(position) else { continue }
            identities[position] = segment.identity
            stamps[position] = segment.stamp
            let summary = try index.summary(of: segment, sealed: position > 0)
            guard let oldest = summary.oldest, let newest = summary.newest else { continue }
            if let from = query.from, newest < from { continue }
            if let to = query.to, oldest > to { continue }
            let insideRange = (query.from.map { oldest >= $0 } ?? true) && (query.to.map { newest <= $0 } ?? true)
            if query.filtersOnTimeOnly, insideRange, !selection.couldHold(newest: newest) {
                total += summary.count
                continue
            }
            try segment.forEachRecord(in: 0..<summary.end) { line, _ in
                guard query.matches(line.probe) else { return }
                total += 1
                selection.offer(line, segment: position)
            }
        }
        index.keep(appendedTo: identities[0], sealed: identities.dropFirst().compactMap { $0 })
        try betweenPasses()
        let chosen = Array(selection.ranked().dropFirst(query.page.offset).prefix(query.page.limit))
        var records = [AuditRecord?](repeating: nil, count: chosen.count)
        // One segment open at a time; one rewritten by retention since it was read (another
        // file, or the same inode reused with another length or time) is skipped.
        for (position, indices) in Dictionary(grouping: chosen.indices, by: { chosen[$0].segment }) {
            guard let segment = try segments.open(position), segment.identity == identities[position],
                segment.stamp == stamps[position]
            else {
                if complete { return nil }
                continue
            }
            for index in indices {
                records[index] = try segment.record(at: chosen[index].place)
            }
        }
        return Page(items: records.compactMap { $0 }, total: total, request: query.page)
    }
}
