import Foundation
import MachineAuthCore
import MachineAuthStages
import MachineAuthServerTesting
import MachineAuthTesting
import Testing

@Suite("The built binary: kill -9 during compaction", .serialized)
struct CompactionCrashTests {
    /// The default pipeline with a small compaction threshold, so the store compacts every few writes.
    static func configuration(in directory: TemporaryDirectory) throws -> String {
        let line = #"  url: "${DATABASE_URL:-json:machineauth.json}"  # json:PATH or postgres://…"#
        #expect(DefaultConfiguration.yaml.contains(line))
        return try directory.write("pipeline.yaml", DefaultConfiguration.yaml.replacingOccurrences(
            of: line, with: "  url: json:machineauth.json\n  compaction_bytes: 65536"))
    }

    /// A store file of `count` agents nobody uses: it makes each compaction take a while.
    static func seed(_ path: String, agents count: Int) throws {
        let created = "2026-01-01T00:00:00.000Z"
        let agents: [[String: Any]] = (0..<count).map { index in
            ["id": "filler-\(index)", "name": "filler-\(index)", "client_id": "cid_filler_\(index)", "description": String(repeating: "f", count: 400),
             "secrets": [["hash": "hmac-sha256:unused", "created_at": created]], "scopes": ["read"], "created_at": created]
        }
        let document: [String: Any] = ["format": "machineauth-store", "schema_version": 2, "journal_sequence": 0, "agents": agents]
        FileManager.default.createFile(atPath: path, contents: try JSONSerialization.data(withJSONObject: document), attributes: [.posixPermissions: 0o600])
    }

    /// Whether a compaction is writing the store file now (its temporary file exists).
    static func compacting(_ directory: TemporaryDirectory) -> Bool {
        ((try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []).contains { $0.hasPrefix("machineauth.json.tmp-") }
    }

    @Test("kill -9 while the store file is being rewritten loses no acknowledged write")
    func killDuringCompaction() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let config = try Self.configuration(in: directory)
        try Self.seed(directory.file("machineauth.json"), agents: 4000)
        var created: [String] = []
        var ballast: (id: String, revision: Int)?
        var hitCompaction = false
        for round in 0..<8 where !hitCompaction {
            let server = try await ServerProcess.start(environment: ["MACHINEAUTH_CONFIG": config], directory: directory.path)
            defer { server.terminate() }
            let http = HTTP(base: server.baseURL)
            let admin = try await http.adminToken()
            if ballast == nil {
                let reply = try await http.send("POST", "/api/agents", token: admin, json: ["name": "ballast"])
                ballast = (try #require(reply["agent"]?.objectValue?["id"]?.stringValue), 0)
            }
            let acknowledged = Acknowledged()
            let revisions = Acknowledged()
            let writers = Task { [ballast] in
                await withTaskGroup(of: Void.self) { group in
                    for worker in 0..<3 {
                        group.addTask { await http.createAgents(named: "r\(round)-w\(worker)", count: 100_000, token: admin, into: acknowledged) }
                    }
                    group.addTask {
                        // Large updates of one agent grow the journal quickly, so compactions follow each other.
                        for revision in (ballast!.revision + 1)...1_000_000 {
                            let description = "revision \(revision) " + String(repeating: "b", count: 1900)
                            guard let reply = try? await http.send("PATCH", "/api/agents/\(ballast!.id)", token: admin, json: ["description": .string(description)]),
                                  reply.status == 200
                            else { return }
                            revisions.add(String(revision))
                        }
                    }
                }
            }
            // A compaction starts once the journal outgrows the store file (2.4 MB here): up to 30 s of writes on a busy machine.
            for _ in 0..<15_000 where !Self.compacting(directory) { try await Task.sleep(for: .milliseconds(2)) }
            try await server.stop(signal: SIGKILL)
            hitCompaction = Self.compacting(directory)
            await writers.value
            created += acknowledged.ids
            ballast!.revision = revisions.ids.last.flatMap { Int($0) } ?? ballast!.revision

            let again = try await ServerProcess.start(environment: ["MACHINEAUTH_CONFIG": config], directory: directory.path)
            defer { again.terminate() }
            let reopened = HTTP(base: again.baseURL)
            let token = try await reopened.adminToken()
            let total = try await reopened.send("GET", "/api/agents?limit=1", token: token)["pagination"]?.objectValue?["total"]?.intValue ?? 0
            #expect(total >= 4001 + created.count, "round \(round): every acknowledged agent is there")
            for id in created.suffix(50) { #expect(try await reopened.send("GET", "/api/agents/\(id)", token: token).status == 200) }
            let description = try await reopened.send("GET", "/api/agents/\(ballast!.id)", token: token)["agent"]?.objectValue?["description"]?.stringValue ?? ""
            let stored = Int(description.split(separator: " ").dropFirst().first ?? "") ?? -1
            #expect(stored >= ballast!.revision, "round \(round): the last acknowledged update is there")
            #expect(!Self.compacting(directory), "the torn store file of the interrupted compaction was cleaned up")
            ballast!.revision = max(ballast!.revision, stored)
            try await again.stop()
        }
        #expect(hitCompaction, "a kill landed while the store file was being rewritten")
    }
}
