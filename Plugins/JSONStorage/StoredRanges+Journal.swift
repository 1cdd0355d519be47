import MachineAuthCore

extension StoredRanges {
    /// The first out-of-range number in one journal record's changes.
    static func problem(in changes: StoreChanges) -> String? {
        changes.agents.put.lazy.compactMap(problem(in:)).first
            ?? changes.webhooks.put.lazy.compactMap(problem(in:)).first
            ?? changes.deliveries.put.lazy.compactMap(problem(in:)).first
            ?? changes.trustedIssuers.put.lazy.compactMap(problem(in:)).first
            ?? changes.usage.lazy.compactMap { problem(in: $0.value, agent: $0.key) }.first
    }
}
