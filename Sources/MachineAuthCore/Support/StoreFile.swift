#if canImport(Glibc)
import Glibc
#endif
// With X509 in the module graph, `struct stat` may be attributed to any module whose headers
// include <sys/stat.h>; MemberImportVisibility wants that module imported (Linux).
#if canImport(CoreFoundation)
public import CoreFoundation
#endif
#if canImport(CDispatch)
import CDispatch
#endif
public import Foundation

/// Opening the store's files: never through a symbolic link (`O_NOFOLLOW`) and only regular
/// files with one link, so a link planted beside the store cannot redirect its reads or its
/// appends to another file.
public enum StoreFile {
    /// Opens `path` with `flags` (plus `O_NOFOLLOW | O_CLOEXEC`), refusing links; `nil` when it
    /// does not exist and `flags` do not create it.
    public static func open(_ path: String, _ flags: Int32, mode: mode_t = 0o600) throws -> Int32? {
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

    /// Writes all of `bytes` (retrying short and interrupted writes); `false` on failure, with `errno` set.
    public static func writeAll(_ bytes: UnsafeRawBufferPointer, to descriptor: Int32) -> Bool {
        var offset = 0
        while offset < bytes.count {
            let written = Glibc.write(descriptor, bytes.baseAddress! + offset, bytes.count - offset)
            if written < 0 {
                if errno == EINTR { continue }
                return false
            }
            offset += written
        }
        return true
    }

    /// Makes the directory's entries (files created, renamed or removed in it) durable.
    public static func syncDirectory(_ directory: String) throws {
        let descriptor = Glibc.open(directory, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard descriptor >= 0 else { throw StorageError.unavailable("cannot open directory \(directory): \(String(cString: strerror(errno)))") }
        defer { close(descriptor) }
        guard fsync(descriptor) == 0 else { throw StorageError.unavailable("cannot fsync directory \(directory): \(String(cString: strerror(errno)))") }
    }

    /// The whole file mapped into memory (read-only, unmapped when the data is released), or
    /// `nil` when it does not exist. Its pages belong to the file, not the heap.
    public static func map(_ path: String) throws -> Data? {
        guard let descriptor = try open(path, O_RDONLY) else { return nil }
        defer { close(descriptor) }
        var info = stat()
        guard fstat(descriptor, &info) == 0 else { throw StorageError.unavailable("cannot stat \(path): \(String(cString: strerror(errno)))") }
        let size = Int(info.st_size)
        guard size > 0 else { return Data() }
        guard let address = mmap(nil, size, PROT_READ, MAP_PRIVATE, descriptor, 0), address != MAP_FAILED else {
            throw StorageError.unavailable("cannot map \(path): \(String(cString: strerror(errno)))")
        }
        return Data(bytesNoCopy: address, count: size, deallocator: .custom { pointer, count in munmap(pointer, count) })
    }

    /// The whole file, or `nil` when it does not exist.
    public static func read(_ path: String) throws -> Data? {
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
