import Foundation
import MachineAuthCore
import MachineAuthServerTesting
import MachineAuthTesting
import Testing

@Suite("Command line")
struct CommandLineTests {
    @Test("--version prints the version")
    func version() throws {
        let result = try ServerProcess.runToCompletion(["--version"])
        #expect(result.status == 0)
        #expect(result.output.trimmingCharacters(in: .whitespacesAndNewlines) == MachineAuthVersion.full)
        #expect(MachineAuthVersion.full.hasPrefix(MachineAuthVersion.current + " ("))
    }

    @Test("config check: exit 0 for a valid file, every error with file:line and exit 1 otherwise")
    func check() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let valid = try ServerProcess.runToCompletion(["config", "check", ServerProcess.projectRoot + "/config/machineauth.yaml"])
        #expect(valid.status == 0, "\(valid.output)")
        let broken = try directory.write("broken.yaml", "server:\n  port: nine\nauthenticators:\n  - type: client_secrt\n")
        let invalid = try ServerProcess.runToCompletion(["config", "check", broken])
        #expect(invalid.status == 1)
        #expect(invalid.output.contains("\(broken):2:9: server.port"))
        #expect(invalid.output.contains("\(broken):4:11: authenticators[0].type: unknown authenticator type \"client_secrt\""))
        let missing = try ServerProcess.runToCompletion(["config", "check", directory.file("absent.yaml")])
        #expect(missing.status == 1 && missing.output.contains("no such file"))
    }

    @Test("config show prints the effective configuration with secrets masked")
    func show() throws {
        let result = try ServerProcess.runToCompletion(["config", "show"], environment: ["ADMIN_PASSWORD": "super-secret-value", "PORT": "9999"])
        #expect(result.status == 0)
        #expect(result.output.contains("port: \"9999\"") || result.output.contains("port: 9999"))
        #expect(!result.output.contains("super-secret-value"))
        #expect(result.output.contains("********"))
    }

    @Test("keys rotate from the command line publishes keys.rotated, as the API does")
    func keysRotatedEvent() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let environment = ["DATABASE_URL": "json:\(directory.file("events.json"))"]
        let rotated = try ServerProcess.runToCompletion(["keys", "rotate"], environment: environment)
        #expect(rotated.status == 0, "\(rotated.output)")
        let server = try await ServerProcess.start(environment: environment, directory: directory.path)
        defer { server.terminate() }
        let http = HTTP(base: server.baseURL)
        let audit = try await http.send("GET", "/api/audit-logs?action=keys.rotated", token: try await http.adminToken())
        #expect(audit["pagination"]?.objectValue?["total"] == 1, "\(audit.body)")
        #expect(audit["audit_logs"]?.arrayValue?.first?.objectValue?["actor_type"] == "system")
        try await server.stop()
    }

    @Test("keys rotate adds a key and keeps the old one published; keys list shows both")
    func keys() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let environment = ["DATABASE_URL": "json:\(directory.file("keys.json"))"]
        #expect(try ServerProcess.runToCompletion(["keys", "list"], environment: environment).status == 0)
        let rotated = try ServerProcess.runToCompletion(["keys", "rotate"], environment: environment)
        #expect(rotated.status == 0, "\(rotated.output)")
        #expect(rotated.output.contains("rotated: new signing key key-"))
        let listed = try ServerProcess.runToCompletion(["keys", "list"], environment: environment)
        #expect(listed.output.contains("key-1\tRS256") && listed.output.contains("retired, published until"))
        #expect(listed.output.split(separator: "\n").count == 2)
    }

    @Test("a command against a JSON store a running server holds says in one line what to do")
    func storeHeldByServer() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let environment = ["DATABASE_URL": "json:\(directory.file("held.json"))"]
        let server = try await ServerProcess.start(environment: environment)
        defer { server.terminate() }
        for command in [["keys", "list"], ["backup", directory.file("b.json")], ["export"]] {
            let refused = try ServerProcess.runToCompletion(command, environment: environment)
            let lines = refused.output.split(separator: "\n")
            #expect(refused.status == 1 && lines.count == 1 && refused.output.contains("is in use by a running MachineAuth server: stop the server first"),
                    "\(command): \(refused.output)")
        }
        try await server.stop()
    }

    @Test("a store URL in an error message has its password masked")
    func storeURLRedacted() throws {
        let refused = try ServerProcess.runToCompletion(["backup", "/tmp/never-written.json", "--store", "postgres://owner:hunter2-secret@127.0.0.1:1/db?sslmode=sometimes"])
        #expect(refused.status == 1 && !refused.output.contains("hunter2-secret") && refused.output.contains("owner:\(ConfigRenderer.mask)@"), "\(refused.output)")
    }

    @Test("apply prints a plan, applies, re-applies without change; export and hash-secret")
    func provisioning() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let environment = ["DATABASE_URL": "json:\(directory.file("prov.json"))"]
        let file = try directory.write("p.yaml", "organizations:\n  - slug: acme\n    name: Acme\nagents:\n  - name: bot\n    organization: acme\n")
        let plan = try ServerProcess.runToCompletion(["apply", file, "--dry-run"], environment: environment)
        #expect(plan.status == 0 && plan.output.contains("plan: 2 create, 0 update, 0 delete, 0 unchanged"), "\(plan.output)")
        let applied = try ServerProcess.runToCompletion(["apply", file], environment: environment)
        #expect(applied.output.contains("applied: 2 create") && applied.output.contains("agent acme/bot: client_id=cid_"))
        let again = try ServerProcess.runToCompletion(["apply", file], environment: environment)
        #expect(again.output.contains("0 create, 0 update, 0 delete, 2 unchanged") && !again.output.contains("client_secret="))
        let exported = try ServerProcess.runToCompletion(["export"], environment: environment)
        #expect(exported.output.contains("- slug: acme") && exported.output.contains("name: bot"))
        let broken = try directory.write("bad.yaml", "teams:\n  - organization: ghost\n    name: t\n")
        let failed = try ServerProcess.runToCompletion(["apply", broken], environment: environment)
        #expect(failed.status == 1 && failed.output.contains("\(broken):2:5"))
        let hashed = try ServerProcess.runToCompletion(["hash-secret", "--generate"])
        #expect(hashed.output.contains("client_secret: cs_") && hashed.output.contains("client_secret_hash: sha256:"))
    }

    @Test("serve --config uses the given file")
    func serveWithConfig() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let file = try directory.write("custom.yaml", "storage: { url: \"json:\(directory.file("custom.json"))\" }\nauthenticators:\n  - type: client_secret\n")
        let server = try await ServerProcess.start(arguments: ["serve", "--config", file])
        defer { server.terminate() }
        #expect(server.log.contains("config=\(file)"))
        #expect(server.log.contains("authenticators=client_secret grants=none enrichers=none notifiers=none"))
        try await server.stop()
    }
}
