import Foundation
import MachineAuthCore

/// Loads a snapshot (``SnapshotFile``) one row at a time from the mapped file: the decoder's
/// temporaries are one row's, so loading a large store neither doubles its memory nor leaves
/// the rows it keeps scattered between freed buffers. Numbers are range-checked
/// (``StoredRanges``) before the state is built.
enum SnapshotReader {
    /// Why a snapshot cannot be read.
    struct Unreadable: Error, CustomStringConvertible {
        var description: String
    }

    /// The state the file at `path` holds, or `nil` when there is no file.
    static func read(_ path: String) throws -> JSONStoreState? {
        guard let data = try StoreFile.map(path) else { return nil }
        return try data.withUnsafeBytes { try state(from: $0) }
    }

    static func state(from bytes: UnsafeRawBufferPointer) throws -> JSONStoreState {
        var scanner = JSONScanner(bytes)
        let members = Dictionary(try scanner.members(), uniquingKeysWith: { $1 })
        let decoder = StoreJSON.decoder()
        func decode<T: Decodable>(_ type: T.Type, _ range: Range<Int>) throws -> T {
            // The row's bytes in place (the mapping outlives the decode): no copy per row.
            try decoder.decode(type, from: Data(bytesNoCopy: UnsafeMutableRawPointer(mutating: bytes.baseAddress! + range.lowerBound),
                                                count: range.count, deallocator: .none))
        }
        func rows<T: Decodable>(_ name: String, _ type: T.Type, _ each: (T) throws -> Void) throws {
            guard let range = members[name] else { return }
            for row in try JSONScanner.elements(of: range, in: bytes) { try each(try decode(type, row)) }
        }
        let format = try members["format"].map { try decode(String.self, $0) }
        guard format == SnapshotFile.format else { throw Unreadable(description: "not a MachineAuth store (format \"\(format ?? "")\")") }
        let schema = try members["schema_version"].map { try decode(Int.self, $0) } ?? 0
        guard schema <= SnapshotFile.schemaVersion else {
            throw Unreadable(description: "written by a newer MachineAuth (schema \(schema), this build reads up to \(SnapshotFile.schemaVersion))")
        }
        var state = JSONStoreState()
        let sequence = try (members["journal_sequence"] ?? members["usage_sequence"]).map { try decode(Int.self, $0) } ?? 0
        guard StoredRanges.counter.contains(sequence) else { throw Unreadable(description: "journal_sequence \(sequence) is out of range") }
        state.sequence = sequence
        if let range = members["agents"] { state.reserveAgents(try JSONScanner.elements(of: range, in: bytes).count) }
        try rows("agents", Agent.self) { agent in
            if let problem = StoredRanges.problem(in: agent) { throw Unreadable(description: problem) }
            state.loadAgent(agent)
        }
        try rows("refresh_tokens", RefreshTokenRecord.self) { state.insertRefreshToken($0) }
        try rows("revoked_access_tokens", RevokedAccessToken.self) { state.revokedTokens.restore($0.jti, $0) }
        try rows("used_identifiers", UsedIdentifier.self) { state.usedIdentifiers.restore($0.key, $0) }
        try rows("signing_keys", SigningKeyRecord.self) { state.signingKeys.append($0) }
        let settings = try members["settings"].map { try decode([String: String].self, $0) } ?? [:]
        for (name, value) in settings { state.settings.restore(name, value) }
        try rows("organizations", Organization.self) { state.organizations.restore($0.id, $0) }
        try rows("teams", Team.self) { state.teams.restore($0.id, $0) }
        try rows("api_keys", APIKey.self) { state.setAPIKey($0) }
        try rows("users", AdminUser.self) { state.users.restore($0.id, $0) }
        try rows("webhooks", Webhook.self) { webhook in
            if let problem = StoredRanges.problem(in: webhook) { throw Unreadable(description: problem) }
            state.webhooks.restore(webhook.id, webhook)
        }
        try rows("webhook_deliveries", WebhookDelivery.self) { delivery in
            if let problem = StoredRanges.problem(in: delivery) { throw Unreadable(description: problem) }
            state.deliveries.restore(delivery.id, delivery)
        }
        try rows("trusted_issuers", TrustedIssuer.self) { issuer in
            if let problem = StoredRanges.problem(in: issuer) { throw Unreadable(description: problem) }
            state.trustedIssuers.restore(issuer.id, issuer)
        }
        state.discardChanges()
        return state
    }
}
