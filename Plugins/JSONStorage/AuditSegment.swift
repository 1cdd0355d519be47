#if canImport(Glibc)
import Glibc
#endif
import CoreFoundation  // stat and timespec members (MemberImportVisibility)
import Foundation
import MachineAuthCore

/// An audit segment open for reading, with the length it had when opened. The segment
/// appended to is opened under the trail's lock, so a reader sees exactly the records appended
/// before it, and is read after the lock is released (sealed meanwhile, it is still this file).
/// Sealed segments never change but through retention, so they are opened one at a time.
final class AuditSegment {
    /// Names the file itself, not its path: sealing renames a segment and keeps it.
    struct Identity: Hashable, Sendable {
        var device: UInt64
        var inode: UInt64
    }

    /// The file's length and modification time when it was opened: a sealed segment whose
    /// stamp is unchanged holds what it held (retention rewrites one as a new file).
    struct Stamp: Hashable, Codable, Sendable {
        var length: Int
        var modifiedSeconds: Int
        var modifiedNanoseconds: Int
    }

    let path: String
    let identity: Identity
    let stamp: Stamp
    /// The bytes a reader reads: the file's length when it was opened.
    var length: Int { stamp.length }
    /// When the file was last written, as of opening it.
    var modified: Date {
        Date(timeIntervalSince1970: Double(stamp.modifiedSeconds) + Double(stamp.modifiedNanoseconds) / 1e9)
    }
    private let descriptor: Int32
    /// How much is read at a time: a segment is never held in memory whole.
    static let chunkBytes = 1 << 20

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
        stamp = Stamp(length: max(0, Int(info.st_size)), modifiedSeconds: Int(info.st_mtim.tv_sec), modifiedNanoseconds: Int(info.st_mtim.tv_nsec))
    }

    deinit { close(descriptor) }

    /// Calls `body` with every complete line (ending in a newline) that starts in `range`, with
    /// its place in the file, reading a chunk at a time; returns where the last one's newline
    /// ends (a torn last line is left out).
    func forEachLine(in range: Range<Int>, _ body: (_ line: UnsafeRawBufferPointer, _ place: Range<Int>) throws -> Void) throws -> Int {
        let range = range.clamped(to: 0..<length)
        var buffer: [UInt8] = []
        var bufferStart = range.lowerBound
        var position = range.lowerBound
        while position < range.upperBound {
            let read = try append(to: &buffer, from: position, count: min(Self.chunkBytes, range.upperBound - position))
            guard read > 0 else { break }
            position += read
            let consumed = try buffer.withUnsafeBytes { bytes in
                try Self.forEachLine(in: bytes) { line in
                    try body(UnsafeRawBufferPointer(rebasing: bytes[line]), (bufferStart + line.lowerBound)..<(bufferStart + line.upperBound))
                }
            }
            buffer.removeFirst(consumed)
            bufferStart += consumed
        }
        return bufferStart
    }

    /// The bytes `range` (within ``length``); fewer when someone else cut the file short.
    func bytes(_ range: Range<Int>) throws -> [UInt8] {
        let range = range.clamped(to: 0..<length)
        var buffer: [UInt8] = []
        _ = try append(to: &buffer, from: range.lowerBound, count: range.count)
        return buffer
    }

    /// Reads up to `count` bytes at `offset` onto the end of `buffer`; returns how many.
    private func append(to buffer: inout [UInt8], from offset: Int, count: Int) throws -> Int {
        let start = buffer.count
        buffer.append(contentsOf: repeatElement(0, count: count))
        var filled = 0
        while filled < count {
            let read = buffer.withUnsafeMutableBytes { pread(descriptor, $0.baseAddress! + start + filled, count - filled, off_t(offset + filled)) }
            if read < 0, errno == EINTR { continue }
            guard read >= 0 else { throw StorageError.unavailable("cannot read \(path): \(String(cString: strerror(errno)))") }
            if read == 0 { break }
            filled += read
        }
        buffer.removeLast(count - filled)
        return filled
    }

    /// Calls `body` with the range of every complete line of `bytes`, and returns how many
    /// bytes those lines and their newlines take.
    private static func forEachLine(in bytes: UnsafeRawBufferPointer, _ body: (Range<Int>) throws -> Void) rethrows -> Int {
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
