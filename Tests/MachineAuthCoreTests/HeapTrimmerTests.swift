import MachineAuthCore
import Testing

@Suite("Heap trimming")
struct HeapTrimmerTests {
    @Test("glibc's malloc_trim is found and gives freed heap memory back; elsewhere trimming is a no-op")
    func trims() {
        var buffers = (0..<256).map { index in [UInt8](repeating: UInt8(truncatingIfNeeded: index), count: 64 * 1024) }
        #expect(buffers.count == 256)
        buffers.removeAll()
        #if canImport(Glibc)
        #expect(HeapTrimmer.isAvailable, "without malloc_trim a large JSON store keeps its load buffers for good")
        #expect(HeapTrimmer.trim(), "16 MB of freed 64 KB blocks lie in the heap, below the mmap threshold")
        #else
        #expect(!HeapTrimmer.isAvailable && !HeapTrimmer.trim())
        #endif
    }
}
