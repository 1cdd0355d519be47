import Foundation
import MachineAuthCore

/// One line of the audit trail read only as far as a listing needs: the fields a query filters
/// and sorts on, found with ``JSONScanner`` without decoding the record's details. A page
/// decodes whole records only for the lines it returns.
///
/// ```swift
/// if let line = AuditLine(bytes, range: start..<newline), query.matches(line.probe) { … }
/// ```
struct AuditLine {
    /// The record's own fields, `details` left empty: what ``AuditQuery/matches(_:)`` and the
    /// listing's order (time, then id, newest first) look at.
    var probe: AuditRecord
    /// The line's bytes within its segment (without the newline).
    var range: Range<Int>

    /// Reads the line at `range` of `bytes`; `nil` when it is not a record (a torn or damaged
    /// line, which the full decoder would refuse too).
    init?(_ bytes: UnsafeRawBufferPointer, range: Range<Int>) {
        let line = UnsafeRawBufferPointer(rebasing: bytes[range])
        var scanner = JSONScanner(line)
        guard let members = try? scanner.members() else { return nil }
        var fields: [String: String?] = [:]
        fields.reserveCapacity(members.count)
        for (key, value) in members where Self.filtered.contains(key) {
            guard let text = Self.string(in: line, value) else { return nil }
            fields[key] = text
        }
        guard let id = fields["id"] ?? nil, let timeText = fields["time"] ?? nil, let time = RFC3339.parse(timeText),
            let action = fields["action"] ?? nil, let actorType = fields["actor_type"] ?? nil, let outcome = fields["outcome"] ?? nil
        else { return nil }
        func optional(_ key: String) -> String? { fields[key] ?? nil }
        probe = AuditRecord(
            id: id, time: time, action: action, actorType: actorType, actorID: optional("actor_id"), targetType: optional("target_type"),
            targetID: optional("target_id"), agentID: optional("agent_id"), organizationID: optional("organization_id"), outcome: outcome,
            ipAddress: nil, userAgent: nil, requestID: nil, details: [:])
        self.range = range
    }

    /// Whether this line is listed before `other`: newer first, then the larger id.
    func precedes(_ other: AuditLine) -> Bool {
        (probe.time, probe.id) > (other.probe.time, other.probe.id)
    }

    private static let filtered: Set<String> = [
        "id", "time", "action", "actor_type", "actor_id", "target_type", "target_id", "agent_id", "organization_id", "outcome",
    ]

    /// The string at `range` of `line`: `.some(nil)` for `null`, `nil` when the value is neither.
    private static func string(in line: UnsafeRawBufferPointer, _ range: Range<Int>) -> String?? {
        let value = UnsafeRawBufferPointer(rebasing: line[range])
        if value.elementsEqual("null".utf8) { return .some(nil) }
        guard value.count >= 2, value.first == UInt8(ascii: "\""), value.last == UInt8(ascii: "\"") else { return nil }
        let inner = UnsafeRawBufferPointer(rebasing: value[(value.startIndex + 1)..<(value.endIndex - 1)])
        if !inner.contains(UInt8(ascii: "\\")) { return .some(String(decoding: inner, as: UTF8.self)) }
        guard case .string(let text)? = try? JSONValue.parse(value) else { return nil }
        return .some(text)
    }
}
