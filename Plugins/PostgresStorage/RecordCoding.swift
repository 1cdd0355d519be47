import Foundation
import MachineAuthCore

/// JSON for the `record` columns: the same encoding as the JSON store, dates with milliseconds.
enum RecordCoding {
    static let dates = Date.ISO8601FormatStyle(includingFractionalSeconds: true)

    static func encode(_ value: some Encodable) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        encoder.dateEncodingStrategy = .custom { date, encoder in
            var container = encoder.singleValueContainer()
            try container.encode(TimestampFormat.string(date))
        }
        return String(decoding: try encoder.encode(value), as: UTF8.self)
    }

    static func decode<T: Decodable>(_ type: T.Type, from text: String) throws -> T {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .custom { decoder in
            let text = try decoder.singleValueContainer().decode(String.self)
            if let date = try? Date(text, strategy: dates) { return date }
            if let date = try? Date(text, strategy: .iso8601) { return date }
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "invalid date \(text)"))
        }
        do {
            return try decoder.decode(T.self, from: Data(text.utf8))
        } catch {
            throw StorageError.corrupt("a stored \(T.self) record cannot be read: \(error)")
        }
    }
}
