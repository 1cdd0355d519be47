import Foundation
import MachineAuthCore

/// Snapshot files: JSON, replaced atomically and durably (``DurableFile``: a 0600 temporary file, synced, renamed).
enum SnapshotFile {
    static func write(_ snapshot: StoreSnapshot, to path: String) throws -> Int {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        encoder.dateEncodingStrategy = TimestampFormat.encodingStrategy
        encoder.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "Infinity", negativeInfinity: "-Infinity", nan: "NaN")
        let data = try encoder.encode(snapshot)
        try DurableFile(path: path).write(data)
        return data.count
    }

    static func read(_ path: String) throws -> StoreSnapshot {
        guard let data = FileManager.default.contents(atPath: path) else { throw CommandFailure("cannot read \(path)") }
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = RFC3339.decodingStrategy
        decoder.nonConformingFloatDecodingStrategy = .convertFromString(positiveInfinity: "Infinity", negativeInfinity: "-Infinity", nan: "NaN")
        struct Header: Decodable { var format: String?; var version: Int? }
        let header = try? decoder.decode(Header.self, from: data)
        guard header?.format == StoreSnapshot.formatName else {
            throw CommandFailure("\(path) is not a MachineAuth snapshot (no \"format\": \"\(StoreSnapshot.formatName)\"); make one with machineauth backup")
        }
        guard let version = header?.version, version == StoreSnapshot.formatVersion else {
            throw CommandFailure("\(path) is a snapshot of format version \(header?.version.map(String.init) ?? "?"); this machineauth reads version \(StoreSnapshot.formatVersion)")
        }
        do {
            return try decoder.decode(StoreSnapshot.self, from: data)
        } catch {
            throw CommandFailure("\(path) is not a readable snapshot: \(error)")
        }
    }
}
