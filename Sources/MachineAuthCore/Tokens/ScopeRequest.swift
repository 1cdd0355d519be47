/// The `scope` parameter: space-separated, every scope granted to the client (RFC 6749 §3.3).
public enum ScopeRequest {
    public static func resolve(_ requested: String?, within allowed: [String]) throws(OAuthError) -> [String] {
        guard let requested else { return allowed }
        let scopes = requested.split(separator: " ").map(String.init)
        guard !scopes.isEmpty else { return allowed }
        let missing = scopes.filter { !allowed.contains($0) }
        guard missing.isEmpty else {
            throw OAuthError.invalidScope("scope not granted to this client: \(missing.joined(separator: " "))")
        }
        var seen = Set<String>()
        return scopes.filter { seen.insert($0).inserted }
    }
}
