import MachineAuthCore

/// The organizations and teams the caller may see, by id: for showing names instead of ids
/// and for the organization and team choices of filters and forms.
struct TenancyNames: Sendable {
    var organizationList: [Organization] = []
    var teamList: [Team] = []
    var organizations: [String: String] = [:]
    var teams: [String: String] = [:]

    static func load(_ dashboard: Dashboard, _ page: DashboardRequest) async throws -> TenancyNames {
        var names = TenancyNames()
        names.organizationList = try await dashboard.tenancy(page).organizations().items
        for organization in names.organizationList {
            names.organizations[organization.id] = organization.name
            let teams = try await dashboard.runtime.storage.listTeams(organizationID: organization.id)
            names.teamList += teams
            for team in teams { names.teams[team.id] = "\(organization.name) / \(team.name)" }
        }
        return names
    }

    /// The organizations as choices; `none` (when given) is the empty choice first.
    func organizationOptions(selected: String?, none: String?) -> [Option] {
        (none.map { [Option(value: "", label: $0, selected: selected == nil)] } ?? [])
            + organizationList.map { Option(value: $0.id, label: $0.name, selected: $0.id == selected) }
    }

    /// The teams as choices, named "organization / team".
    func teamOptions(selected: String?, none: String) -> [Option] {
        [Option(value: "", label: none, selected: selected == nil)]
            + teamList.map { Option(value: $0.id, label: teams[$0.id] ?? $0.name, selected: $0.id == selected) }
    }
}
