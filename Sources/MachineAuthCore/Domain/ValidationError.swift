public import Foundation

/// A request field with an invalid value; the API answers 400 naming the field.
public struct ValidationError: Error, Sendable, Hashable, CustomStringConvertible {
    public var field: String
    public var message: String

    public init(_ field: String, _ message: String) {
        self.field = field
        self.message = message
    }

    public var description: String { "\(field): \(message)" }
}

/// Checks shared by the API and declarative provisioning.
public enum FieldRules {
    /// RFC 6749 §3.3 scope-token characters.
    public static func isScopeToken(_ scope: String) -> Bool {
        !scope.isEmpty && scope.unicodeScalars.allSatisfy { $0.value == 0x21 || (0x23...0x5B).contains($0.value) || (0x5D...0x7E).contains($0.value) }
    }

    public static func name(_ value: String, field: String = "name") throws(ValidationError) -> String {
        let trimmed = value.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !trimmed.isEmpty else { throw ValidationError(field, "must not be empty") }
        guard trimmed.count <= 255 else { throw ValidationError(field, "must be at most 255 characters") }
        guard !trimmed.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) else {
            throw ValidationError(field, "must not contain control characters")
        }
        return trimmed
    }

    public static func scopes(_ values: [String], field: String = "scopes") throws(ValidationError) -> [String] {
        guard values.count <= 200 else { throw ValidationError(field, "at most 200 scopes") }
        for scope in values where !isScopeToken(scope) {
            throw ValidationError(field, "\"\(scope)\" is not a valid scope (printable ASCII without spaces, quotes or backslashes)")
        }
        var seen = Set<String>()
        return values.filter { seen.insert($0).inserted }
    }

    public static func tags(_ values: [String]) throws(ValidationError) -> [String] {
        guard values.count <= 50 else { throw ValidationError("tags", "at most 50 tags") }
        for tag in values where tag.isEmpty || tag.count > 64 {
            throw ValidationError("tags", "each tag must have 1 to 64 characters")
        }
        return values
    }

    public static func metadata(_ values: [String: String]) throws(ValidationError) -> [String: String] {
        guard values.count <= 64 else { throw ValidationError("metadata", "at most 64 entries") }
        for (key, value) in values {
            guard !key.isEmpty, key.count <= 64 else { throw ValidationError("metadata", "keys must have 1 to 64 characters") }
            guard value.count <= 1024 else { throw ValidationError("metadata", "value of \"\(key)\" is longer than 1024 characters") }
        }
        return values
    }

    public static func description(_ value: String) throws(ValidationError) -> String {
        guard value.count <= 2000 else { throw ValidationError("description", "must be at most 2000 characters") }
        return value
    }

    /// Audiences an agent may ask for: at most 50, each 1 to 2048 printable characters without spaces.
    public static func audiences(_ values: [String], field: String = "allowed_audiences") throws(ValidationError) -> [String] {
        guard values.count <= 50 else { throw ValidationError(field, "at most 50 audiences") }
        for value in values where value.isEmpty || value.utf8.count > 2048 || !value.unicodeScalars.allSatisfy({ (0x21...0x7E).contains($0.value) }) {
            throw ValidationError(field, "\"\(value)\" is not an audience (1 to 2048 printable ASCII characters without spaces)")
        }
        var seen = Set<String>()
        return values.filter { seen.insert($0).inserted }
    }

    /// An expiry must lie in the future and at most ten years ahead.
    public static func expiry(_ date: Date, now: Date, field: String = "expires_at") throws(ValidationError) {
        guard date > now else { throw ValidationError(field, "must be in the future") }
        guard date.timeIntervalSince(now) <= TimeInterval(InputLimits.maxLifetimeSeconds) else {
            throw ValidationError(field, "must be at most ten years from now")
        }
    }

    /// Grants an agent may use: at least one, each among the registered grant stages (`valid`).
    public static func grantTypes(_ values: [String], valid: [String]) throws(ValidationError) -> [String] {
        let choices = valid.joined(separator: ", ")
        guard !values.isEmpty else { throw ValidationError("grant_types", "must name at least one grant (valid: \(choices))") }
        for grant in values where !valid.contains(grant) {
            throw ValidationError("grant_types", "\"\(grant)\" is not supported (valid: \(choices))")
        }
        var seen = Set<String>()
        return values.filter { seen.insert($0).inserted }
    }
}

extension FieldRules {
    /// A lowercase DNS label (RFC 1123): `a-z`, `0-9`, `-`, 1–63 characters, no leading or trailing `-`.
    public static func slug(_ value: String) throws(ValidationError) -> String {
        let scalars = Array(value.unicodeScalars)
        let allowed = scalars.allSatisfy { ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "-" }
        guard !scalars.isEmpty, scalars.count <= 63, allowed, scalars.first != "-", scalars.last != "-" else {
            throw ValidationError("slug", "must be a lowercase DNS label: a-z, 0-9 and -, 1 to 63 characters, not starting or ending with -")
        }
        return value
    }

    public static func email(_ value: String, field: String = "email") throws(ValidationError) -> String {
        let trimmed = value.trimmingCharacters(in: .whitespaces)
        let parts = trimmed.split(separator: "@")
        guard parts.count == 2, !parts[0].isEmpty, parts[1].contains("."), trimmed.count <= 254, !trimmed.contains(" ") else {
            throw ValidationError(field, "must be an e-mail address")
        }
        return trimmed
    }

    public static func password(_ value: String) throws(ValidationError) -> String {
        guard value.count >= 12 else { throw ValidationError("password", "must be at least 12 characters") }
        guard value.count <= 1024 else { throw ValidationError("password", "must be at most 1024 characters") }
        return value
    }
}
