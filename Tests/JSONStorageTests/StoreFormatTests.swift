import Foundation
@testable import JSONStorage
import MachineAuthCore
import MachineAuthTesting
import Testing

@Suite("JSON store file formats")
struct StoreFormatTests {
    static let time = Date(timeIntervalSince1970: 1_800_000_000)

    static func token(_ text: String, used: Date? = nil, revoked: Date? = nil) -> RefreshTokenRecord {
        RefreshTokenRecord(hash: "hmac-sha256:" + text, familyID: "f-" + text, agentID: "a\"\\\u{1}é", clientID: "c", scopes: ["read", text],
                           audience: [], createdAt: time, expiresAt: time.addingTimeInterval(60), usedAt: used, revokedAt: revoked)
    }

    static func decoder() -> JSONDecoder {
        StoreJSON.decoder()
    }

    @Test("refresh tokens written field by field read back as written", arguments: [
        token("plain"), token("used", used: time.addingTimeInterval(5)), token("both", used: time, revoked: time.addingTimeInterval(9)),
        token("line\nbreak\t\"quoted\" 🔑"),
    ])
    func refreshTokenCoding(token: RefreshTokenRecord) throws {
        var bytes = [UInt8]()
        RowEncoder().append(token, to: &bytes)
        #expect(try Self.decoder().decode(RefreshTokenRecord.self, from: Data(bytes)) == token)
        let standard = try StoreJSON.encoder().encode(token)
        #expect(try JSONSerialization.jsonObject(with: Data(bytes)) as? NSDictionary == JSONSerialization.jsonObject(with: standard) as? NSDictionary)
    }

    @Test("a journal record of every table reads back as written")
    func journalRecord() throws {
        var changes = StoreChanges()
        let agent = Agent(id: "a", name: "n", clientID: "c", secrets: [], scopes: ["s"], createdAt: Self.time)
        changes.agents = .init(put: [agent], delete: ["gone"])
        changes.refreshTokens = .init(put: [Self.token("t")], delete: ["old"])
        changes.revokedTokens = .init(put: [RevokedAccessToken(jti: "j", expiresAt: Self.time)])
        changes.organizations = .init(delete: ["o"])
        changes.settings = ["k": "v"]
        changes.signingKeys = [SigningKeyRecord(kid: "k1", algorithm: .es256, privateKey: "p", createdAt: Self.time)]
        changes.usage = ["a": UsageDelta(tokens: 3, lastTokenAt: Self.time)]
        let line = try JournalRecord(sequence: 41, changes: changes).encoded(with: RowEncoder())
        #expect(line.last == UInt8(ascii: "\n") && line.dropLast().allSatisfy { $0 != UInt8(ascii: "\n") }, "one line")
        let read = try Self.decoder().decode(JournalRecord.self, from: Data(line))
        #expect(read.sequence == 41)
        #expect(read.changes.agents.put == [agent] && read.changes.agents.delete == ["gone"])
        #expect(read.changes.refreshTokens.put == changes.refreshTokens.put && read.changes.refreshTokens.delete == ["old"])
        #expect(read.changes.revokedTokens.put == changes.revokedTokens.put && read.changes.organizations.delete == ["o"])
        #expect(read.changes.settings == ["k": "v"] && read.changes.signingKeys == changes.signingKeys && read.changes.usage == changes.usage)
    }

