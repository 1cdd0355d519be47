import Foundation
import MachineAuthCore
import MachineAuthTesting
import Testing

@Suite("Storage conformance: snapshots")
struct SnapshotConformance {
    /// A store holding one of everything, returned with what was put in.
    func populate(_ store: any Storage) async throws {
        let organization = Fixture.organization("acme")
        try await store.insertOrganization(organization)
        let team = Team(id: RandomToken.uuid(), organizationID: organization.id, name: "ops", createdAt: Date())
        try await store.insertTeam(team)
        let agent = Fixture.agent("snap", organization: organization.id, team: team.id)
        try await store.insertAgent(agent)
        try await store.applyUsage([agent.id: UsageDelta(tokens: 7)])
        try await store.insertAPIKey(APIKey(id: RandomToken.uuid(), organizationID: organization.id, name: "ci", prefix: "sk_x",
                                            hash: "hmac-sha256:" + RandomToken.hex(bytes: 8), createdAt: Date()))
        try await store.insertUser(AdminUser(id: RandomToken.uuid(), email: "viewer@example.com", name: "V", passwordHash: "pbkdf2:x",
                                             role: .viewer, organizationIDs: [organization.id], createdAt: Date()))
        let hook = Webhook(id: RandomToken.uuid(), name: "hook", url: "https://example.com/hook", events: ["*"], encryptedSecret: "enc:v1:x",
                           organizationID: organization.id, maxRetries: 3, retryBackoffBase: 2, createdAt: Date())
        try await store.insertWebhook(hook)
        try await store.enqueueDeliveries([WebhookDelivery(id: "msg_snap", webhookID: hook.id, eventType: "agent.created", eventID: "e",
                                                           payload: "{}", maxAttempts: 4, createdAt: Date())])
        try await store.insertTrustedIssuer(TrustedIssuer(
            id: "tis_snap", issuer: "https://token.actions.githubusercontent.com", preset: .githubActions, maxTokenLifetime: 300,
            rules: [IdentityRule(subject: "repo:acme/snap:*", agent: agent.clientID)], createdAt: Date()))
        try await store.insertRefreshToken(Fixture.refresh(agent: agent))
        try await store.insertRefreshToken(Fixture.refresh(agent: agent, expires: Date().addingTimeInterval(-60)))
        try await store.revokeAccessToken(RevokedAccessToken(jti: "revoked", expiresAt: Date().addingTimeInterval(600), agentID: agent.id))
        _ = try await store.insertFirstSigningKey(try SigningKey.generate(.es256, kid: "snap-key").record(createdAt: Date()))
        _ = try await store.insertSettingIfAbsent("secret_hash_key", value: "source-key")
        try await store.appendAuditRecords([Fixture.audit("agent.created", agent: agent.id, organization: organization.id)])
    }

    static let pairs = TestDatabases.drivers.flatMap { from in TestDatabases.drivers.map { to in "\(from)->\(to)" } }

