import Foundation
import MachineAuthCore
import MachineAuthTesting
import Testing

@Suite("Command line")
struct CommandLineTests {
    @Test("--version prints the version")
    func version() throws {
        let result = try ServerProcess.runToCompletion(["--version"])
        #expect(result.status == 0)
        #expect(result.output.trimmingCharacters(in: .whitespacesAndNewlines) == MachineAuthVersion.current)
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

    @Test("serve --config uses the given file")
    func serveWithConfig() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let file = try directory.write("custom.yaml", "storage: { url: \"json:\(directory.file("custom.json"))\" }\nauthenticators:\n  - type: client_secret\n")
        let server = try await ServerProcess.start(arguments: ["serve", "--config", file])
        defer { server.terminate() }
        #expect(server.log.contains("config=\(file)"))
        #expect(server.log.contains("authenticators=client_secret enrichers=none notifiers=none"))
        try await server.stop()
    }
}
