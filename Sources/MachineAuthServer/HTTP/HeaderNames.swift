import HTTPTypes

extension HTTPField.Name {
    static let xRequestID = Self("X-Request-Id")!
    static let xForwardedFor = Self("X-Forwarded-For")!
    static let xForwardedProto = Self("X-Forwarded-Proto")!
    static let xForwardedHost = Self("X-Forwarded-Host")!
    static let xAPIKey = Self("X-API-Key")!
    static let pragma = Self("Pragma")!
    static let xCSRFToken = Self("X-CSRF-Token")!
}
