import Foundation
import MachineAuthCore

/// One line of the audit trail read only as far as a listing needs: the fields a query filters
/// and sorts on, found with ``JSONScanner`` without decoding the record's details. A page
/// decodes whole records only for the lines it returns.
///
/// ```swift
/// if let line = AuditLine(bytes, place: place), query.matches(line.probe) { … }
/// ```
struct AuditLine {
    /// The record's own fields, `details` left empty: what ``AuditQuery/matches(_:)`` and the
    /// listing's order (time, then id, newest first) look at.
    var probe: AuditRecord
    /// Where the line is in its segment (without the newline).
    var place: Range<Int>

    /// Reads `line`; `nil` when it is not a record as ``AuditRecord/writeJSONLine(to:)`` writes
    /// them: one object of distinct, unescaped keys, valid UTF-8 without raw control
    /// characters, with the required fields, every field a string or `null` and `details` an
    /// object. A damaged line is left out of listings and their totals alike.
    init?(_ line: UnsafeRawBufferPointer, place: Range<Int>) {
        guard Self.isPlainText(line) else { return nil }
        var scanner = JSONScanner(line)
        guard let members = try? scanner.members(), scanner.isAtEnd() else { return nil }
        var values = [String?](repeating: nil, count: Field.allCases.count)
        var seen: UInt32 = 0
        var otherKeys: [String] = []
        for (key, value) in members {
            if let field = Field(key: key) {
                guard seen & field.bit == 0 else { return nil }
                seen |= field.bit
                if field == .details {
                    guard line[value.lowerBound] == UInt8(ascii: "{") else { return nil }
                    continue
                }
                guard let text = Self.string(in: line, value) else { return nil }
                values[field.rawValue] = text
            } else {
                guard !key.utf8.contains(UInt8(ascii: "\\")), !otherKeys.contains(key), case .some = Self.string(in: line, value) else { return nil }
                otherKeys.append(key)
            }
        }
        func value(_ field: Field) -> String? { values[field.rawValue] }
        guard seen & Field.details.bit != 0, let id = value(.id), let timeText = value(.time), let time = RFC3339.parse(timeText),
            let action = value(.action), let actorType = value(.actorType), let outcome = value(.outcome)
        else { return nil }
        probe = AuditRecord(
            id: id, time: time, action: action, actorType: actorType, actorID: value(.actorID), targetType: value(.targetType),
            targetID: value(.targetID), agentID: value(.agentID), organizationID: value(.organizationID), outcome: outcome,
            ipAddress: nil, userAgent: nil, requestID: nil, details: [:])
        self.place = place
    }

    /// The keys ``AuditRecord/writeJSONLine(to:)`` writes. A key from elsewhere (a later
    /// version) must hold a string or `null` and is otherwise ignored.
    private enum Field: Int, CaseIterable {
        case id, time, action, actorType, outcome, actorID, targetType, targetID, agentID, organizationID, ipAddress, userAgent, requestID, details

        var bit: UInt32 { 1 << UInt32(rawValue) }

        var key: String {
            switch self {
            case .id: "id"
            case .time: "time"
            case .action: "action"
            case .actorType: "actor_type"
            case .outcome: "outcome"
            case .actorID: "actor_id"
            case .targetType: "target_type"
            case .targetID: "target_id"
            case .agentID: "agent_id"
            case .organizationID: "organization_id"
            case .ipAddress: "ip_address"
            case .userAgent: "user_agent"
            case .requestID: "request_id"
            case .details: "details"
            }
        }

        init?(key: String) {
            guard let field = Self.allCases.first(where: { $0.key.utf8.elementsEqual(key.utf8) }) else { return nil }
            self = field
        }
    }

    /// Whether `line` is valid UTF-8 without raw control characters. Audit lines are nearly
    /// always ASCII, so the UTF-8 check (which builds a string) runs only when a byte above
    /// 0x7F is there.
    private static func isPlainText(_ line: UnsafeRawBufferPointer) -> Bool {
        var highBits: UInt8 = 0
        for byte in line {
            if byte < 0x20 { return false }
            highBits |= byte
        }
        return highBits < 0x80 || String(validating: line, as: UTF8.self) != nil
    }

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
