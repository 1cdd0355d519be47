import NIOHTTP1

/// What an agent does with its own access token (`client.agent.me()` …). Each call takes the
/// cached token for MachineAuth's own API and re-authenticates once when the server answers 401.
public struct AgentAPI: Sendable {
    let client: MachineAuthClient

    /// `GET /api/agents/me`: the calling agent.
    public func me() async throws -> Agent {
        Agent(try await client.sendAsAgent(Call(method: .GET, path: "/api/agents/me", authentication: .agent)).member("agent"))
    }

    /// `GET /api/agents/me/usage`: its usage counters.
    public func usage() async throws -> AgentUsage {
        AgentUsage(try await client.sendAsAgent(Call(method: .GET, path: "/api/agents/me/usage", authentication: .agent)))
    }

    /// `GET /oauth/userinfo`: its profile as OAuth clients read it.
    public func userinfo() async throws -> UserInfo {
        UserInfo(try await client.sendAsAgent(Call(method: .GET, path: "/oauth/userinfo", authentication: .agent)))
    }

    /// Rotates the agent's own secret. The client switches to the new secret at once and drops
    /// its cached tokens; keep `clientSecret` of the result for the next start. Without a grace
    /// period the old secret and every token issued with it stop working now.
    public func rotate(gracePeriodSeconds: Int? = nil) async throws -> RotatedSecret {
        var body: [String: JSONValue] = [:]
        if let gracePeriodSeconds { body["grace_period_seconds"] = .number(Double(gracePeriodSeconds)) }
        let call = Call(method: .POST, path: "/api/agents/me/rotate", authentication: .agent, json: .object(body))
        let rotated = RotatedSecret(try await client.sendAsAgent(call))
        guard !rotated.clientSecret.isEmpty else {
            throw MachineAuthError.invalidResponse("the rotation answered no client_secret", status: 200)
        }
        await client.replaceSecret(rotated.clientSecret)
        return rotated
    }

    /// Deactivates the agent: its tokens stop working until `reactivate()`.
    public func deactivate() async throws -> Agent {
        Agent(try await client.sendAsAgent(Call(method: .POST, path: "/api/agents/me/deactivate", authentication: .agent)).member("agent"))
    }

    /// Undoes the agent's own deactivation, authenticating with its client credentials (an
    /// agent an administrator deactivated stays so: 403 `access_denied`).
    public func reactivate() async throws -> Agent {
        let call = Call(method: .POST, path: "/api/agents/me/reactivate", authentication: .client, form: [])
        let agent = Agent(try await client.transport.send(call).member("agent"))
        await client.tokens.clear()
        return agent
    }

    /// Deletes the agent for good; returns its id.
    @discardableResult
    public func delete() async throws -> String {
        try await client.sendAsAgent(Call(method: .DELETE, path: "/api/agents/me", authentication: .agent)).text("id")
    }
}
