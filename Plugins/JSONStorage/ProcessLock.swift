#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation
import MachineAuthCore
import Synchronization

/// An exclusive lock on `<store>.lock`, so two processes never share one JSON store.
final class ProcessLock: Sendable {
    private let descriptor: Mutex<Int32?>

    init(path: String) throws {
        guard let descriptor = try StoreFile.open(path, O_RDWR | O_CREAT) else {
            throw StorageError.unavailable("cannot open lock file \(path)")
        }
        guard flock(descriptor, LOCK_EX | LOCK_NB) == 0 else {
            close(descriptor)
            throw StorageError(.inUse,
                "the JSON store \(path.hasSuffix(".lock") ? String(path.dropLast(5)) : path) is in use by another MachineAuth process; it serves one instance (use PostgreSQL for several)")
        }
        self.descriptor = Mutex(descriptor)
    }

    func release() {
        descriptor.withLock { held in
            guard let open = held else { return }
            flock(open, LOCK_UN)
            close(open)
            held = nil
        }
    }
}
