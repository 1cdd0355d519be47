import AsyncHTTPClient
import Foundation
import MachineAuthClient
import NIOCore
import NIOFoundationCompat
import NIOHTTP1

/// An agent the admin API created, with its secret (shown once).
struct CreatedAgent: Sendable {
    let id: String
    let clientID: String
    let clientSecret: String
}

/// A running server and an owner session on it: what the tests set up through the admin API
/// (which the Swift SDK does not wrap).
struct Running: Sendable {
    /// The servers of the running suite by `ServerOptions.name`.
    @TaskLocal static var servers: [String: Running] = [:]

    let server: TestServer
    let options: ServerOptions
    /// The owner's admin session token.
    let adminToken: String

    var base: String { server.base }

    init(server: TestServer, options: ServerOptions) async throws {
        self.server = server
        self.options = options
        let login = try await Self.send(
            base: server.base, .POST, "/api/auth/login",
            json: ["email": .string(TestServer.adminEmail), "password": .string(TestServer.adminPassword)], token: nil)
        guard login.status == 200, let token = login.body["token"]?.stringValue else {
            throw TestServerError("admin login failed: \(login.status) \(login.body)")
        }
        adminToken = token
    }

    /// The suite's server of `options`.
    static func get(_ options: ServerOptions) throws -> Running {
        guard let running = servers[options.name] else { throw TestServerError("this test needs a suite with .servers(\(options))") }
        return running
    }

    /// `POST /api/agents` as the owner (who may give any audience).
    func createAgent(name: String = unique("agent"), scopes: [String] = ["read", "write"], allowedAudiences: [String] = []) async throws -> CreatedAgent {
        var body: [String: JSONValue] = ["name": .string(name), "scopes": .array(scopes.map(JSONValue.string))]
        if !allowedAudiences.isEmpty { body["allowed_audiences"] = .array(allowedAudiences.map(JSONValue.string)) }
        let answer = try await admin(.POST, "/api/agents", json: .object(body))
        guard answer.status == 201, let id = answer.body["agent"]?["id"]?.stringValue,
            let clientID = answer.body["client_id"]?.stringValue, let secret = answer.body["client_secret"]?.stringValue
        else { throw TestServerError("creating an agent failed: \(answer.status) \(answer.body)") }
        return CreatedAgent(id: id, clientID: clientID, clientSecret: secret)
    }

    /// A client authenticating as `agent`.
    func client(of agent: CreatedAgent, configuration: MachineAuthClient.Configuration = .init()) -> MachineAuthClient {
        MachineAuthClient(baseURL: base, clientID: agent.clientID, clientSecret: agent.clientSecret, configuration: configuration)
    }

    /// A client with the owner's session, as a resource server would hold an API key.
    var adminClient: MachineAuthClient { MachineAuthClient(baseURL: base, adminToken: adminToken) }

    /// `GET /api/agents/{id}` as the owner (usage counters include unflushed ones).
    func agent(_ id: String) async throws -> JSONValue {
        let answer = try await admin(.GET, "/api/agents/\(id)")
        guard answer.status == 200, let agent = answer.body["agent"] else { throw TestServerError("GET agent: \(answer.status) \(answer.body)") }
        return agent
    }

    /// A usage counter of the agent (`token_count`, `failed_auth_count`) once it reads the same
    /// across a usage flush (every 2 s), so late counts cannot hide.
    func settled(_ id: String, _ counter: String = "token_count") async throws -> Int {
        var last = try await agent(id)[counter]?.intValue ?? -1
        for _ in 0..<10 {
            try await Task.sleep(for: .milliseconds(2100))
            let now = try await agent(id)[counter]?.intValue ?? -1
            if now == last { return now }
            last = now
        }
        throw TestServerError("\(counter) of agent \(id) never settled (last \(last))")
    }

    /// `POST /api/agents/{id}/rotate` as the owner; the new secret.
    func rotateSecret(_ id: String, gracePeriodSeconds: Int = 0) async throws -> String {
        let answer = try await admin(.POST, "/api/agents/\(id)/rotate", json: ["grace_period_seconds": .number(Double(gracePeriodSeconds))])
        guard answer.status == 200, let secret = answer.body["client_secret"]?.stringValue else {
            throw TestServerError("rotate: \(answer.status) \(answer.body)")
        }
        return secret
    }

    /// `POST /api/agents/{id}/deactivate` as the owner.
    func deactivate(_ id: String) async throws {
        let answer = try await admin(.POST, "/api/agents/\(id)/deactivate")
        guard answer.status == 200 else { throw TestServerError("deactivate: \(answer.status) \(answer.body)") }
    }

    /// `POST /api/keys/rotate`: a new signing key; the kid new tokens carry.
    func rotateSigningKey() async throws -> String {
        let answer = try await admin(.POST, "/api/keys/rotate")
        guard answer.status == 200 || answer.status == 201 else { throw TestServerError("key rotation: \(answer.status) \(answer.body)") }
        return answer.body["active_kid"]?.stringValue ?? answer.body["kid"]?.stringValue ?? ""
    }

    func admin(_ method: HTTPMethod, _ path: String, json: JSONValue? = nil) async throws -> (status: Int, body: JSONValue) {
        try await Self.send(base: base, method, path, json: json, token: adminToken)
    }

    static func send(base: String, _ method: HTTPMethod, _ path: String, json: JSONValue?, token: String?) async throws -> (status: Int, body: JSONValue) {
        var request = HTTPClientRequest(url: base + path)
        request.method = method
        if let token { request.headers.add(name: "Authorization", value: "Bearer \(token)") }
        if let json {
            request.headers.add(name: "Content-Type", value: "application/json")
            request.body = .bytes(ByteBuffer(string: json.jsonText))
        }
        let response = try await HTTPClient.shared.execute(request, timeout: .seconds(30))
        let body = try await response.body.collect(upTo: 1 << 20)
        return (Int(response.status.code), (try? JSONValue.decode(Data(buffer: body))) ?? .null)
    }
}
