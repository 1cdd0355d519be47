import Foundation
import MachineAuthCore
import MachineAuthTesting
import Testing

@Suite("Storage conformance: tokens, keys, audit, settings")
struct TokenStoreConformance {
    @Test("a refresh token is used once; racing uses have one winner; families revoke together", arguments: TestDatabases.drivers)
    func refreshTokens(driver: String) async throws {
        try await withStore(driver) { handle async throws in
            let store = handle.storage
            let agent = Fixture.agent()
            try await store.insertAgent(agent)
            let first = Fixture.refresh(agent: agent, family: "f1")
            let second = Fixture.refresh(agent: agent, family: "f1")
            let other = Fixture.refresh(agent: agent, family: "f2")
            for token in [first, second, other] { try await store.insertRefreshToken(token) }
            let wins = try await withThrowingTaskGroup(of: Bool.self) { group in
                for _ in 0..<8 {
                    group.addTask { if case .fresh = try await store.useRefreshToken(hash: first.hash, at: Date()) { return true } else { return false } }
                }
                return try await group.reduce(0) { $0 + ($1 ? 1 : 0) }
            }
            #expect(wins == 1)
            guard case .replayed(let replayed) = try await store.useRefreshToken(hash: first.hash, at: Date()) else {
                Issue.record("expected a replay"); return
            }
            #expect(replayed.usedAt != nil)
            #expect(try await store.useRefreshToken(hash: "nope", at: Date()) == .unknown)
            #expect(try await store.revokeRefreshFamily("f1", at: Date()) == 2)
            guard case .replayed = try await store.useRefreshToken(hash: second.hash, at: Date()) else { Issue.record("revoked token usable"); return }
            #expect(try await store.revokeRefreshTokens(agentID: agent.id, at: Date()) == 1)
            #expect(try await store.refreshToken(hash: other.hash)?.revokedAt != nil)
        }
    }

    @Test("the denylist keeps entries until they expire; purge removes expired tokens", arguments: TestDatabases.drivers)
    func denylist(driver: String) async throws {
        try await withStore(driver) { handle async throws in
            let store = handle.storage
            let agent = Fixture.agent()
            try await store.insertAgent(agent)
            try await store.revokeAccessToken(RevokedAccessToken(jti: "live", expiresAt: Date().addingTimeInterval(600), agentID: agent.id))
            try await store.revokeAccessToken(RevokedAccessToken(jti: "live", expiresAt: Date().addingTimeInterval(600), agentID: agent.id))
            try await store.revokeAccessToken(RevokedAccessToken(jti: "old", expiresAt: Date().addingTimeInterval(-600)))
            let expired = Fixture.refresh(agent: agent, expires: Date().addingTimeInterval(-60))
            try await store.insertRefreshToken(expired)
            try await store.purgeExpiredTokens(before: Date())
            #expect(try await store.revokedAccessTokens().map(\.jti) == ["live"])
            #expect(try await store.refreshToken(hash: expired.hash) == nil)
        }
    }

