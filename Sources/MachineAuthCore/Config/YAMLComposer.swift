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
        return convert(root, file: file)
    }

    private static func location(_ mark: Mark?, file: String) -> SourceLocation {
        SourceLocation(file: file, line: mark?.line ?? 1, column: mark?.column ?? 1)
    }

    private static func convert(_ node: Node, file: String) -> ConfigNode {
        let here = location(node.mark, file: file)
        switch node {
        case .scalar(let scalar):
            let quoted = scalar.style != .plain && scalar.style != .any
            if !quoted, ["", "~", "null", "Null", "NULL"].contains(scalar.string) {
                return ConfigNode(.null, at: here)
            }
            return ConfigNode(.scalar(scalar.string, quoted: quoted), at: here)
        case .mapping(let mapping):
            let entries = mapping.map { pair in
                ConfigNode.Entry(
                    key: pair.key.string ?? "\(pair.key)",
                    keyLocation: location(pair.key.mark, file: file),
                    value: convert(pair.value, file: file))
            }
            return ConfigNode(.mapping(entries), at: here)
        case .sequence(let sequence):
            return ConfigNode(.sequence(sequence.map { convert($0, file: file) }), at: here)
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
