import Foundation
public import MachineAuthCore

/// The `json` storage stage: one JSON file, the zero-setup default (`DATABASE_URL=json:machineauth.json`).
public enum JSONStorageFactory: StorageFactory {
    public static let type = "json"
    public static let summary = "one JSON file on local disk with a fsynced journal beside it; atomic, durable writes (single instance)"
    public static let urlSchemes = ["json"]

    /// Options of the `json` storage stage.
    public struct Config: Decodable, Sendable {
        /// `json:PATH`; a relative path is relative to the working directory.
        public var url: String?
        /// The file path, when not given through `url`.
        public var path: String?
        /// How long finished webhook deliveries stay in the history. Default 30 days.
        public var deliveryRetention: ConfigDuration?
        /// The journal is compacted into the store file once it is larger than this and than
        /// the store file. Default 8 MiB.
        public var compactionBytes: Int?

        enum CodingKeys: String, CodingKey {
            case url, path, deliveryRetention = "delivery_retention", compactionBytes = "compaction_bytes"
        }

        /// The file to use.
        var resolvedPath: String {
            if let path, !path.isEmpty { return path }
            var text = url ?? "json:machineauth.json"
            if text.hasPrefix("json://") { text.removeFirst(7) } else if text.hasPrefix("json:") { text.removeFirst(5) }
            return text.isEmpty ? "machineauth.json" : text
        }
    }

    /// `compaction_bytes`: 4 KiB to 1 GiB.
    static let compactionBytes = 4096...(1 << 30)

    public static func validate(_ config: Config) -> [StageConfigProblem] {
        var problems: [StageConfigProblem] = []
        if let url = config.url, !url.isEmpty, !url.hasPrefix("json:") {
            problems.append(StageConfigProblem(keyPath: "url", "a json storage URL starts with \"json:\", such as json:machineauth.json"))
        }
        if let retention = config.deliveryRetention, retention.seconds < 3600 {
            problems.append(StageConfigProblem(keyPath: "delivery_retention", "must be at least 1h"))
        }
        if let bytes = config.compactionBytes, !compactionBytes.contains(bytes) {
            problems.append(StageConfigProblem(keyPath: "compaction_bytes", "must be between 4096 and 1073741824"))
        }
        return problems
    }

    public static func makeStorage(config: Config, context: StorageContext) async throws -> any Storage {
        JSONStorage(path: config.resolvedPath, logger: context.logger,
                    deliveryRetention: TimeInterval(config.deliveryRetention?.seconds ?? 30 * 86400),
                    compactionBytes: config.compactionBytes ?? 8 << 20)
    }
}
