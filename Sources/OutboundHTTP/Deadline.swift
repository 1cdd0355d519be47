import Synchronization

/// Bounds how long an operation that cannot be cancelled (a name lookup in `getaddrinfo`) may
/// hold its caller: the answer, or `nil` once the limit has passed.
public enum Deadline {
    /// `operation`'s result, or `nil` once `limit` has passed (a name server that does not answer
    /// must not hold a delivery or a key fetch for the resolver's own timeouts).
    public static func within<T: Sendable>(_ limit: Duration, _ operation: @escaping @Sendable () async -> T) async -> T? {
        let first = FirstAnswer<T?>()
        return await withCheckedContinuation { continuation in
            first.wait(continuation)
            Task { first.answer(await operation()) }
            Task {
                try? await Task.sleep(for: limit)
                first.answer(nil)
            }
        }
    }

    /// Resumes a continuation with the first answer it gets; later ones are dropped.
    final class FirstAnswer<Value: Sendable>: Sendable {
        private let waiting = Mutex<CheckedContinuation<Value, Never>?>(nil)

        func wait(_ continuation: CheckedContinuation<Value, Never>) {
            waiting.withLock { $0 = continuation }
        }

        func answer(_ value: Value) {
            waiting.withLock { continuation in
                continuation?.resume(returning: value)
                continuation = nil
            }
        }
    }
}
