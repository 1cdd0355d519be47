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
        let clear = try ServerProcess.runToCompletion(["token", "--url", "http://auth.example.com", "--client-id", "c"],
                                                      environment: ["MACHINEAUTH_CLIENT_SECRET": "cs_secret"])
        #expect(clear.status == 1 && clear.output.contains("plain http to another machine"), "\(clear.output)")
        let userinfo = try ServerProcess.runToCompletion(["keys", "list", "--server", "https://owner:pw@auth.example.com"])
        #expect(userinfo.status == 1 && userinfo.output.contains("must not hold credentials") && !userinfo.output.contains("pw@"), "\(userinfo.output)")
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

    @Test("keys list, keys rotate and export work through the admin API of a running server with --server")
    func adminCommandsThroughServer() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let server = try await ServerProcess.start(directory: directory.path)
        defer { server.terminate() }
        let url = server.baseURL
        let credentials = ["MACHINEAUTH_ADMIN_PASSWORD": "changeme"]
        let listed = try ServerProcess.runToCompletion(["keys", "list", "--server", url], environment: credentials, directory: directory.path)
        #expect(listed.status == 0 && listed.output.contains("key-1\tRS256") && listed.output.contains("active"), "\(listed.output)")
        let rotated = try ServerProcess.runToCompletion(["keys", "rotate", "--server", url], environment: credentials, directory: directory.path)
        #expect(rotated.status == 0 && rotated.output.contains("rotated: new signing key key-"), "\(rotated.output)")
        let jwks = try await HTTP(base: url).send("GET", "/.well-known/jwks.json")
        #expect(jwks["keys"]?.arrayValue?.count == 2, "the running server publishes both keys at once")
        let exported = try ServerProcess.runToCompletion(["export", "--server", url], environment: credentials, directory: directory.path)
        #expect(exported.status == 0 && exported.output.contains("agents:"), "\(exported.output)")

        let noCredentials = try ServerProcess.runToCompletion(["keys", "list", "--server", url], directory: directory.path)
        #expect(noCredentials.status == 1 && noCredentials.output.contains("MACHINEAUTH_ADMIN_PASSWORD"))
        let wrong = try ServerProcess.runToCompletion(["keys", "list", "--server", url], environment: ["MACHINEAUTH_ADMIN_PASSWORD": "nope"], directory: directory.path)
        #expect(wrong.status == 1 && wrong.output.contains("invalid_credentials"), "\(wrong.output)")
        let viewer = try await HTTP(base: url).send("POST", "/api/users", token: try await HTTP(base: url).adminToken(),
                                                   json: ["email": "viewer@example.com", "password": "viewer-password-1", "role": "viewer"])
        #expect(viewer.status == 201, "\(viewer.body)")
        let refused = try ServerProcess.runToCompletion(
            ["keys", "rotate", "--server", url], environment: ["MACHINEAUTH_ADMIN_EMAIL": "viewer@example.com", "MACHINEAUTH_ADMIN_PASSWORD": "viewer-password-1"],
            directory: directory.path)
        #expect(refused.status == 1 && refused.output.contains("was refused"), "\(refused.output)")
        try await server.stop()
    }
}
