import Foundation
public import Logging

/// A log handler that writes readable lines (`LOG_FORMAT=text`, the default): timestamp, level,
/// logger, the metadata as sorted `key=value` pairs, the message. Same shape as swift-log's
/// `StreamLogHandler`, but metadata is rendered only when a line is written: the server sets a
/// request id on every request's logger, and most requests write no line at `warning`.
///
/// ```swift
/// LoggingSystem.bootstrap { TextLineLogHandler(label: $0, level: .info) }
/// ```
public struct TextLineLogHandler: LogHandler {
    public var metadata: Logger.Metadata = [:]
    public var logLevel: Logger.Level
    public var metadataProvider: Logger.MetadataProvider?
    private let label: String
    private let sink: @Sendable ([UInt8]) -> Void

    /// - Parameters:
    ///   - label: The logger's label (after the level in each line).
    ///   - level: The lowest level written.
    ///   - sink: Receives each line, newline included; standard error by default.
    public init(label: String, level: Logger.Level, metadataProvider: Logger.MetadataProvider? = nil,
                sink: @escaping @Sendable ([UInt8]) -> Void = JSONLineLogHandler.standardError) {
        self.label = label
        self.logLevel = level
        self.metadataProvider = metadataProvider
        self.sink = sink
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        var fields = metadata
        if let provided = metadataProvider?.get() { fields.merge(provided) { $1 } }
        if let explicit = event.metadata { fields.merge(explicit) { $1 } }
        if let error = event.error { fields["error"] = .string(String(describing: error)) }
        var line = TimestampFormat.string(Date()) + " " + event.level.rawValue + " " + label + ":"
        for (key, value) in fields.sorted(by: { $0.key < $1.key }) {
            line += " " + Self.escaped(key) + "=" + Self.escaped("\(value)")
        }
        line += " " + Self.escaped(event.message.description) + "\n"
        sink(Array(line.utf8))
    }

    /// `text` with control characters (a newline in a logged value could forge a line) written
    /// as `\n`, `\r`, `\t` or `\u{…}`.
    static func escaped(_ text: String) -> String {
        guard text.unicodeScalars.contains(where: isControl) else { return text }
        var result = ""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\n": result += "\\n"
            case "\r": result += "\\r"
            case "\t": result += "\\t"
            case _ where isControl(scalar): result += "\\u{" + String(scalar.value, radix: 16) + "}"
            default: result.unicodeScalars.append(scalar)
            }
        }
        return result
    }

    private static func isControl(_ scalar: Unicode.Scalar) -> Bool {
        scalar.value < 0x20 || (0x7F...0x9F).contains(scalar.value) || scalar == "\u{2028}" || scalar == "\u{2029}"
    }
}
