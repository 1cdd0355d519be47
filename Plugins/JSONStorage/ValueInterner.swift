import MachineAuthCore

/// Lets equal lists and maps decoded from a store share one buffer.
///
/// Fleets repeat themselves: most agents carry the same scopes, grant types, tags and metadata,
/// and decoding gives each its own copy. Sharing them saves a few hundred bytes an agent;
/// copy-on-write keeps later changes to one agent its own.
struct ValueInterner {
    private var lists = Set<[String]>()
    private var maps = Set<[String: String]>()

    mutating func share(_ list: [String]) -> [String] {
        list.isEmpty ? list : lists.insert(list).memberAfterInsert
    }

    mutating func share(_ map: [String: String]) -> [String: String] {
        map.isEmpty ? map : maps.insert(map).memberAfterInsert
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
}
