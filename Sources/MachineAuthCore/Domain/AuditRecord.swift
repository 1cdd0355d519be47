public import Foundation

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

    /// Whether only `from` and `to` are set, so a record's time alone decides ``matches(_:)``.
    public var filtersOnTimeOnly: Bool {
        agentID == nil && action == nil && actorID == nil && organizationID == nil
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
    /// The record as JSON text with the stores' field names and timestamp format (keys sorted) —
    /// written field by field, since audit trails are written at token-issuance rates.
    public var jsonLine: String {
        var output = [UInt8]()
        writeJSONLine(to: &output)
        return String(decoding: output, as: UTF8.self)
    }

    /// Appends ``jsonLine`` to `output` (without a newline).
    public func writeJSONLine(to output: inout [UInt8]) {
        output.reserveCapacity(output.count + 512)
        let fields: [(String, String?)] = [
            ("action", action), ("actor_id", actorID), ("actor_type", actorType), ("agent_id", agentID),
        ]
        output.append(UInt8(ascii: "{"))
        for (key, value) in fields { Self.write(key, value, to: &output) }
        output.append(contentsOf: "\"details\":".utf8)
        JSONValue.object(details).write(to: &output)
        output.append(UInt8(ascii: ","))
        let rest: [(String, String?)] = [
            ("id", id), ("ip_address", ipAddress), ("organization_id", organizationID), ("outcome", outcome), ("request_id", requestID),
            ("target_id", targetID), ("target_type", targetType), ("time", TimestampFormat.string(time)),
        ]
        for (key, value) in rest { Self.write(key, value, to: &output) }
        output.append(contentsOf: "\"user_agent\":".utf8)
        if let userAgent { JSONValue.writeString(userAgent, to: &output) } else { output.append(contentsOf: "null".utf8) }
        output.append(UInt8(ascii: "}"))
    }

    private static func write(_ key: String, _ value: String?, to output: inout [UInt8]) {
        JSONValue.writeString(key, to: &output)
        output.append(UInt8(ascii: ":"))
        if let value { JSONValue.writeString(value, to: &output) } else { output.append(contentsOf: "null".utf8) }
        output.append(UInt8(ascii: ","))
    }
}
