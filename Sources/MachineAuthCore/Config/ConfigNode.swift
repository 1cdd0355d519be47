/// A YAML value with the place it was written, so every error can point at its line and column.
///
/// Plugins never see YAML: they receive their node decoded into their own `Config` type.
public struct ConfigNode: Sendable {
    /// One entry of a mapping, keeping the key's own position.
    public struct Entry: Sendable {
        public var key: String
        public var keyLocation: SourceLocation
        public var value: ConfigNode

        public init(key: String, keyLocation: SourceLocation, value: ConfigNode) {
            self.key = key
            self.keyLocation = keyLocation
            self.value = value
        }
    }

    /// The shape of the value.
    public enum Kind: Sendable {
        /// A scalar; `quoted` is true when it was written in quotes (and is therefore never `null`).
        case scalar(String, quoted: Bool)
        case mapping([Entry])
        case sequence([ConfigNode])
        case null
    }

    public var kind: Kind
    public var location: SourceLocation

    public init(_ kind: Kind, at location: SourceLocation) {
        self.kind = kind
        self.location = location
    }

    /// The entries when this is a mapping.
    public var entries: [Entry]? {
        if case .mapping(let entries) = kind { return entries }
        return nil
    }

    /// The scalar text when this is a scalar.
    public var scalar: String? {
        if case .scalar(let text, _) = kind { return text }
        return nil
    }

    /// The value stored under `key` when this is a mapping.
    public subscript(key: String) -> ConfigNode? {
        entries?.first { $0.key == key }?.value
    }

    /// A short name for the shape, used in error messages ("a mapping", "a list").
    public var shapeDescription: String {
        switch kind {
        case .scalar(let text, _): return "the scalar \"\(text)\""
        case .mapping: return "a mapping"
        case .sequence: return "a list"
        case .null: return "nothing (null)"
        }
    }

    /// This node without the entry named `key` (used to hand a stage its options without `type:`).
    public func removing(key: String) -> ConfigNode {
        guard let entries else { return self }
        return ConfigNode(.mapping(entries.filter { $0.key != key }), at: location)
    }
}
