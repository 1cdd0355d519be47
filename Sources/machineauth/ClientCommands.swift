import ArgumentParser
import Foundation
import MachineAuthCore

/// `machineauth token`: a client-credentials token from a running server — the smallest
/// OAuth client, for scripts, smoke tests and machines without curl.
struct TokenCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "token", abstract: "Ask a running server for an access token with client credentials.",
        discussion: """
            The secret comes from $MACHINEAUTH_CLIENT_SECRET, else --client-secret-file, else the first line of standard \
            input; never from an argument (arguments are visible to every user of the machine).
            """)

    @Option(help: "The server (default: $MACHINEAUTH_URL, else http://127.0.0.1:$PORT).")
    var url: String?

    @Option(help: "The agent's client_id (default: $MACHINEAUTH_CLIENT_ID).")
    var clientID: String?

    @Option(help: "A file holding the client secret.")
    var clientSecretFile: String?

    @Option(help: "Space-separated scopes to ask for (default: all of the agent's).")
    var scope: String?

    @Option(help: "RFC 8707 resource indicators.")
    var resource: [String] = []

    @Flag(help: "Print only the access token instead of the whole JSON response.")
    var accessTokenOnly = false

    func run() async throws {
        let server = try ServerConnection(url: url, sendsCredentials: true)
        let environment = ProcessInfo.processInfo.environment
        guard let clientID = clientID ?? environment["MACHINEAUTH_CLIENT_ID"], !clientID.isEmpty else {
            throw CommandFailure("give --client-id (or set MACHINEAUTH_CLIENT_ID)")
        }
        let secret = try readSecret(environment)
        var form = [("grant_type", "client_credentials")]
        if let scope { form.append(("scope", scope)) }
        form += resource.map { ("resource", $0) }
        let basic = Data((FormEncoding.component(clientID) + ":" + FormEncoding.component(secret)).utf8).base64EncodedString()
        let reply = try await server.send(
            "POST", "/oauth/token",
            headers: [("Content-Type", "application/x-www-form-urlencoded"), ("Authorization", "Basic \(basic)")],
            body: form.map { "\($0)=\(FormEncoding.component($1))" }.joined(separator: "&"))
        guard reply.status == 200, let token = reply.json?.objectValue?["access_token"]?.stringValue else {
            throw CommandFailure("the server refused the token request: \(reply.problem)")
        }
        print(accessTokenOnly ? token : reply.text)
    }

    private func readSecret(_ environment: [String: String]) throws -> String {
        if let secret = environment["MACHINEAUTH_CLIENT_SECRET"], !secret.isEmpty { return secret }
        if let clientSecretFile {
            guard let text = try? String(contentsOfFile: clientSecretFile, encoding: .utf8) else {
                throw CommandFailure("cannot read --client-secret-file \(clientSecretFile)")
            }
            return text.trimmingCharacters(in: .whitespacesAndNewlines)
        }
        guard isatty(STDIN_FILENO) == 0, let line = readLine(strippingNewline: true), !line.isEmpty else {
            throw CommandFailure("give the client secret in MACHINEAUTH_CLIENT_SECRET, --client-secret-file or on standard input")
        }
        return line
    }
}

/// `machineauth health`: exit 0 when a running server is ready (its storage answers), 1
/// otherwise — a container `HEALTHCHECK` without curl.
struct HealthCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "health", abstract: "Check that a running server is ready (exit 0) or not (exit 1).")

    @Option(help: "The server (default: $MACHINEAUTH_URL, else http://127.0.0.1:$PORT).")
    var url: String?

    @Flag(help: "Check liveness only (/health) instead of readiness (/health/ready).")
    var live = false

    func run() async throws {
        let server = try ServerConnection(url: url)
        let path = live ? "/health" : "/health/ready"
        let reply = try await server.send("GET", path)
        guard reply.status == 200 else { throw CommandFailure("\(server.baseURL)\(path): \(reply.problem)") }
        print("\(server.baseURL)\(path): ok")
    }
}
