import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import MachineAuthCore
import MachineAuthServerTesting
import MachineAuthTesting
import Testing

/// Numbers and bodies a request controls: out-of-range values are a 400 naming the field,
/// never a trap (which would kill the whole process, and this test run with it).
@Suite("Input bounds")
struct InputBoundsTests {
    /// The fixture pipeline with the webhooks stage, on `driver`'s storage.
    static func yaml(_ driver: String) async throws -> String {
        var yaml = RuntimeFixture.yaml().replacingOccurrences(of: "  - type: recording", with: "  - type: recording\n  - type: webhooks")
        if driver == "postgres" {
            yaml += "\nstorage: { url: \"\(try await TestDatabases.freshPostgresDatabase())\", connect_timeout: 30s, startup_timeout: 30s }\n"
        }
        return yaml
    }

    @Test("huge pages, lifetimes, grace periods and retry counts are 400s naming the field", arguments: TestDatabases.configurableDrivers)
    func hugeNumbers(driver: String) async throws {
        try await Harness.with(try await Self.yaml(driver)) { h in
            let admin = try await h.adminToken()
            let agent = try await h.createAgent(admin)
            let organization = try await h.json(.post, "/api/organizations", token: admin, ["name": "A", "slug": "a"])
            let orgID = organization["organization"]?.objectValue?["id"]?.stringValue ?? ""
            let webhook = try await h.json(.post, "/api/webhooks", token: admin, ["url": "https://example.com/hook"])
            let webhookID = webhook["webhook"]?.objectValue?["id"]?.stringValue ?? ""
            for page in ["9223372036854775807", "99999999999999999999999", "1000001", "0", "-1", "1e3", "x"] {
                for path in ["/api/agents", "/api/audit-logs", "/api/organizations", "/api/webhooks/\(webhookID)/deliveries"] {
                    let reply = try await h.json(.get, "\(path)?page=\(page)", token: admin)
                    #expect(reply.status == .badRequest && reply.string("field") == "page", "\(path)?page=\(page) → \(reply.text)")
                }
            }
            #expect(try await h.json(.get, "/api/agents?page=1000000", token: admin).status == .ok, "the last allowed page answers")
            let lifetimes: [JSONValue] = [.double(1e20), .int(10_000_000_000_000_000), .int(Int.max), .double(-1e300), .int(0), .int(315_360_001)]
            for lifetime in lifetimes {
                let created = try await h.json(.post, "/api/agents", token: admin, ["name": "x", "expires_in": lifetime])
                #expect(created.status == .badRequest && created.string("field") == "expires_in", "\(lifetime) → \(created.text)")
                let key = try await h.json(.post, "/api/organizations/\(orgID)/api-keys", token: admin, ["name": "k", "expires_in": lifetime])
                #expect(key.status == .badRequest && key.string("field") == "expires_in", "\(lifetime) → \(key.text)")
            }
            let farAway = try await h.json(.post, "/api/agents", token: admin, ["name": "x", "expires_at": "9999-12-31T23:59:59Z"])
            #expect(farAway.status == .badRequest && farAway.string("field") == "expires_at")
            let token = try await h.accessToken(agent)
            for grace in [JSONValue.double(1e20), .int(Int.max), .int(-1), .int(2_592_001)] {
                let rotated = try await h.json(.post, "/api/agents/\(agent.id)/rotate", token: admin, ["grace_period_seconds": grace])
                #expect(rotated.status == .badRequest && rotated.string("field") == "grace_period_seconds", "\(rotated.text)")
                let own = try await h.json(.post, "/api/agents/me/rotate", token: token, ["grace_period_seconds": grace])
                #expect(own.status == .badRequest && own.string("field") == "grace_period_seconds", "\(own.text)")
            }
            for retries in [JSONValue.double(1e20), .int(51), .int(-1)] {
                let made = try await h.json(.post, "/api/webhooks", token: admin, ["url": "https://example.com/a", "max_retries": retries])
                #expect(made.status == .badRequest && made.string("field") == "max_retries", "\(made.text)")
                let changed = try await h.json(.patch, "/api/webhooks/\(webhookID)", token: admin, ["max_retries": retries])
                #expect(changed.status == .badRequest && changed.string("field") == "max_retries", "\(changed.text)")
            }
            #expect(try await h.json(.get, "/health").status == .ok, "the server is still alive")
        }
    }

