#if canImport(Glibc)
import Glibc
#endif
import Foundation
import MachineAuthCore
import Synchronization

/// The writer side of ``GroupCommitLog``: everything here runs on its `queue`.
extension GroupCommitLog {
    /// Runs on `queue`: writes queued steps in order until none are left, one write and one
    /// sync for each run of appends.
    func drain() {
        while true {
            waitForCompany()
            guard let steps = takeSteps() else { return }
            var run = [UInt8]()
            var appends = 0
            var through = 0
            var runStart = 0
            for (index, step) in steps.enumerated() {
                switch step {
                case .append(let bytes, let ticket):
                    if run.isEmpty { runStart = index }
                    run += bytes
                    appends += 1
                    through = ticket
                case .rotate:
                    guard flush(&run, appends: &appends, through: through, unwritten: steps[runStart...]) else { return }
                    state.withLock { Self.endFile(&$0) }
                }
            }
            guard flush(&run, appends: &appends, through: through, unwritten: steps[runStart...]) else { return }
        }
    }

    /// Under load, sleeps while ``CommitPacing`` expects more appends soon, so they share the
    /// sync; while busy, the append that makes the company enough wakes it early.
    func waitForCompany() {
        while true {
            let (pause, wakeable) = state.withLock { state -> (UInt64, Bool) in
                guard let oldest = state.oldestQueuedAt else { return (0, false) }
                let pause = state.pacing.pause(oldestQueuedAt: oldest, queued: state.queuedAppends, now: DispatchTime.now().uptimeNanoseconds)
                state.awaitingCompany = pause > 0 && state.pacing.load >= CommitPacing.busy
                return (pause, state.awaitingCompany)
            }
            guard pause > 0 else { return }
            guard wakeable else {
                usleep(useconds_t(pause / 1000))
                continue
            }
            if company.wait(timeout: .now() + .nanoseconds(Int(pause))) == .timedOut {
                let woken = state.withLock { state -> Bool in
                    defer { state.awaitingCompany = false }
                    return !state.awaitingCompany
                }
                // An append signalled just as the wait timed out: take that signal now, so it
                // does not end the next wait.
                if woken { company.wait() }
            }
        }
    }

    /// Writes a run of appends; `false` when that failed (a retry is scheduled).
    func flush(_ run: inout [UInt8], appends: inout Int, through ticket: Int, unwritten: ArraySlice<Step>) -> Bool {
        guard !run.isEmpty else { return true }
        let started = DispatchTime.now().uptimeNanoseconds
        do {
            try write(run)
        } catch {
            retry(Array(unwritten), after: ticket, error: error)
            return false
        }
        run.removeAll(keepingCapacity: true)
        let took = DispatchTime.now().uptimeNanoseconds &- started
        let (wall, cpu) = (DispatchTime.now().uptimeNanoseconds, ProcessLoad.processCPUTime())
        state.withLock { state in
            state.pacing.synced(appends: appends, taking: took, load: cpu.flatMap { state.load.sample(wall: wall, cpu: $0) })
        }
        appends = 0
        finish(through: ticket, with: .success(()))
        return true
    }

    func takeSteps() -> [Step]? {
        state.withLock { state in
            guard !state.steps.isEmpty else {
                state.draining = false
                return nil
            }
            defer { (state.steps, state.queuedAppends, state.oldestQueuedAt) = ([], 0, nil) }
            return state.steps
        }
    }

    /// Appends `bytes` to the current file (creating it, and syncing the directory, first) and syncs.
    func write(_ bytes: [UInt8]) throws {
        let (current, generation) = state.withLock { ($0.descriptor, $0.generation) }
        let file = path(generation)
        if let current { return try AppendOnlyFile.append(bytes, to: current, path: file) }
        guard let opened = try StoreFile.open(file, O_WRONLY | O_CREAT | O_APPEND) else { throw StorageError.unavailable("cannot open \(file)") }
        state.withLock { $0.descriptor = opened }
        try StoreFile.syncDirectory(directory)
        try AppendOnlyFile.append(bytes, to: opened, path: file)
    }

    func finish(through ticket: Int, with result: Result<Void, any Error>) {
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
    func retry(_ unwritten: [Step], after ticket: Int, error: any Error) {
        state.withLock { state in
            Self.endFile(&state)
            state.steps = unwritten + state.steps
            state.queuedAppends += unwritten.count { if case .append = $0 { true } else { false } }
            state.failedTicket = max(state.failedTicket, ticket)
            state.failure = error
        }
        finish(through: ticket, with: .failure(error))
        queue.asyncAfter(deadline: .now() + 1) { self.drain() }
    }

    /// Closes the current file; the next append creates the next one.
    static func endFile(_ state: inout State) {
        if let descriptor = state.descriptor { Glibc.close(descriptor) }
        state.descriptor = nil
        state.generation += 1
    }
}