    @Test("the first signing key wins once; rotation retires and later drops keys", arguments: TestDatabases.drivers)
    func signingKeys(driver: String) async throws {
        try await withStore(driver) { handle async throws in
            let store = handle.storage
            let now = Date(timeIntervalSince1970: 1_800_000_000)
            let first = SigningKeyRecord(kid: "k1", algorithm: .rs256, privateKey: "a", createdAt: now)
            let rival = SigningKeyRecord(kid: "k0", algorithm: .es256, privateKey: "b", createdAt: now)
            let results = try await withThrowingTaskGroup(of: [SigningKeyRecord].self) { group in
                group.addTask { try await store.insertFirstSigningKey(first) }
                group.addTask { try await store.insertFirstSigningKey(rival) }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            #expect(Set(results.map { $0.map(\.kid) }).count == 1, "concurrent first starts agree on one key")
            #expect(try await store.signingKeys().filter(\.isActive).count == 1)
            let second = SigningKeyRecord(kid: "k2", algorithm: .es256, privateKey: "c", createdAt: now.addingTimeInterval(10))
            let ring = try await store.rotateSigningKey(to: second, publishRetiredUntil: now.addingTimeInterval(100))
            #expect(ring.filter(\.isActive).map(\.kid) == ["k2"])
            #expect(ring.count == 2)
            let third = SigningKeyRecord(kid: "k3", algorithm: .edDSA, privateKey: "d", createdAt: now.addingTimeInterval(200))
            let later = try await store.rotateSigningKey(to: third, publishRetiredUntil: now.addingTimeInterval(300))
            #expect(Set(later.map(\.kid)) == ["k2", "k3"], "keys past their publication are dropped")
            #expect(later.first { $0.kid == "k3" }?.algorithm == .edDSA)
        }
    }

    @Test("audit records filter, page newest first, and expire", arguments: TestDatabases.drivers)
    func audit(driver: String) async throws {
        try await withStore(driver) { handle async throws in
            let store = handle.storage
            let base = Date(timeIntervalSince1970: 1_800_000_000)
            try await store.appendAuditRecords([
                Fixture.audit("agent.created", agent: "a1", actor: "root", organization: "o1", time: base),
                Fixture.audit("token.issued", agent: "a1", time: base.addingTimeInterval(10)),
                Fixture.audit("token.revoked", agent: "a2", time: base.addingTimeInterval(20)),
                Fixture.audit("agent.deleted", agent: "a2", actor: "root", time: base.addingTimeInterval(30)),
            ])
            let all = try await store.auditRecords(AuditQuery(page: PageRequest(page: 1, limit: 3)))
            #expect(all.total == 4 && all.items.map(\.action) == ["agent.deleted", "token.revoked", "token.issued"])
            #expect(try await store.auditRecords(AuditQuery(agentID: "a1")).total == 2)
            #expect(try await store.auditRecords(AuditQuery(action: "token.*")).total == 2)
            #expect(try await store.auditRecords(AuditQuery(action: "token.issued")).total == 1)
            #expect(try await store.auditRecords(AuditQuery(actorID: "root")).total == 2)
            #expect(try await store.auditRecords(AuditQuery(organizationID: "o1")).total == 1)
            #expect(try await store.auditRecords(AuditQuery(from: base.addingTimeInterval(15), to: base.addingTimeInterval(25))).items.map(\.action) == ["token.revoked"])
            let record = try #require(try await store.auditRecords(AuditQuery(action: "agent.created")).items.first)
            #expect(record.ipAddress == "10.0.0.1" && record.details == ["n": 1])
            #expect(try await store.deleteAuditRecords(before: base.addingTimeInterval(15)) == 2)
            #expect(try await store.auditRecords(AuditQuery()).total == 2)
        }
    }

    @Test("settings keep the first value", arguments: TestDatabases.drivers)
    func settings(driver: String) async throws {
        try await withStore(driver) { handle async throws in
            #expect(try await handle.storage.setting("s") == nil)
            #expect(try await handle.storage.insertSettingIfAbsent("s", value: "one") == "one")
            #expect(try await handle.storage.insertSettingIfAbsent("s", value: "two") == "one")
        }
    }
}

@Suite("Storage conformance: webhooks")
struct WebhookStoreConformance {
    func webhook(organization: String? = nil) -> Webhook {
        Webhook(id: RandomToken.uuid(), name: "hook", url: "https://example.com/hook", events: ["*"], encryptedSecret: "enc:v1:x",
                organizationID: organization, maxRetries: 3, retryBackoffBase: 2, createdAt: Date())
    }

    func delivery(_ webhook: Webhook, due: Date = Date()) -> WebhookDelivery {
        var delivery = WebhookDelivery(id: "msg_" + RandomToken.hex(bytes: 6), webhookID: webhook.id, eventType: "agent.created",
                                       eventID: RandomToken.uuid(), payload: "{\"a\":1}", maxAttempts: 4, createdAt: Date())
        delivery.nextAttemptAt = due
        return delivery
    }

