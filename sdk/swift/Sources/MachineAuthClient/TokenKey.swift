/// What a token is asked for, normalized, so that `["read write"]` and `["write", "read"]` share
/// one cached token: the scopes (none asks for all the agent's), the RFC 8707 resource
/// indicators and the audience.
struct TokenKey: Hashable, Sendable {
    let scopes: [String]
    let resources: [String]
    let audience: String?

    init(scope: [String] = [], resource: [String] = [], audience: String? = nil) {
        scopes = Array(Set(scope.flatMap { $0.split(whereSeparator: \.isWhitespace).map(String.init) })).sorted()
        resources = Array(Set(resource.filter { !$0.isEmpty })).sorted()
        self.audience = audience.flatMap { $0.isEmpty ? nil : $0 }
    }

    /// The key of the token for MachineAuth's own API: all the agent's scopes, the default audience.
    static let agentAPI = TokenKey()

    /// The `client_credentials` request for this key (resource repeated once per indicator).
    var grantForm: [(String, String)] {
        var form = [("grant_type", "client_credentials")]
        if !scopes.isEmpty { form.append(("scope", scopes.joined(separator: " "))) }
        form += resources.map { ("resource", $0) }
        if let audience { form.append(("audience", audience)) }
        return form
    }
}
