/// Expands `${VAR}`, `${VAR:-default}` (default when unset or empty) and `${VAR-default}`
/// (default when unset) in every scalar of a configuration; `$$` writes a literal `$`.
///
/// ```swift
/// // PORT unset:  "${PORT:-8080}"  →  "8080"
/// ```
struct Interpolator {
    let environment: ConfigEnvironment

    /// Returns `node` with every scalar expanded, adding a diagnostic for each unset variable.
    func expand(_ node: ConfigNode, path: String = "", into diagnostics: inout [ConfigDiagnostic]) -> ConfigNode {
        switch node.kind {
        case .scalar(let text, let quoted):
            guard text.contains("$") else { return node }
            do {
                return ConfigNode(.scalar(try expand(text), quoted: quoted), at: node.location)
            } catch {
                diagnostics.append(ConfigDiagnostic(location: node.location, keyPath: path, message: error.message))
                return node
            }
        case .mapping(let entries):
            let expanded = entries.map { entry in
                var entry = entry
                entry.value = expand(entry.value, path: KeyPath.join(path, entry.key), into: &diagnostics)
                return entry
            }
            return ConfigNode(.mapping(expanded), at: node.location)
        case .sequence(let items):
            let expanded = items.enumerated().map { index, item in
                expand(item, path: "\(path)[\(index)]", into: &diagnostics)
            }
            return ConfigNode(.sequence(expanded), at: node.location)
        case .null:
            return node
        }
    }

    struct Failure: Error {
        var message: String
    }

    /// Expands one string.
    func expand(_ text: String) throws(Failure) -> String {
        var output = ""
        var index = text.startIndex
        while index < text.endIndex {
            let character = text[index]
            let next = text.index(after: index)
            guard character == "$", next < text.endIndex else {
                output.append(character)
                index = next
                continue
            }
            if text[next] == "$" {
                output.append("$")
                index = text.index(after: next)
            } else if text[next] == "{" {
                let (value, end) = try expression(in: text, from: text.index(after: next))
                output += value
                index = end
            } else {
                output.append(character)
                index = next
            }
        }
        return output
    }

    /// Parses the body of `${…}` starting after the brace; returns its value and the index after `}`.
    private func expression(in text: String, from start: String.Index) throws(Failure) -> (String, String.Index) {
        var depth = 1
        var cursor = start
        while cursor < text.endIndex {
            if text[cursor] == "{" { depth += 1 }
            if text[cursor] == "}" {
                depth -= 1
                if depth == 0 { break }
            }
            cursor = text.index(after: cursor)
        }
        guard cursor < text.endIndex else {
            throw Failure(message: "unterminated \"${\" in \"\(text)\"")
        }
        let body = String(text[start..<cursor])
        return (try evaluate(body), text.index(after: cursor))
    }

    private func evaluate(_ body: String) throws(Failure) -> String {
        let nameEnd = body.firstIndex { !($0.isLetter || $0.isNumber || $0 == "_") } ?? body.endIndex
        let name = String(body[..<nameEnd])
        guard let first = name.first, first.isLetter || first == "_" else {
            throw Failure(message: "invalid variable name in \"${\(body)}\"")
        }
        let rest = body[nameEnd...]
        let value = environment[name]
        if rest.isEmpty {
            guard let value else {
                throw Failure(message: "environment variable \(name) is not set (write ${\(name):-default} to give a default)")
            }
            return value
        }
        if rest.hasPrefix(":-") {
            if let value, !value.isEmpty { return value }
            return try expand(String(rest.dropFirst(2)))
        }
        if rest.hasPrefix("-") {
            if let value { return value }
            return try expand(String(rest.dropFirst()))
        }
        throw Failure(message: "invalid interpolation \"${\(body)}\" (use ${\(name)} or ${\(name):-default})")
    }
}

/// Builds dotted key paths such as `server.port` and `authenticators[1].type`.
enum KeyPath {
    static func join(_ base: String, _ key: String) -> String {
        base.isEmpty ? key : "\(base).\(key)"
    }
}
