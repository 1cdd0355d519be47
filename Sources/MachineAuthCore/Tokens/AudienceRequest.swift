import Foundation

/// `resource` (RFC 8707, repeatable absolute URIs) and `audience` parameters → the token's `aud`.
///
/// Only audiences the agent may ask for are issued: its `allowed_audiences`, else the
/// deployment's `tokens.allowed_audiences`, and always the default audience (this server, unless
/// `tokens.default_audience` says otherwise). Anything else is `invalid_target` (RFC 8707 §2).
public struct AudienceRequest: Sendable {
    let settings: CoreSettings

    public init(settings: CoreSettings) {
        self.settings = settings
    }

    /// `tokens.default_audience`, or this server.
    public var defaultAudience: [String] {
        settings.tokens.defaultAudience.isEmpty ? [settings.server.issuer] : settings.tokens.defaultAudience
    }

    /// Every audience `agent` may be issued now.
    public func allowed(for agent: Agent) -> Set<String> {
        Set((agent.allowedAudiences.isEmpty ? settings.tokens.allowedAudiences : agent.allowedAudiences) + defaultAudience)
    }

    /// The audience of a refresh grant that the agent may still be issued: one it lost since is dropped.
    public func stillAllowed(_ granted: [String], for agent: Agent) throws(OAuthError) -> [String] {
        let allowed = allowed(for: agent)
        let kept = granted.filter(allowed.contains)
        guard !kept.isEmpty else { throw OAuthError.invalidGrant("this client may no longer be issued the audience of the refresh token") }
        return kept
    }

    /// `granted`: for a refresh, the audience of the original grant (already narrowed to what the
    /// agent may still have, ``stillAllowed(_:for:)``), which may only be narrowed further.
    public func resolve(_ parameters: RequestParameters, for agent: Agent, within granted: [String]?) throws(OAuthError) -> [String] {
        let resources = parameters.all("resource")
        for resource in resources {
            guard let url = URL(string: resource), url.scheme != nil, url.host != nil || url.scheme == "urn", url.fragment == nil else {
                throw OAuthError.invalidTarget("resource \"\(resource)\" must be an absolute URI without a fragment")
            }
        }
        let audiences = parameters.all("audience").flatMap { $0.split(separator: " ").map(String.init) }
        var seen = Set<String>()
        let requested = (resources + audiences).filter { seen.insert($0).inserted }
        if let granted {
            guard !requested.isEmpty else { return granted }
            let outside = requested.filter { !granted.contains($0) }
            guard outside.isEmpty else {
                throw OAuthError.invalidTarget("the refresh token was not granted for \(outside.joined(separator: " "))")
            }
            return requested
        }
        guard !requested.isEmpty else { return defaultAudience }
        let allowed = allowed(for: agent)
        let outside = requested.filter { !allowed.contains($0) }
        guard outside.isEmpty else {
            throw OAuthError.invalidTarget("this client may not ask for \(outside.joined(separator: " ")) (see the agent's allowed_audiences)")
        }
        return requested
    }
}
