/// The `cnf` claim of a sender-constrained access token: a DPoP key (`jkt`, RFC 9449 §6.1), a
/// client certificate (`x5t#S256`, RFC 8705 §3.1), or both.
///
/// ```swift
/// Confirmation(keyThumbprint: proof?.thumbprint, certificateThumbprint: certificate?.thumbprint).claim
/// // {"jkt": "…", "x5t#S256": "…"}, or nil when the token is not bound
/// ```
public struct Confirmation: Sendable, Hashable {
    public var keyThumbprint: String?
    public var certificateThumbprint: String?

    public init(keyThumbprint: String? = nil, certificateThumbprint: String? = nil) {
        self.keyThumbprint = keyThumbprint
        self.certificateThumbprint = certificateThumbprint
    }

    /// What a token's claims are bound to.
    public init(claims: [String: JSONValue]) {
        let cnf = claims["cnf"]?.objectValue
        self.init(keyThumbprint: cnf?["jkt"]?.stringValue, certificateThumbprint: cnf?["x5t#S256"]?.stringValue)
    }

    /// The `cnf` claim, `nil` for a token bound to nothing.
    public var claim: JSONValue? {
        var members: [String: JSONValue] = [:]
        if let keyThumbprint { members["jkt"] = .string(keyThumbprint) }
        if let certificateThumbprint { members["x5t#S256"] = .string(certificateThumbprint) }
        return members.isEmpty ? nil : .object(members)
    }
}
