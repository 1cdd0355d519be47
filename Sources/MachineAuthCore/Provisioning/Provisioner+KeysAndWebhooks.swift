import Foundation

extension ProvisionRun {
    mutating func apiKeys() async throws {
        for item in document.apiKeys {
            let declared = item.value
            let name = ProvisionDocument.key(declared.organization, declared.name)
            let organizationID = organizationIDs[declared.organization] ?? ""
            let existing = organizationID.hasPrefix("new:") ? nil
                : try await storage.listAPIKeys(organizationID: organizationID).first { $0.name == declared.name && $0.revokedAt == nil }
            let secret = document.secrets["api_key:" + name]
            let expiry = date(declared.expiresAt)
            if let existing {
                declaredKeyIDs.insert(existing.id)
                let keyDiffers = secret.map { provisioner.hasher.hash($0) != existing.hash } ?? false
                let expiryDiffers = existing.expiresAt.map { Int($0.timeIntervalSince1970) } != expiry.map { Int($0.timeIntervalSince1970) }
                guard keyDiffers || expiryDiffers else {
                    report.add(.unchanged, "api_key", name)
                    continue
                }
                report.add(.update, "api_key", name, (keyDiffers ? ["key"] : []) + (expiryDiffers ? ["expires_at"] : []))
                if dryRun { continue }
                if keyDiffers {
                    _ = try await provisioner.tenants.revokeAPIKey(id: existing.id, by: provisioner.attribution)
                    let (replacement, _) = try await provisioner.tenants.createAPIKey(
                        organizationID: organizationID, name: declared.name, expiresIn: nil, expiresAt: expiry, secret: secret,
                        managedBy: existing.managedBy, by: provisioner.attribution)
                    declaredKeyIDs.insert(replacement.id)
                } else {
                    _ = try await storage.updateAPIKey(id: existing.id) { $0.expiresAt = expiry }
                }
                continue
            }
            report.add(.create, "api_key", name)
            if dryRun { continue }
            let (created, value) = try await provisioner.tenants.createAPIKey(
                organizationID: organizationID, name: declared.name, expiresIn: nil, expiresAt: expiry, secret: secret, managedBy: Provisioner.marker,
                by: provisioner.attribution)
            declaredKeyIDs.insert(created.id)
            if secret == nil { report.secrets.append(.init(kind: "api_key", name: name, label: "key", value: value)) }
        }
    }

    mutating func webhooks() async throws {
        let all = try await storage.listWebhooks(organizationIDs: nil)
        for item in document.webhooks {
            let declared = item.value
            let name = ProvisionDocument.key(declared.organization, declared.name)
            let organizationID = declared.organization.map { organizationIDs[$0] ?? "" }
            let teamID = declared.team.map { teamIDs[ProvisionDocument.key(declared.organization, $0)] ?? "" }
            let secret = document.secrets["webhook:" + name]
            let events = declared.events ?? ["*"]
            if let existing = all.first(where: { $0.name == declared.name && $0.organizationID == organizationID }) {
                declaredWebhookIDs.insert(existing.id)
                var changed: [String] = []
                if existing.url != declared.url { changed.append("url") }
                if existing.events != events { changed.append("events") }
                if let retries = declared.maxRetries, existing.maxRetries != retries { changed.append("max_retries") }
                if let base = declared.retryBackoffBase, existing.retryBackoffBase != base { changed.append("retry_backoff_base") }
                if existing.isActive != (declared.active ?? true) { changed.append("active") }
                if existing.teamID != teamID { changed.append("team") }
                let secretDiffers = secret.map { (try? provisioner.secretBox.open(existing.encryptedSecret)) != $0 } ?? false
                if secretDiffers { changed.append("secret") }
                guard !changed.isEmpty else {
                    report.add(.unchanged, "webhook", name)
                    continue
                }
                report.add(.update, "webhook", name, changed)
                if dryRun { continue }
                let sealed = try secret.map(provisioner.secretBox.seal)
                let time = provisioner.now()
                _ = try await storage.updateWebhook(id: existing.id) { hook in
                    hook.url = declared.url
                    hook.events = events
                    if let retries = declared.maxRetries { hook.maxRetries = retries }
                    if let base = declared.retryBackoffBase { hook.retryBackoffBase = base }
                    hook.isActive = declared.active ?? true
                    hook.teamID = teamID
                    if let sealed { hook.encryptedSecret = sealed }
                    hook.updatedAt = time
                }
                continue
            }
            report.add(.create, "webhook", name)
            if dryRun { continue }
            let value = secret ?? Webhook.generateSecret()
            let webhook = Webhook(
                id: RandomToken.uuid(), name: declared.name, url: declared.url, events: events, encryptedSecret: try provisioner.secretBox.seal(value),
                organizationID: organizationID, teamID: teamID, isActive: declared.active ?? true, maxRetries: declared.maxRetries ?? 10,
                retryBackoffBase: declared.retryBackoffBase ?? 2, createdAt: provisioner.now(), managedBy: Provisioner.marker)
            try await storage.insertWebhook(webhook)
            declaredWebhookIDs.insert(webhook.id)
            if secret == nil { report.secrets.append(.init(kind: "webhook", name: name, label: "secret", value: value)) }
        }
    }

