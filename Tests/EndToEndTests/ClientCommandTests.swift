import Foundation
import MachineAuthCore
import MachineAuthServerTesting
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

    @Test("keys list, keys rotate, export and apply work through the admin API of a running server with --server")
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

        let secret = "bot-secret-" + String(repeating: "x", count: 32)
        let provision = try directory.write("provision.yaml", """
            organizations:
              - slug: remote
                name: Remote
            agents:
              - name: remote-bot
                organization: remote
                scopes: [read]
                client_secret_env: REMOTE_BOT_SECRET
            """)
        let withSecret = credentials.merging(["REMOTE_BOT_SECRET": secret]) { $1 }
        let plan = try ServerProcess.runToCompletion(["apply", provision, "--dry-run", "--server", url], environment: withSecret, directory: directory.path)
        #expect(plan.status == 0 && plan.output.contains("plan: 2 create"), "\(plan.output)")
        let applied = try ServerProcess.runToCompletion(["apply", provision, "--server", url], environment: withSecret, directory: directory.path)
        #expect(applied.status == 0 && applied.output.contains("applied: 2 create"), "\(applied.output)")
        let again = try ServerProcess.runToCompletion(["apply", provision, "--server", url], environment: withSecret, directory: directory.path)
        #expect(again.output.contains("applied: 0 create, 0 update, 0 delete, 2 unchanged"), "\(again.output)")
        let agents = try await HTTP(base: url).send("GET", "/api/agents?q=remote-bot", token: try await HTTP(base: url).adminToken())
        let clientID = try #require(agents["agents"]?.arrayValue?.first?.objectValue?["client_id"]?.stringValue)
        let issued = try ServerProcess.runToCompletion(["token", "--url", url, "--client-id", clientID, "--access-token-only"],
                                                       environment: ["MACHINEAUTH_CLIENT_SECRET": secret])
        #expect(issued.status == 0, "the secret the CLI sent from its environment works: \(issued.output)")
        let including = try directory.write("including.yaml", "include: [provision.yaml]\n")
        let refusedInclude = try ServerProcess.runToCompletion(["apply", including, "--server", url], environment: withSecret, directory: directory.path)
        #expect(refusedInclude.status == 1 && refusedInclude.output.contains("include: reads files"), "\(refusedInclude.output)")
        let owner = try await HTTP(base: url).adminToken()
        let serverFile = try await HTTP(base: url).send("POST", "/api/provision", token: owner, json: [
            "document": "agents:\n  - name: x\n    client_secret_file: /etc/hostname\n"])
        #expect(serverFile.status == 400 && serverFile["field"] == "document", "the server reads none of its files: \(serverFile.body)")
        let serverEnvironment = try await HTTP(base: url).send("POST", "/api/provision", token: owner, json: [
            "document": "organizations:\n  - slug: ${HOME}\n    name: x\n"])
        #expect(serverEnvironment.status == 400, "nor its environment: \(serverEnvironment.body)")

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
