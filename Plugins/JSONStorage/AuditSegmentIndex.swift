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
/// The summaries of sealed segments are also saved beside the store (``savedAt``), so the
/// first listing after a start reads only the segment being appended to. A saved summary is
/// used only for the same file (device and inode) with the same length and modification time;
/// the file is a cache, rewritten whole, and a missing or unreadable one is summarized anew.
///
/// ```swift
/// let summary = try index.summary(of: segment, sealed: true)   // count, oldest, newest, end
/// index.keep(appendedTo: newest, sealed: others)                  // forget and save
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
        /// The file as it was when summarized to ``end``.
        var stamp: AuditSegment.Stamp?

        mutating func add(_ time: Date) {
            count += 1
            oldest = min(oldest ?? time, time)
            newest = max(newest ?? time, time)
        }
    }

    static let headLimit = 64 << 10
    /// Where the summaries of sealed segments are kept across restarts.
    let savedAt: String
    private let state = Mutex(State())

    private struct State {
        var summaries: [AuditSegment.Identity: Summary] = [:]
        /// What the file at ``savedAt`` holds; `nil` until it is first read.
        var saved: [AuditSegment.Identity: SavedSummary]?
    }

    init(savedAt: String) {
        self.savedAt = savedAt
    }

    /// The summary of `segment` up to the length it was opened with; a `sealed` one may come
    /// from the saved summaries.
    func summary(of segment: AuditSegment, sealed: Bool) throws -> Summary {
        try state.withLock { state in
            if let cached = state.summaries[segment.identity], try Self.head(of: segment, is: cached.head) {
                // A listing that opened the segment before the one that summarized it reads
                // fewer bytes: it gets a summary of its own, and the longer one stays.
                guard cached.end <= segment.length else { return try Self.summarize(segment, from: Summary()) }
                guard cached.end < segment.length else { return cached }
                let summary = try Self.summarize(segment, from: cached)
                state.summaries[segment.identity] = summary
                return summary
            }
            if sealed, let saved = loadedSaved(&state)[segment.identity], saved.stamp == segment.stamp,
                let summary = try saved.summary(of: segment) {
                state.summaries[segment.identity] = summary
                return summary
            }
            let summary = try Self.summarize(segment, from: Summary())
            state.summaries[segment.identity] = summary
            return summary
        }
    }

    /// Forgets the summaries of files that are no longer segments, and saves those of the
    /// `sealed` segments when they differ from what is saved. Saving is best effort: a
    /// listing is right without it, it is only slower after the next start.
    func keep(appendedTo current: AuditSegment.Identity?, sealed: [AuditSegment.Identity]) {
        state.withLock { state in
            let identities = Set(sealed + [current].compactMap { $0 })
            state.summaries = state.summaries.filter { identities.contains($0.key) }
            var toSave: [AuditSegment.Identity: SavedSummary] = [:]
            for identity in sealed {
                guard let summary = state.summaries[identity], let saved = SavedSummary(identity, summary) else { continue }
                toSave[identity] = saved
            }
            guard toSave != loadedSaved(&state) else { return }
            let entries = toSave.values.sorted { ($0.device, $0.inode) < ($1.device, $1.inode) }
            guard let data = try? StoreJSON.encoder().encode(SavedFile(segments: entries)), (try? DurableFile(path: savedAt).write(data)) != nil
            else { return }
            state.saved = toSave
        }
    }

    private func loadedSaved(_ state: inout State) -> [AuditSegment.Identity: SavedSummary] {
        if let saved = state.saved { return saved }
        let file = (try? DurableFile(path: savedAt).read()).flatMap { $0 }.flatMap { try? StoreJSON.decoder().decode(SavedFile.self, from: $0) }
        let current = file?.version == SavedFile.currentVersion ? file?.segments ?? [] : []
        let saved = Dictionary(current.map { ($0.identity, $0) }, uniquingKeysWith: { first, _ in first })
        state.saved = saved
        return saved
    }

    private static func summarize(_ segment: AuditSegment, from start: Summary) throws -> Summary {
        var summary = start
        summary.end = try segment.forEachLine(in: start.end..<segment.length) { line, place in
            if place.lowerBound == 0 { summary.head = Array(line.prefix(headLimit)) + (line.count < headLimit ? [0x0A] : []) }
            if let line = AuditLine(line, place: place) { summary.add(line.probe.time) }
        }
        summary.stamp = segment.stamp
        return summary
    }

    fileprivate static func head(of segment: AuditSegment, is head: [UInt8]) throws -> Bool {
        guard !head.isEmpty else { return true }
        return try segment.bytes(0..<head.count) == head
    }

    fileprivate static func readHead(of segment: AuditSegment) throws -> [UInt8] {
        let start = try segment.bytes(0..<min(segment.length, headLimit))
        guard let newline = start.firstIndex(of: 0x0A) else { return start }
        return Array(start[...newline])
    }
}

/// The file of saved summaries: `{"version": 2, "segments": [...]}`, one entry per sealed
/// segment. A file of another version (or none: the first, whose counts took lines with
/// invalid `details` for records) is not used.
private struct SavedFile: Codable {
    static let currentVersion = 2
    var version: Int? = currentVersion
    var segments: [SavedSummary]
}

/// A sealed segment's summary as saved: the file it describes and what it holds.
private struct SavedSummary: Codable, Equatable {
    var device: UInt64
    var inode: UInt64
    var stamp: AuditSegment.Stamp
    var count: Int
    /// Seconds since 1970, exactly as the records' times compare.
    var oldest: Double?
    var newest: Double?
    var end: Int

    var identity: AuditSegment.Identity { AuditSegment.Identity(device: device, inode: inode) }

    /// What is worth saving of `summary`: one that read its file as it is.
    init?(_ identity: AuditSegment.Identity, _ summary: AuditSegmentIndex.Summary) {
        guard let stamp = summary.stamp, summary.end <= stamp.length else { return nil }
        device = identity.device
        inode = identity.inode
        self.stamp = stamp
        count = summary.count
        oldest = summary.oldest?.timeIntervalSince1970
        newest = summary.newest?.timeIntervalSince1970
        end = summary.end
    }

    /// The summary for `segment` (the same file, unchanged), its head read again; `nil` when
    /// the saved numbers cannot describe it.
    func summary(of segment: AuditSegment) throws -> AuditSegmentIndex.Summary? {
        guard (0...stamp.length).contains(end), (0...end).contains(count) else { return nil }
        switch (oldest, newest) {
        case (nil, nil): guard count == 0 else { return nil }
        case (let oldest?, let newest?): guard count > 0, oldest.isFinite, newest.isFinite, oldest <= newest else { return nil }
        default: return nil
        }
        var summary = AuditSegmentIndex.Summary(
            count: count, oldest: oldest.map(Date.init(timeIntervalSince1970:)), newest: newest.map(Date.init(timeIntervalSince1970:)), end: end)
        summary.head = try AuditSegmentIndex.readHead(of: segment)
        summary.stamp = stamp
        return summary
    }
}
