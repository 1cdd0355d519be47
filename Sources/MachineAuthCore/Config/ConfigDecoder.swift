/// Decodes a ``ConfigNode`` into a `Decodable` type, collecting *every* problem instead of
/// stopping at the first: wrong types, missing keys, bad choices and unknown keys, each with
/// its file, line, column and key path.
///
/// ```swift
/// let (config, problems) = ConfigDecoder.decode(ServerSettings.self, from: node, keyPath: "server")
/// ```
public enum ConfigDecoder {
    /// Decodes `type` from `node`. The value is `nil` only when decoding could not continue;
    /// the diagnostics list every problem found either way.
    public static func decode<T: Decodable>(
        _ type: T.Type, from node: ConfigNode, keyPath: String
    ) -> (value: T?, diagnostics: [ConfigDiagnostic]) {
        let ledger = DecodingLedger()
        let decoder = ConfigNodeDecoder(node: node, path: keyPath, codingPath: [], ledger: ledger, suppressed: false)
        let value = try? decoder.decodeValue(T.self)
        return (value, ledger.diagnostics + ledger.unknownKeyDiagnostics())
    }
}

/// Thrown when a value cannot be produced at all; its problem is already recorded.
struct ConfigDecodingAbort: Error {}

/// Shared state of one decode: the problems found and the mappings whose keys were read.
final class DecodingLedger {
    final class MappingUse {
        let node: ConfigNode
        let path: String
        var readKeys: Set<String> = []
        var readAllKeys = false
        var complete = false

        init(node: ConfigNode, path: String) {
            self.node = node
            self.path = path
        }
    }

    var diagnostics: [ConfigDiagnostic] = []
    var mappings: [MappingUse] = []

    func record(_ node: ConfigNode, _ path: String, _ message: String) {
        diagnostics.append(ConfigDiagnostic(location: node.location, keyPath: path, message: message))
    }

    /// Keys present in fully decoded mappings that the target type never asked for.
    func unknownKeyDiagnostics() -> [ConfigDiagnostic] {
        mappings.filter { $0.complete && !$0.readAllKeys }.flatMap { use in
            (use.node.entries ?? []).filter { !use.readKeys.contains($0.key) }.map { entry in
                let valid = use.readKeys.sorted()
                var message = "unknown key \"\(entry.key)\""
                if let guess = Suggestion.closest(to: entry.key, in: valid) { message += "; did you mean \"\(guess)\"?" }
                message += valid.isEmpty ? "" : " (valid keys: \(valid.joined(separator: ", ")))"
                return ConfigDiagnostic(location: entry.keyLocation, keyPath: KeyPath.join(use.path, entry.key), message: message)
            }
        }
    }
}

/// The `Decoder` over one node. `suppressed` is set below a value already reported as wrong,
/// so one mistake is reported once and not again for everything inside it.
struct ConfigNodeDecoder: Decoder {
    let node: ConfigNode
    let path: String
    let codingPath: [any CodingKey]
    let ledger: DecodingLedger
    let suppressed: Bool
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    func child(_ node: ConfigNode, key: any CodingKey, suppressed: Bool? = nil) -> ConfigNodeDecoder {
        let childPath = key.intValue.map { "\(path)[\($0)]" } ?? KeyPath.join(path, key.stringValue)
        return ConfigNodeDecoder(
            node: node, path: childPath, codingPath: codingPath + [key], ledger: ledger,
            suppressed: suppressed ?? self.suppressed)
    }

    func record(_ message: String) {
        if !suppressed { ledger.record(node, path, message) }
    }

    /// Decodes any value, parsing ``ConfigScalar`` types directly and marking mappings complete.
    func decodeValue<T: Decodable>(_ type: T.Type) throws -> T {
        if let scalarType = T.self as? any ConfigScalar.Type {
            return try decodeScalar(scalarType) as! T
        }
        if T.self == JSONValue.self {
            return Self.jsonValue(node) as! T
        }
        let firstMapping = ledger.mappings.count
        do {
            let value = try T(from: self)
            for use in ledger.mappings[firstMapping...] where use.path == path { use.complete = true }
            return value
        } catch let error as DecodingError {
            record(Self.message(for: error))
            if let empty = Self.emptyValue(T.self) { return empty }
            throw ConfigDecodingAbort()
        } catch let abort as ConfigDecodingAbort {
            if let empty = Self.emptyValue(T.self) { return empty }
            throw abort
        }
    }

    /// An empty list or string to carry on with after a reported error, when `T` has one.
    private static func emptyValue<T>(_ type: T.Type) -> T? {
        (T.self as? any RangeReplaceableCollection.Type).map { $0.init() as! T }
    }

