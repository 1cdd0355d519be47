/// A secret shown once, in the response to the request that made it (never in a URL, a
/// redirect or a log; the page is `Cache-Control: no-store`).
struct RevealedSecret: Sendable {
    var label: String
    var value: String
    var notice: String
    var oldValidUntil: String?

    static func clientSecret(_ value: String, rotated: Bool, oldValidUntil: String? = nil) -> RevealedSecret {
        RevealedSecret(
            label: rotated ? "New client secret" : "Client secret", value: value,
            notice: "Save this client secret now — it will not be shown again.", oldValidUntil: oldValidUntil)
    }
}
