import MachineAuthCore

/// The `json` storage stage: one JSON file, the zero-setup default (`DATABASE_URL=json:machineauth.json`).
public enum JSONStorageFactory: StorageFactory {
    public static let type = "json"
    public static let summary = "one JSON file on local disk; atomic, durable writes (single instance)"
    public static let urlSchemes = ["json"]

    /// Options of the `json` storage stage.
    public struct Config: Decodable, Sendable {
        /// `json:PATH`; a relative path is relative to the working directory.
        public var url: String?
        /// The file path, when not given through `url`.
        public var path: String?

        /// The file to use.
        var resolvedPath: String {
            if let path, !path.isEmpty { return path }
            var text = url ?? "json:machineauth.json"
            if text.hasPrefix("json://") { text.removeFirst(7) } else if text.hasPrefix("json:") { text.removeFirst(5) }
            return text.isEmpty ? "machineauth.json" : text
        }
    }

    public static func validate(_ config: Config) -> [StageConfigProblem] {
        if let url = config.url, !url.isEmpty, !url.hasPrefix("json:") {
            return [StageConfigProblem(keyPath: "url", "a json storage URL starts with \"json:\", such as json:machineauth.json")]
        }
        return []
    }

    public static func makeStorage(config: Config, context: StorageContext) async throws -> any Storage {
        JSONStorage(path: config.resolvedPath, logger: context.logger)
    }
}