    private func decodeScalar<S: ConfigScalar>(_ type: S.Type) throws -> S {
        let text: String
        switch node.kind {
        case .scalar(let value, _):
            text = value
        case .null where suppressed:
            return S.configPlaceholder
        default:
            record("expected a single value, got \(node.shapeDescription)")
            return S.configPlaceholder
        }
        do {
            return try S.parse(configText: text)
        } catch {
            record(error.message)
            return S.configPlaceholder
        }
    }

    /// A YAML value as JSON: unquoted `true`/`false` and numbers keep their type, quoted text stays text.
    static func jsonValue(_ node: ConfigNode) -> JSONValue {
        switch node.kind {
        case .null: return .null
        case .scalar(let text, let quoted):
            if quoted { return .string(text) }
            switch text.lowercased() {
            case "true": return .bool(true)
            case "false": return .bool(false)
            default: break
            }
            if let integer = Int(text) { return .int(integer) }
            if let number = Double(text), text.contains(".") { return .double(number) }
            return .string(text)
        case .sequence(let items): return .array(items.map(jsonValue))
        case .mapping(let entries): return .object(Dictionary(entries.map { ($0.key, jsonValue($0.value)) }, uniquingKeysWith: { $1 }))
        }
    }

    /// The inverse of ``jsonValue(_:)``: JSON as YAML, strings quoted so they read back as strings.
    static func node(_ value: JSONValue, at here: SourceLocation) -> ConfigNode {
        switch value {
        case .null: return ConfigNode(.null, at: here)
        case .bool(let flag): return ConfigNode(.scalar(flag ? "true" : "false", quoted: false), at: here)
        case .int(let number): return ConfigNode(.scalar(String(number), quoted: false), at: here)
        case .double(let number): return ConfigNode(.scalar(String(number), quoted: false), at: here)
        case .string(let text): return ConfigNode(.scalar(text, quoted: true), at: here)
        case .array(let items): return ConfigNode(.sequence(items.map { node($0, at: here) }), at: here)
        case .object(let members):
            return ConfigNode(.mapping(members.sorted { $0.key < $1.key }.map { ConfigNode.Entry(key: $0.key, keyLocation: here, value: node($0.value, at: here)) }), at: here)
        }
    }

    static func message(for error: DecodingError) -> String {
        switch error {
        case .dataCorrupted(let context), .typeMismatch(_, let context), .valueNotFound(_, let context):
            return context.debugDescription
        case .keyNotFound(let key, _):
            return "missing required key \"\(key.stringValue)\""
        @unknown default:
            return "\(error)"
        }
    }

    func container<Key: CodingKey>(keyedBy type: Key.Type) throws -> KeyedDecodingContainer<Key> {
        switch node.kind {
        case .mapping(let entries):
            let use = DecodingLedger.MappingUse(node: node, path: path)
            ledger.mappings.append(use)
            return KeyedDecodingContainer(KeyedConfigContainer<Key>(decoder: self, entries: entries, use: use))
        case .null:
            return KeyedDecodingContainer(KeyedConfigContainer<Key>(decoder: self, entries: [], use: nil))
        default:
            record("expected a mapping, got \(node.shapeDescription)")
            let quiet = ConfigNodeDecoder(node: node, path: path, codingPath: codingPath, ledger: ledger, suppressed: true)
            return KeyedDecodingContainer(KeyedConfigContainer<Key>(decoder: quiet, entries: [], use: nil))
        }
    }

    func unkeyedContainer() throws -> any UnkeyedDecodingContainer {
        switch node.kind {
        case .sequence(let items):
            return UnkeyedConfigContainer(decoder: self, items: items)
        case .null:
            return UnkeyedConfigContainer(decoder: self, items: [])
        default:
            throw DecodingError.typeMismatch(
                [Any].self, .init(codingPath: codingPath, debugDescription: "expected a list, got \(node.shapeDescription)"))
        }
    }

    func singleValueContainer() throws -> any SingleValueDecodingContainer {
        SingleValueConfigContainer(decoder: self)
    }
}

/// Finds the closest spelling for "did you mean" hints.
enum Suggestion {
    static func closest(to word: String, in candidates: [String]) -> String? {
        let scored = candidates.map { ($0, distance(word.lowercased(), $0.lowercased())) }
        guard let best = scored.min(by: { $0.1 < $1.1 }), best.1 <= max(2, word.count / 3) else { return nil }
        return best.0
    }

    static func distance(_ a: String, _ b: String) -> Int {
        let a = Array(a), b = Array(b)
        guard !a.isEmpty else { return b.count }
        guard !b.isEmpty else { return a.count }
        var previous = Array(0...b.count)
        for i in 1...a.count {
            var current = [i] + Array(repeating: 0, count: b.count)
            for j in 1...b.count {
                current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
            }
            previous = current
        }
        return previous[b.count]
    }
}
