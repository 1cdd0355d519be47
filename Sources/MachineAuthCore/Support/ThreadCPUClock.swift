#if canImport(Glibc)
import Glibc
import CoreFoundation
#endif

/// The CPU time the calling thread has used (`CLOCK_THREAD_CPUTIME_ID`): what a synchronous
/// piece of work cost, whatever else the machine ran meanwhile.
///
/// ```swift
/// let started = ThreadCPUClock.now()
/// sign()
/// let cost = ThreadCPUClock.now() - started
/// ```
enum ThreadCPUClock {
    /// The thread's CPU time so far; `.zero` where the clock is unavailable.
    static func now() -> Duration {
        var time = Glibc.timespec()
        guard clock_gettime(CLOCK_THREAD_CPUTIME_ID, &time) == 0 else { return .zero }
        return .seconds(Int64(time.tv_sec)) + .nanoseconds(Int64(time.tv_nsec))
    }
}
