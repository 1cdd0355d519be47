import Foundation
import MachineAuthCore

/// The first `wanted` lines in listing order (newest first, then the larger id) among those
/// offered, kept without holding more than about twice that many.
///
/// ```swift
/// var selection = AuditSelection(wanted: offset + limit)
/// selection.offer(line, segment: 0)
/// let page = selection.ranked().dropFirst(offset)
/// ```
struct AuditSelection {
    /// A line chosen so far: its sort key and where its bytes are.
    struct Entry {
        var time: Date
        var id: String
        /// The position of its segment in the listing's order.
        var segment: Int
        var place: Range<Int>

        func precedes(_ other: Entry) -> Bool { (time, id) > (other.time, other.id) }
    }

    let wanted: Int
    private var entries: [Entry] = []
    /// The last of the `wanted` first once that many were offered: later lines are not needed.
    private var cutoff: Entry?

    init(wanted: Int) {
        self.wanted = max(0, wanted)
    }

    /// Keeps `line` (of the segment at position `segment`) if it can be among the lines wanted.
    mutating func offer(_ line: AuditLine, segment: Int) {
        guard wanted > 0 else { return }
        let entry = Entry(time: line.probe.time, id: line.probe.id, segment: segment, place: line.place)
        if let cutoff, !entry.precedes(cutoff) { return }
        entries.append(entry)
        if entries.count >= max(2 * wanted, 1024) || (cutoff == nil && entries.count == wanted) { trim() }
    }

    /// Whether a segment whose newest record is from `time` can hold one of the lines wanted.
    func couldHold(newest time: Date) -> Bool {
        guard wanted > 0 else { return false }
        return cutoff.map { time >= $0.time } ?? true
    }

    /// The lines wanted, in listing order.
    mutating func ranked() -> [Entry] {
        trim()
        return entries
    }

    private mutating func trim() {
        entries.sort { $0.precedes($1) }
        if entries.count > wanted { entries.removeLast(entries.count - wanted) }
        if entries.count == wanted, let last = entries.last { cutoff = last }
    }
}
