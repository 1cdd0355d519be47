#if canImport(Glibc)
import Glibc
#endif
import Foundation
import MachineAuthCore

/// Opening the store's files: never through a symbolic link (`O_NOFOLLOW`) and only regular
/// files with one link, so a link planted beside the store cannot redirect its reads or its
/// appends to another file.
enum StoreFile {
    /// Opens `path` with `flags` (plus `O_NOFOLLOW | O_CLOEXEC`), refusing links; `nil` when it
    /// does not exist and `flags` do not create it.
    static func open(_ path: String, _ flags: Int32, mode: mode_t = 0o600) throws -> Int32? {
        // O_NONBLOCK: a FIFO planted in place of a store file cannot stall the open (it is refused below).
        let descriptor = Glibc.open(path, flags | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK, mode)
        guard descriptor >= 0 else {
            if errno == ENOENT, flags & O_CREAT == 0 { return nil }
            if errno == ELOOP { throw StorageError.unavailable("\(path) is a symbolic link; the store refuses links (replace it with the file itself)") }
            throw StorageError.unavailable("cannot open \(path): \(String(cString: strerror(errno)))")
        }
        var info = stat()
        guard fstat(descriptor, &info) == 0, info.st_mode & S_IFMT == S_IFREG, info.st_nlink == 1 else {
            close(descriptor)
            throw StorageError.unavailable("\(path) is not a plain file with a single link; the store refuses it")
        }
        _ = fcntl(descriptor, F_SETFL, fcntl(descriptor, F_GETFL) & ~O_NONBLOCK)
        return descriptor
    }

    /// The whole file, or `nil` when it does not exist.
    static func read(_ path: String) throws -> Data? {
        guard let descriptor = try open(path, O_RDONLY) else { return nil }
        defer { close(descriptor) }
        var data = Data()
        var buffer = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let count = buffer.withUnsafeMutableBytes { Glibc.read(descriptor, $0.baseAddress, $0.count) }
            if count < 0 {
                if errno == EINTR { continue }
                throw StorageError.unavailable("cannot read \(path): \(String(cString: strerror(errno)))")
            }
            if count == 0 { return data }
            data.append(contentsOf: buffer[0..<count])
        }
    }
}
