public import Foundation

/// Token identifiers (`jti`) that carry their issue time in milliseconds: `1763829600123-9f3a…`.
///
/// `iat` has whole seconds; revocation cut-offs (deactivation, rotation) need finer time so a
/// token issued right after a rotation is not caught by it. Clients treat the `jti` as opaque.
public enum TokenID {
    public static func make(at time: Date) -> String {
        "\(Int64((time.timeIntervalSince1970 * 1000).rounded(.down)))-\(RandomToken.hex(bytes: 12))"
    }

    /// The issue time embedded in a `jti` made by ``make(at:)``.
    public static func issueTime(of jti: String) -> Date? {
        guard let dash = jti.firstIndex(of: "-"), let millis = Int64(jti[..<dash]) else { return nil }
        return Date(timeIntervalSince1970: TimeInterval(millis) / 1000)
    }
}