    /// Deletes what provisioning created and the document no longer declares — never anything
    /// made through the API, and never an organization that still holds such objects.
    mutating func prune() async throws {
        let marker = Provisioner.marker
        for webhook in try await storage.listWebhooks(organizationIDs: nil) where webhook.managedBy == marker && !declaredWebhookIDs.contains(webhook.id) {
            report.add(.delete, "webhook", ProvisionDocument.key(slug(webhook.organizationID), webhook.name))
            if !dryRun { _ = try await storage.deleteWebhook(id: webhook.id) }
        }
        let declaredSlugs = Set(document.organizations.map(\.value.slug))
        let organizations = try await storage.listOrganizations(ids: nil, page: PageRequest(page: 1, limit: 500)).items
        for organization in organizations {
            for key in try await storage.listAPIKeys(organizationID: organization.id)
            where key.managedBy == marker && key.revokedAt == nil && !declaredKeyIDs.contains(key.id) {
                report.add(.delete, "api_key", ProvisionDocument.key(organization.slug, key.name))
                if !dryRun { _ = try await provisioner.tenants.revokeAPIKey(id: key.id, by: provisioner.attribution) }
            }
        }
        var allAgents: [Agent] = []
        for organization in organizations { allAgents += try await existingAgents(organizationID: organization.id) }
        allAgents += try await existingAgents(organizationID: nil)
        for agent in allAgents where agent.managedBy == marker && !declaredAgentIDs.contains(agent.id) {
            report.add(.delete, "agent", ProvisionDocument.key(slug(agent.organizationID, in: organizations), agent.name))
            if !dryRun { _ = try await provisioner.agents.delete(id: agent.id, by: provisioner.attribution) }
        }
        for organization in organizations {
            for team in try await storage.listTeams(organizationID: organization.id) where team.managedBy == marker && !declaredTeamIDs.contains(team.id) {
                report.add(.delete, "team", ProvisionDocument.key(organization.slug, team.name))
                if !dryRun { _ = try await provisioner.tenants.deleteTeam(id: team.id, by: provisioner.attribution) }
            }
        }
        for organization in organizations where organization.managedBy == marker && !declaredSlugs.contains(organization.slug) {
            let survivors = allAgents.filter { $0.organizationID == organization.id && ($0.managedBy != marker || declaredAgentIDs.contains($0.id)) }
            let keys = try await storage.listAPIKeys(organizationID: organization.id).filter { $0.managedBy != marker && $0.revokedAt == nil }
            let hooks = try await storage.listWebhooks(organizationIDs: [organization.id]).filter { $0.managedBy != marker }
            guard survivors.isEmpty, keys.isEmpty, hooks.isEmpty else {
                report.add(.keep, "organization", organization.slug, ["still holds objects created through the API"])
                continue
            }
            report.add(.delete, "organization", organization.slug)
            if !dryRun { _ = try await provisioner.tenants.deleteOrganization(id: organization.id, cascade: true, by: provisioner.attribution) }
        }
    }

    private func slug(_ organizationID: String?, in organizations: [Organization] = []) -> String? {
        guard let organizationID else { return nil }
        return organizations.first { $0.id == organizationID }?.slug ?? organizationIDs.first { $0.value == organizationID }?.key ?? organizationID
    }
}
