import Dispatch
import MachineAuthCore
import Foundation

/// Persists the store with group commit: callers wait until a version is durable; one
/// write covers every change made before it started, so concurrent requests share fsyncs.
actor SnapshotWriter {
    private let file: DurableFile
    private let capture: @Sendable () -> JSONStoreState
    private let queue = DispatchQueue(label: "machineauth.json-storage.writer")
    private var durableVersion = 0
    private var waiters: [(version: Int, continuation: CheckedContinuation<Void, any Error>)] = []
    private var writing = false
    private var largestWrite = 0

    init(file: DurableFile, durableVersion: Int, capture: @escaping @Sendable () -> JSONStoreState) {
        self.file = file
        self.durableVersion = durableVersion
        self.capture = capture
    }

    /// Returns once everything up to `version` is on disk.
    func waitUntilDurable(_ version: Int) async throws {
        if version <= durableVersion { return }
        try await withCheckedThrowingContinuation { continuation in
            waiters.append((version, continuation))
            if !writing {
                writing = true
                Task { await self.drain() }
            }
        }
    }

    private func drain() async {
        while !waiters.isEmpty {
            let snapshot = capture()
            let version = snapshot.version
            let result: Result<Int, any Error> = await withCheckedContinuation { continuation in
                queue.async { [file] in
                    continuation.resume(returning: Result {
                        let data = try Self.encode(snapshot.document)
                        try file.write(data)
                        return data.count
                    })
                }
            }
            if case .success(let size) = result {
                durableVersion = max(durableVersion, version)
                largestWrite = max(largestWrite, size)
            }
            let done = waiters.filter { $0.version <= version }
            waiters.removeAll { $0.version <= version }
            for waiter in done { waiter.continuation.resume(with: result.map { _ in }) }
        }
        writing = false
        if largestWrite > Self.trimThreshold {
            // Queued behind the writes, so their snapshots and buffers are freed by then.
            largestWrite = 0
            queue.async { HeapTrimmer.trim() }
        }
    }

    /// After writes this large, their temporary buffers are given back to the system.
    static let trimThreshold = 4 << 20

    static func encode(_ document: JSONStoreDocument) throws -> Data {
        try encoder().encode(document)
    }

    /// The store's JSON encoding (sorted keys, millisecond timestamps), shared with the journals beside it.
    static func encoder() -> JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        encoder.dateEncodingStrategy = TimestampFormat.encodingStrategy
        return encoder
    }

    static func decode(_ data: Data) throws -> JSONStoreDocument {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = RFC3339.decodingStrategy
        return try decoder.decode(JSONStoreDocument.self, from: data)
    }
}
