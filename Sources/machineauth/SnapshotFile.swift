import Foundation
import Glibc
import MachineAuthCore

/// Snapshot files: JSON, written to a temporary file (mode 0600), synced, then renamed into place.
enum SnapshotFile {
    static func write(_ snapshot: StoreSnapshot, to path: String) throws -> Int {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        encoder.dateEncodingStrategy = TimestampFormat.encodingStrategy
        encoder.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "Infinity", negativeInfinity: "-Infinity", nan: "NaN")
        let data = try encoder.encode(snapshot)
        let temporary = path + ".tmp-\(getpid())"
        let descriptor = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else { throw CommandFailure("cannot create \(temporary): \(String(cString: strerror(errno)))") }
        let written = data.withUnsafeBytes { buffer -> Bool in
            var offset = 0
            while offset < buffer.count {
                let count = Glibc.write(descriptor, buffer.baseAddress! + offset, buffer.count - offset)
                if count < 0 { if errno == EINTR { continue }; return false }
                offset += count
            }
            return true
        }
        let synced = written && fsync(descriptor) == 0
        let reason = String(cString: strerror(errno))
        guard close(descriptor) == 0, synced, rename(temporary, path) == 0 else {
            unlink(temporary)
            throw CommandFailure("cannot write \(path): \(reason)")
        }
        let parent = (path as NSString).deletingLastPathComponent
        let directory = open(parent.isEmpty ? "." : parent, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        if directory >= 0 { fsync(directory); close(directory) }
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
