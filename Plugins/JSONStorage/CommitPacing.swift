/// When a group commit waits for more appends before it syncs.
///
/// A sync (`fdatasync`) costs the machine about the same whether it carries one record or fifty,
/// so under load the cheapest commit is one that carries every writer that is about to arrive.
/// How many that is, the log learns from what it sees: ``writers`` is the most appends ever
/// outstanding at once (queued or being synced), fading a little at every sync so that it follows
/// the load down. The writer syncs as soon as that many are queued — all the company there is —
/// or once the oldest queued append has waited ``window``.
///
/// - A lone sequential client always has one outstanding append: it never waits.
/// - A few clients in lockstep share each sync and wait only for each other.
/// - Under heavy load each sync waits for a whole round of writers (at most the window) however
///   fast the disk is, instead of one sync every couple of appends on a fast disk, each costing
///   a write, a flush and thread wake-ups.
///
/// ```swift
/// var pacing = CommitPacing()
/// pacing.arrived(outstanding: 3)
/// let pause = pacing.pause(oldestQueuedAt: queued, queued: 2, now: now)   // nanoseconds to wait
/// pacing.synced()
/// ```
struct CommitPacing: Sendable {
    /// The longest a queued append waits for company: 4 ms.
    static let window: UInt64 = 4_000_000
    /// What is left of ``writers`` after each sync (it halves in about 14 syncs).
    static let fade = 0.95
    /// Counts beyond this are not believed (a queue this deep has company anyway).
    static let maximumWriters = 10_000

    /// The most appends outstanding at once, recently.
    private(set) var writers = 1.0

    /// Records an append arriving while `outstanding` appends (itself included) are not yet durable.
    mutating func arrived(outstanding: Int) {
        writers = max(writers, Double(max(1, min(outstanding, Self.maximumWriters))))
    }

    /// Records a finished sync.
    mutating func synced() {
        writers = max(1, writers * Self.fade)
    }

    /// Whether `queued` appends are as many as have recently been outstanding at once.
    func hasCompany(queued: Int) -> Bool {
        Double(queued) >= writers.rounded(.down)
    }

    /// Nanoseconds to wait before syncing `queued` appends, the oldest queued at `oldestQueuedAt`
    /// (monotonic nanoseconds), when it is `now`.
    func pause(oldestQueuedAt: UInt64, queued: Int, now: UInt64) -> UInt64 {
        guard !hasCompany(queued: queued), now >= oldestQueuedAt else { return 0 }
        let waited = now - oldestQueuedAt
        return waited >= Self.window ? 0 : Self.window - waited
    }
}
