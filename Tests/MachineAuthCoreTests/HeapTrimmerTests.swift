import MachineAuthCore
import Testing

@Suite("Heap trimming")
struct HeapTrimmerTests {
    @Test("glibc's malloc_trim is found, and trimming after freeing a large buffer is safe")
    func trimsOnGlibc() {
        #if canImport(Glibc)
        #expect(HeapTrimmer.isAvailable, "without malloc_trim a large JSON store keeps its load buffers for good")
        #endif
        var buffers = (0..<64).map { _ in [UInt8](repeating: 1, count: 64 * 1024) }
        buffers.removeAll()
        HeapTrimmer.trim()
    }
}
