import Foundation
import MachineAuthCore

/// The snapshot: the store file, one JSON document (`format`, `schema_version`, the sequence of
/// the last journal record it includes, then one array per table). Written atomically and
/// durably, streamed a megabyte at a time so a large store is never held in memory as text.
struct SnapshotFile: Sendable {
    static let format = "machineauth-store"
    /// 2: `journal_sequence` names the last journal record included (1 had `usage_sequence`).
    static let schemaVersion = 2
    private static let chunk = 1 << 20

    let file: DurableFile

    /// Writes `state`, leaving out what `policy` drops; returns the keys it left out.
    @discardableResult
    func write(_ state: JSONStoreState, policy: CompactionPolicy?) throws -> CompactionPolicy.Dropped {
        var dropped = CompactionPolicy.Dropped()
        let encoder = RowEncoder()
        try file.write { emit in
            var buffer = [UInt8]()
            buffer.reserveCapacity(Self.chunk + 64 * 1024)
            func table<Value: Encodable>(_ name: String, _ rows: some Sequence<Value>, dropping drops: (Value) -> Bool = { _ in false },
                                         into keys: ((Value) -> Void)? = nil) throws {
                buffer.append(contentsOf: ",\"\(name)\":[".utf8)
                var first = true
                for row in rows {
                    if drops(row) {
                        keys?(row)
                        continue
                    }
                    if !first { buffer.append(UInt8(ascii: ",")) }
                    first = false
                    if let token = row as? RefreshTokenRecord { encoder.append(token, to: &buffer) } else { try encoder.append(row, to: &buffer) }
                    if buffer.count >= Self.chunk {
                        try buffer.withUnsafeBytes(emit)
                        buffer.removeAll(keepingCapacity: true)
                    }
                }
                buffer.append(UInt8(ascii: "]"))
            }
            buffer.append(contentsOf: "{\"format\":\"\(Self.format)\",\"schema_version\":\(Self.schemaVersion),\"journal_sequence\":\(state.sequence)".utf8)
            try table("agents", state.agents)
            try table("refresh_tokens", state.refreshTokens, dropping: { policy?.drops($0) == true }, into: { dropped.refreshTokens.append($0.hash) })
            try table("revoked_access_tokens", state.revokedTokens, dropping: { policy?.drops($0) == true }, into: { dropped.revokedTokens.append($0.jti) })
            try table("used_identifiers", state.usedIdentifiers, dropping: { policy?.drops($0) == true }, into: { dropped.usedIdentifiers.append($0.key) })
            try table("signing_keys", state.signingKeys)
            buffer.append(contentsOf: #","settings":"#.utf8)
            try encoder.append(Dictionary(uniqueKeysWithValues: state.settings.keyedRows), to: &buffer)
            try table("organizations", state.organizations)
            try table("teams", state.teams)
            try table("api_keys", state.apiKeys)
            try table("users", state.users)
            try table("webhooks", state.webhooks)
            try table("webhook_deliveries", state.deliveries, dropping: { policy?.drops($0) == true }, into: { dropped.deliveries.append($0.id) })
            try table("trusted_issuers", state.trustedIssuers)
            buffer.append(UInt8(ascii: "}"))
            try buffer.withUnsafeBytes(emit)
        }
        return dropped
    }
}
