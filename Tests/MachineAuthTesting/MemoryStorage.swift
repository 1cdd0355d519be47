public import JSONStorage
import Logging

/// A store in memory for stage and service tests: no files, no database. It is the JSON
/// driver's own tables and rules without their files (``JSONStorage/memoryOnly(logger:)``), so
/// it answers as a real store does; the storage conformance suite runs against it as the
/// `memory` driver.
public enum MemoryStorage {
    /// A new, empty store, opened.
    public static func open() async throws -> JSONStorage {
        var logger = Logger(label: "memory-store")
        logger.logLevel = .error
        let storage = JSONStorage.memoryOnly(logger: logger)
        try await storage.open()
        return storage
    }
}
