import Foundation
@testable import JSONStorage
import MachineAuthCore
import MachineAuthTesting
import Testing

@Suite("JSON store: trusted issuers")
struct TrustedIssuerJournalTests {
    typealias F = StoreFixtures

    static func issuer(_ id: String, lifetime: Int? = 900) -> TrustedIssuer {
        TrustedIssuer(id: id, issuer: "https://\(id).example", preset: .kubernetes, jwksURI: "https://\(id).example/keys", maxTokenLifetime: lifetime,
                      rules: [IdentityRule(subject: "system:serviceaccount:ci:*", agent: "cid_\(id)")], createdAt: Date(timeIntervalSince1970: 1_800_000_000))
    }

    @Test("issuers are journaled, replayed after a crash, and kept by compaction")
    func replayAndCompaction() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let (path, storage, _) = try await F.openStore(in: directory, agent: "a")
        try await storage.insertTrustedIssuer(Self.issuer("kept"))
        try await storage.insertTrustedIssuer(Self.issuer("changed"))
        try await storage.insertTrustedIssuer(Self.issuer("removed"))
        let changed = try #require(try await storage.updateTrustedIssuer(id: "changed") { $0.maxTokenLifetime = 120; $0.name = "c" })
        _ = try await storage.deleteTrustedIssuer(id: "removed")
        let expected = [changed, Self.issuer("kept")]  // same creation time: by id
        #expect(try F.journalLines(path).filter { $0.contains(#""trusted_issuers":"#) }.count == 5, "each change is one journal record")
        let crashed = try F.crashImage(of: path, named: "crash")
        try await storage.close()
        #expect(F.journalFiles(path).isEmpty, "closing compacted the journal into the store file")
        #expect(try String(contentsOfFile: path, encoding: .utf8).contains(#""trusted_issuers":[{"#))
        for image in [crashed, path] {
            #expect(try await F.reopened(image) { try await $0.listTrustedIssuers() } == expected, "\(image == path ? "compacted" : "replayed")")
        }
    }

    static let hostile = #"{"id":"h","issuer":"https://h.example","audiences":[],"max_token_lifetime":9223372036854775807,"rules":[{"subject":"s","agent":"a"}]}"#

    @Test("a max_token_lifetime out of range in the journal refuses to open")
    func hostileJournal() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let (path, storage, _) = try await F.openStore(in: directory, agent: "a")
        let image = try F.crashImage(of: path, named: "crash")
        try await storage.close()
        let sequence = try F.journalLines(image).count + 1
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: try #require(F.journalFiles(image).last)))
        try handle.seekToEnd()
        try handle.write(contentsOf: Data(#"{"seq":\#(sequence),"trusted_issuers":{"put":[\#(Self.hostile)]}}"#.utf8 + [0x0A]))
        try handle.close()
        await #expect {
            try await F.store(image).open()
        } throws: { error in
            (error as? StorageError)?.code == .corrupt && "\(error)".contains("max_token_lifetime")
        }
    }

    @Test("a max_token_lifetime out of range in the store file refuses to open")
    func hostileStoreFile() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = try directory.write("store.json", #"{"format":"machineauth-store","schema_version":2,"journal_sequence":0,"trusted_issuers":[\#(Self.hostile)]}"#)
        await #expect {
            try await F.store(path).open()
        } throws: { error in
            (error as? StorageError)?.code == .corrupt && "\(error)".contains("max_token_lifetime")
        }
    }
}
