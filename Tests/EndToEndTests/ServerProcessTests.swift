import Foundation
import MachineAuthCore
import MachineAuthServerTesting
import MachineAuthTesting
import Testing

@Suite("The built binary", .serialized)
struct ServerProcessTests {
    @Test("starts on a free port with JSON storage in the working directory, stops cleanly on SIGTERM, keeps its data")
    func lifecycle() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let server = try await ServerProcess.start(directory: directory.path)
        defer { server.terminate() }
        #expect(server.log.contains("config=<embedded default>"))
        #expect(server.log.contains("storage=json:machineauth.json"))
        #expect(server.log.contains("authenticators=client_secret,private_key_jwt,tls_client_auth,api_key grants=client_credentials,refresh_token,jwt_bearer enrichers=org_team notifiers=audit,webhooks"))
        let http = HTTP(base: server.baseURL)
        #expect(try await http.send("GET", "/health")["status"] == "ok")
        let admin = try await http.adminToken()
        let created = try await http.send("POST", "/api/agents", token: admin, json: ["name": "e2e", "scopes": ["read"]])
        #expect(created.status == 201)
        let clientID = created["client_id"]?.stringValue ?? ""
        let secret = created["client_secret"]?.stringValue ?? ""
        let token = try await http.send("POST", "/oauth/token", form: "grant_type=client_credentials&client_id=\(clientID)&client_secret=\(secret)")
        #expect(token.status == 200)
        let revoked = try await http.send("POST", "/oauth/token", form: "grant_type=client_credentials&client_id=\(clientID)&client_secret=\(secret)")
        let revokedToken = revoked["access_token"]?.stringValue ?? ""
        #expect(try await http.send("POST", "/oauth/revoke", token: admin, form: "token=\(revokedToken)").status == 200)
        #expect(try await server.stop() == 0)
        #expect(server.log.contains("MachineAuth stopped"))
        let attributes = try FileManager.default.attributesOfItem(atPath: directory.file("machineauth.json"))
        #expect((attributes[.posixPermissions] as? NSNumber)?.intValue == 0o600)

        let again = try await ServerProcess.start(directory: directory.path)
        defer { again.terminate() }
        let reopened = HTTP(base: again.baseURL)
        let list = try await reopened.send("GET", "/api/agents", token: try await reopened.adminToken())
        #expect(list["agents"]?.arrayValue?.first?.objectValue?["token_count"] == 2, "usage flushed on shutdown")
        let introspected = try await reopened.send("POST", "/oauth/introspect", token: try await reopened.adminToken(), form: "token=\(revokedToken)")
        #expect(introspected.body == ["active": false], "a revocation survives a restart")
        let stillGood = try await reopened.send("POST", "/oauth/introspect", token: try await reopened.adminToken(), form: "token=\(token["access_token"]?.stringValue ?? "")")
        #expect(stillGood["active"] == true)
        let retry = try await reopened.send("POST", "/oauth/token", form: "grant_type=client_credentials&client_id=\(clientID)&client_secret=\(secret)")
        #expect(retry.status == 200, "the signing key and the agent survived the restart")
        try await again.stop()
    }

    @Test("kill -9 during a stream of writes never leaves a store that fails to load; acknowledged agents survive")
    func crashSafety() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let server = try await ServerProcess.start(directory: directory.path)
        defer { server.terminate() }
        let http = HTTP(base: server.baseURL)
        let admin = try await http.adminToken()
        let acknowledged = Acknowledged()
        let writers = Task {
            await withTaskGroup(of: Void.self) { group in
                for worker in 0..<4 {
                    group.addTask { await http.createAgents(named: "w\(worker)", count: 500, token: admin, into: acknowledged) }
                }
            }
        }
        // Kill mid-stream: once some writes are acknowledged (a loaded machine may take seconds for the first).
        let deadline = ContinuousClock.now + .seconds(60)
        while acknowledged.ids.count < 40, ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(20))
        }
        try await server.stop(signal: SIGKILL)
        await writers.value
        let ids = acknowledged.ids
        #expect(!ids.isEmpty)
        let again = try await ServerProcess.start(directory: directory.path)
        defer { again.terminate() }
        let reopened = HTTP(base: again.baseURL)
        let token = try await reopened.adminToken()
        for id in ids.suffix(20) {
            #expect(try await reopened.send("GET", "/api/agents/\(id)", token: token).status == 200)
        }
        let total = try await reopened.send("GET", "/api/agents?limit=1", token: token)["pagination"]?.objectValue?["total"]?.intValue ?? 0
        #expect(total >= ids.count)
        try await again.stop()
    }

    @Test("production refuses to start with the default admin password")
    func productionRefusal() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let result = try ServerProcess.runToCompletion([], environment: ["ENV": "production", "PORT": "0"], directory: directory.path)
        #expect(result.status != 0)
        #expect(result.output.contains("refusing to start in production"))
    }
}
