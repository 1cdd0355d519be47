import Foundation
import MachineAuthCore
import MachineAuthTesting
import Testing

@Suite("Client commands: token and health")
struct ClientCommandTests {
    @Test("health exits 0 for a ready server and 1 for a port nobody answers; token prints a token or the OAuth error")
    func tokenAndHealth() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let server = try await ServerProcess.start(directory: directory.path)
        defer { server.terminate() }
        let url = server.baseURL

        let ready = try ServerProcess.runToCompletion(["health", "--url", url])
        #expect(ready.status == 0 && ready.output.contains("\(url)/health/ready: ok"), "\(ready.output)")
        #expect(try ServerProcess.runToCompletion(["health", "--live"], environment: ["MACHINEAUTH_URL": url]).status == 0)
        let closed = try ServerProcess.runToCompletion(["health", "--url", "http://127.0.0.1:1"])
        #expect(closed.status == 1 && closed.output.contains("cannot reach http://127.0.0.1:1"))
        let notURL = try ServerProcess.runToCompletion(["health", "--url", "ftp://x"])
        #expect(notURL.status == 1 && notURL.output.contains("is not an http(s) URL"))

        let http = HTTP(base: url)
        let created = try await http.send("POST", "/api/agents", token: try await http.adminToken(), json: ["name": "cli", "scopes": ["read", "write"]])
        let clientID = try #require(created["agent"]?.objectValue?["client_id"]?.stringValue)
        let secret = try #require(created["client_secret"]?.stringValue)

        let token = try ServerProcess.runToCompletion(
            ["token", "--url", url, "--client-id", clientID, "--scope", "read", "--access-token-only"], environment: ["MACHINEAUTH_CLIENT_SECRET": secret])
        #expect(token.status == 0, "\(token.output)")
        let accessToken = token.output.trimmingCharacters(in: .whitespacesAndNewlines)
        let introspected = try await http.send("POST", "/oauth/introspect", token: try await http.adminToken(), form: "token=\(accessToken)")
        #expect(introspected["active"] == true && introspected["scope"] == "read")

        let secretFile = try directory.write("secret", secret + "\n")
        let whole = try ServerProcess.runToCompletion(["token", "--url", url, "--client-id", clientID, "--client-secret-file", secretFile])
        #expect(whole.status == 0 && whole.output.contains("\"token_type\":\"Bearer\""), "\(whole.output)")

        let refused = try ServerProcess.runToCompletion(
            ["token", "--url", url, "--client-id", clientID], environment: ["MACHINEAUTH_CLIENT_SECRET": "cs_wrong"])
        #expect(refused.status == 1 && refused.output.contains("the server refused the token request: invalid_client"), "\(refused.output)")
        let noClient = try ServerProcess.runToCompletion(["token", "--url", url], environment: ["MACHINEAUTH_CLIENT_SECRET": secret])
        #expect(noClient.status == 1 && noClient.output.contains("give --client-id"))
        try await server.stop()
    }
}
