import Foundation
public import Logging

/// A log handler that writes one JSON object per line (`LOG_FORMAT=json`): `ts`, `level`,
/// `logger`, `message`, then every metadata field. Metadata holding a whole number
/// (`status`) or a decimal (`ms`) is written as a JSON number, everything else as a string.
///
/// ```swift
/// LoggingSystem.bootstrap { JSONLineLogHandler(label: $0, level: .info) }
/// ```
public struct JSONLineLogHandler: LogHandler {
    public var metadata: Logger.Metadata = [:]
    public var logLevel: Logger.Level
    public var metadataProvider: Logger.MetadataProvider?
    private let label: String
    private let sink: @Sendable ([UInt8]) -> Void

    /// - Parameters:
    ///   - label: The logger's label (`logger` in each line).
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
        var fields: [String: JSONValue] = [:]
        let provided = metadataProvider?.get() ?? [:]
        for (key, value) in metadata.merging(provided, uniquingKeysWith: { $1 }).merging(event.metadata ?? [:], uniquingKeysWith: { $1 }) {
            fields[key] = Self.json(value)
        }
        fields["ts"] = .string(TimestampFormat.string(Date()))
        fields["level"] = .string(event.level.rawValue)
        fields["logger"] = .string(label)
        fields["message"] = .string(event.message.description)
        if let error = event.error { fields["error"] = .string(String(describing: error)) }
        var line = JSONValue.object(fields).jsonBytes
        line.append(UInt8(ascii: "\n"))
        sink(line)
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
