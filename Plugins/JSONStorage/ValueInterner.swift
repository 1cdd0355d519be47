import MachineAuthCore

/// Lets equal strings, lists and maps share one buffer.
///
/// Fleets repeat themselves: most agents carry the same scopes, grant types, tags and metadata,
/// and every refresh token repeats its agent's ids, scopes and audience; decoding or building
/// each gives it its own copy. Sharing saves a few hundred bytes an agent and about half of
/// every refresh token; copy-on-write keeps later changes to one row its own. At most
/// ``limit`` values of each kind are remembered (values chosen by clients, such as scope
/// subsets, cannot grow it without bound).
struct ValueInterner: Sendable {
    static let limit = 200_000

    private var strings = Set<String>()
    private var lists = Set<[String]>()
    private var maps = Set<[String: String]>()

    mutating func share(_ string: String) -> String {
        Self.share(string, in: &strings)
    }

    mutating func share(_ list: [String]) -> [String] {
        list.isEmpty ? list : Self.share(list, in: &lists)
    }

    mutating func share(_ map: [String: String]) -> [String: String] {
        map.isEmpty ? map : Self.share(map, in: &maps)
    }

    /// The agent with its lists and maps shared with equal ones seen before.
    mutating func share(_ agent: Agent) -> Agent {
        var agent = agent
        agent.tags = share(agent.tags)
        agent.scopes = share(agent.scopes)
        agent.grantTypes = share(agent.grantTypes)
        agent.metadata = share(agent.metadata)
        return agent
    }

    /// The token with its agent's ids, its scopes and audience shared with other tokens.
    mutating func share(_ token: RefreshTokenRecord) -> RefreshTokenRecord {
        var token = token
        token.agentID = share(token.agentID)
        token.clientID = share(token.clientID)
        token.scopes = share(token.scopes)
        token.audience = share(token.audience)
        return token
    }

    private static func share<Value: Hashable>(_ value: Value, in set: inout Set<Value>) -> Value {
        if let known = set.firstIndex(of: value) { return set[known] }
        if set.count < limit { set.insert(value) }
        return value
    }
}