    @Test("webhooks: insert, update, scoped lists, delete with deliveries", arguments: TestDatabases.drivers)
    func webhooks(driver: String) async throws {
        try await withStore(driver) { handle async throws in
            let store = handle.storage
            let acme = Fixture.organization("acme")
            try await store.insertOrganization(acme)
            let global = webhook()
            let scoped = webhook(organization: acme.id)
            try await store.insertWebhook(global)
            try await store.insertWebhook(scoped)
            #expect(try await store.listWebhooks(organizationIDs: nil).count == 2)
            #expect(try await store.listWebhooks(organizationIDs: [acme.id]).map(\.id) == [scoped.id])
            #expect(try await store.updateWebhook(id: global.id) { $0.consecutiveFails = 3 }?.consecutiveFails == 3)
            let queued = delivery(global)
            try await store.enqueueDeliveries([queued])
            #expect(try await store.deleteWebhook(id: global.id)?.id == global.id)
            #expect(try await store.delivery(id: queued.id) == nil)
            _ = try await store.deleteOrganization(id: acme.id)
            #expect(try await store.webhook(id: scoped.id) == nil, "an organization's webhooks go with it")
        }
    }

    @Test("claims are exclusive, respect due times, and leases expire", arguments: TestDatabases.drivers)
    func claims(driver: String) async throws {
        try await withStore(driver) { handle async throws in
            let store = handle.storage
            let hook = webhook()
            try await store.insertWebhook(hook)
            let now = Date()
            let due = (0..<10).map { _ in delivery(hook, due: now.addingTimeInterval(-1)) }
            let later = delivery(hook, due: now.addingTimeInterval(3600))
            try await store.enqueueDeliveries(due + [later])
            let batches = try await withThrowingTaskGroup(of: [WebhookDelivery].self) { group in
                for worker in 0..<4 {
                    group.addTask { try await store.claimDeliveries(owner: "w\(worker)", limit: 5, now: now, leaseUntil: now.addingTimeInterval(60)) }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            let claimed = batches.flatMap { $0 }.map(\.id)
            #expect(claimed.count == 10 && Set(claimed).count == 10, "every due delivery claimed exactly once")
            #expect(!claimed.contains(later.id))
            #expect(try await store.claimDeliveries(owner: "x", limit: 5, now: now, leaseUntil: now.addingTimeInterval(60)).isEmpty)
            let expired = try await store.claimDeliveries(owner: "rescuer", limit: 20, now: now.addingTimeInterval(61), leaseUntil: now.addingTimeInterval(120))
            #expect(expired.count == 10, "a dead instance's leases run out")
            var first = expired[0]
            first.status = .delivered
            first.attempts = 1
            #expect(try await store.finishDelivery(first, owner: "w0") == false, "only the lease holder may finish")
            #expect(try await store.finishDelivery(first, owner: "rescuer"))
            let stored = try #require(try await store.delivery(id: first.id))
            #expect(stored.status == .delivered && stored.leaseOwner == nil && stored.attempts == 1)
            let page = try await store.deliveries(webhookID: hook.id, status: .delivered, page: PageRequest())
            #expect(page.total == 1)
            #expect(try await store.deliveries(webhookID: hook.id, status: nil, page: PageRequest(page: 1, limit: 5)).total == 11)
        }
    }

    @Test("the longest-waiting due deliveries are claimed first; finished ones never", arguments: TestDatabases.drivers)
    func claimOrder(driver: String) async throws {
        try await withStore(driver) { handle async throws in
            let store = handle.storage
            let hook = webhook()
            try await store.insertWebhook(hook)
            let now = Date()
            var delivered = delivery(hook, due: now.addingTimeInterval(-100))
            delivered.status = .delivered
            let waiting = [-10, -30, -20, -40].map { delivery(hook, due: now.addingTimeInterval(TimeInterval($0))) }
            try await store.enqueueDeliveries([delivered] + waiting)
            let first = try await store.claimDeliveries(owner: "w", limit: 2, now: now, leaseUntil: now.addingTimeInterval(60))
            #expect(first.map(\.id) == [waiting[3].id, waiting[1].id])
            let rest = try await store.claimDeliveries(owner: "w", limit: 5, now: now, leaseUntil: now.addingTimeInterval(60))
            #expect(rest.map(\.id) == [waiting[2].id, waiting[0].id])
        }
    }
}
