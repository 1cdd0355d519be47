import Foundation
public import MachineAuthCore
import PostgresNIO

/// The agent lookup behind every client-credential check. It asks the database on every call —
/// so a secret rotation or deactivation committed by any instance counts at once — but as a
/// prepared statement (parsed and planned once per connection), and the stored record travels
/// and is decoded only when the row's version (`xmin`) differs from the copy held here.
struct AgentByClientID: PostgresPreparedStatement {
    static let name = "machineauth_agent_by_client_id_v1"
    static let sql = """
        SELECT xmin::text, CASE WHEN xmin::text = $2 THEN NULL ELSE record::text END
        FROM agents WHERE client_id = $1
        """
    typealias Row = (String, String?)

    var clientID: String
    /// The version of the copy held in memory ("" when there is none).
    var knownVersion: String

    func makeBindings() throws -> PostgresBindings {
        var bindings = PostgresBindings()
        bindings.append(clientID)
        bindings.append(knownVersion)
        return bindings
    }

    func decodeRow(_ row: PostgresRow) throws -> Row {
        try row.decode(Row.self)
    }
}

extension PostgresStorage {
    /// Usage counters of the returned agent are zero: credential checks do not read them.
    public func agentForAuthentication(clientID: String) async throws -> Agent? {
        let held = cache.credentialHolder(clientID)
        let row = try await mapped { [self] in
            let rows = try await client.execute(AgentByClientID(clientID: clientID, knownVersion: held?.version ?? ""), logger: logger)
            var first: AgentByClientID.Row?
            for try await row in rows where first == nil { first = row }
            return first
        }
        guard let (version, record) = row else {
            cache.dropCredentialHolder(clientID)
            return nil
        }
        if let record {
            let agent = try RecordCoding.decode(Agent.self, from: record)
            cache.store(credentialHolder: agent, version: version)
            return agent
        }
        guard let held else { throw StorageError.corrupt("agent with client id \(clientID) has no stored record") }
        return held.agent
    }
}
