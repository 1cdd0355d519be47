#if canImport(Glibc)
import Glibc
#endif
import Foundation
import MachineAuthCore

/// An audit segment opened for reading, with the length it had when opened. Segments are
/// opened together under the trail's lock, so a listing sees exactly the records appended
/// before it, and reads them after the lock is released (a segment sealed, rewritten or
/// deleted meanwhile is still read as it was: the descriptor keeps the file).
final class AuditSegment {
    /// Names the file itself, not its path: sealing renames a segment and keeps it.
    struct Identity: Hashable {
        var device: UInt64
        var inode: UInt64
    }

    let path: String
    let identity: Identity
    /// Bytes the listing reads: the file's length when it was opened.
    let length: Int
    private let descriptor: Int32

    /// Opens `path`; `nil` when it does not exist.
    init?(path: String) throws {
        guard let descriptor = try StoreFile.open(path, O_RDONLY) else { return nil }
        var info = stat()
        guard fstat(descriptor, &info) == 0 else {
            close(descriptor)
            throw StorageError.unavailable("cannot stat \(path): \(String(cString: strerror(errno)))")
        }
        self.path = path
        self.descriptor = descriptor
        identity = Identity(device: UInt64(info.st_dev), inode: UInt64(info.st_ino))
        length = max(0, Int(info.st_size))
    }

    deinit { close(descriptor) }

    /// Calls `body` with the bytes `range` (within ``length``). They are read, not mapped: a
    /// file cut short by someone else yields fewer bytes, never a fault.
    func withBytes<T>(_ range: Range<Int>, _ body: (UnsafeRawBufferPointer) throws -> T) throws -> T {
        let range = range.clamped(to: 0..<length)
        var buffer = [UInt8](repeating: 0, count: range.count)
        var filled = 0
        while filled < buffer.count {
            let count = buffer.withUnsafeMutableBytes { pread(descriptor, $0.baseAddress! + filled, $0.count - filled, off_t(range.lowerBound + filled)) }
            if count < 0, errno == EINTR { continue }
            guard count >= 0 else { throw StorageError.unavailable("cannot read \(path): \(String(cString: strerror(errno)))") }
            if count == 0 { break }
            filled += count
        }
        return try buffer.withUnsafeBytes { try body(UnsafeRawBufferPointer(rebasing: $0[0..<filled])) }
    }

    /// Calls `body` with the range of every complete line (ending in a newline) of `bytes`, and
    /// returns how many bytes those lines and their newlines take (a torn last line is left out).
    static func forEachLine(in bytes: UnsafeRawBufferPointer, _ body: (Range<Int>) throws -> Void) rethrows -> Int {
        guard let base = bytes.baseAddress else { return 0 }
        var start = 0
        while start < bytes.count, let newline = memchr(base + start, 0x0A, bytes.count - start) {
            let index = base.distance(to: UnsafeRawPointer(newline))
            if index > start { try body(start..<index) }
            start = index + 1
        }
        return start
    }
}
