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
/// if let cpu = ProcessLoad.processCPUTime(), let share = load.sample(wall: now, cpu: cpu) { … }   // about 0…1
/// ```
struct ProcessLoad: Sendable {
    /// Samples closer together than this (1 ms) are too short to tell; the interval goes on.
    static let shortestInterval: UInt64 = 1_000_000

    let cores: Double
    private var previous: (wall: UInt64, cpu: UInt64)?

    init(cores: Int = ProcessInfo.processInfo.activeProcessorCount) {
        self.cores = Double(max(1, cores))
    }

    /// The CPU time all the process's threads have used, in nanoseconds; `nil` if unreadable.
    /// (Not a vDSO call: read it outside locks.)
    static func processCPUTime() -> UInt64? {
        var time = timespec()
        guard clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &time) == 0, time.tv_sec >= 0, time.tv_nsec >= 0 else { return nil }
        return UInt64(time.tv_sec).multipliedReportingOverflow(by: 1_000_000_000).partialValue &+ UInt64(time.tv_nsec)
    }

    /// The share of the cores used between the previous sample and this one (`wall` monotonic and
    /// `cpu` process CPU time, both in nanoseconds), when that was at least ``shortestInterval``
    /// ago. `nil` for the first sample and for a shorter interval (which goes on); also for a
    /// clock read out of order, which starts the interval over. Not clamped: a share a little
    /// over 1 is possible (``CommitPacing`` clamps it).
    mutating func sample(wall: UInt64, cpu: UInt64) -> Double? {
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
