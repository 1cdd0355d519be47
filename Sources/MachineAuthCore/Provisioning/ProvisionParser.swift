import Foundation

/// Reads a provision section or file: decodes each declared object with its position,
/// follows `include:` globs, resolves secrets from the environment and files, and checks
/// references (a team's organization, an agent's team) — every problem with file and line.
struct ProvisionParser {
    let environment: ConfigEnvironment
    let baseDirectory: String
    /// Whether `include:` and `*_file:` may read files. Off for a document sent to the server
    /// (`apply --server`): the server reads none of its own files for a request.
    var readsFiles = true
    var diagnostics: [ConfigDiagnostic] = []
    var document = ProvisionDocument()

    static let keys = ["prune", "include", "organizations", "teams", "agents", "api_keys", "webhooks"]

    mutating func read(_ node: ConfigNode, path: String, allowInclude: Bool) {
        guard let entries = node.entries else {
            if !node.isNull { problem(node.location, path, "expected a mapping of organizations, teams, agents, api_keys, webhooks") }
            return
        }
        for entry in entries where !Self.keys.contains(entry.key) || (!allowInclude && entry.key == "include") {
            var message = "unknown key \"\(entry.key)\""
            if let guess = Suggestion.closest(to: entry.key, in: Self.keys) { message += "; did you mean \"\(guess)\"?" }
            problem(entry.keyLocation, KeyPath.join(path, entry.key), message + " (valid keys: \(Self.keys.joined(separator: ", ")))")
        }
        if let prune = node["prune"] {
            let (value, problems) = ConfigDecoder.decode(Bool.self, from: prune, keyPath: KeyPath.join(path, "prune"))
            diagnostics += problems
            if value == true { document.prune = true }
        }
        document.organizations += items(node["organizations"], KeyPath.join(path, "organizations"), DeclaredOrganization.self)
        document.teams += items(node["teams"], KeyPath.join(path, "teams"), DeclaredTeam.self)
        document.agents += items(node["agents"], KeyPath.join(path, "agents"), DeclaredAgent.self)
        document.apiKeys += items(node["api_keys"], KeyPath.join(path, "api_keys"), DeclaredAPIKey.self)
        document.webhooks += items(node["webhooks"], KeyPath.join(path, "webhooks"), DeclaredWebhook.self)
        if allowInclude, let include = node["include"] {
            if readsFiles {
                includeFiles(include, path: KeyPath.join(path, "include"))
            } else {
                problem(include.location, KeyPath.join(path, "include"), "include: reads files, which a document sent to the server cannot; send one file")
            }
        }
    }

    private mutating func items<T: Decodable & Sendable>(_ node: ConfigNode?, _ path: String, _ type: T.Type) -> [Located<T>] {
        guard let node, !node.isNull else { return [] }
        guard case .sequence(let list) = node.kind else {
            problem(node.location, path, "expected a list, got \(node.shapeDescription)")
            return []
        }
        return list.enumerated().compactMap { index, item in
            let itemPath = "\(path)[\(index)]"
            let (value, problems) = ConfigDecoder.decode(T.self, from: item, keyPath: itemPath)
            diagnostics += problems
            return value.map { Located(value: $0, location: item.location, keyPath: itemPath) }
        }
    }

    private mutating func includeFiles(_ node: ConfigNode, path: String) {
        let (patterns, problems) = ConfigDecoder.decode(CommaSeparatedList.self, from: node, keyPath: path)
        diagnostics += problems
        for pattern in patterns?.values ?? [] {
            let full = pattern.hasPrefix("/") ? pattern : (baseDirectory as NSString).appendingPathComponent(pattern)
            let directory = (full as NSString).deletingLastPathComponent
            let filePattern = (full as NSString).lastPathComponent
            let names = ((try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []).filter { Wildcard.matches(filePattern, Substring($0)) }.sorted()
            if names.isEmpty, !filePattern.contains("*") {
                problem(node.location, path, "included file \(full) does not exist")
            }
            for name in names {
                let file = (directory as NSString).appendingPathComponent(name)
                guard let text = try? String(contentsOfFile: file, encoding: .utf8) else {
                    problem(node.location, path, "cannot read included file \(file)")
                    continue
                }
                do {
                    let raw = try YAMLComposer.compose(text, file: file)
                    let expanded = Interpolator(environment: environment).expand(raw, into: &diagnostics)
                    read(expanded, path: "", allowInclude: false)
                } catch {
                    diagnostics += error.diagnostics
                }
            }
        }
    }

    mutating func problem(_ location: SourceLocation, _ keyPath: String, _ message: String) {
        diagnostics.append(ConfigDiagnostic(location: location, keyPath: keyPath, message: message))
    }
}