    @Test("strict bodies: unknown fields, wrong types, nulls, other media types, invalid UTF-8, repeated members")
    func strictBodies() async throws {
        try await Harness.with { h in
            let admin = try await h.adminToken()
            let unknown = try await h.json(.post, "/api/agents", token: admin, ["name": "x", "scopez": ["write"]])
            #expect(unknown.status == .badRequest && unknown.string("field") == "scopez" && unknown.string("error_description").contains("valid fields"))
            let wrongType = try await h.json(.post, "/api/agents", token: admin, ["name": "x", "scopes": "write"])
            #expect(wrongType.status == .badRequest && wrongType.string("field") == "scopes")
            let stringNumber = try await h.json(.post, "/api/agents", token: admin, ["name": "x", "expires_in": "3600"])
            #expect(stringNumber.status == .badRequest && stringNumber.string("field") == "expires_in")
            let nullName = try await h.json(.post, "/api/agents", token: admin, ["name": .null])
            #expect(nullName.status == .badRequest && nullName.string("field") == "name")
            let bearer: HTTPFields = [.authorization: "Bearer \(admin)"]
            var plain = bearer
            plain[.contentType] = "text/plain"
            #expect(try await h.send(.post, "/api/agents", headers: plain, body: #"{"name":"x"}"#).status == .unsupportedMediaType)
            var formType = bearer
            formType[.contentType] = "application/x-www-form-urlencoded"
            #expect(try await h.send(.post, "/api/agents", headers: formType, body: "name=x").status == .unsupportedMediaType)
            var json = bearer
            json[.contentType] = "application/json; charset=utf-8"
            let invalidUTF8 = try await h.client.execute(
                uri: "/api/agents", method: .post, headers: json, body: ByteBuffer(bytes: Array(#"{"name":""#.utf8) + [0xFF, 0xFE] + Array(#""}"#.utf8))
            ) { $0.status }
            #expect(invalidUTF8 == .badRequest)
            #expect(try await h.send(.post, "/api/agents", headers: json, body: #"{"name":"a","name":"b"}"#).status == .badRequest)
            #expect(try await h.send(.post, "/api/agents", headers: json, body: #"["name"]"#).status == .badRequest)
            let noBody = try await h.json(.post, "/api/agents/missing/deactivate", token: admin, ["force": true])
            #expect(noBody.status == .badRequest && noBody.string("field") == "force", "routes without a body refuse one")
            #expect(try await h.json(.get, "/api/agents", token: admin)["pagination"]?.objectValue?["total"] == 0, "nothing was created")
        }
    }

    @Test("a body over max_body_bytes is 413, with or without a declared length")
    func bodyLimit() async throws {
        try await Harness.with(RuntimeFixture.yaml(extra: "server: { max_body_bytes: 2048 }").replacingOccurrences(
            of: "server:\n  issuer: http://issuer.test\n  allowed_origins: [http://dashboard.test]\n", with: "")
        ) { h in
            let admin = try await h.adminToken()
            let big = JSONValue.object(["name": .string(String(repeating: "a", count: 5000))]).jsonText
            let undeclared = try await h.send(.post, "/api/agents", headers: [.authorization: "Bearer \(admin)", .contentType: "application/json"], body: big)
            #expect(undeclared.status == .contentTooLarge, "\(undeclared.text)")
            let declared = try await h.send(.post, "/api/agents", headers: [
                .authorization: "Bearer \(admin)", .contentType: "application/json", .contentLength: String(big.utf8.count),
            ], body: big)
            #expect(declared.status == .contentTooLarge)
            let form = try await h.send(.post, "/oauth/token", headers: [.contentType: "application/x-www-form-urlencoded"],
                                        body: "grant_type=client_credentials&scope=" + String(repeating: "x", count: 5000))
            #expect(form.status == .contentTooLarge)
        }
    }
}
