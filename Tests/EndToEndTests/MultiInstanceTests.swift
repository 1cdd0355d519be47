import Foundation
import MachineAuthCore
import MachineAuthServerTesting
import MachineAuthTesting
import Testing

@Suite("Several instances on one PostgreSQL database", .serialized, .enabled(if: TestDatabases.postgresURL != nil, "needs MACHINEAUTH_TEST_POSTGRES_URL (scripts/test sets it)"))
struct MultiInstanceTests {
    /// Polls `check` until it holds; returns how long it took, or nil after `limit` seconds.
    func within(_ limit: Double, _ check: () async throws -> Bool) async throws -> Double? {
        let start = Date()
        while Date().timeIntervalSince(start) < limit {
            if try await check() { return Date().timeIntervalSince(start) }
            try await Task.sleep(for: .milliseconds(20))
        }
        return nil
    }

    @Test("agents, tokens, revocations, deactivations, secret and key rotations cross instances")
    func twoInstances() async throws {
        let url = try await TestDatabases.freshPostgresDatabase()
        let a = try await ServerProcess.start(environment: ["DATABASE_URL": url])
        defer { a.terminate() }
        let b = try await ServerProcess.start(environment: ["DATABASE_URL": url])
        defer { b.terminate() }
        #expect(a.log.contains("storage=postgres://postgres@"))
        let httpA = HTTP(base: a.baseURL)
        let httpB = HTTP(base: b.baseURL)
        let adminA = try await httpA.adminToken()
        let adminB = try await httpB.adminToken()

        let created = try await httpA.send("POST", "/api/agents", token: adminA, json: ["name": "shared", "scopes": ["read"]])
        let clientID = created["client_id"]?.stringValue ?? ""
        let secret = created["client_secret"]?.stringValue ?? ""
        let agentID = created["agent"]?.objectValue?["id"]?.stringValue ?? ""
        func token(_ http: HTTP, _ secret: String) async throws -> HTTP.Reply {
            try await http.send("POST", "/oauth/token", form: "grant_type=client_credentials&client_id=\(clientID)&client_secret=\(secret)")
        }
        func active(_ http: HTTP, _ admin: String, _ token: String) async throws -> Bool {
            try await http.send("POST", "/oauth/introspect", token: admin, form: "token=\(token)")["active"] == true
        }

        let fromB = try await token(httpB, secret)
        #expect(fromB.status == 200, "an agent created on A gets a token on B")
        let accessToken = fromB["access_token"]?.stringValue ?? ""
        #expect(try await active(httpA, adminA, accessToken), "a token from B validates on A")

        #expect(try await httpA.send("POST", "/oauth/revoke", token: adminA, form: "token=\(accessToken)").status == 200)
        let revokedAfter = try await within(1) { try await !active(httpB, adminB, accessToken) }
        #expect(revokedAfter != nil, "B honours A's revocation within one second")

        let second = try await token(httpB, secret)["access_token"]?.stringValue ?? ""
        let rotated = try await httpA.send("POST", "/api/agents/\(agentID)/rotate", token: adminA)
        let newSecret = rotated["client_secret"]?.stringValue ?? ""
        #expect(try await token(httpB, secret)["error"] == "invalid_client", "B enforces A's secret rotation at once")
        #expect(try await token(httpB, newSecret).status == 200)
        #expect(try await within(1) { try await !active(httpB, adminB, second) } != nil, "tokens from before the rotation die on B too")

        let third = try await token(httpB, newSecret)["access_token"]?.stringValue ?? ""
        _ = try await httpA.send("POST", "/api/agents/\(agentID)/deactivate", token: adminA)
        #expect(try await within(1) { try await !active(httpB, adminB, third) } != nil, "B honours A's deactivation within one second")
        _ = try await httpA.send("POST", "/api/agents/\(agentID)/reactivate", token: adminA)

        let keyRotation = try await httpA.send("POST", "/api/keys/rotate", token: adminA)
        let kid = keyRotation["active_kid"]?.stringValue ?? ""
        let adopted = try await within(1) {
            let keys = try await httpB.send("GET", "/.well-known/jwks.json")["keys"]?.arrayValue ?? []
            return keys.contains { $0.objectValue?["kid"]?.stringValue == kid }
        }
        #expect(adopted != nil, "B publishes A's new key")
        let signedByB = try await token(httpB, newSecret)["access_token"]?.stringValue ?? ""
        #expect(try JWS.parse(signedByB).header["kid"]?.stringValue == kid, "B signs with the new key")
        #expect(try await active(httpA, adminA, signedByB))
        try await a.stop()
        try await b.stop()
    }

    @Test("losing the database gives 503s and clean errors, and the server recovers when it returns")
    func databaseOutage() async throws {
        let cluster = try TemporaryDirectory("machineauth-pg")
        defer { cluster.remove() }
        let script = ServerProcess.projectRoot + "/scripts/pg-cluster"
        let started = try ServerProcess.shell([script, "start", cluster.path])
        #expect(started.status == 0, "\(started.output)")
        defer { _ = try? ServerProcess.shell([script, "stop", cluster.path]) }
        let url = started.output.trimmingCharacters(in: .whitespacesAndNewlines)
        let server = try await ServerProcess.start(environment: ["DATABASE_URL": url])
        defer { server.terminate() }
        let http = HTTP(base: server.baseURL)
        let admin = try await http.adminToken()
        let created = try await http.send("POST", "/api/agents", token: admin, json: ["name": "survivor"])
        let form = "grant_type=client_credentials&client_id=\(created["client_id"]?.stringValue ?? "")&client_secret=\(created["client_secret"]?.stringValue ?? "")"
        #expect(try await http.send("POST", "/oauth/token", form: form).status == 200)

        #expect(try ServerProcess.shell([script, "kill", cluster.path]).status == 0)
        #expect(try await http.send("GET", "/health/ready").status == 503)
        let failed = try await http.send("POST", "/oauth/token", form: form)
        #expect(failed.status == 503 && failed["error"] == "temporarily_unavailable", "\(failed.body)")
        #expect(try await http.send("GET", "/health").status == 200, "the process is alive")
        #expect(server.process.isRunning)

        #expect(try ServerProcess.shell([script, "restart", cluster.path]).status == 0)
        let recovered = try await within(20) { try await http.send("GET", "/health/ready").status == 200 }
        #expect(recovered != nil)
        #expect(try await http.send("POST", "/oauth/token", form: form).status == 200, "tokens are issued again")
        try await server.stop()
    }
}
