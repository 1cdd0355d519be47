import Yams

/// Parses YAML text into a ``ConfigNode`` tree that remembers every value's position.
enum YAMLComposer {
    /// Composes `text`, naming `file` in locations. An empty document is an empty mapping.
    static func compose(_ text: String, file: String) throws(ConfigError) -> ConfigNode {
        let root: Node?
        do {
            root = try Yams.compose(yaml: text)
        } catch let error as YamlError {
            throw ConfigError([diagnostic(for: error, file: file)])
        } catch {
            throw ConfigError([ConfigDiagnostic(
                location: SourceLocation(file: file, line: 1, column: 1), keyPath: "",
                message: "cannot parse YAML: \(error)")])
        }
        guard let root else {
            return ConfigNode(.mapping([]), at: SourceLocation(file: file, line: 1, column: 1))
        }
        var budget = ExpansionBudget()
        guard let node = convert(root, file: file, budget: &budget) else {
            throw ConfigError([ConfigDiagnostic(
                location: location(budget.exceededAt, file: file), keyPath: "",
                message: budget.aliasUses > ExpansionBudget.maxAliasUses
                    ? "too many alias uses (more than \(ExpansionBudget.maxAliasUses)); write the values out"
                    : "the document expands to more than \(ExpansionBudget.maxNodes) values (aliases repeat what they name)")])
        }
        return node
    }

    /// Limits on what aliases may expand to: a few hundred bytes of anchors and aliases can
    /// otherwise stand for billions of values ("billion laughs").
    struct ExpansionBudget {
        static let maxNodes = 100_000
        static let maxAliasUses = 1_000
        var nodes = 0
        var aliasUses = 0
        var anchorsSeen = Set<String>()
        var exceededAt: Mark?

        /// Counts one node; `false` once a limit is passed.
        mutating func spend(_ node: Node) -> Bool {
            nodes += 1
            if let anchor = node.anchor?.rawValue, !anchorsSeen.insert(anchor).inserted { aliasUses += 1 }
            guard nodes <= Self.maxNodes, aliasUses <= Self.maxAliasUses else {
                exceededAt = exceededAt ?? node.mark
                return false
            }
            return true
        }
    }

    private static func location(_ mark: Mark?, file: String) -> SourceLocation {
        SourceLocation(file: file, line: mark?.line ?? 1, column: mark?.column ?? 1)
    }

    private static func convert(_ node: Node, file: String, budget: inout ExpansionBudget) -> ConfigNode? {
        guard budget.spend(node) else { return nil }
        let here = location(node.mark, file: file)
        switch node {
        case .scalar(let scalar):
            let quoted = scalar.style != .plain && scalar.style != .any
            if !quoted, ["", "~", "null", "Null", "NULL"].contains(scalar.string) {
                return ConfigNode(.null, at: here)
            }
            return ConfigNode(.scalar(scalar.string, quoted: quoted), at: here)
        case .mapping(let mapping):
            var entries: [ConfigNode.Entry] = []
            for pair in mapping {
                guard let value = convert(pair.value, file: file, budget: &budget) else { return nil }
                entries.append(ConfigNode.Entry(key: pair.key.string ?? "(a key that is not a scalar)", keyLocation: location(pair.key.mark, file: file), value: value))
            }
            return ConfigNode(.mapping(entries), at: here)
        case .sequence(let sequence):
            var items: [ConfigNode] = []
            for item in sequence {
                guard let converted = convert(item, file: file, budget: &budget) else { return nil }
                items.append(converted)
            }
            return ConfigNode(.sequence(items), at: here)
        case .alias(let alias):
            return ConfigNode(.scalar(alias.anchor.rawValue, quoted: false), at: here)
        }
    }

    private static func diagnostic(for error: YamlError, file: String) -> ConfigDiagnostic {
        switch error {
        case .scanner(_, let problem, let mark, _), .parser(_, let problem, let mark, _),
            .composer(_, let problem, let mark, _):
            return ConfigDiagnostic(location: location(mark, file: file), keyPath: "", message: "invalid YAML: \(problem)")
        case .duplicatedKeysInMapping(let duplicates, let context):
            return ConfigDiagnostic(
                location: location(context.mark, file: file), keyPath: "",
                message: "duplicate key\(duplicates.count == 1 ? "" : "s") \(duplicates.joined(separator: ", "))")
        default:
            return ConfigDiagnostic(location: location(nil, file: file), keyPath: "", message: "invalid YAML: \(error)")
        }
    }
}
