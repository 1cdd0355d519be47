import Foundation
public import Logging

/// The server's log handler: one line per entry on standard error, readable text
/// (`LOG_FORMAT=text`, the default) or one JSON object (`LOG_FORMAT=json`). Metadata is rendered
/// only when a line is written: the server sets a request id on every request's logger, and
/// most requests write no line at `warning`.
///
/// - text: timestamp, level, logger, the metadata as sorted `key=value` pairs, the message (the
///   shape of swift-log's `StreamLogHandler`); control characters are escaped, so a logged value
///   cannot start a forged line.
/// - json: `ts`, `level`, `logger`, `message`, then every metadata field; metadata holding a
///   whole number (`status`) or a decimal (`ms`) is a JSON number, everything else a string.
///
/// ```swift
/// LoggingSystem.bootstrap { LineLogHandler(label: $0, level: .info, format: .json) }
/// ```
public struct LineLogHandler: LogHandler {
    /// How each line is written.
    public enum Format: Sendable {
        case text, json
    }

    public var metadata: Logger.Metadata = [:]
    public var logLevel: Logger.Level
    public var metadataProvider: Logger.MetadataProvider?
    private let label: String
    private let format: Format
    private let sink: @Sendable ([UInt8]) -> Void

    /// - Parameters:
    ///   - label: The logger's label.
    ///   - level: The lowest level written.
    ///   - format: Text or JSON lines.
    ///   - sink: Receives each line, newline included; standard error by default.
    public init(label: String, level: Logger.Level, format: Format = .text, metadataProvider: Logger.MetadataProvider? = nil,
                sink: @escaping @Sendable ([UInt8]) -> Void = LineLogHandler.standardError) {
        self.label = label
        self.logLevel = level
        self.format = format
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
        var line: [UInt8]
        switch format {
        case .text: line = textLine(event, fields)
        case .json: line = jsonLine(event, fields)
        }
        line.append(UInt8(ascii: "\n"))
        sink(line)
    }

    private func textLine(_ event: LogEvent, _ fields: Logger.Metadata) -> [UInt8] {
        var fields = fields
        if let error = event.error { fields["error"] = .string(String(describing: error)) }
        var line = TimestampFormat.string(Date()) + " " + event.level.rawValue + " " + label + ":"
        for (key, value) in fields.sorted(by: { $0.key < $1.key }) {
            line += " " + Self.escaped(key) + "=" + Self.escaped("\(value)")
        }
        line += " " + Self.escaped(event.message.description)
        return Array(line.utf8)
    }

    private func jsonLine(_ event: LogEvent, _ metadata: Logger.Metadata) -> [UInt8] {
        var fields = metadata.mapValues(Self.json)
        fields["ts"] = .string(TimestampFormat.string(Date()))
        fields["level"] = .string(event.level.rawValue)
        fields["logger"] = .string(label)
        fields["message"] = .string(event.message.description)
        if let error = event.error { fields["error"] = .string(String(describing: error)) }
        return JSONValue.object(fields).jsonBytes
    }

    static func json(_ value: Logger.Metadata.Value) -> JSONValue {
        switch value {
        case .string(let text): return .string(text)
        case .stringConvertible(let item):
            if let number = item as? any BinaryInteger, let whole = Int(exactly: number) { return .int(whole) }
            if let number = item as? Double, number.isFinite { return .double(number) }
            return .string(item.description)
        case .array(let items): return .array(items.map(json))
        case .dictionary(let members): return .object(members.mapValues(json))
        }
    }

    /// `text` with control characters written as `\n`, `\r`, `\t` or `\u{…}`.
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

    /// Writes a line to standard error in one `write`, so concurrent lines never interleave.
    public static let standardError: @Sendable ([UInt8]) -> Void = { line in
        line.withUnsafeBytes { buffer in
            var offset = 0
            while offset < buffer.count {
                let written = write(STDERR_FILENO, buffer.baseAddress! + offset, buffer.count - offset)
                if written <= 0 { if errno == EINTR { continue }; return }
                offset += written
            }
        }
    }
}
