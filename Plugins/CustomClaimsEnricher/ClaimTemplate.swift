import Foundation
import MachineAuthCore

/// `{{agent.name}}`-style templates in claim values.
///
/// Variables: `agent.id`, `agent.name`, `agent.client_id`, `agent.organization_id`,
/// `agent.team_id`, `scope`, `grant_type`, `metadata.KEY`, `claims.NAME` (claims added by
/// earlier stages).
enum ClaimTemplate {
    static let fixed: Set<String> = ["agent.id", "agent.name", "agent.client_id", "agent.organization_id", "agent.team_id", "scope", "grant_type"]
    static let knownDescription = "agent.id, agent.name, agent.client_id, agent.organization_id, agent.team_id, scope, grant_type, metadata.KEY, claims.NAME"

    static func isKnown(_ variable: String) -> Bool {
        fixed.contains(variable) || (variable.hasPrefix("metadata.") && variable.count > 9) || (variable.hasPrefix("claims.") && variable.count > 7)
    }

    /// Every `{{variable}}` in a value (strings inside arrays and objects too).
    static func variables(in value: JSONValue) -> [String] {
        switch value {
        case .string(let text): return variables(in: text)
        case .array(let items): return items.flatMap { variables(in: $0) }
        case .object(let members): return members.values.flatMap { variables(in: $0) }
        default: return []
        }
    }

    static func variables(in text: String) -> [String] {
        var found: [String] = []
        var rest = Substring(text)
        while let open = rest.range(of: "{{"), let close = rest[open.upperBound...].range(of: "}}") {
            found.append(rest[open.upperBound..<close.lowerBound].trimmingASCIIWhitespace)
            rest = rest[close.upperBound...]
        }
        return found
    }

    /// Replaces every variable; `nil` when one has no value.
    static func render(_ value: JSONValue, _ lookup: (String) -> String?) -> JSONValue? {
        switch value {
        case .string(let text):
            var output = ""
            var rest = Substring(text)
            while let open = rest.range(of: "{{"), let close = rest[open.upperBound...].range(of: "}}") {
                output += rest[..<open.lowerBound]
                guard let replacement = lookup(rest[open.upperBound..<close.lowerBound].trimmingASCIIWhitespace) else { return nil }
                output += replacement
                rest = rest[close.upperBound...]
            }
            return .string(output + rest)
        case .array(let items):
            var rendered: [JSONValue] = []
            for item in items {
                guard let value = render(item, lookup) else { return nil }
                rendered.append(value)
            }
            return .array(rendered)
        case .object(let members):
            var rendered: [String: JSONValue] = [:]
            for (key, member) in members {
                guard let value = render(member, lookup) else { return nil }
                rendered[key] = value
            }
            return .object(rendered)
        default:
            return value
        }
    }
}
