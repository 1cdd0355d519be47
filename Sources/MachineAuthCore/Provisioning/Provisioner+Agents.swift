import Foundation

extension ProvisionRun {
    /// Every agent of an organization (or without one), for matching by name.
    func existingAgents(organizationID: String?) async throws -> [Agent] {
        var all: [Agent] = []
        var page = 1
        while true {
            let batch = try await storage.listAgents(AgentQuery(organizationID: organizationID, page: PageRequest(page: page, limit: 500)))
            all += batch.items
            guard batch.items.count == 500 else { break }
            page += 1
        }
        return organizationID == nil ? all.filter { $0.organizationID == nil } : all
    }

    mutating func agents() async throws {
        for item in document.agents {
            let declared = item.value
            let name = ProvisionDocument.key(declared)
            let organizationID = declared.organization.map { organizationIDs[$0] ?? "" }
            let teamID = declared.team.map { teamIDs[ProvisionDocument.key(declared.organization, $0)] ?? "" }
            var existing: Agent?
            if let clientID = declared.clientID, let found = try await storage.agent(clientID: clientID) {
                // Matched within the declared organization only: a file never adopts another organization's agent.
                guard found.organizationID == organizationID else {
                    throw ValidationError("provision.agents", "client_id \(clientID) of agent \(name) belongs to an agent of another organization")
                }
                existing = found
            }
            if existing == nil, declared.clientID == nil, !(organizationID?.hasPrefix("new:") ?? false) {
                let candidates = try await existingAgents(organizationID: organizationID)
                    .filter { $0.name == declared.name && !declaredAgentIDs.contains($0.id) }
                guard candidates.count <= 1 else {
                    throw ValidationError("provision.agents", "several agents are named \(name); declare client_id to say which one")
                }
                existing = candidates.first
            }
            let secret = document.secrets["agent:" + name]
            let hash = secret.map(provisioner.hasher.hash) ?? declared.clientSecretHash
            guard let existing else {
                report.add(.create, "agent", name)
                if dryRun { continue }
                var draft = AgentDraft(name: declared.name)
                draft.description = declared.description ?? ""
                draft.tags = declared.tags ?? []
                draft.scopes = declared.scopes ?? []
                draft.metadata = declared.metadata ?? [:]
                draft.grantTypes = declared.grantTypes
                draft.allowedAudiences = declared.allowedAudiences ?? []
                draft.expiresAt = date(declared.expiresAt)
                draft.organizationID = organizationID
                draft.teamID = teamID
                draft.clientID = declared.clientID
                draft.managedBy = Provisioner.marker
                draft.secretHash = hash
                draft.tokenEndpointAuthMethod = declared.tokenEndpointAuthMethod
                draft.jwks = declared.jwks
                draft.jwksURI = declared.jwksURI
                draft.dpopBoundAccessTokens = declared.dpopBoundAccessTokens ?? false
                draft.tlsClientCertificateBoundAccessTokens = declared.tlsClientCertificateBoundAccessTokens ?? false
                draft.tlsClientAuthFields = declared.tlsClientAuthFields
                let created = try await provisioner.agents.create(draft, by: provisioner.attribution)
                declaredAgentIDs.insert(created.agent.id)
                if let generated = created.clientSecret {
                    report.secrets.append(.init(kind: "agent", name: name, label: "client_id=\(created.agent.clientID) client_secret", value: generated))
                }
                if declared.active == false { _ = try await provisioner.agents.deactivate(id: created.agent.id, by: provisioner.attribution) }
                continue
            }
            declaredAgentIDs.insert(existing.id)
            try await update(existing, to: declared, name: name, teamID: teamID, secret: secret, hash: hash)
        }
    }

