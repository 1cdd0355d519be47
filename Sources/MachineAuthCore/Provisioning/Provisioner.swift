public import Foundation

/// Applies a ``ProvisionDocument`` idempotently: creates what is missing, updates what
/// differs, leaves the rest, and — with `prune: true` — deletes only objects it created
/// itself earlier (`managed_by: provision`). Objects are matched by organization slug and
/// name. Concurrent applies on several instances take turns under a storage lock.
public struct Provisioner: Sendable {
    public static let marker = "provision"

    let storage: any Storage
    let agents: AgentService
    let tenants: TenantService
    let hasher: SecretHasher
    let secretBox: SecretBox
    let now: @Sendable () -> Date
    var attribution = Attribution(actor: EventActor(kind: "system", id: "provision"))

    public init(storage: any Storage, agents: AgentService, tenants: TenantService, hasher: SecretHasher, secretBox: SecretBox, now: @escaping @Sendable () -> Date) {
        self.storage = storage
        self.agents = agents
        self.tenants = tenants
        self.hasher = hasher
        self.secretBox = secretBox
        self.now = now
    }

    /// The same provisioner, with its changes attributed to `attribution` (an administrator
    /// applying through the API) instead of the system.
    public func acting(as attribution: Attribution) -> Provisioner {
        var copy = self
        copy.attribution = attribution
        return copy
    }

    public func apply(_ document: ProvisionDocument, dryRun: Bool) async throws -> ProvisionReport {
        try await storage.withExclusiveLock("machineauth-provision") {
            var run = ProvisionRun(provisioner: self, document: document, report: ProvisionReport(dryRun: dryRun))
            try await run.organizations()
            try await run.teams()
            try await run.agents()
            try await run.apiKeys()
            try await run.webhooks()
            if document.prune { try await run.prune() }
            return run.report
        }
    }
}

/// The state of one apply: ids of the organizations and teams it resolved, and the report.
struct ProvisionRun {
    let provisioner: Provisioner
    let document: ProvisionDocument
    var report: ProvisionReport
    var organizationIDs: [String: String] = [:]
    var teamIDs: [String: String] = [:]
    var declaredAgentIDs = Set<String>()
    var declaredKeyIDs = Set<String>()
    var declaredWebhookIDs = Set<String>()
    var declaredTeamIDs = Set<String>()

    var storage: any Storage { provisioner.storage }
    var dryRun: Bool { report.dryRun }

    init(provisioner: Provisioner, document: ProvisionDocument, report: ProvisionReport) {
        self.provisioner = provisioner
        self.document = document
        self.report = report
    }

    func date(_ text: String?) -> Date? { text.flatMap(ProvisionParser.date) }

    mutating func organizations() async throws {
        for item in document.organizations {
            let declared = item.value
            if let existing = try await storage.organization(slug: declared.slug) {
                organizationIDs[declared.slug] = existing.id
                var changed: [String] = []
                if existing.name != declared.name { changed.append("name") }
                if existing.ownerEmail != declared.ownerEmail { changed.append("owner_email") }
                guard !changed.isEmpty else {
                    report.add(.unchanged, "organization", declared.slug)
                    continue
                }
                report.add(.update, "organization", declared.slug, changed)
                if !dryRun {
                    _ = try await provisioner.tenants.updateOrganization(
                        id: existing.id, name: declared.name, slug: nil, ownerEmail: .some(declared.ownerEmail), by: provisioner.attribution)
                }
            } else {
                report.add(.create, "organization", declared.slug)
                organizationIDs[declared.slug] = "new:\(declared.slug)"
                if !dryRun {
                    let created = try await provisioner.tenants.createOrganization(
                        name: declared.name, slug: declared.slug, ownerEmail: declared.ownerEmail, managedBy: Provisioner.marker, by: provisioner.attribution)
                    organizationIDs[declared.slug] = created.id
                }
            }
        }
    }

    mutating func teams() async throws {
        for item in document.teams {
            let declared = item.value
            let name = ProvisionDocument.key(declared.organization, declared.name)
            let organizationID = organizationIDs[declared.organization] ?? ""
            let existing = organizationID.hasPrefix("new:") ? nil
                : try await storage.listTeams(organizationID: organizationID).first { $0.name == declared.name }
            if let existing {
                teamIDs[name] = existing.id
                declaredTeamIDs.insert(existing.id)
                if existing.description == (declared.description ?? "") {
                    report.add(.unchanged, "team", name)
                } else {
                    report.add(.update, "team", name, ["description"])
                    if !dryRun { _ = try await provisioner.tenants.updateTeam(id: existing.id, name: nil, description: declared.description ?? "", by: provisioner.attribution) }
                }
            } else {
                report.add(.create, "team", name)
                teamIDs[name] = "new:\(name)"
                if !dryRun {
                    let created = try await provisioner.tenants.createTeam(
                        organizationID: organizationID, name: declared.name, description: declared.description ?? "", managedBy: Provisioner.marker,
                        by: provisioner.attribution)
                    teamIDs[name] = created.id
                    declaredTeamIDs.insert(created.id)
                }
            }
        }
    }
}
