import HTTPTypes

extension HTTPField.Name {
    static let xRequestID = Self("X-Request-Id")!
    static let xForwardedFor = Self("X-Forwarded-For")!
    static let xForwardedProto = Self("X-Forwarded-Proto")!
    static let xForwardedHost = Self("X-Forwarded-Host")!
    static let xAPIKey = Self("X-API-Key")!
    static let pragma = Self("Pragma")!
    static let xCSRFToken = Self("X-CSRF-Token")!
    /// RFC 9449 §4.1: a DPoP proof.
    static let dpop = Self("DPoP")!
    /// RFC 9449 §8.1: the nonce a proof must carry.
    static let dpopNonce = Self("DPoP-Nonce")!
}

extension HTTPFields {
    /// Every `DPoP` header value, as sent.
    var dpopProofs: [String] { self[values: .dpop] }
}
