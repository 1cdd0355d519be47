import Synchronization

/// Holds the state so background work can take snapshots without retaining the storage.
final class JSONStateCell: Sendable {
    /// The state and the journal's bookkeeping, under one lock so records are numbered and
    /// queued in the order their changes were made.
    struct Core: Sendable {
        var state = JSONStoreState()
        var encoder = RowEncoder()
        /// The sequence the store file holds (-1: unknown, compact at close).
        var snapshotSequence = 0
        var snapshotBytes = 0
        /// Journal bytes written since the last compaction began.
        var journalBytes = 0
        var compacting = false
    }

    let core = Mutex(Core())
}