    @Test("a snapshot loads into an empty store of any driver, and a second load is refused without writing anything", arguments: pairs)
    func roundTrip(pair: String) async throws {
        let drivers = pair.components(separatedBy: "->")
        try await withStore(drivers[0]) { source in
            try await populate(source.storage)
            let snapshot = try await source.storage.snapshot()
            #expect(snapshot.counts.description ==
                "organizations=1 teams=1 agents=1 api_keys=1 users=1 webhooks=1 webhook_deliveries=1 trusted_issuers=1 refresh_tokens=2 revoked_access_tokens=1 signing_keys=1 settings=1 audit_records=1")
            try await withStore(drivers[1]) { target in
                _ = try await target.storage.insertSettingIfAbsent("secret_hash_key", value: "generated-by-first-start")
                do {
                    _ = try await StoreTransfer(target: target.storage).restore(snapshot, merge: false, publishRetiredUntil: Date())
                    Issue.record("replaced the hashing key a server generated without being asked")
                } catch let error as StorageError {
                    #expect(error.code == .conflict && error.message.contains("--replace-hash-key"), "\(error.message)")
                }
                let report = try await StoreTransfer(target: target.storage).restore(snapshot, merge: false, replaceHashKey: true, publishRetiredUntil: Date())
                #expect(report.written["refresh_tokens"] == 1, "the expired refresh token is left behind")
                let copy = try await target.storage.snapshot()
                #expect(copy.settings == ["secret_hash_key": "source-key"], "the source's hashing key replaces a generated one")
                #expect(copy.signingKeys.map(\.kid) == ["snap-key"])
                #expect(copy.agents.map(\.id) == snapshot.agents.map(\.id) && copy.agents.first?.usage.tokenCount == 7)
                #expect(copy.agents.first?.secrets.map(\.hash) == snapshot.agents.first?.secrets.map(\.hash))
                #expect(copy.deliveries.map(\.status) == [.pending] && copy.revokedAccessTokens.map(\.jti) == ["revoked"])
                #expect(copy.auditRecords.map(\.id) == snapshot.auditRecords.map(\.id))
                #expect(copy.trustedIssuers.map(\.id) == ["tis_snap"] && copy.trustedIssuers.first?.rules == snapshot.trustedIssuers.first?.rules
                        && copy.trustedIssuers.first?.maxTokenLifetime == 300)
                let reopened = try await target.storage.agent(clientID: snapshot.agents[0].clientID)
                #expect(reopened?.organizationID == snapshot.organizations[0].id)

                await #expect(throws: StorageError.self) {
                    _ = try await StoreTransfer(target: target.storage).restore(snapshot, merge: false, publishRetiredUntil: Date())
                }
                await #expect(throws: StorageError.self, "a conflicting object refuses the whole load") {
                    try await target.storage.load(snapshot, replacingKeysAndSettings: true)
                }
                #expect(try await target.storage.snapshot().counts == copy.counts, "nothing of the refused load was written")
                let merged = try await StoreTransfer(target: target.storage).restore(snapshot, merge: true, publishRetiredUntil: Date())
                #expect(merged.written["agents"] == 0 && merged.skipped["agents"] == 1)
            }
        }
    }

    @Test("merging refuses a store whose secret-hashing key differs", arguments: TestDatabases.drivers)
    func mergeRefusesOtherHashKey(driver: String) async throws {
        try await withStore(driver) { handle in
            _ = try await handle.storage.insertSettingIfAbsent("secret_hash_key", value: "mine")
            var snapshot = StoreSnapshot(createdAt: Date())
            snapshot.settings = ["secret_hash_key": "theirs"]
            snapshot.agents = [Fixture.agent("other")]
            do {
                _ = try await StoreTransfer(target: handle.storage).restore(snapshot, merge: true, publishRetiredUntil: Date())
                Issue.record("merged a store hashed with another key")
            } catch let error as StorageError {
                #expect(error.code == .conflict && error.message.contains("secret_hash_key"))
            }
            #expect(try await handle.storage.listAgents(AgentQuery()).total == 0)
        }
    }

    @Test("an unsound snapshot (numbers out of range, repeated keys, dangling references, bad keys) is refused before anything is written",
          arguments: TestDatabases.drivers)
    func unsoundSnapshot(driver: String) async throws {
        try await withStore(driver) { source in
            try await populate(source.storage)
            let sound = try await source.storage.snapshot()
            var outOfRange = sound
            outOfRange.deliveries[0].attempts = Int.max
            var repeated = sound
            repeated.agents.append({ var twin = Fixture.agent("twin"); twin.clientID = sound.agents[0].clientID; return twin }())
            var dangling = sound
            dangling.teams[0].organizationID = "ghost"
            var lifetime = sound
            lifetime.trustedIssuers[0].maxTokenLifetime = Int.max
            var sameIssuer = sound
            sameIssuer.trustedIssuers.append({ var twin = sound.trustedIssuers[0]; twin.id = "tis_twin"; return twin }())
            var badKey = sound
            badKey.signingKeys[0].privateKey = "not a key"
            for (snapshot, expected) in [
                (outOfRange, "attempts"), (repeated, "client_id"), (dangling, "ghost"), (badKey, "cannot be loaded"),
                (lifetime, "max_token_lifetime"), (sameIssuer, "trusted issuer URL"),
            ] {
                try await withStore(driver) { target in
                    do {
                        _ = try await StoreTransfer(target: target.storage).restore(snapshot, merge: false, publishRetiredUntil: Date())
                        Issue.record("an unsound snapshot was restored (\(expected))")
                    } catch let error as StorageError {
                        #expect(error.code == .invalid && error.message.contains(expected) && error.message.contains("nothing was written"), "\(error.message)")
                    }
                    #expect(!(try await target.storage.snapshot().holdsObjects))
                }
            }
        }
    }
}
