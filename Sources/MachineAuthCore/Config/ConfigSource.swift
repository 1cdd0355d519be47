import Foundation

/// Where a pipeline configuration comes from: a file on disk or text built into the binary.
public struct ConfigSource: Sendable {
    /// The name shown in messages: the path as given, or `<embedded default>`.
    public var name: String
    public var text: String
    /// The `.env` file read with it (beside the file; the working directory for embedded text).
    public var dotEnvPath: String?

    public init(name: String, text: String, dotEnvPath: String?) {
        self.name = name
        self.text = text
        self.dotEnvPath = dotEnvPath
    }

    /// Reads a configuration file; a missing or unreadable file is a ``ConfigError`` naming it.
    public static func file(_ path: String) throws(ConfigError) -> ConfigSource {
        let text: String
        do {
            text = try String(contentsOfFile: path, encoding: .utf8)
        } catch {
            throw ConfigError([ConfigDiagnostic(
                location: SourceLocation(file: path, line: 1, column: 1), keyPath: "",
                message: FileManager.default.fileExists(atPath: path) ? "cannot read the file: \(error.localizedDescription)" : "no such file")])
        }
        let directory = (path as NSString).deletingLastPathComponent
        return ConfigSource(name: path, text: text, dotEnvPath: ((directory.isEmpty ? "." : directory) as NSString).appendingPathComponent(".env"))
    }

    /// The directory relative paths in the configuration are resolved against.
    public var directory: String {
        guard name != "<embedded default>" else { return FileManager.default.currentDirectoryPath }
        let parent = (name as NSString).deletingLastPathComponent
        return parent.isEmpty ? FileManager.default.currentDirectoryPath : parent
    }

    /// Configuration text compiled into the binary.
    public static func embedded(_ text: String) -> ConfigSource {
        ConfigSource(name: "<embedded default>", text: text, dotEnvPath: ".env")
    }
}