    @Test("a number JSON cannot hold (an infinite backoff from a provision file) is journaled and compacted, not refused")
    func nonConformingNumbers() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = directory.file("store.json")
        let storage = StoreFixtures.store(path)
        try await storage.open()
        try await storage.insertWebhook(Webhook(id: "w", name: "w", url: "https://x.test", events: ["*"], encryptedSecret: "s", maxRetries: 3,
                                                retryBackoffBase: .infinity, createdAt: Self.time))
        let crashed = try StoreFixtures.crashImage(of: path, named: "crash")
        try await storage.close()
        for image in [crashed, path] {
            #expect(try await StoreFixtures.reopened(image) { try await $0.webhook(id: "w")?.retryBackoffBase } == .infinity)
        }
    }

    @Test("a snapshot of every table reads back as written")
    func snapshotRoundTrip() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        var state = JSONStoreState()
        state.setAgent(Agent(id: "a", name: "n", tags: ["t"], metadata: ["m": "1"], clientID: "c", secrets: [], scopes: ["s"], createdAt: Self.time))
        state.refreshTokens["hmac-sha256:t"] = Self.token("t")
        state.revokedTokens["j"] = RevokedAccessToken(jti: "j", expiresAt: Self.time, agentID: "a")
        state.signingKeys = [SigningKeyRecord(kid: "k1", algorithm: .rs256, privateKey: "p", createdAt: Self.time)]
        state.settings["k"] = "v"
        state.organizations["o"] = Organization(id: "o", name: "O", slug: "o", ownerEmail: "o@example.com", createdAt: Self.time)
        state.teams["t"] = Team(id: "t", organizationID: "o", name: "T", createdAt: Self.time)
        state.setAPIKey(APIKey(id: "k", organizationID: "o", name: "key", prefix: "sk_", hash: "h", createdAt: Self.time))
        state.sequence = 12
        let path = directory.file("store.json")
        try SnapshotFile(file: DurableFile(path: path)).write(state, policy: nil)
        let read = try #require(try SnapshotReader.read(path))
        #expect(read.sequence == 12)
        #expect(Array(read.agents) == Array(state.agents) && read.agentIDByClientID == ["c": "a"])
        #expect(Array(read.refreshTokens) == Array(state.refreshTokens) && Array(read.revokedTokens) == Array(state.revokedTokens))
        #expect(read.signingKeys == state.signingKeys && read.settings["k"] == "v")
        #expect(Array(read.organizations) == Array(state.organizations) && Array(read.teams) == Array(state.teams))
        #expect(Array(read.apiKeys) == Array(state.apiKeys) && read.apiKeyIDByHash == ["h": "k"])
    }

    @Test("the scanner splits objects and arrays, strings with brackets and escapes included")
    func scanner() throws {
        let text = #" {"a" : [1, {"b":"x,]}"} ,"q\"}"], "c":"\"q\"" ,"d":null,"e":{}} "#
        let bytes = Array(text.utf8)
        try bytes.withUnsafeBytes { buffer in
            var scanner = JSONScanner(buffer, at: 1)
            let members = try scanner.members()
            #expect(members.map(\.key) == ["a", "c", "d", "e"])
            let elements = try JSONScanner.elements(of: members[0].value, in: buffer).map { String(decoding: bytes[$0], as: UTF8.self) }
            #expect(elements == ["1", #"{"b":"x,]}"}"#, #""q\"}""#])
            #expect(String(decoding: bytes[members[1].value], as: UTF8.self) == #""\"q\"""#)
        }
    }

    @Test("every truncation of a snapshot is an error, never a trap")
    func truncations() throws {
        let text = #"{"format":"machineauth-store","agents":[{"id":"a","tags":["x\"]"]},{}],"settings":{"k":"v"},"n":12}"#
        let bytes = Array(text.utf8)
        for end in 0..<bytes.count {
            let prefix = Array(bytes[..<end])
            prefix.withUnsafeBytes { buffer in
                var scanner = JSONScanner(buffer)
                #expect(throws: JSONScanner.Malformed.self) { _ = try scanner.members() }
            }
        }
        for (garbage, range) in [("[1 2]", 0..<5), ("[1,", 0..<3), ("[\"a", 0..<3), ("}", 0..<1), ("[]]", 1..<3)] {
            _ = Array(garbage.utf8).withUnsafeBytes { buffer in
                #expect(throws: JSONScanner.Malformed.self) { _ = try JSONScanner.elements(of: range, in: buffer) }
            }
        }
    }
}
