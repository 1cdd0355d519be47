import Foundation
import MachineAuthCore

/// One line of the journal: a commit's ``StoreChanges`` with its sequence number.
///
/// ```json
/// {"seq":42,"refresh_tokens":{"put":[{…}]},"agents":{"delete":["…"]},"usage":{"<agent id>":{"tokens":3,…}}}
/// ```
/// Table names are the snapshot's. Lines of the usage journal of earlier versions
/// (`{"sequence":7,"deltas":{…}}`) read as records holding only usage.
struct JournalRecord: Sendable, Decodable {
    var sequence: Int
    var changes: StoreChanges

    init(sequence: Int, changes: StoreChanges) {
        self.sequence = sequence
        self.changes = changes
    }

    /// The line (ending in a newline).
    func encoded(with encoder: RowEncoder) throws -> [UInt8] {
        var output = [UInt8]()
        output.reserveCapacity(512)
        output.append(contentsOf: #"{"seq":"#.utf8)
        output.append(contentsOf: String(sequence).utf8)
        func table<Value: Encodable>(_ key: Key, _ table: StoreChanges.Table<Value>) throws {
            guard !table.isEmpty else { return }
            output.append(contentsOf: ",\"\(key.rawValue)\":{".utf8)
            if !table.put.isEmpty {
                output.append(contentsOf: #""put":"#.utf8)
                try encoder.appendArray(table.put, to: &output)
            }
            if !table.delete.isEmpty {
                output.append(contentsOf: (table.put.isEmpty ? #""delete":"# : #","delete":"#).utf8)
                try encoder.append(table.delete, to: &output)
            }
            output.append(UInt8(ascii: "}"))
        }
        try table(.agents, changes.agents)
        try table(.refreshTokens, changes.refreshTokens)
        try table(.revokedTokens, changes.revokedTokens)
        try table(.usedIdentifiers, changes.usedIdentifiers)
        try table(.organizations, changes.organizations)
        try table(.teams, changes.teams)
        try table(.apiKeys, changes.apiKeys)
        try table(.users, changes.users)
        try table(.webhooks, changes.webhooks)
        try table(.deliveries, changes.deliveries)
        try table(.trustedIssuers, changes.trustedIssuers)
        func member(_ key: Key, _ value: some Encodable) throws {
            output.append(contentsOf: ",\"\(key.rawValue)\":".utf8)
            try encoder.append(value, to: &output)
        }
        if !changes.settings.isEmpty { try member(.settings, changes.settings) }
        if let ring = changes.signingKeys { try member(.signingKeys, ring) }
        if !changes.usage.isEmpty { try member(.usage, changes.usage.mapValues(Usage.init)) }
        output.append(contentsOf: "}\n".utf8)
        return output
    }

    enum Key: String, CodingKey {
        case seq, sequence, agents, teams, users, webhooks, settings, usage, deltas
        case refreshTokens = "refresh_tokens", revokedTokens = "revoked_access_tokens", organizations
        case apiKeys = "api_keys", deliveries = "webhook_deliveries", signingKeys = "signing_keys", usedIdentifiers = "used_identifiers"
        case trustedIssuers = "trusted_issuers"
    }

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: Key.self)
        sequence = try container.decodeIfPresent(Int.self, forKey: .seq) ?? container.decode(Int.self, forKey: .sequence)
        changes = StoreChanges()
        func table<Value: Decodable>(_ key: Key) throws -> StoreChanges.Table<Value> {
            try container.decodeIfPresent(StoreChanges.Table<Value>.self, forKey: key) ?? .init()
        }
        changes.agents = try table(.agents)
        changes.refreshTokens = try table(.refreshTokens)
        changes.revokedTokens = try table(.revokedTokens)
        changes.usedIdentifiers = try table(.usedIdentifiers)
        changes.organizations = try table(.organizations)
        changes.teams = try table(.teams)
        changes.apiKeys = try table(.apiKeys)
        changes.users = try table(.users)
        changes.webhooks = try table(.webhooks)
        changes.deliveries = try table(.deliveries)
        changes.trustedIssuers = try table(.trustedIssuers)
        changes.settings = try container.decodeIfPresent([String: String].self, forKey: .settings) ?? [:]
        changes.signingKeys = try container.decodeIfPresent([SigningKeyRecord].self, forKey: .signingKeys)
        let usage = try container.decodeIfPresent([String: Usage].self, forKey: .usage)
            ?? container.decodeIfPresent([String: Usage].self, forKey: .deltas) ?? [:]
        changes.usage = usage.mapValues(\.delta)
    }

    /// One agent's counters in a record.
    struct Usage: Codable, Sendable {
        var tokens: Int
        var refreshes: Int
        var failures: Int
        var lastTokenAt: Date?
        var lastActivityAt: Date?

        enum CodingKeys: String, CodingKey {
            case tokens, refreshes, failures, lastTokenAt = "last_token_at", lastActivityAt = "last_activity_at"
        }

        init(_ delta: UsageDelta) {
            (tokens, refreshes, failures) = (delta.tokens, delta.refreshes, delta.failures)
            (lastTokenAt, lastActivityAt) = (delta.lastTokenAt, delta.lastActivityAt)
        }

        var delta: UsageDelta {
            UsageDelta(tokens: tokens, refreshes: refreshes, failures: failures, lastTokenAt: lastTokenAt, lastActivityAt: lastActivityAt)
        }
    }
}

extension StoreChanges.Table: Decodable where Value: Decodable {
    enum CodingKeys: String, CodingKey { case put, delete }

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.init(put: try container.decodeIfPresent([Value].self, forKey: .put) ?? [],
                  delete: try container.decodeIfPresent([String].self, forKey: .delete) ?? [])
    }
}
