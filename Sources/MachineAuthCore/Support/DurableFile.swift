#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
public import Foundation

/// Whole-file replacement that survives crashes: write a temporary file (mode 0600), fsync
/// it, rename it over the target, fsync the directory. A reader sees the old file or the
/// new one, never a mix; a torn temporary file from a crash is ignored and cleaned up.
public struct DurableFile: Sendable {
    public let path: String

    public init(path: String) {
        self.path = path
    }

    public var directory: String {
        let parent = (path as NSString).deletingLastPathComponent
        return parent.isEmpty ? "." : parent
    }

    private var temporaryPrefix: String { (path as NSString).lastPathComponent + ".tmp-" }

    /// The file's bytes, or `nil` when it does not exist (a link is refused, ``StoreFile``).
    public func read() throws -> Data? {
        try StoreFile.read(path)
    }

    /// Atomically and durably replaces the file with `data`.
    public func write(_ data: Data) throws {
        try write { emit in try data.withUnsafeBytes { try emit($0) } }
    }

    /// Atomically and durably replaces the file with the bytes `produce` hands to `emit`, in as
    /// many pieces as it likes (a large snapshot is written without being held in memory whole).
    public func write(_ produce: (_ emit: (UnsafeRawBufferPointer) throws -> Void) throws -> Void) throws {
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
    public func removeStaleTemporaries() {
        let name = (path as NSString).lastPathComponent
        Self.removeStaleTemporaries(in: directory) { $0 == name }
    }

    /// Deletes the temporary files in `directory` that a crash left while replacing a file whose
    /// name `isTarget` accepts (`NAME.tmp-PID-RANDOM`), also of files that no longer exist.
    public static func removeStaleTemporaries(in directory: String, isTarget: (Substring) -> Bool) {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
        for name in names {
            guard let marker = name.range(of: ".tmp-", options: .backwards), isTarget(name[..<marker.lowerBound]) else { continue }
            unlink((directory as NSString).appendingPathComponent(name))
        }
    }

    private func failure(_ action: String) -> StorageError {
        StorageError.unavailable("cannot \(action): \(String(cString: strerror(errno)))")
    }
}
