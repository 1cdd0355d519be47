import Foundation

/// Reads RFC 3339 timestamps from requests and files (`2030-01-31T12:00:00Z`, fractional
/// seconds and offsets allowed): the one parser every input and every store uses.
public enum RFC3339 {
    private static let fractional = Date.ISO8601FormatStyle(includingFractionalSeconds: true)

    /// The date, or `nil` when `text` is not an RFC 3339 timestamp.
    public static func parse(_ text: String) -> Date? {
        guard text.utf8.count <= 64 else { return nil }
        if text.utf8.contains(UInt8(ascii: ".")), let date = try? Date(text, strategy: fractional) { return date }
        return try? Date(text, strategy: .iso8601)
    }

    /// For `JSONDecoder`: timestamps as written by ``TimestampFormat``, a clear error otherwise.
    public static let decodingStrategy = JSONDecoder.DateDecodingStrategy.custom { decoder in
        let text = try decoder.singleValueContainer().decode(String.self)
        guard let date = parse(text) else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "invalid date \"\(text)\""))
        }
        return date
    }
}
