/// One problem found in a configuration file, with where it is and which key it concerns.
///
/// Printed as `file:line:column: key.path: message`.
public struct ConfigDiagnostic: Sendable, Hashable, CustomStringConvertible {
    public var location: SourceLocation
    /// Dotted key path such as `authenticators[1].type`; empty for the document itself.
    public var keyPath: String
    public var message: String

    public init(location: SourceLocation, keyPath: String, message: String) {
        self.location = location
        self.keyPath = keyPath
        self.message = message
    }

    public var description: String {
        keyPath.isEmpty ? "\(location): \(message)" : "\(location): \(keyPath): \(message)"
    }
}

/// Every problem found while loading a configuration, reported together.
public struct ConfigError: Error, Sendable, CustomStringConvertible {
    public var diagnostics: [ConfigDiagnostic]

    public init(_ diagnostics: [ConfigDiagnostic]) {
        self.diagnostics = diagnostics
    }

    public var description: String {
        let count = diagnostics.count
        let header = "configuration has \(count) error\(count == 1 ? "" : "s"):"
        return ([header] + diagnostics.map { "  \($0)" }).joined(separator: "\n")
    }
}
