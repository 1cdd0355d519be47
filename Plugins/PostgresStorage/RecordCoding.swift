import Foundation
import MachineAuthCore

/// JSON for the `record` columns: the same encoding as the JSON store, dates with milliseconds.
enum RecordCoding {
    static func encode(_ value: some Encodable) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        encoder.dateEncodingStrategy = TimestampFormat.encodingStrategy
        return String(decoding: try encoder.encode(value), as: UTF8.self)
    }

    static func decode<T: Decodable>(_ type: T.Type, from text: String) throws -> T {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = RFC3339.decodingStrategy
        do {
            return try decoder.decode(T.self, from: Data(text.utf8))
        } catch {
            throw StorageError.corrupt("a stored \(T.self) record cannot be read: \(error)")
        }
    }
}
