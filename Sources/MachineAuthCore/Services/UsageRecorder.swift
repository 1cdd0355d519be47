import Foundation
import Synchronization

/// Collects per-agent usage in memory and writes it to storage in batches (every few
/// seconds and on shutdown), so token issuance does not write counters one by one.
public final class UsageRecorder: Sendable {
    private let pending = Mutex<[String: UsageDelta]>([:])
    private let store: any AgentStore

    public init(store: any AgentStore) {
        self.store = store
    }

    public func record(_ agentID: String, _ delta: UsageDelta) {
        pending.withLock { $0[agentID, default: UsageDelta()].merge(delta) }
    }

    /// Not yet flushed changes for one agent (so the API shows current numbers).
    public func unflushed(_ agentID: String) -> UsageDelta? {
        pending.withLock { $0[agentID] }
    }

    /// Writes everything collected so far; on failure the batch is kept for the next try.
    public func flush() async throws {
        let batch = pending.withLock { pending -> [String: UsageDelta] in
            defer { pending = [:] }
            return pending
        }
        guard !batch.isEmpty else { return }
        do {
            try await store.applyUsage(batch)
        } catch {
            pending.withLock { pending in
                for (id, delta) in batch { pending[id, default: UsageDelta()].merge(delta) }
            }
            throw error
        }
    }
}