    private mutating func update(_ existing: Agent, to declared: DeclaredAgent, name: String, teamID: String?, secret: String?, hash: String?) async throws {
        var changes = AgentChanges()
        var changed: [String] = []
        if existing.description != (declared.description ?? "") { changes.description = declared.description ?? ""; changed.append("description") }
        if existing.tags != (declared.tags ?? []) { changes.tags = declared.tags ?? []; changed.append("tags") }
        if existing.scopes != (declared.scopes ?? []) { changes.scopes = declared.scopes ?? []; changed.append("scopes") }
        if existing.metadata != (declared.metadata ?? [:]) { changes.metadata = declared.metadata ?? [:]; changed.append("metadata") }
        let grants = declared.grantTypes ?? provisioner.agents.grantTypes
        if existing.grantTypes != grants { changes.grantTypes = grants; changed.append("grant_types") }
        if existing.allowedAudiences != (declared.allowedAudiences ?? []) {
            changes.allowedAudiences = declared.allowedAudiences ?? []
            changed.append("allowed_audiences")
        }
        let expiry = date(declared.expiresAt)
        if existing.expiresAt.map({ Int($0.timeIntervalSince1970) }) != expiry.map({ Int($0.timeIntervalSince1970) }) {
            changes.expiresAt = .some(expiry)
            changed.append("expires_at")
        }
        if existing.teamID != teamID { changes.teamID = .some(teamID); changed.append("team") }
        let method = declared.tokenEndpointAuthMethod ?? Agent.defaultAuthMethod
        if existing.tokenEndpointAuthMethod != method {
            changes.tokenEndpointAuthMethod = method
            changed.append("token_endpoint_auth_method")
        }
        let keys = try declared.jwks.map { keys in
            method == Agent.selfSignedTLSClientAuth ? try FieldRules.certificateKeys(keys) : try FieldRules.clientKeys(keys)
        }
        if existing.jwks != keys { changes.jwks = .some(keys); changed.append("jwks") }
        if existing.jwksURI != declared.jwksURI { changes.jwksURI = .some(declared.jwksURI); changed.append("jwks_uri") }
        if try existing.tlsClientAuthSubject != FieldRules.tlsClientAuthSubject(declared.tlsClientAuthFields) {
            changes.tlsClientAuthFields = declared.tlsClientAuthFields
            changed.append("tls_client_auth")
        }
        let bound = declared.dpopBoundAccessTokens ?? false
        if existing.dpopBoundAccessTokens != bound { changes.dpopBoundAccessTokens = bound; changed.append("dpop_bound_access_tokens") }
        let certificateBound = declared.tlsClientCertificateBoundAccessTokens ?? false
        if existing.tlsClientCertificateBoundAccessTokens != certificateBound {
            changes.tlsClientCertificateBoundAccessTokens = certificateBound
            changed.append("tls_client_certificate_bound_access_tokens")
        }
        let secretDiffers: Bool
        if let secret {
            secretDiffers = !existing.secrets.contains { provisioner.hasher.verify(secret, against: $0.hash) }
        } else if let hash {
            secretDiffers = !existing.secrets.contains { $0.hash == hash }
        } else {
            secretDiffers = false
        }
        if secretDiffers { changed.append("secret") }
        let wantActive = declared.active ?? true
        if existing.isActive != wantActive { changed.append(wantActive ? "reactivate" : "deactivate") }
        guard !changed.isEmpty else {
            report.add(.unchanged, "agent", name)
            return
        }
        report.add(.update, "agent", name, changed)
        if dryRun { return }
        _ = try await provisioner.agents.update(id: existing.id, changes, by: provisioner.attribution)
        if secretDiffers, let hash { _ = try await provisioner.agents.replaceSecret(id: existing.id, hash: hash, by: provisioner.attribution) }
        if existing.isActive != wantActive {
            if wantActive {
                _ = try await provisioner.agents.reactivate(id: existing.id, by: provisioner.attribution)
            } else {
                _ = try await provisioner.agents.deactivate(id: existing.id, by: provisioner.attribution)
            }
        }
    }
}
