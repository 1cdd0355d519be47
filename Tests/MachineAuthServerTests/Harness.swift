import Foundation
import Hummingbird
import HummingbirdTesting
import MachineAuthCore
import MachineAuthServer
import MachineAuthStages
import MachineAuthServerTesting
import MachineAuthTesting
import Testing

/// Drives a real runtime in-process through its HTTP router.
struct Harness: Sendable {
    let fixture: RuntimeFixture
    let client: any TestClientProtocol
    var runtime: MachineAuthRuntime { fixture.runtime }

    struct Reply: Sendable {
        var status: HTTPResponse.Status
        var headers: HTTPFields
        var text: String
        var json: JSONValue { (try? JSONValue.parse(Data(text.utf8))) ?? .null }
        subscript(key: String) -> JSONValue? { json.objectValue?[key] }
        func string(_ key: String) -> String { self[key]?.stringValue ?? "" }
    }

    /// Runs `body` against a fresh server built from `yaml`: in-process through the router, or
    /// `live` on a loopback port (a real peer address, which `TRUSTED_PROXIES` can trust).
    static func with(
        _ yaml: String = RuntimeFixture.yaml(), registry: StageRegistry = .standard, now: (@Sendable () -> Date)? = nil, live: Bool = false,
        _ body: @escaping @Sendable (Harness) async throws -> Void
    ) async throws {
        let fixture = try await RuntimeFixture.start(yaml, registry: registry, now: now ?? { Date() })
        let app = buildApplication(runtime: fixture.runtime)
        do {
            try await app.test(live ? .live : .router) { client in try await body(Harness(fixture: fixture, client: client)) }
        } catch {
            await fixture.stop()
            throw error
        }
        await fixture.stop()
    }

    func send(_ method: HTTPRequest.Method, _ uri: String, headers: HTTPFields = [:], body: String? = nil) async throws -> Reply {
        try await client.execute(uri: uri, method: method, headers: headers, body: body.map { ByteBuffer(string: $0) }) { response in
            Reply(status: response.status, headers: response.headers, text: String(buffer: response.body))
        }
    }

    func json(_ method: HTTPRequest.Method, _ uri: String, token: String? = nil, _ body: JSONValue? = nil) async throws -> Reply {
        var headers: HTTPFields = [.contentType: "application/json"]
        if let token { headers[.authorization] = "Bearer \(token)" }
        return try await send(method, uri, headers: headers, body: body?.jsonText)
    }

    func form(_ uri: String, _ fields: [(String, String)], headers: HTTPFields = [:]) async throws -> Reply {
        var headers = headers
        headers[.contentType] = "application/x-www-form-urlencoded"
        let body = fields.map { "\(Self.encode($0.0))=\(Self.encode($0.1))" }.joined(separator: "&")
        return try await send(.post, uri, headers: headers, body: body)
    }

    static func encode(_ text: String) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        return text.addingPercentEncoding(withAllowedCharacters: allowed)!
    }

    static func basic(_ id: String, _ secret: String) -> String {
        "Basic " + Data("\(encode(id)):\(encode(secret))".utf8).base64EncodedString()
    }

    func adminToken() async throws -> String {
        let reply = try await json(.post, "/api/auth/login", ["email": "admin@example.com", "password": "correct-horse-battery"])
        #expect(reply.status == .ok, "\(reply.text)")
        return reply.string("token")
    }

    struct Credentials: Sendable {
        var id: String
        var clientID: String
        var secret: String
    }

    func createAgent(_ admin: String, name: String = "agent", scopes: [String] = ["read", "write"], extra: [String: JSONValue] = [:]) async throws -> Credentials {
        var body: [String: JSONValue] = ["name": .string(name), "scopes": .array(scopes.map(JSONValue.string))]
        body.merge(extra) { $1 }
        let reply = try await json(.post, "/api/agents", token: admin, .object(body))
        #expect(reply.status == .created, "\(reply.text)")
        return Credentials(id: reply["agent"]?.objectValue?["id"]?.stringValue ?? "", clientID: reply.string("client_id"), secret: reply.string("client_secret"))
    }

    func token(_ agent: Credentials, _ extra: [(String, String)] = [], basic: Bool = true) async throws -> Reply {
        if basic {
            return try await form("/oauth/token", [("grant_type", "client_credentials")] + extra, headers: [.authorization: Self.basic(agent.clientID, agent.secret)])
        }
        return try await form("/oauth/token", [("grant_type", "client_credentials"), ("client_id", agent.clientID), ("client_secret", agent.secret)] + extra)
    }

    func accessToken(_ agent: Credentials) async throws -> String {
        let reply = try await token(agent)
        #expect(reply.status == .ok, "\(reply.text)")
        return reply.string("access_token")
    }

    /// Introspects as an administrator.
    func introspect(_ token: String, admin: String) async throws -> Reply {
        try await form("/oauth/introspect", [("token", token)], headers: [.authorization: "Bearer \(admin)"])
    }

    func isActive(_ token: String, admin: String) async throws -> Bool {
        try await introspect(token, admin: admin)["active"] == .bool(true)
    }
}
