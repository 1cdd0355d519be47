import Synchronization

/// Fans storage changes out to every subscriber; each ``subscribe()`` gets its own stream.
public final class ChangeBroadcaster: Sendable {
    private let subscribers = Mutex<[Int: AsyncStream<StorageChange>.Continuation]>([:])
    private let nextID = Mutex(0)

    public init() {}

    public func subscribe() -> AsyncStream<StorageChange> {
        let (stream, continuation) = AsyncStream.makeStream(of: StorageChange.self, bufferingPolicy: .bufferingNewest(10_000))
        let id = nextID.withLock { value -> Int in
            value += 1
            return value
        }
        subscribers.withLock { $0[id] = continuation }
        continuation.onTermination = { [weak self] _ in self?.subscribers.withLock { $0[id] = nil } }
        return stream
    }

    public func send(_ change: StorageChange) {
        for continuation in subscribers.withLock({ Array($0.values) }) { continuation.yield(change) }
    }

    public func finish() {
        for continuation in subscribers.withLock({ subscribers -> [AsyncStream<StorageChange>.Continuation] in
            defer { subscribers = [:] }
            return Array(subscribers.values)
        }) { continuation.finish() }
    }
}

/// Wakes one waiting worker early; waits end after a timeout otherwise.
public final class WakeSignal: Sendable {
    private struct State {
        var pending = false
        var waiter: CheckedContinuation<Void, Never>?
        var generation = 0
    }

    private let state = Mutex(State())

    public init() {}

    public func signal() {
        let waiter = state.withLock { state -> CheckedContinuation<Void, Never>? in
            guard let waiter = state.waiter else {
                state.pending = true
                return nil
            }
            state.waiter = nil
            return waiter
        }
        waiter?.resume()
    }

    /// Returns after a ``signal()``, after `timeout`, or when the task is cancelled, whichever comes first.
    public func wait(timeout: Duration) async {
        let generation = state.withLock { state -> Int? in
            if state.pending {
                state.pending = false
                return nil
            }
            state.generation += 1
            return state.generation
        }
        guard let generation else { return }
        await withTaskCancellationHandler {
            await withCheckedContinuation { continuation in
                let signalled = state.withLock { state -> Bool in
                    // A signal that arrived since the check above, or a cancellation, must not be slept through.
                    guard !state.pending, !Task.isCancelled else {
                        state.pending = false
                        return true
                    }
                    state.waiter = continuation
                    return false
                }
                if signalled {
                    continuation.resume()
                    return
                }
                Task {
                    try? await Task.sleep(for: timeout)
                    self.resume(generation: generation)
                }
            }
        } onCancel: {
            resume(generation: generation)
        }
    }

    private func resume(generation: Int) {
        let waiter = state.withLock { state -> CheckedContinuation<Void, Never>? in
            guard state.generation == generation, let waiter = state.waiter else { return nil }
            state.waiter = nil
            return waiter
        }
        waiter?.resume()
    }
}
