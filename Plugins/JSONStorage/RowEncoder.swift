import Foundation
import MachineAuthCore

/// Writes store rows as JSON in the store's format (``StoreJSON``), for the snapshot and the
/// journal alike. Refresh tokens, written at token-issuance rates, are
/// written field by field; the other rows go through `JSONEncoder`. Not for concurrent use:
/// each writer (the journal under the state lock, a compaction) has its own.
struct RowEncoder {
    private let encoder = StoreJSON.encoder()

    func append(_ value: some Encodable, to output: inout [UInt8]) throws {
        output.append(contentsOf: try encoder.encode(value))
    }

    func append(_ token: RefreshTokenRecord, to output: inout [UInt8]) {
        output.append(contentsOf: #"{"agent_id":"#.utf8)
        JSONValue.writeString(token.agentID, to: &output)
        output.append(contentsOf: #","audience":"#.utf8)
        Self.write(token.audience, to: &output)
        output.append(contentsOf: #","client_id":"#.utf8)
        JSONValue.writeString(token.clientID, to: &output)
        Self.write(",\"created_at\":", token.createdAt, to: &output)
        Self.write(",\"expires_at\":", token.expiresAt, to: &output)
        output.append(contentsOf: #","family_id":"#.utf8)
        JSONValue.writeString(token.familyID, to: &output)
        output.append(contentsOf: #","hash":"#.utf8)
        JSONValue.writeString(token.hash, to: &output)
        if let revokedAt = token.revokedAt { Self.write(",\"revoked_at\":", revokedAt, to: &output) }
        output.append(contentsOf: #","scopes":"#.utf8)
        Self.write(token.scopes, to: &output)
        if let usedAt = token.usedAt { Self.write(",\"used_at\":", usedAt, to: &output) }
        output.append(UInt8(ascii: "}"))
    }

    /// Rows of one kind as a JSON array.
    func appendArray<Value: Encodable>(_ values: [Value], to output: inout [UInt8]) throws {
        output.append(UInt8(ascii: "["))
        for (index, value) in values.enumerated() {
            if index > 0 { output.append(UInt8(ascii: ",")) }
            if let token = value as? RefreshTokenRecord { append(token, to: &output) } else { try append(value, to: &output) }
        }
        output.append(UInt8(ascii: "]"))
    }

    private static func write(_ strings: [String], to output: inout [UInt8]) {
        output.append(UInt8(ascii: "["))
        for (index, string) in strings.enumerated() {
            if index > 0 { output.append(UInt8(ascii: ",")) }
            JSONValue.writeString(string, to: &output)
        }
        output.append(UInt8(ascii: "]"))
    }

    private static func write(_ key: StaticString, _ date: Date, to output: inout [UInt8]) {
        output.append(contentsOf: UnsafeBufferPointer(start: key.utf8Start, count: key.utf8CodeUnitCount))
        JSONValue.writeString(TimestampFormat.string(date), to: &output)
    }
}
