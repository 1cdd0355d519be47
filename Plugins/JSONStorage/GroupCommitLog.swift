#if canImport(Glibc)
import Glibc
#endif
import Dispatch
import Foundation
import MachineAuthCore
import Synchronization

/// Append-only, fsynced files shared by many writers with group commit: every append gets a
/// ticket, and one write plus one `fdatasync` makes durable everything appended while the
/// previous one was in flight. The log moves on to the next numbered file when asked
/// (``rotate()``) and after a failed write, so a torn tail only ever ends a file.
///
/// ```swift
/// let ticket = log.enqueue(line)          // in commit order, under the caller's lock
/// try await log.waitUntilDurable(ticket)
/// ```
final class GroupCommitLog: Sendable {
    private enum Step {
        case append([UInt8], ticket: Int)
        case rotate
    }

    private struct State {
        var steps: [Step] = []
        var lastTicket = 0
        var durableTicket = 0
        /// Tickets up to this one failed and are not durable yet (they are retried in a new file).
        var failedTicket = 0
        var failure: (any Error)?
        var waiters: [(ticket: Int, continuation: CheckedContinuation<Void, any Error>)] = []
        var draining = false
        var generation: Int
        var descriptor: Int32?
    }

    private let state: Mutex<State>
    private let path: @Sendable (Int) -> String
    private let directory: String
    private let queue = DispatchQueue(label: "machineauth.json-storage.journal", qos: .userInitiated)

    /// Appends go to file `generation` (created when first written), then to later ones.
    init(generation: Int, directory: String, path: @escaping @Sendable (Int) -> String) {
        state = Mutex(State(generation: generation))
        self.directory = directory
        self.path = path
    }

    /// The ticket of the latest append: waiting for it waits for everything appended so far.
    var lastTicket: Int { state.withLock { $0.lastTicket } }

    /// Queues `bytes` after everything queued before; returns its ticket.
    func enqueue(_ bytes: [UInt8]) -> Int {
        let (ticket, start) = state.withLock { state -> (Int, Bool) in
            state.lastTicket += 1
            state.steps.append(.append(bytes, ticket: state.lastTicket))
            return (state.lastTicket, startDraining(&state))
        }
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

    /// Closes the current file; the next append creates the next one.
    private static func endFile(_ state: inout State) {
        if let descriptor = state.descriptor { Glibc.close(descriptor) }
        state.descriptor = nil
        state.generation += 1
    }

    private func startDraining(_ state: inout State) -> Bool {
        guard !state.draining else { return false }
        state.draining = true
        return true
    }

    /// Runs on `queue`: writes queued steps in order until none are left, one write and one
    /// sync for each run of appends.
    private func drain() {
        while let steps = takeSteps() {
            var run = [UInt8]()
            var through = 0
            var runStart = 0
            for (index, step) in steps.enumerated() {
                switch step {
                case .append(let bytes, let ticket):
                    if run.isEmpty { runStart = index }
                    run += bytes
                    through = ticket
                case .rotate:
                    guard flush(&run, through: through, unwritten: steps[runStart...]) else { return }
                    state.withLock { Self.endFile(&$0) }
                }
            }
            guard flush(&run, through: through, unwritten: steps[runStart...]) else { return }
        }
    }

    /// Writes a run of appends; `false` when that failed (a retry is scheduled).
    private func flush(_ run: inout [UInt8], through ticket: Int, unwritten: ArraySlice<Step>) -> Bool {
        guard !run.isEmpty else { return true }
        do {
            try write(run)
        } catch {
            retry(Array(unwritten), after: ticket, error: error)
            return false
        }
        run.removeAll(keepingCapacity: true)
        finish(through: ticket, with: .success(()))
        return true
    }

    private func takeSteps() -> [Step]? {
        state.withLock { state in
            guard !state.steps.isEmpty else {
                state.draining = false
                return nil
            }
            defer { state.steps = [] }
            return state.steps
        }
    }

    /// Appends `bytes` to the current file (creating it, and syncing the directory, first) and syncs.
    private func write(_ bytes: [UInt8]) throws {
        let (current, generation) = state.withLock { ($0.descriptor, $0.generation) }
        let file = path(generation)
        if let current { return try AppendOnlyFile.append(bytes, to: current, path: file) }
        guard let opened = try StoreFile.open(file, O_WRONLY | O_CREAT | O_APPEND) else { throw StorageError.unavailable("cannot open \(file)") }
        state.withLock { $0.descriptor = opened }
        try StoreFile.syncDirectory(directory)
        try AppendOnlyFile.append(bytes, to: opened, path: file)
    }

    private func finish(through ticket: Int, with result: Result<Void, any Error>) {
        let ready = state.withLock { state -> [CheckedContinuation<Void, any Error>] in
            if case .success = result { state.durableTicket = max(state.durableTicket, ticket) }
            let ready = state.waiters.filter { $0.ticket <= ticket }.map(\.continuation)
            state.waiters.removeAll { $0.ticket <= ticket }
            return ready
        }
        for continuation in ready { continuation.resume(with: result) }
    }

    /// A failed write: its waiters get the error; the unwritten steps go back in front of the
    /// queue, to be written to a new file a moment later.
    private func retry(_ unwritten: [Step], after ticket: Int, error: any Error) {
        state.withLock { state in
            Self.endFile(&state)
            state.steps = unwritten + state.steps
            state.failedTicket = max(state.failedTicket, ticket)
            state.failure = error
        }
        finish(through: ticket, with: .failure(error))
        queue.asyncAfter(deadline: .now() + 1) { self.drain() }
    }
}
