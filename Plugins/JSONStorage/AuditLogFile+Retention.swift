#if canImport(Glibc)
import Glibc
#endif
import Foundation
import MachineAuthCore
import Synchronization

/// Audit retention: cutting the records before a time out of the trail's segments.
extension AuditLogFile {
    /// Removes the records before `time`; returns how many. Records are appended in time
    /// order, so segments are taken oldest first: sealed ones that hold only earlier records
    /// are deleted, the first holding a later record is rewritten with the rest, and the ones
    /// after it are not read. A sealed segment without a single readable record is deleted
    /// when it was last written before `time` (so a damaged segment never stops retention).
    ///
    /// Appends wait only for what is quick: renames and deletions, and the cutting of a segment
    /// appended to of at most ``inPlaceCutBytes``. A larger one holding expired records is
    /// sealed first and cut like the sealed ones, which nothing appends to, without the lock
    /// (rewriting 32 MiB with its fsync takes a second or more on a slow disk).
    func removeRecords(before time: Date) throws -> Int {
        try retention.withLock { _ in
            var removed = 0
            var expired: [String] = []
            var reachedLater = false
            for path in sealed.existing().map(\.path) where !reachedLater {
                switch try Self.cut(path, before: time, removed: &removed) {
                case .expired: expired.append(path)
                case .missing: continue
                case .holdsLater: reachedLater = true
                }
            }
            if !reachedLater {
                let sealedNow = try lock.withLock { appending -> String? in
                    guard AppendOnlyFile.size(of: path) > inPlaceCutBytes else {
                        // A cut replaces the file: its name is durable once the cut returns.
                        appending.entryIsDurable = false
                        _ = try Self.cut(path, before: time, appendedTo: true, removed: &removed)
                        appending.entryIsDurable = true
                        return nil
                    }
                    guard let segment = try AuditSegment(path: path), let oldest = try Self.oldestTime(in: segment), oldest < time else { return nil }
                    return try seal(&appending)
                }
                if let sealedNow, try Self.cut(sealedNow, before: time, removed: &removed) == .expired { expired.append(sealedNow) }
            }
            // Under the lock: a seal picks the number after the last sealed segment, so none
            // may vanish while it looks.
            try withLock { try sealed.remove(expired) }
            return removed
        }
    }

    private enum Cut: Equatable {
        /// Nothing in the (sealed) segment is from the cutoff on: every record was before it,
        /// or it holds no readable record and was last written before it. It can go.
        case expired
        /// The segment holds records from the cutoff on (or may: see ``cut(_:before:appendedTo:removed:)``),
        /// and is left with only those.
        case holdsLater
        /// The file is gone (someone else removed it).
        case missing
    }

    /// Cuts the records before `time` out of the segment at `path` (adding how many to
    /// `removed`); a segment `appendedTo` is rewritten even when nothing is left in it. Lines
    /// that are not records have no time of their own, but are in time order with the rest:
    /// those before an expired record go with it, the others are kept as they are.
    private static func cut(_ path: String, before time: Date, appendedTo: Bool = false, removed: inout Int) throws -> Cut {
        guard let segment = try AuditSegment(path: path) else { return .missing }
        guard let oldest = try oldestTime(in: segment) else {
            return !appendedTo && segment.modified < time ? .expired : .holdsLater
        }
        guard oldest < time else { return .holdsLater }
        var kept: [UInt8] = []
        var keptRecords = 0
        /// Lines that are not records, since the last record.
        var unread: [UInt8] = []
        _ = try segment.forEachLine(in: 0..<segment.length) { bytes, place in
            guard let line = AuditLine(bytes, place: place) else {
                unread.append(contentsOf: bytes)
                unread.append(UInt8(ascii: "\n"))
                return
            }
            if line.probe.time < time {
                removed += 1
            } else {
                kept.append(contentsOf: unread)
                kept.append(contentsOf: bytes)
                kept.append(UInt8(ascii: "\n"))
                keptRecords += 1
            }
            unread.removeAll(keepingCapacity: true)
        }
        kept.append(contentsOf: unread)
        // Unreadable lines after the last expired record of a sealed segment written before
        // the cutoff are older than the cutoff too.
        if keptRecords == 0, !appendedTo, unread.isEmpty || segment.modified < time { return .expired }
        try DurableFile(path: path).write(Data(kept))
        return .holdsLater
    }

    /// The time of the segment's first record (the oldest: records are appended in time
    /// order), reading no further than the chunk that holds it; `nil` when the segment holds none.
    private static func oldestTime(in segment: AuditSegment) throws -> Date? {
        var oldest: Date?
        do {
            try segment.forEachRecord(in: 0..<segment.length) { line, _ in
                oldest = line.probe.time
                throw FoundRecord()
            }
        } catch is FoundRecord {}
        return oldest
    }

    private struct FoundRecord: Error {}
}
