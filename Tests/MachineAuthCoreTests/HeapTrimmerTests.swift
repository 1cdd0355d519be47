import MachineAuthCore
import Testing

@Suite("Heap trimming")
struct HeapTrimmerTests {
    @Test("glibc's malloc_trim is found; elsewhere trimming is a no-op that says so")
    func trims() {
        var buffers = (0..<256).map { index in [UInt8](repeating: UInt8(truncatingIfNeeded: index), count: 64 * 1024) }
        #expect(buffers.count == 256)
        buffers.removeAll()
        #if canImport(Glibc)
        #expect(HeapTrimmer.isAvailable, "without malloc_trim a large JSON store keeps its load buffers for good")
        HeapTrimmer.trim()  // whether pages come back depends on what other tests hold in the same arenas
        #else
        #expect(!HeapTrimmer.isAvailable && !HeapTrimmer.trim())
        #endif
    }
}
