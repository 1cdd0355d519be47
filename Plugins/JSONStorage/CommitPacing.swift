/// When a group commit waits a moment for more appends before it syncs.
///
/// A sync (`fdatasync`) costs the machine about the same whether it carries one record or fifty:
/// the write, the disk's interrupt, and waking every thread that waits for it. When writes arrive
/// faster than a sync finishes, the writer already finds several waiting; but on a busy machine
/// with fast disks the appends come one at a time, just after each sync. So once recent syncs
/// carried more than one append on average (other writers are active: a lone sequential client
/// always brings one), the writer waits for company:
/// - while the process keeps the machine's cores busy (``busy``), waiting costs little (the cores
///   have other work) and saves them a sync's work: the writer waits until the oldest queued
///   append is ``window`` old, or until as many appends are queued as a recent sync carried at
///   most (``enough``: with a few clients that is all of them, and then nobody else is coming);
/// - otherwise, until the oldest queued append is as old as a recent sync took (at most
///   ``window``): the appends arriving meanwhile share the sync.
///
/// Either way a write waits at most ``window`` more; a lone sequential client stops waiting after
/// a few syncs.
///
/// ```swift
/// var pacing = CommitPacing()
/// let pause = pacing.pause(oldestQueuedAt: queued, queued: 3, now: now)   // nanoseconds to wait
/// pacing.synced(appends: 12, taking: 400_000, load: 0.9)
/// ```
struct CommitPacing: Sendable {
    /// The longest a queued append waits for company, unless set otherwise: 2 ms.
    static let defaultWindow: UInt64 = 2_000_000
    /// Recent syncs must carry at least this many appends on average before the writer waits.
    static let company = 1.25
    /// The share of the cores the process must be using (see ``ProcessLoad``) before the writer
    /// waits for company up to the whole ``window``.
    static let busy = 0.75

    /// The longest a queued append waits for company, in nanoseconds.
    let window: UInt64

    init(window: UInt64 = Self.defaultWindow) {
        self.window = max(1, min(window, 60_000_000_000))
    }

    /// Appends per sync, exponentially weighted (each sync counts a quarter).
    private(set) var averageAppends = 1.0
    /// How long a sync takes, in nanoseconds, weighted the same way.
    private(set) var averageSync = 0.0
    /// The share of the cores the process used, weighted the same way (0 until measured).
    private(set) var load = 0.0
    /// The most appends a recent sync carried: the largest since, an eighth less for every sync after it.
    private(set) var largestRecent = 1.0

    /// Records a sync that carried `appends` appends and took `nanoseconds`; `load` is the share
    /// of the cores the process used since the previous measurement (`nil`: not measured).
    mutating func synced(appends: Int, taking nanoseconds: UInt64, load: Double? = nil) {
        averageAppends = averageAppends * 0.75 + Double(max(0, min(appends, 10_000))) * 0.25
        averageSync = averageSync * 0.75 + Double(min(nanoseconds, 10 * window)) * 0.25
        largestRecent = max(Double(max(1, min(appends, 10_000))), largestRecent * 0.875)
        if let load, load.isFinite { self.load = self.load * 0.75 + max(0, min(load, 1)) * 0.25 }
    }

    /// While busy, a wait ends once this many appends are queued.
    var enough: Int { Int(largestRecent.rounded(.up)) }

    /// Whether a wait for company ends now that `queued` appends are queued.
    func hasEnough(queued: Int) -> Bool { load >= Self.busy && queued >= enough }

    /// Nanoseconds to wait before syncing, when the oldest of the `queued` appends was queued at
    /// `oldestQueuedAt` (monotonic nanoseconds) and it is `now`.
    func pause(oldestQueuedAt: UInt64, queued: Int, now: UInt64) -> UInt64 {
        guard averageAppends >= Self.company, now >= oldestQueuedAt else { return 0 }
        let waited = now - oldestQueuedAt
        let limit = load >= Self.busy ? window : min(window, UInt64(averageSync))
        if hasEnough(queued: queued) { return 0 }
        return waited >= limit ? 0 : limit - waited
    }
}
