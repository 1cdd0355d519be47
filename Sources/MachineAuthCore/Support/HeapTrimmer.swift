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
    private typealias MallocOption = @convention(c) (Int32, Int32) -> Int32

    // Looked up once: they are glibc's, and Swift's Glibc module does not declare them.
    private static let mallocTrim = function("malloc_trim", as: MallocTrim.self)
    private static let mallocOption = function("mallopt", as: MallocOption.self)

    private static func function<Function>(_ name: String, as type: Function.Type) -> Function? {
        #if canImport(Glibc)
        guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), name) else { return nil }
        return unsafeBitCast(symbol, to: type)
        #else
        return nil
        #endif
    }

    /// Serves allocations of a megabyte or more from their own mappings, always, so freeing one
    /// gives it back at once. (glibc otherwise raises that threshold after the first large
    /// free, and later large buffers come from the heap, where they stay trapped below the
    /// rows loaded after them: 35 MB of a 100,000-agent JSON store.) Call before a large load.
    public static func mapLargeAllocations() {
        _ = mallocOption?(-3, 1 << 20)  // M_MMAP_THRESHOLD; fixing it also stops glibc adjusting it
    }

    /// Whether this C library can trim (glibc can).
    public static var isAvailable: Bool { mallocTrim != nil }

    /// Releases free heap pages to the system; `true` when some were released. Costs a walk of
    /// the heap: call it after large one-off work, not per request.
    @discardableResult public static func trim() -> Bool {
        (mallocTrim?(0) ?? 0) == 1
    }
}
