import MachineAuthCore
import Synchronization

/// What a request's handlers learn that its log line reports — who the caller turned out to
/// be. The context is a value copied down the middleware chain, so the request log reads these
/// notes through a reference it made before calling on.
public final class RequestNotes: Sendable {
    private let caller = Mutex<EventActor?>(nil)

    init() {}

    /// Records the authenticated caller (the last one wins: a token request's client).
    func record(_ actor: EventActor) {
        caller.withLock { $0 = actor }
    }

    /// The caller's log fields: `agent_id`, `api_key_id` or `admin`; none for anonymous calls.
    var logMetadata: [String: String] {
        guard let actor = caller.withLock({ $0 }), let id = actor.id else { return [:] }
        switch actor.kind {
        case "agent": return ["agent_id": id]
        case "api_key": return ["api_key_id": id]
        case "admin": return ["admin": id]
        default: return [:]
        }
    }
}
