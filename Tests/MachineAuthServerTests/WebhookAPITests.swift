import Foundation
import Hummingbird
import MachineAuthCore
import MachineAuthServer
import MachineAuthServerTesting
import MachineAuthTesting
import Testing

@Suite("Webhook API")
struct WebhookAPITests {
    static let yaml = RuntimeFixture.yaml().replacingOccurrences(of: "  - type: recording", with: "  - type: recording\n  - type: webhooks\n    retry_initial_delay: 100ms")

    @Test("create returns the secret once; validation names the field; private targets are refused")
    func create() async throws {
        try await Harness.with(Self.yaml) { h in
            let admin = try await h.adminToken()
            let created = try await h.json(.post, "/api/webhooks", token: admin, ["name": "ops", "url": "https://hooks.example.com/in", "events": ["agent.*", "token.revoked"]])
            #expect(created.status == .created, "\(created.text)")
            #expect(created.string("secret").hasPrefix("whsec_"))
            let id = created["webhook"]?.objectValue?["id"]?.stringValue ?? ""
            let fetched = try await h.json(.get, "/api/webhooks/\(id)", token: admin)
            #expect(!fetched.text.contains("whsec_") && !fetched.text.contains("enc:v1"))
            #expect(fetched["webhook"]?.objectValue?["max_retries"] == 10)
            for (body, field) in [
                (["url": "ftp://x.example.com"] as JSONValue, "url"), (["url": "http://127.0.0.1:9/x"], "url"), (["url": "http://10.1.2.3/x"], "url"),
                (["url": "https://x.example.com", "events": ["agent.exploded"]], "events"), (["url": "https://x.example.com", "events": []], "events"),
                (["url": "https://x.example.com", "max_retries": 99], "max_retries"),
            ] {
                let reply = try await h.json(.post, "/api/webhooks", token: admin, body)
                #expect(reply.status == .badRequest && reply.string("field") == field, "\(body.jsonText) → \(reply.text)")
            }
            let events = try await h.json(.get, "/api/webhook-events", token: admin)
            #expect(events["events"]?.arrayValue?.contains { $0.objectValue?["type"] == "agent.created" } == true)
        }
    }

    @Test("update, disable and re-enable, delete; test sends to a refused target fail cleanly")
    func lifecycle() async throws {
        try await Harness.with(Self.yaml) { h in
            let admin = try await h.adminToken()
            let created = try await h.json(.post, "/api/webhooks", token: admin, ["url": "https://hooks.example.com/in"])
            let id = created["webhook"]?.objectValue?["id"]?.stringValue ?? ""
            let updated = try await h.json(.put, "/api/webhooks/\(id)", token: admin, ["events": ["token.*"], "is_active": false, "retry_backoff_base": 3])
            #expect(updated["webhook"]?.objectValue?["events"] == ["token.*"] && updated["webhook"]?.objectValue?["is_active"] == false)
            let tested = try await h.json(.put, "/api/webhooks/\(id)", token: admin, ["url": "http://hooks.example.invalid:1/nowhere"])
            #expect(tested.status == .ok, "a DNS name is checked at send time")
            let delivery = try await h.json(.post, "/api/webhooks/\(id)/test", token: admin)
            #expect(delivery["delivery"]?.objectValue?["status"] == "failed")
            #expect(delivery["delivery"]?.objectValue?["last_error"]?.stringValue?.contains("the target is not allowed") == true)
            let history = try await h.json(.get, "/api/webhooks/\(id)/deliveries?status=failed", token: admin)
            #expect(history["pagination"]?.objectValue?["total"] == 1)
            #expect(try await h.json(.get, "/api/webhooks/\(id)/deliveries?status=lost", token: admin).string("field") == "status")
            #expect(try await h.json(.delete, "/api/webhooks/\(id)", token: admin).status == .ok)
            #expect(try await h.json(.get, "/api/webhooks/\(id)", token: admin).status == .notFound)
        }
    }

