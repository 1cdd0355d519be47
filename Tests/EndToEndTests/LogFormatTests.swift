import Foundation
import MachineAuthCore
import MachineAuthServerTesting
import MachineAuthTesting
import Testing

@Suite("Log formats")
struct LogFormatTests {
    @Test("LOG_FORMAT=json: one JSON object per line with request id, route, status, latency and the agent; never a secret")
    func jsonLines() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let server = try await ServerProcess.start(environment: ["LOG_FORMAT": "json"], directory: directory.path)
        defer { server.terminate() }
        let http = HTTP(base: server.baseURL)
        let admin = try await http.adminToken()
        let created = try await http.send("POST", "/api/agents", token: admin, json: ["name": "logged", "scopes": ["read"]])
        let agent = try #require(created["agent"]?.objectValue)
        let clientID = try #require(agent["client_id"]?.stringValue), secret = try #require(created["client_secret"]?.stringValue)
        let token = try await http.send("POST", "/oauth/token", form: "grant_type=client_credentials&client_id=\(clientID)&client_secret=\(secret)")
        let accessToken = try #require(token["access_token"]?.stringValue)
        #expect(try await http.send("GET", "/api/agents/me", token: accessToken).status == 200)
        try await server.stop()

        let lines = server.log.split(separator: "\n").filter { !$0.isEmpty }
        let objects = lines.compactMap { try? JSONValue.parse(Data($0.utf8)).objectValue }
        #expect(objects.count == lines.count, "every line is a JSON object: \(lines.filter { (try? JSONValue.parse(Data($0.utf8))) == nil })")
        #expect(objects.allSatisfy { $0["ts"]?.stringValue != nil && $0["level"]?.stringValue != nil && $0["message"]?.stringValue != nil })
        let issued = try #require(objects.first { $0["route"] == "/oauth/token" })
        #expect(issued["status"] == 200 && issued["agent_id"] == agent["id"] && issued["request_id"]?.stringValue?.isEmpty == false)
        #expect(issued["ms"]?.intValue != nil || { if case .double = issued["ms"] { return true } else { return false } }())
        let selfCall = try #require(objects.first { $0["route"] == "/api/agents/me" })
        #expect(selfCall["agent_id"] == agent["id"])
        #expect(objects.contains { $0["route"] == "/api/agents" && $0["status"] == 201 && $0["admin"] != nil })
        for secretText in [secret, accessToken, admin] {
            #expect(!server.log.contains(secretText), "a secret reached the log")
        }
    }

    @Test("an unknown LOG_FORMAT or LOG_LEVEL is refused with the valid choices")
    func unknownFormat() throws {
        let format = try ServerProcess.runToCompletion([], environment: ["LOG_FORMAT": "xml"])
        #expect(format.status == 1 && format.output.contains("LOG_FORMAT=xml is not a log format (valid: text, json)"))
        let level = try ServerProcess.runToCompletion([], environment: ["LOG_LEVEL": "loud"])
        #expect(level.status == 1 && level.output.contains("LOG_LEVEL=loud is not a log level (valid: trace, debug, info, notice, warning, error, critical)"))
    }
}
