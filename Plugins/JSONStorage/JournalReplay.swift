import Logging
import MachineAuthCore

/// Brings a loaded store file up to date from the journal: records in sequence order, each
/// applied once (records the store file holds already are skipped, so a crash between a
/// compaction's two steps replays nothing twice), a torn tail ignored. A gap in the sequence or
/// a number out of range means the files were damaged: the store refuses to open and touches
/// nothing.
struct JournalReplay {
    let storePath: String

    func apply(_ files: [(generation: Int, path: String)], to state: inout JSONStoreState, logger: Logger) throws {
        for file in files {
            let unread = try JournalFiles.forEachRecord(in: file.path) { record in
                guard StoredRanges.counter.contains(record.sequence) else {
                    throw damaged(file.path, "a record numbered \(record.sequence), out of range")
                }
                guard record.sequence > state.sequence else { return }
                guard record.sequence == state.sequence + 1 else {
                    throw damaged(file.path, "record \(record.sequence) follows record \(state.sequence); the records between are missing")
                }
                if let problem = StoredRanges.problem(in: record.changes) { throw damaged(file.path, problem) }
                state.apply(record.changes)
                state.sequence = record.sequence
            }
            if unread > 0 {
                logger.notice("ignored a torn journal tail (a crash during a write; nothing in it was acknowledged)",
                              metadata: ["file": "\(file.path)", "bytes": "\(unread)"])
            }
        }
    }

    private func damaged(_ file: String, _ problem: String) -> StorageError {
        StorageError.corrupt("\(file) is damaged: \(problem). The store was left untouched — restore it and its journal from a backup")
    }
}