    @Test("an organization's admin and API key see only their webhooks")
    func scoping() async throws {
        try await Harness.with(Self.yaml) { h in
            let tenants = try await TwoTenants.make(h)
            let owner = try await h.adminToken()
            let foreign = try await h.json(.post, "/api/webhooks", token: owner, ["url": "https://b.example.com/", "organization_id": .string(tenants.b.id)])
            let foreignID = foreign["webhook"]?.objectValue?["id"]?.stringValue ?? ""
            let mine = try await h.json(.post, "/api/webhooks", token: tenants.a.apiKey, ["url": "https://a.example.com/"])
            #expect(mine.status == .created)
            #expect(mine["webhook"]?.objectValue?["organization_id"]?.stringValue == tenants.a.id)
            for credential in [tenants.a.apiKey, tenants.a.adminToken] {
                let listed = try await h.json(.get, "/api/webhooks", token: credential)
                #expect(listed["webhooks"]?.arrayValue?.count == 1)
                for (method, path) in [(HTTPRequest.Method.get, "/api/webhooks/\(foreignID)"), (.put, "/api/webhooks/\(foreignID)"),
                                       (.delete, "/api/webhooks/\(foreignID)"), (.post, "/api/webhooks/\(foreignID)/test"),
                                       (.get, "/api/webhooks/\(foreignID)/deliveries")] {
                    #expect(try await h.json(method, path, token: credential, ["url": "https://x.example.com/"]).status == .notFound)
                }
                #expect(try await h.json(.post, "/api/webhooks", token: credential, ["url": "https://x.example.com/", "organization_id": .string(tenants.b.id)]).status == .notFound)
            }
            #expect(try await h.json(.get, "/api/webhooks", token: tenants.a.viewerToken).status == .ok)
            #expect(try await h.json(.post, "/api/webhooks", token: tenants.a.viewerToken, ["url": "https://v.example.com/"]).status == .forbidden)
        }
    }

    @Test("without the webhooks stage the API is not there")
    func withoutStage() async throws {
        try await Harness.with { h in
            let reply = try await h.json(.get, "/api/webhooks", token: try await h.adminToken())
            #expect(reply.status == .notFound && reply.string("error_description").contains("webhooks notifier"))
        }
    }

    @Test("deleting an organization with its agents hands the notifiers one batch: one audit write, one delivery per event and webhook")
    func cascadeIsOneBatch() async throws {
        try await Harness.with(Self.yaml) { h in
            let admin = try await h.adminToken()
            let hook = try await h.json(.post, "/api/webhooks", token: admin, ["url": "https://hooks.example.com/in", "events": ["agent.deleted", "organization.deleted"]])
            let hookID = try #require(hook["webhook"]?.objectValue?["id"]?.stringValue)
            let organization = try await h.json(.post, "/api/organizations", token: admin, ["name": "doomed", "slug": "doomed"])
            let organizationID = try #require(organization["organization"]?.objectValue?["id"]?.stringValue ?? organization["id"]?.stringValue)
            for index in 0..<120 {
                let created = try await h.json(.post, "/api/agents", token: admin, ["name": .string("a\(index)"), "organization_id": .string(organizationID)])
                #expect(created.status == .created)
            }
            let before = h.fixture.notifier.batches.count
            let deleted = try await h.json(.delete, "/api/organizations/\(organizationID)?cascade=true", token: admin)
            #expect(deleted.status == .ok, "\(deleted.text)")
            let batches = h.fixture.notifier.batches.dropFirst(before)
            #expect(batches.count == 1, "one notify call for the whole cascade")
            #expect(batches.first?.filter { $0.type == "agent.deleted" }.count == 120 && batches.first?.last?.type == "organization.deleted")
            let queued = try await h.runtime.storage.deliveries(webhookID: hookID, status: nil, page: PageRequest(page: 1, limit: 1))
            #expect(queued.total == 121, "one delivery per event")
            let audit = try await h.json(.get, "/api/audit-logs?action=agent.deleted&limit=1", token: admin)
            #expect(audit["pagination"]?.objectValue?["total"] == 120, "\(audit.text)")
        }
    }
}
