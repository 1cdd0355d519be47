/// A position in a configuration file, reported with every configuration error.
///
/// ```swift
/// SourceLocation(file: "config/machineauth.yaml", line: 12, column: 5).description
/// // "config/machineauth.yaml:12:5"
/// ```
public struct SourceLocation: Sendable, Hashable, CustomStringConvertible {
    /// The file the value came from, as given by the user (or `<embedded default>`).
    public var file: String
    /// The 1-based line.
    public var line: Int
    /// The 1-based column.
    public var column: Int

    public init(file: String, line: Int, column: Int) {
        self.file = file
        self.line = line
        self.column = column
    }

    public var description: String { "\(file):\(line):\(column)" }
}
