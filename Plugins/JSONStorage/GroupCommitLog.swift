#if canImport(Glibc)
import Glibc
#endif
import Dispatch
import Foundation
import MachineAuthCore
import Synchronization

/// Append-only, fsynced files shared by many writers with group commit: every append gets a
/// ticket, and one write plus one `fdatasync` makes durable everything appended while the
/// previous one was in flight (under load the writer waits a moment for company first: see
/// ``CommitPacing``). The log moves on to the next numbered file when asked
/// (``rotate()``) and after a failed write, so a torn tail only ever ends a file.
///
/// ```swift
/// let ticket = log.enqueue(line)          // in commit order, under the caller's lock
/// try await log.waitUntilDurable(ticket)
/// ```
final class GroupCommitLog: Sendable {
    enum Step {
        case append([UInt8], ticket: Int)
        case rotate
    }

    struct State {
        var steps: [Step] = []
        /// How many of `steps` are appends.
        var queuedAppends = 0
        var lastTicket = 0
        var durableTicket = 0
        /// Tickets up to this one failed and are not durable yet (they are retried in a new file).
        var failedTicket = 0
        var failure: (any Error)?
        var waiters: [(ticket: Int, continuation: CheckedContinuation<Void, any Error>)] = []
        var draining = false
        /// When the oldest queued append was queued (monotonic nanoseconds), while any is queued.
        var oldestQueuedAt: UInt64?
        var pacing: CommitPacing
        var load = ProcessLoad()
        /// The writer is waiting for company (``GroupCommitLog/company`` wakes it).
        var awaitingCompany = false
        var generation: Int
        var descriptor: Int32?
    }

    let state: Mutex<State>
    let path: @Sendable (Int) -> String
    let directory: String
    let queue = DispatchQueue(label: "machineauth.json-storage.journal", qos: .userInitiated)
    /// Wakes the writer waiting for company once ``CommitPacing/hasEnough(queued:)``.
    let company = DispatchSemaphore(value: 0)

    /// Appends go to file `generation` (created when first written), then to later ones; an
    /// append waits at most `window` nanoseconds for company (see ``CommitPacing``).
    init(generation: Int, directory: String, window: UInt64 = CommitPacing.defaultWindow, path: @escaping @Sendable (Int) -> String) {
        state = Mutex(State(pacing: CommitPacing(window: window), generation: generation))
        self.directory = directory
        self.path = path
    }

    /// The ticket of the latest append: waiting for it waits for everything appended so far.
    var lastTicket: Int { state.withLock { $0.lastTicket } }

    /// Queues `bytes` after everything queued before; returns its ticket.
    func enqueue(_ bytes: [UInt8]) -> Int {
        let (ticket, start, wake) = state.withLock { state -> (Int, Bool, Bool) in
            state.lastTicket += 1
            if state.oldestQueuedAt == nil { state.oldestQueuedAt = DispatchTime.now().uptimeNanoseconds }
            state.steps.append(.append(bytes, ticket: state.lastTicket))
            state.queuedAppends += 1
            let wake = state.awaitingCompany && state.pacing.hasEnough(queued: state.queuedAppends)
            if wake { state.awaitingCompany = false }
            return (state.lastTicket, startDraining(&state), wake)
        }
        if wake { company.signal() }
        if start { queue.async { self.drain() } }
        return ticket
    }

    /// Ends the current file after everything queued so far. Returns the lowest file number
    /// that appends queued from now on can land in: files below it hold only earlier ones.
    func rotate() -> Int {
        state.withLock { state in
            state.steps.append(.rotate)
            return state.generation + 1
        }
    }

    /// Returns once the append with `ticket` is on disk; throws if its write failed.
    func waitUntilDurable(_ ticket: Int) async throws {
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
            let outcome = state.withLock { state -> Result<Void, any Error>? in
                if ticket <= state.durableTicket { return .success(()) }
                if ticket <= state.failedTicket, let failure = state.failure { return .failure(failure) }
                state.waiters.append((ticket, continuation))
                return nil
            }
            if let outcome { continuation.resume(with: outcome) }
        }
    }

    /// Waits for every queued append, then closes the file.
    func close() async throws {
        try await waitUntilDurable(lastTicket)
        queue.sync { state.withLock { Self.endFile(&$0) } }
    }

    private func startDraining(_ state: inout State) -> Bool {
        guard !state.draining else { return false }
        state.draining = true
        return true
    }
}
