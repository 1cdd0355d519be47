/// Reads the sections of one configuration document, accumulating diagnostics.
struct SectionReader {
    let document: ConfigNode
    var diagnostics: [ConfigDiagnostic]
    let registry: StageRegistry

    private func node(_ name: String) -> ConfigNode {
        document[name] ?? ConfigNode(.null, at: document.location)
    }

    /// Decodes a core section (a missing section means all defaults).
    mutating func section<T: Decodable>(
        _ name: String, _ type: T.Type, validate: (T) -> [StageConfigProblem]
    ) -> T? {
        let sectionNode = node(name)
        let (value, problems) = ConfigDecoder.decode(T.self, from: sectionNode, keyPath: name)
        diagnostics += problems
        guard let value else { return nil }
        guard problems.isEmpty else { return value }
        for problem in validate(value) {
            diagnostics.append(ConfigDiagnostic(
                location: sectionNode.location(of: problem.keyPath), keyPath: KeyPath.join(name, problem.keyPath),
                message: problem.message))
        }
        return value
    }

    /// The storage driver, chosen by `storage.type` or by the scheme of `storage.url`.
    mutating func storage(_ registry: StageRegistry) -> PreparedStage<any Storage, StorageContext>? {
        let storageNode = node("storage")
        let mapping = storageNode.isNull ? ConfigNode(.mapping([]), at: storageNode.location) : storageNode
        guard mapping.entries != nil else {
            diagnostics.append(ConfigDiagnostic(location: storageNode.location, keyPath: "storage", message: "expected a mapping with a url or type"))
            return nil
        }
        let type: String
        let typeLocation: SourceLocation
        let typePath: String
        if let explicit = mapping["type"], let text = explicit.scalar {
            (type, typeLocation, typePath) = (text, explicit.location, "storage.type")
        } else if let url = mapping["url"], let text = url.scalar {
            let scheme = String(text.prefix { $0 != ":" })
            guard let mapped = registry.storageSchemes[scheme.lowercased()] else {
                let schemes = registry.storageSchemes.keys.sorted().map { "\($0):" }.joined(separator: ", ")
                diagnostics.append(ConfigDiagnostic(
                    location: url.location, keyPath: "storage.url",
                    message: "unknown storage URL scheme \"\(scheme)\"; valid schemes: \(schemes)"))
                return nil
            }
            (type, typeLocation, typePath) = (mapped, url.location, "storage.url")
        } else {
            (type, typeLocation, typePath) = ("json", mapping.location, "storage")
        }
        guard let blueprint = registry.storages[type] else {
            diagnostics.append(unknownType(type, kind: .storage, valid: Array(registry.storages.keys), at: typeLocation, keyPath: typePath))
            return nil
        }
        let (prepared, problems) = blueprint.prepare(mapping.removing(key: "type"), "storage")
        diagnostics += problems
        return prepared
    }

    /// A list of stages such as `authenticators:`, each entry selected by its `type`.
    mutating func stageList<P, C>(_ kind: StageKind, _ blueprints: [String: StageBlueprint<P, C>]) -> [PreparedStage<P, C>] {
        let listNode = node(kind.section)
        guard case .sequence(let items) = listNode.kind else {
            if !listNode.isNull {
                diagnostics.append(ConfigDiagnostic(
                    location: listNode.location, keyPath: kind.section,
                    message: "expected a list of stages (\"- type: …\"), got \(listNode.shapeDescription)"))
            }
            return []
        }
        var stages: [PreparedStage<P, C>] = []
        for (index, item) in items.enumerated() {
            let path = "\(kind.section)[\(index)]"
            guard item.entries != nil else {
                diagnostics.append(ConfigDiagnostic(location: item.location, keyPath: path, message: "expected a mapping with a type, got \(item.shapeDescription)"))
                continue
            }
            guard let typeNode = item["type"], let type = typeNode.scalar else {
                let valid = blueprints.keys.sorted().joined(separator: ", ")
                diagnostics.append(ConfigDiagnostic(location: item.location, keyPath: path, message: "missing required key \"type\" (registered \(kind.rawValue) types: \(valid))"))
                continue
            }
            guard let blueprint = blueprints[type] else {
                diagnostics.append(unknownType(type, kind: kind, valid: Array(blueprints.keys), at: typeNode.location, keyPath: path + ".type"))
                continue
            }
            let (prepared, problems) = blueprint.prepare(item.removing(key: "type"), path)
            diagnostics += problems
            if let prepared { stages.append(prepared) }
        }
        return stages
    }

    /// The one stage of a single-stage section such as `dpop:` (`nil` when the section is absent).
    mutating func singleStage<P, C>(_ kind: StageKind, _ blueprints: [String: StageBlueprint<P, C>]) -> PreparedStage<P, C>? {
        let sectionNode = node(kind.section)
        if sectionNode.isNull { return nil }
        guard sectionNode.entries != nil else {
            diagnostics.append(ConfigDiagnostic(
                location: sectionNode.location, keyPath: kind.section, message: "expected a mapping with a type, got \(sectionNode.shapeDescription)"))
            return nil
        }
        guard let typeNode = sectionNode["type"], let type = typeNode.scalar else {
            let valid = blueprints.keys.sorted().joined(separator: ", ")
            diagnostics.append(ConfigDiagnostic(
                location: sectionNode.location, keyPath: kind.section, message: "missing required key \"type\" (registered \(kind.rawValue) types: \(valid))"))
            return nil
        }
        guard let blueprint = blueprints[type] else {
            diagnostics.append(unknownType(type, kind: kind, valid: Array(blueprints.keys), at: typeNode.location, keyPath: kind.section + ".type"))
            return nil
        }
        let (prepared, problems) = blueprint.prepare(sectionNode.removing(key: "type"), kind.section)
        diagnostics += problems
        return prepared
    }

    private func unknownType(_ type: String, kind: StageKind, valid: [String], at location: SourceLocation, keyPath: String) -> ConfigDiagnostic {
        let sorted = valid.sorted()
        if let other = registry.kinds(of: type).first {
            let article = other == .enricher || other == .authenticator ? "an" : "a"
            return ConfigDiagnostic(location: location, keyPath: keyPath, message: "\"\(type)\" is \(article) \(other.rawValue) stage; list it under \(other.section):")
        }
        var message = "unknown \(kind.rawValue) type \"\(type)\""
        if let guess = Suggestion.closest(to: type, in: sorted) { message += "; did you mean \"\(guess)\"?" }
        message += " (registered \(kind.rawValue) types: \(sorted.isEmpty ? "none" : sorted.joined(separator: ", ")))"
        return ConfigDiagnostic(location: location, keyPath: keyPath, message: message)
    }
}
