#if canImport(Glibc)
import Glibc
#endif

/// Gives freed heap memory back to the operating system after a burst of large temporary
/// allocations, such as loading or rewriting a big JSON store.
///
/// glibc keeps freed memory in its arenas, so one 50 MB decode leaves the process hundreds of
/// megabytes larger for good; `malloc_trim` releases those pages. Elsewhere this does nothing.
///
/// ```swift
/// HeapTrimmer.trim()
/// ```
public enum HeapTrimmer {
    private typealias MallocTrim = @convention(c) (Int) -> Int32

    // Looked up once: malloc_trim is glibc's, and Swift's Glibc module does not declare it.
    private static let mallocTrim: MallocTrim? = {
        #if canImport(Glibc)
        guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "malloc_trim") else { return nil }
        return unsafeBitCast(symbol, to: MallocTrim.self)
        #else
        return nil
        #endif
    }()

    /// Whether this C library can trim (glibc can).
    public static var isAvailable: Bool { mallocTrim != nil }

    /// Releases free heap pages to the system; `true` when some were released. Costs a walk of
    /// the heap: call it after large one-off work, not per request.
    @discardableResult public static func trim() -> Bool {
        (mallocTrim?(0) ?? 0) == 1
    }
}
