#if canImport(Glibc)
import Glibc
#endif
import Foundation
import MachineAuthCore

/// One line of the audit trail, and the one judge of whether a line is a record: listings,
/// their totals, exports and retention all read lines through it, so they agree on every
/// line. By default only the fields a query filters and sorts on are kept (found with
/// ``JSONScanner``); a page keeps the whole record only for the lines it returns.
///
/// ```swift
/// if let line = AuditLine(bytes, place: place), query.matches(line.probe) { … }
/// let record = AuditLine(bytes, place: place, whole: true)?.probe
/// ```
struct AuditLine {
    /// The record: without `details`, `ip_address`, `user_agent` and `request_id` unless read
    /// `whole`. Enough for ``AuditQuery/matches(_:)`` and the listing's order (time, then id,
    /// newest first).
    var probe: AuditRecord
    /// Where the line is in its segment (without the newline).
    var place: Range<Int>

    /// Reads `line`; `nil` when it is not a record as ``AuditRecord/writeJSONLine(to:)`` writes
    /// them: one object of distinct, unescaped keys, valid UTF-8 without raw control
    /// characters, with the required fields, every field a string or `null` and `details` a
    /// JSON object (RFC 8259, checked by ``JSONValue/parse(_:)`` whether or not it is kept).
    /// A damaged line is left out of listings, their totals, exports and retention alike.
    init?(_ line: UnsafeRawBufferPointer, place: Range<Int>, whole: Bool = false) {
        guard Self.isPlainText(line) else { return nil }
        var scanner = JSONScanner(line)
        guard let members = try? scanner.members(), scanner.isAtEnd() else { return nil }
        var values = [String?](repeating: nil, count: Field.allCases.count)
        var seen: UInt32 = 0
        var otherKeys: [String] = []
        var details: [String: JSONValue] = [:]
        for (key, value) in members {
            if let field = Field(key: key) {
                guard seen & field.bit == 0 else { return nil }
                seen |= field.bit
                if field == .details {
                    guard line[value.lowerBound] == UInt8(ascii: "{") else { return nil }
                    if whole || !Self.isFlatObject(line, value) {
                        guard case .object(let object)? = try? JSONValue.parse(UnsafeRawBufferPointer(rebasing: line[value])) else { return nil }
                        details = whole ? object : [:]
                    }
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
            ipAddress: whole ? value(.ipAddress) : nil, userAgent: whole ? value(.userAgent) : nil,
            requestID: whole ? value(.requestID) : nil, details: details)
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

        /// Each field's key as bytes, by raw value: keys are matched byte for byte, which is
        /// cheaper than comparing strings.
        private static let keyBytes: [[UInt8]] = allCases.map { Array($0.key.utf8) }

        init?(key: String) {
            var key = key
            let index = key.withUTF8 { key in
                Self.keyBytes.firstIndex { $0.count == key.count && $0.withUnsafeBufferPointer { memcmp($0.baseAddress!, key.baseAddress!, key.count) == 0 } }
            }
            guard let index, let field = Self(rawValue: index) else { return nil }
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

    /// Whether the object at `range` of `line` is one that ``JSONValue/parse(_:)`` reads, told
    /// without building it when it has the shape of nearly every record's details: distinct
    /// keys and string values, none with an escape (the line is already known to be valid
    /// UTF-8 without control characters). `false` means "parse it to know", not "invalid".
    private static func isFlatObject(_ line: UnsafeRawBufferPointer, _ range: Range<Int>) -> Bool {
        var scanner = JSONScanner(line, at: range.lowerBound)
        guard let members = try? scanner.members(), members.count <= 16 else { return false }
        for (index, member) in members.enumerated() {
            let value = line[member.value]
            guard value.count >= 2, value.first == UInt8(ascii: "\""), value.last == UInt8(ascii: "\""),
                memchr(line.baseAddress! + member.value.lowerBound, 0x5C, member.value.count) == nil, !member.key.utf8.contains(0x5C),
                !members[..<index].contains(where: { $0.key == member.key })
            else { return false }
        }
        return true
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

extension AuditSegment {
    /// Calls `body` with every record (see ``AuditLine``) among the complete lines that start
    /// in `range`, with the line's bytes; damaged lines are skipped. Returns where the last
    /// complete line ends.
    @discardableResult
    func forEachRecord(
        in range: Range<Int>, whole: Bool = false, _ body: (_ line: AuditLine, _ bytes: UnsafeRawBufferPointer) throws -> Void
    ) throws -> Int {
        try forEachLine(in: range) { bytes, place in
            if let line = AuditLine(bytes, place: place, whole: whole) { try body(line, bytes) }
        }
    }

    /// The whole record on the line at `place`; `nil` when that line is not one.
    func record(at place: Range<Int>) throws -> AuditRecord? {
        try bytes(place).withUnsafeBytes { AuditLine($0, place: place, whole: true)?.probe }
    }
}
