#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation
import MachineAuthCore
import Synchronization

/// Whole-file replacement that survives crashes: write a temporary file (mode 0600), fsync
/// it, rename it over the target, fsync the directory. A reader sees the old file or the
/// new one, never a mix; a torn temporary file from a crash is ignored and cleaned up.
struct DurableFile: Sendable {
    let path: String

    var directory: String {
        let parent = (path as NSString).deletingLastPathComponent
        return parent.isEmpty ? "." : parent
    }

    private var temporaryPrefix: String { (path as NSString).lastPathComponent + ".tmp-" }

    /// The file's bytes, or `nil` when it does not exist (a link is refused, ``StoreFile``).
    func read() throws -> Data? {
        try StoreFile.read(path)
    }

    /// Atomically and durably replaces the file with `data`.
    func write(_ data: Data) throws {
        try write { emit in try data.withUnsafeBytes { try emit($0) } }
    }

    /// Atomically and durably replaces the file with the bytes `produce` hands to `emit`, in as
    /// many pieces as it likes (a large snapshot is written without being held in memory whole).
    func write(_ produce: (_ emit: (UnsafeRawBufferPointer) throws -> Void) throws -> Void) throws {
        let temporary = (directory as NSString).appendingPathComponent(temporaryPrefix + "\(getpid())-\(RandomToken.hex(bytes: 4))")
        let descriptor = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else { throw failure("create \(temporary)") }
        var closed = false
        defer {
            if !closed { close(descriptor) }
        }
        do {
            try produce { bytes in
                guard StoreFile.writeAll(bytes, to: descriptor) else { throw failure("write \(temporary)") }
            }
            guard fsync(descriptor) == 0 else { throw failure("fsync \(temporary)") }
            closed = true
            guard close(descriptor) == 0 else { throw failure("close \(temporary)") }
            guard rename(temporary, path) == 0 else { throw failure("rename \(temporary) to \(path)") }
        } catch {
            unlink(temporary)
            throw error
        }
        try StoreFile.syncDirectory(directory)
    }

    /// Deletes temporary files left by a crash during a write.
    func removeStaleTemporaries() {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
        for name in names where name.hasPrefix(temporaryPrefix) {
            unlink((directory as NSString).appendingPathComponent(name))
        }
    }

    private func failure(_ action: String) -> StorageError {
        StorageError.unavailable("cannot \(action): \(String(cString: strerror(errno)))")
    }
}

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
