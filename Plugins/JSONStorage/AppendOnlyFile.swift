#if canImport(Glibc)
import Glibc
#endif
import Foundation
import MachineAuthCore

/// Durable appends to a JSON-lines file beside the store (created with mode 0600).
enum AppendOnlyFile {
    /// Appends `bytes` and syncs before returning (see ``append(_:to:path:)``).
    static func append(_ bytes: [UInt8], to path: String) throws {
        guard let descriptor = try StoreFile.open(path, O_WRONLY | O_CREAT | O_APPEND) else {
            throw StorageError.unavailable("cannot open \(path)")
        }
        defer { close(descriptor) }
        try append(bytes, to: descriptor, path: path)
    }

    /// Appends `bytes` to the open file and syncs its data (`fdatasync`: the contents and the
    /// length, all an append changes). On failure the file is cut back to its previous length,
    /// so a half-written line never sits in front of later appends.
    static func append(_ bytes: [UInt8], to descriptor: Int32, path: String) throws {
        let previousLength = lseek(descriptor, 0, SEEK_END)
        guard bytes.withUnsafeBytes({ StoreFile.writeAll($0, to: descriptor) }), fdatasync(descriptor) == 0 else {
            let reason = String(cString: strerror(errno))
            if previousLength >= 0 { _ = ftruncate(descriptor, previousLength) }
            throw StorageError.unavailable("cannot append to \(path): \(reason)")
        }
    }

    /// The file's size in bytes (0 when it does not exist or is a link).
    static func size(of path: String) -> Int {
        var info = stat()
        return lstat(path, &info) == 0 ? Int(info.st_size) : 0
    }
}
