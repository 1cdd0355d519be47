import Foundation

/// One audited operation: who did what to what, with what outcome, from where.
public struct AuditRecord: Sendable, Hashable, Codable {
    public var id: String
    public var time: Date
    public var action: String
    public var actorType: String
    public var actorID: String?
    public var targetType: String?
    public var targetID: String?
    public var agentID: String?
    public var organizationID: String?
    public var outcome: String
    public var ipAddress: String?
    public var userAgent: String?
    public var requestID: String?
    public var details: [String: JSONValue]

    public init(
        id: String, time: Date, action: String, actorType: String, actorID: String?, targetType: String?,
        targetID: String?, agentID: String?, organizationID: String?, outcome: String, ipAddress: String?,
        userAgent: String?, requestID: String?, details: [String: JSONValue]
    ) {
        self.id = id
        self.time = time
        self.action = action
        self.actorType = actorType
        self.actorID = actorID
        self.targetType = targetType
        self.targetID = targetID
        self.agentID = agentID
        self.organizationID = organizationID
        self.outcome = outcome
        self.ipAddress = ipAddress
        self.userAgent = userAgent
        self.requestID = requestID
        self.details = details
    }

    enum CodingKeys: String, CodingKey {
        case id, time, action, outcome, details
        case actorType = "actor_type", actorID = "actor_id", targetType = "target_type", targetID = "target_id"
        case agentID = "agent_id", organizationID = "organization_id", ipAddress = "ip_address"
        case userAgent = "user_agent", requestID = "request_id"
    }
}

/// Filters for listing audit records.
public struct AuditQuery: Sendable, Hashable {
    public var agentID: String?
    public var action: String?
    public var actorID: String?
    public var organizationID: String?
    public var from: Date?
    public var to: Date?
    public var page: PageRequest

    public init(
        agentID: String? = nil, action: String? = nil, actorID: String? = nil, organizationID: String? = nil,
        from: Date? = nil, to: Date? = nil, page: PageRequest = PageRequest()
    ) {
        self.agentID = agentID
        self.action = action
        self.actorID = actorID
        self.organizationID = organizationID
        self.from = from
        self.to = to
        self.page = page
    }

    public func matches(_ record: AuditRecord) -> Bool {
        if let agentID, record.agentID != agentID && record.targetID != agentID { return false }
        if let action, !(action.hasSuffix("*") ? record.action.hasPrefix(action.dropLast()) : record.action == action) { return false }
        if let actorID, record.actorID != actorID { return false }
        if let organizationID, record.organizationID != organizationID { return false }
        if let from, record.time < from { return false }
        if let to, record.time > to { return false }
        return true
    }
}

extension AuditRecord {
    /// The record as JSON text with the stores' field names and timestamp format — built
    /// directly, since audit trails are written at token-issuance rates.
    public var jsonLine: String {
        func text(_ value: String?) -> JSONValue { value.map(JSONValue.string) ?? .null }
        return JSONValue.object([
            "id": .string(id), "time": .string(TimestampFormat.string(time)), "action": .string(action), "actor_type": .string(actorType),
            "actor_id": text(actorID), "target_type": text(targetType), "target_id": text(targetID), "agent_id": text(agentID),
            "organization_id": text(organizationID), "outcome": .string(outcome), "ip_address": text(ipAddress),
            "user_agent": text(userAgent), "request_id": text(requestID), "details": .object(details),
        ]).jsonText
    }
}
