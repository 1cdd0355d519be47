import Foundation
import MachineAuthCore

/// The store's JSON settings, shared by everything that writes or reads its files: sorted keys,
/// millisecond RFC 3339 timestamps, and infinite or NaN numbers written as strings — so
/// encoding a row never fails (a commit journals what it already changed in memory, and a
/// compaction writes every row; neither can skip one).
enum StoreJSON {
    private static let floats = (positive: "Infinity", negative: "-Infinity", nan: "NaN")

    static func encoder() -> JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        encoder.dateEncodingStrategy = TimestampFormat.encodingStrategy
        encoder.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: floats.positive, negativeInfinity: floats.negative, nan: floats.nan)
        return encoder
    }

    static func decoder() -> JSONDecoder {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = RFC3339.decodingStrategy
        decoder.nonConformingFloatDecodingStrategy = .convertFromString(positiveInfinity: floats.positive, negativeInfinity: floats.negative, nan: floats.nan)
        return decoder
    }
}
