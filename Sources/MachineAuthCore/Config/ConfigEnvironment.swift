import Foundation

/// The variables `${VAR}` interpolation reads: the process environment over a `.env` file.
///
/// ```swift
/// let env = try ConfigEnvironment.load(dotEnvFile: "/etc/machineauth/.env")
/// env["PORT"] // "8080"
/// ```
public struct ConfigEnvironment: Sendable {
    public var values: [String: String]

    public init(_ values: [String: String]) {
        self.values = values
    }

    public subscript(name: String) -> String? { values[name] }

    /// The process environment, over the variables of `dotEnvFile` when that file exists.
    public static func load(dotEnvFile: String?) throws -> ConfigEnvironment {
        var merged: [String: String] = [:]
        if let dotEnvFile, FileManager.default.fileExists(atPath: dotEnvFile) {
            let text = try String(contentsOfFile: dotEnvFile, encoding: .utf8)
            merged = DotEnvParser.parse(text)
        }
        for (key, value) in ProcessInfo.processInfo.environment {
            merged[key] = value
        }
        return ConfigEnvironment(merged)
    }
}

/// Reads `.env` files: `KEY=value`, `export KEY=value`, `#` comments, single or double quotes.
enum DotEnvParser {
    static func parse(_ text: String) -> [String: String] {
        var result: [String: String] = [:]
        for rawLine in text.split(omittingEmptySubsequences: true, whereSeparator: \.isNewline) {
            var line = rawLine.trimmingCharacters(in: .whitespaces)
            if line.isEmpty || line.hasPrefix("#") { continue }
            if line.hasPrefix("export ") { line = String(line.dropFirst(7)) }
            guard let equals = line.firstIndex(of: "=") else { continue }
            let key = line[..<equals].trimmingCharacters(in: .whitespaces)
            guard !key.isEmpty else { continue }
            result[key] = unquote(line[line.index(after: equals)...].trimmingCharacters(in: .whitespaces))
        }
        return result
    }

    private static func unquote(_ value: String) -> String {
        if value.count >= 2, value.hasPrefix("\""), value.hasSuffix("\"") {
            return String(value.dropFirst().dropLast())
                .replacingOccurrences(of: "\\n", with: "\n")
                .replacingOccurrences(of: "\\\"", with: "\"")
        }
        if value.count >= 2, value.hasPrefix("'"), value.hasSuffix("'") {
            return String(value.dropFirst().dropLast())
        }
        if let hash = value.range(of: " #") {
            return value[..<hash.lowerBound].trimmingCharacters(in: .whitespaces)
        }
        return value
    }
}
