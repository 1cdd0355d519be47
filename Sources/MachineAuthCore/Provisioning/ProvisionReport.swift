import Foundation
/// What an apply did (or, in a dry run, would do).
public struct ProvisionReport: Sendable {
    public enum Action: String, Sendable {
        case create, update, unchanged, delete, keep
    }

    public struct Line: Sendable, Hashable {
        public var action: Action
        public var kind: String
        public var name: String
        public var details: [String]
    }

    /// A secret generated for a new object, shown this once.
    public struct GeneratedSecret: Sendable, Hashable {
        public var kind: String
        public var name: String
        public var label: String
        public var value: String

        public init(kind: String, name: String, label: String, value: String) {
            self.kind = kind
            self.name = name
            self.label = label
            self.value = value
        }
    }

    public var lines: [Line] = []
    public var secrets: [GeneratedSecret] = []
    public var dryRun: Bool

    public var changes: Int { lines.filter { $0.action != .unchanged && $0.action != .keep }.count }

    mutating func add(_ action: Action, _ kind: String, _ name: String, _ details: [String] = []) {
        lines.append(Line(action: action, kind: kind, name: name, details: details))
    }

    /// The plan as printed by `machineauth apply`: one line per object, then a summary.
    public var text: String {
        var output = lines.map { line in
            let action = line.action.rawValue.padding(toLength: 9, withPad: " ", startingAt: 0)
            return "\(action) \(line.kind) \(line.name)" + (line.details.isEmpty ? "" : " (\(line.details.joined(separator: ", ")))")
        }
        let counts = [ProvisionReport.Action.create, .update, .delete, .unchanged].map { action in
            "\(lines.filter { $0.action == action }.count) \(action.rawValue)"
        }
        output.append((dryRun ? "plan: " : "applied: ") + counts.joined(separator: ", "))
        return output.joined(separator: "\n")
    }
}
