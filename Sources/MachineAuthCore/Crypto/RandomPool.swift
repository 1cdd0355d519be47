#if canImport(Glibc)
import Glibc
#endif
import Synchronization

/// Bytes from the kernel's CSPRNG (`getentropy(3)`, i.e. `getrandom(2)`), fetched 4 KB at a time so that issuing a
/// token costs no system call of its own. Each byte is handed out once and wiped from the pool
/// as it is taken.
final class RandomPool: Sendable {
    static let shared = RandomPool()

    private struct Pool {
        var bytes = [UInt8](repeating: 0, count: RandomPool.capacity)
        var next = RandomPool.capacity
    }

    private static let capacity = 4096
    private let pool = Mutex(Pool())

    /// `count` secure random bytes.
    func take(_ count: Int) -> [UInt8] {
        guard count <= Self.capacity / 4 else { return Self.fresh(count) }
        return pool.withLock { pool in
            if pool.next + count > pool.bytes.count {
                pool.bytes.withUnsafeMutableBytes { Self.fill($0) }
                pool.next = 0
            }
            let range = pool.next..<(pool.next + count)
            let taken = Array(pool.bytes[range])
            pool.bytes.replaceSubrange(range, with: repeatElement(0, count: count))
            pool.next += count
            return taken
        }
    }

    private static func fresh(_ count: Int) -> [UInt8] {
        var bytes = [UInt8](repeating: 0, count: count)
        bytes.withUnsafeMutableBytes { fill($0) }
        return bytes
    }

    /// Fills `buffer` from `getentropy(3)` (at most 256 bytes per call); a failure stops the
    /// process, as running on without secure randomness would be worse.
    private static func fill(_ buffer: UnsafeMutableRawBufferPointer) {
        var offset = 0
        while offset < buffer.count {
            let length = min(256, buffer.count - offset)
            guard getentropy(buffer.baseAddress! + offset, length) == 0 else { fatalError("getentropy failed: errno \(errno)") }
            offset += length
        }
    }
}
