import Foundation

/// Ids the server acknowledged, collected from several tasks.
final class Acknowledged: @unchecked Sendable {
    private let lock = NSLock()
    private var stored: [String] = []

    func add(_ id: String) {
        lock.lock()
        stored.append(id)
        lock.unlock()
    }

    var ids: [String] {
        lock.lock()
        defer { lock.unlock() }
        return stored
    }
}
