import Foundation
#if canImport(Glibc)
import Glibc
#endif
import Hummingbird
import MachineAuthCore
import MachineAuthServerTesting
import MachineAuthTesting
import Testing

/// Webhook targets cannot reach the server's own network (SSRF), and failures say nothing about
/// what listens where.
@Suite("Webhook targets")
struct WebhookTargetTests {
    static func yaml(allowPrivate: Bool) -> String {
        RuntimeFixture.yaml().replacingOccurrences(
            of: "  - type: recording", with: "  - type: recording\n  - type: webhooks\n    allow_private_targets: \(allowPrivate)\n    timeout: 500ms\n    lease: 2s")
    }

    @Test("zone ids, mapped, compatible and NAT64 forms of loopback are refused when the webhook is made", arguments: [
        "http://[::ffff:127.0.0.1%251]:9/", "http://[::1%251]:9/", "http://[fe80::1%25eth0]/", "http://[::ffff:127.0.0.1]:9/",
        "http://[::127.0.0.1]/", "http://[64:ff9b::7f00:1]/", "http://[2002:7f00:1::1]/", "http://169.254.169.254/latest/meta-data",
        "http://100.64.0.1/", "http://0.0.0.0:9/",
    ])
    func literals(url: String) async throws {
        try await Harness.with(Self.yaml(allowPrivate: false)) { h in
            let reply = try await h.json(.post, "/api/webhooks", token: try await h.adminToken(), ["url": .string(url)])
            #expect(reply.status == .badRequest && reply.string("field") == "url", "\(url) → \(reply.text)")
        }
    }

    @Test("localhost names are refused when the webhook is made", arguments: ["http://localhost:9/", "http://LOCALHOST./", "http://api.localhost/"])
    func localhostNames(url: String) async throws {
        try await Harness.with(Self.yaml(allowPrivate: false)) { h in
            let reply = try await h.json(.post, "/api/webhooks", token: try await h.adminToken(), ["url": .string(url)])
            #expect(reply.status == .badRequest && reply.string("field") == "url", "\(url) → \(reply.text)")
        }
    }

    @Test("a name that resolves to an internal address is refused at send time, never connected to")
    func names() async throws {
        try await Harness.with(Self.yaml(allowPrivate: false)) { h in
            // This machine's own name resolves to a loopback or private address (/etc/hosts).
            var buffer = [CChar](repeating: 0, count: 256)
            gethostname(&buffer, buffer.count)
            let host = String(cString: buffer)
            let admin = try await h.adminToken()
            let created = try await h.json(.post, "/api/webhooks", token: admin, ["url": .string("http://\(host):9/hook")])
            #expect(created.status == .created, "a name is checked when a delivery resolves it: \(created.text)")
            let id = created["webhook"]?.objectValue?["id"]?.stringValue ?? ""
            let delivery = try await h.json(.post, "/api/webhooks/\(id)/test", token: admin)["delivery"]?.objectValue
            #expect(delivery?["status"] == "failed")
            #expect(delivery?["last_error"]?.stringValue?.hasPrefix("the target is not allowed") == true,
                    "one text, which tells nothing about internal names: \(String(describing: delivery))")
        }
    }

    @Test("a refused or silent port is reported without the remote error text")
    func errorText() async throws {
        try await Harness.with(Self.yaml(allowPrivate: true)) { h in
            let admin = try await h.adminToken()
            var errors: [String] = []
            for port in [9, 1, 65000] {
                let created = try await h.json(.post, "/api/webhooks", token: admin, ["url": .string("http://127.0.0.1:\(port)/hook")])
                let id = created["webhook"]?.objectValue?["id"]?.stringValue ?? ""
                let delivery = try await h.json(.post, "/api/webhooks/\(id)/test", token: admin)["delivery"]?.objectValue
                errors.append(delivery?["last_error"]?.stringValue ?? "")
            }
            #expect(errors.allSatisfy { $0 == "the connection failed" || $0 == "timed out" }, "\(errors)")
        }
    }
}
