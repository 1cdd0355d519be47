public import Foundation

/// Something that happened, told to every notifier stage (audit, webhooks).
///
/// ```swift
/// DomainEvent(type: "agent.created", actor: .admin("admin@example.com"), target: .agent(agent.id))
/// ```
public struct DomainEvent: Sendable, Hashable, Codable {
    public var id: String
    public var type: String
    public var time: Date
    public var actor: EventActor
    public var target: EventTarget?
    public var outcome: Outcome
    public var organizationID: String?
    public var teamID: String?
    public var data: [String: JSONValue]
    public var origin: RequestOrigin

    public init(
        id: String = RandomToken.uuid(), type: String, time: Date = Date(), actor: EventActor,
        target: EventTarget? = nil, outcome: Outcome = .success, organizationID: String? = nil,
        teamID: String? = nil, data: [String: JSONValue] = [:], origin: RequestOrigin = RequestOrigin()
    ) {
        self.id = id
        self.type = type
        self.time = time
        self.actor = actor
        self.target = target
        self.outcome = outcome
        self.organizationID = organizationID
        self.teamID = teamID
        self.data = data
        self.origin = origin
    }

    public enum Outcome: String, Sendable, Hashable, Codable {
        case success, failure
    }
}

/// Who caused an event.
public struct EventActor: Sendable, Hashable, Codable {
    /// `admin`, `agent`, `api_key`, `system` or `anonymous`.
    public var kind: String
    public var id: String?

    public init(kind: String, id: String?) {
        self.kind = kind
        self.id = id
    }

    public static func admin(_ id: String) -> EventActor { EventActor(kind: "admin", id: id) }
    public static func agent(_ id: String) -> EventActor { EventActor(kind: "agent", id: id) }
    public static func apiKey(_ id: String) -> EventActor { EventActor(kind: "api_key", id: id) }
    public static let system = EventActor(kind: "system", id: nil)
    public static let anonymous = EventActor(kind: "anonymous", id: nil)
}

/// What an event is about.
public struct EventTarget: Sendable, Hashable, Codable {
    public var kind: String
    public var id: String

    public init(kind: String, id: String) {
        self.kind = kind
        self.id = id
    }

    public static func agent(_ id: String) -> EventTarget { EventTarget(kind: "agent", id: id) }
    public static func token(_ id: String) -> EventTarget { EventTarget(kind: "token", id: id) }
}

/// Where the request that caused an event came from.
public struct RequestOrigin: Sendable, Hashable, Codable {
    public var ipAddress: String?
    public var userAgent: String?
    public var requestID: String?

    public init(ipAddress: String? = nil, userAgent: String? = nil, requestID: String? = nil) {
        self.ipAddress = ipAddress
        self.userAgent = userAgent
        self.requestID = requestID
    }
}
