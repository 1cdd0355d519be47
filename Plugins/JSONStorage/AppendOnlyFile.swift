#if canImport(Glibc)
import Glibc
#endif
import Foundation
import MachineAuthCore

/// Durable appends to a JSON-lines file beside the store (created with mode 0600).
enum AppendOnlyFile {
    /// Appends `bytes` and fsyncs before returning. On failure the file is cut back to its
    /// previous length, so a half-written line never sits in front of later appends.
    static func append(_ bytes: [UInt8], to path: String) throws {
        guard let descriptor = try StoreFile.open(path, O_WRONLY | O_CREAT | O_APPEND) else {
            throw StorageError.unavailable("cannot open \(path)")
        }
        defer { close(descriptor) }
        let previousLength = lseek(descriptor, 0, SEEK_END)
        func fail(_ what: String) -> StorageError {
            let reason = String(cString: strerror(errno))
            if previousLength >= 0 { _ = ftruncate(descriptor, previousLength) }
            return StorageError.unavailable("cannot \(what) \(path): \(reason)")
        }
        guard bytes.withUnsafeBytes({ StoreFile.writeAll($0, to: descriptor) }) else { throw fail("append to") }
        guard fsync(descriptor) == 0 else { throw fail("fsync") }
    }

    /// The file's size in bytes (0 when it does not exist or is a link).
    static func size(of path: String) -> Int {
        var info = stat()
        return lstat(path, &info) == 0 ? Int(info.st_size) : 0
    }
}
