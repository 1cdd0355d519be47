import AsyncHTTPClient
import Foundation
import Hummingbird
import HummingbirdTesting
import MachineAuthClient
import MachineAuthHummingbird
import NIOCore
import NIOFoundationCompat
import NIOHTTP1
import Synchronization
import Testing

extension AgentTests {
    /// `AuthorizedClient`: any `HTTPClientRequest` with a fresh agent token, one retry on a 401.
    @Suite struct AuthorizedClientSuite {
        /// The body of `response` as JSON.
        static func json(_ response: HTTPClientResponse) async throws -> JSONValue {
            try JSONValue.decode(Data(buffer: try await response.body.collect(upTo: 1 << 20)))
        }

        @Test func sendsTheTokenAndReauthenticatesOnce() async throws {
            let running = try Running.get(.standard)
            let agent = try await running.createAgent()
            let vault = Mutex(agent.clientSecret)
            let client = MachineAuthClient(baseURL: running.base, clientID: agent.clientID) { vault.withLock { $0 } }
            let api = client.authorized()
            let request = HTTPClientRequest(url: running.base + "/api/agents/me")
            let first = try await api.execute(request)
            #expect(first.status == .ok)
            #expect(try await Self.json(first)["agent"]?["id"]?.stringValue == agent.id)
            let rotated = try await running.rotateSecret(agent.id)
            vault.withLock { $0 = rotated }
            let second = try await api.execute(request)  // 401 with the old token, then a new one
            #expect(second.status == .ok)
            #expect(try await Self.json(second)["agent"]?["client_id"]?.stringValue == agent.clientID)
            #expect(try await running.settled(agent.id) == 2)

            _ = try await running.rotateSecret(agent.id)  // the vault keeps the old secret now
            let refused = try await caught(MachineAuthError.self) { try await api.execute(request) }
            #expect(refused.status == 401 && refused.error == "invalid_client")
        }

        @Test func reachesAResourceServerBehindTheMiddleware() async throws {
            let running = try Running.get(.standard)
            let agent = try await running.createAgent(allowedAudiences: [AgentTests.api])
            let verifier = TokenVerifier(issuer: running.base, audiences: [AgentTests.api])
            let router = Router(context: MachineAuthContext.self)
            router.add(middleware: MachineAuthMiddleware(verifier: verifier, scopes: ["read"]))
            router.post("/orders") { request, context in
                let claims = try context.requireScopes("write")
                let body = try await request.body.collect(upTo: 1024)
                return "\(claims.agentID) \(String(buffer: body))"
            }
            let app = Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)))
            try await app.test(.live) { test in
                let port = try #require(test.port)
                let api = running.client(of: agent).authorized(resource: [AgentTests.api])
                var request = HTTPClientRequest(url: "http://127.0.0.1:\(port)/orders")
                request.method = .POST
                request.body = .bytes(ByteBuffer(string: "two apples"))
                let response = try await api.execute(request)
                #expect(response.status == .ok)
                #expect(String(buffer: try await response.body.collect(upTo: 1024)) == "\(agent.id) two apples")

                let scoped = running.client(of: agent).authorized(scope: ["read"], resource: [AgentTests.api])
                let forbidden = try await scoped.execute(request)
                #expect(forbidden.status == .forbidden)
                #expect(forbidden.headers.first(name: "WWW-Authenticate")?.contains(#"scope="write""#) == true)

                let wrongAudience = try await running.client(of: agent).authorized().execute(request)
                #expect(wrongAudience.status == .unauthorized)  // retried once with a new token, refused again
                #expect(try await running.settled(agent.id) == 4)
            }
        }
    }
}
