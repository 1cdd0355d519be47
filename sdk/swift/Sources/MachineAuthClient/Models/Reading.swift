import Foundation

/// Lenient readers of the server's JSON: a missing field, or one of another type, reads as its
/// default, so a newer server with more (or fewer optional) fields never breaks a client.
extension JSONValue {
    func text(_ key: String, _ fallback: String = "") -> String { self[key]?.stringValue ?? fallback }
    func optionalText(_ key: String) -> String? { self[key]?.stringValue }
    func integer(_ key: String) -> Int { self[key]?.intValue ?? 0 }
    func flag(_ key: String) -> Bool { self[key]?.boolValue ?? false }
    func strings(_ key: String) -> [String] { self[key]?.stringList ?? [] }
    func member(_ key: String) -> JSONValue { self[key] ?? .object([:]) }

    /// The string-to-string object at `key` (agent `metadata`).
    func stringMap(_ key: String) -> [String: String] {
        (self[key]?.objectValue ?? [:]).compactMapValues(\.stringValue)
    }

    /// The RFC 3339 timestamp at `key`; `nil` when missing, `null` or unreadable.
    func date(_ key: String) -> Date? {
        guard let text = self[key]?.stringValue else { return nil }
        return (try? Date(text, strategy: .iso8601))
            ?? (try? Date(text, strategy: Date.ISO8601FormatStyle(includingFractionalSeconds: true)))
    }

    /// The Unix time (seconds) at `key` (JWT `exp`, `iat`).
    func epochDate(_ key: String) -> Date? {
        self[key]?.doubleValue.map { Date(timeIntervalSince1970: $0) }
    }

    /// Space-separated scopes at `key` as a list.
    func scopeList(_ key: String) -> [String] {
        text(key).split(separator: " ").map(String.init)
    }
}
