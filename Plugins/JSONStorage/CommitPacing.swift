/// When a group commit waits a moment for more appends before it syncs.
///
/// A sync (`fdatasync`) costs the machine about the same whether it carries one record or fifty.
/// When writes arrive faster than a sync finishes, the writer already finds several waiting; but
/// on a busy machine with fast disks the appends come one at a time, just after each sync. So once
/// recent syncs carried more than one append on average (other writers are active: a lone
/// sequential client always brings one), the writer waits until the oldest queued append is as old
/// as a recent sync took (at most ``window``), and the appends arriving meanwhile share the sync. A
/// lone client never waits; under load a write waits at most about one sync's time more.
///
/// ```swift
/// var pacing = CommitPacing()
/// let pause = pacing.pause(oldestQueuedAt: queued, now: now)   // nanoseconds to wait
/// pacing.synced(appends: 12, taking: 400_000)
/// ```
struct CommitPacing: Sendable {
    /// The longest a queued append waits for company: 2 ms.
    static let window: UInt64 = 2_000_000
    /// Recent syncs must carry at least this many appends on average before the writer waits.
    static let company = 1.25

    /// Appends per sync, exponentially weighted (each sync counts a quarter).
    private(set) var averageAppends = 1.0
    /// How long a sync takes, in nanoseconds, weighted the same way.
    private(set) var averageSync = 0.0

    /// Records a sync that carried `appends` appends and took `nanoseconds`.
    mutating func synced(appends: Int, taking nanoseconds: UInt64) {
        averageAppends = averageAppends * 0.75 + Double(max(0, min(appends, 10_000))) * 0.25
        averageSync = averageSync * 0.75 + Double(min(nanoseconds, 10 * Self.window)) * 0.25
    }

    /// Nanoseconds to wait before syncing, when the oldest queued append was queued at
    /// `oldestQueuedAt` (monotonic nanoseconds) and it is `now`.
    func pause(oldestQueuedAt: UInt64, now: UInt64) -> UInt64 {
        guard averageAppends >= Self.company, now >= oldestQueuedAt else { return 0 }
        let limit = min(Self.window, UInt64(averageSync))
        let waited = now - oldestQueuedAt
        return waited >= limit ? 0 : limit - waited
    }
}
