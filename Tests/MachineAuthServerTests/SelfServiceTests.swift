import Foundation
import Hummingbird
import MachineAuthCore
import MachineAuthServer
import MachineAuthServerTesting
import MachineAuthTesting
import Testing

@Suite("Agent self-service")
struct SelfServiceTests {
    @Test("me, usage and userinfo with the agent's own token; admins are refused")
    func profile() async throws {
        try await Harness.with { h in
            let admin = try await h.adminToken()
            let agent = try await h.createAgent(admin)
            let token = try await h.accessToken(agent)
            let me = try await h.json(.get, "/api/agents/me", token: token)
            #expect(me["agent"]?.objectValue?["client_id"]?.stringValue == agent.clientID)
            let usage = try await h.json(.get, "/api/agents/me/usage", token: token)
            #expect(usage["token_count"] == .int(1))
            let userinfo = try await h.json(.get, "/oauth/userinfo", token: token)
            #expect(userinfo.string("sub") == agent.clientID)
            #expect(try await h.json(.get, "/api/agents/me", token: admin).status == .forbidden)
            #expect(try await h.json(.get, "/api/agents/me").status == .unauthorized)
        }
    }

    @Test("self rotation returns a new secret and ends the old one")
    func rotate() async throws {
        try await Harness.with { h in
            let agent = try await h.createAgent(try await h.adminToken())
            let token = try await h.accessToken(agent)
            let rotated = try await h.json(.post, "/api/agents/me/rotate", token: token)
            #expect(rotated.string("client_secret").hasPrefix("cs_"))
            #expect(try await h.token(agent).string("error") == "invalid_client")
            #expect(try await h.json(.get, "/api/agents/me", token: token).status == .unauthorized)
        }
    }

    @Test("deactivate with the token, reactivate with client credentials")
    func deactivateReactivate() async throws {
        try await Harness.with { h in
            let agent = try await h.createAgent(try await h.adminToken())
            let token = try await h.accessToken(agent)
            #expect(try await h.json(.post, "/api/agents/me/deactivate", token: token).status == .ok)
            #expect(try await h.json(.post, "/api/agents/me/reactivate", token: token).status == .unauthorized)
            let wrong = try await h.form("/api/agents/me/reactivate", [], headers: [.authorization: Harness.basic(agent.clientID, "cs_wrong")])
            #expect(wrong.status == .unauthorized)
            let reactivated = try await h.form("/api/agents/me/reactivate", [], headers: [.authorization: Harness.basic(agent.clientID, agent.secret)])
            #expect(reactivated.status == .ok, "\(reactivated.text)")
            #expect(try await h.token(agent).status == .ok)
        }
    }

    @Test("self deletion on both paths")
    func delete() async throws {
        try await Harness.with { h in
            let admin = try await h.adminToken()
            for path in ["/api/agents/me", "/api/agents/me/delete"] {
                let agent = try await h.createAgent(admin)
                let token = try await h.accessToken(agent)
                #expect(try await h.json(.delete, path, token: token).status == .ok)
                #expect(try await h.json(.get, "/api/agents/\(agent.id)", token: admin).status == .notFound)
                #expect(try await h.token(agent).string("error") == "invalid_client")
            }
        }
    }
}

@Suite("Audit, stats and metrics")
struct OperationsTests {
    @Test("operations become audit records that filter by agent, action and time")
    func auditTrail() async throws {
        try await Harness.with { h in
            let admin = try await h.adminToken()
            let agent = try await h.createAgent(admin)
            _ = try await h.accessToken(agent)
            _ = try await h.json(.post, "/api/agents/\(agent.id)/rotate", token: admin)
            let all = try await h.json(.get, "/api/audit-logs?agent_id=\(agent.id)", token: admin)
            let actions = all["audit_logs"]?.arrayValue?.compactMap { $0.objectValue?["action"]?.stringValue } ?? []
            #expect(actions.contains("agent.created") && actions.contains("token.issued") && actions.contains("agent.rotated"))
            let tokens = try await h.json(.get, "/api/audit-logs?action=token.*", token: admin)
            #expect(tokens["audit_logs"]?.arrayValue?.allSatisfy { $0.objectValue?["action"]?.stringValue?.hasPrefix("token.") == true } == true)
            let record = try #require(all["audit_logs"]?.arrayValue?.first?.objectValue)
            for field in ["actor_type", "action", "outcome", "time", "request_id"] { #expect(record[field] != nil, "missing \(field)") }
            let future = try await h.json(.get, "/api/audit-logs?from=2999-01-01T00:00:00Z", token: admin)
            #expect(future["pagination"]?.objectValue?["total"] == 0)
            #expect(h.fixture.notifier.types().contains("agent.created"), "events reach every notifier")
        }
    }

    @Test("stats summarise agents and tokens; metrics count what happened")
    func statsAndMetrics() async throws {
        try await Harness.with { h in
            let admin = try await h.adminToken()
            let agent = try await h.createAgent(admin)
            let token = try await h.accessToken(agent)
            _ = try await h.token(Harness.Credentials(id: "", clientID: agent.clientID, secret: "bad"))
            _ = try await h.form("/oauth/revoke", [("token", token)], headers: [.authorization: Harness.basic(agent.clientID, agent.secret)])
            try await h.runtime.services.usage.flush()
            let stats = try await h.json(.get, "/api/stats", token: admin)
            #expect(stats["agents"]?.objectValue?["total"] == 1)
            #expect(stats["tokens"]?.objectValue?["issued"] == 1)
            let metrics = try await h.send(.get, "/metrics").text
            #expect(metrics.contains("machineauth_tokens_issued_total{grant_type=\"client_credentials\"} 1"))
            #expect(metrics.contains("machineauth_token_failures_total{error=\"invalid_client\"} 1"))
            #expect(metrics.contains("machineauth_tokens_revoked_total 1"))
            #expect(metrics.contains("machineauth_http_requests_total{"))
            #expect(metrics.contains("machineauth_http_request_duration_seconds_bucket"))
            // The one signature's CPU time, in buckets fit for microseconds.
            #expect(metrics.contains("machineauth_token_signing_cpu_seconds_count{alg=\"RS256\"} 1"))
            #expect(metrics.contains("machineauth_token_signing_cpu_seconds_bucket{alg=\"RS256\",le=\"0.0001\"}"))
            let sum = metrics.split(separator: "\n").first { $0.hasPrefix("machineauth_token_signing_cpu_seconds_sum{alg=\"RS256\"}") }
            let seconds = try #require(sum.flatMap { Double($0.split(separator: " ").last ?? "") })
            #expect(seconds > 0 && seconds < 1, "an RSA-2048 signature takes some CPU time, well under a second")
        }
    }
}
