import Foundation
import Logging
import MachineAuthCore
import PostgresNIO

/// Change notifications between instances: `agent:ID`, `org:ID`, `apikeys`, `keys`, `webhooks`,
/// `issuers`, `revoked:{json}`. After a dropped connection everything cached is reloaded.
extension PostgresStorage {
    func listen() async {
        var reconnecting = false
        while !Task.isCancelled {
            do {
                try await client.withConnection { connection in
                    try await connection.listen(on: Self.channel) { notifications in
                        if reconnecting {
                            self.cache.clear()
                            self.feed.send(.resynchronize)
                            self.logger.notice("change feed reconnected; caches reloaded")
                        }
                        reconnecting = true
                        for try await notification in notifications { self.apply(notification.payload) }
                    }
                }
            } catch {
                if Task.isCancelled { return }
                logger.warning("change feed interrupted: \(Self.describe(error)); retrying")
                reconnecting = true
            }
            try? await Task.sleep(for: .seconds(1))
        }
    }

    func apply(_ payload: String) {
        let (kind, value) = payload.firstIndex(of: ":").map { (String(payload[..<$0]), String(payload[payload.index(after: $0)...])) }
            ?? (payload, "")
        switch kind {
        case "agent":
            cache.dropAgent(value)
            feed.send(.agentChanged(id: value))
        case "org": cache.dropOrganization(value)
        case "apikeys": cache.dropAPIKeys()
        case "keys": feed.send(.signingKeysChanged)
        case "webhooks": feed.send(.webhooksChanged)
        case "issuers": feed.send(.trustedIssuersChanged)
        case "resync":
            cache.clear()
            feed.send(.resynchronize)
        case "revoked":
            if let token = try? RecordCoding.decode(RevokedAccessToken.self, from: value) { feed.send(.accessTokenRevoked(token)) }
        default: logger.debug("ignoring change notification \(payload)")
        }
    }

    /// Announces a change to every instance (delivered when the surrounding transaction commits).
    func notify(_ payload: String, on connection: PostgresConnection) async throws {
        try await connection.query("SELECT pg_notify(\(Self.channel), \(payload))", logger: logger)
    }

    func notify(_ payload: String) async throws {
        try await client.query("SELECT pg_notify(\(Self.channel), \(payload))", logger: logger)
    }
}
