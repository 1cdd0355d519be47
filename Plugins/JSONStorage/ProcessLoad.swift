#if canImport(Glibc)
import Glibc
import CoreFoundation
#endif
import Foundation

/// How busy the process keeps the machine: the CPU time all its threads used
/// (`CLOCK_PROCESS_CPUTIME_ID`) over the wall time between two samples, as a share of the cores
/// it may run on. Group commit (``CommitPacing``) waits longer for company when this is high.
///
/// ```swift
/// var load = ProcessLoad()
/// if let share = load.sample(at: DispatchTime.now().uptimeNanoseconds) { … }   // 0…1
/// ```
struct ProcessLoad: Sendable {
    /// Samples closer together than this (1 ms) are too short to tell; the interval goes on.
    static let shortestInterval: UInt64 = 1_000_000

    let cores = Double(max(1, ProcessInfo.processInfo.activeProcessorCount))
    private var previous: (wall: UInt64, cpu: UInt64)?

    /// The share of the cores used since the previous sample at least ``shortestInterval`` ago,
    /// `nil` for the first sample, a shorter interval or an unreadable clock.
    mutating func sample(at wall: UInt64) -> Double? {
        var time = timespec()
        guard clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &time) == 0, time.tv_sec >= 0, time.tv_nsec >= 0 else { return nil }
        let cpu = UInt64(time.tv_sec).multipliedReportingOverflow(by: 1_000_000_000).partialValue &+ UInt64(time.tv_nsec)
        guard let previous, wall >= previous.wall, cpu >= previous.cpu else {
            self.previous = (wall, cpu)
            return nil
        }
        let elapsed = wall - previous.wall
        guard elapsed >= Self.shortestInterval else { return nil }
        self.previous = (wall, cpu)
        return Double(cpu - previous.cpu) / Double(elapsed) / cores
    }
}
