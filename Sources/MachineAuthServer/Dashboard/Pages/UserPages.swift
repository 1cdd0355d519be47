import Foundation
import Hummingbird
import MachineAuthCore

/// `/dashboard/users` (owner only): administrator accounts — listing, creating (role admin or
/// viewer, organizations) and deleting, through the core's ``AdministratorService``.
struct UserPages: Sendable {
    let dashboard: Dashboard

    func register(on router: DashboardRouter) {
        router.get("/dashboard/users") { page in try await list(page, FormState(values: ["role": "admin"]), status: .ok) }
        router.post("/dashboard/users") { page in
            let fields = page.fields
            var values = fields.values
            values["password"] = nil
            var form = FormState(values: values)
            do {
                _ = try await dashboard.runtime.services.administrators.createUser(
                    email: fields.text("email"), password: fields.raw("password"), name: fields.text("name"), role: fields.optional("role"),
                    organizationIDs: fields.all("organization_ids"), by: try attribution(page))
                return dashboard.redirect("/dashboard/users", notice: .userCreated)
            } catch {
                guard let status = form.refuse(error, page) else { throw error }
                return try await list(page, form, status: status)
            }
        }
        router.post("/dashboard/users/{id}/delete") { page in
            guard try await dashboard.runtime.services.administrators.deleteUser(id: try page.parameter("id"), by: try attribution(page)) != nil else {
                throw APIError.notFound("user")
            }
            return dashboard.redirect("/dashboard/users", notice: .userDeleted)
        }
    }

    private func attribution(_ page: DashboardRequest) throws -> Attribution {
        Attribution(actor: try page.scope().attributionActor, origin: page.origin)
    }

    private func list(_ page: DashboardRequest, _ form: FormState, status: HTTPResponse.Status) async throws -> Response {
        let names = try await TenancyNames.load(dashboard, page)
        let chosen = Set(page.fields.all("organization_ids"))
        let users = try await dashboard.runtime.storage.listUsers().sorted { $0.email < $1.email }
        let view = UsersView(
            chrome: try dashboard.chrome(page, title: "Users", section: "/dashboard/users"),
            users: users.map { user in
                UserRow(id: user.id, email: user.email, name: user.name, role: user.role.rawValue,
                        organizations: user.organizationIDs.map { names.organizations[$0] ?? $0 }.joined(separator: ", "), createdAt: Time.text(user.createdAt))
            },
            form: form,
            roles: [("admin", "admin: manages their organizations"), ("viewer", "viewer: reads, changes nothing")].map {
                Option(value: $0.0, label: $0.1, selected: (form.values["role"] ?? "admin") == $0.0)
            },
            organizations: names.organizationList.map { Option(value: $0.id, label: $0.name, selected: chosen.contains($0.id)) })
        return dashboard.render("users", view, status: status)
    }
}

/// The users page.
struct UsersView: Sendable {
    var chrome: Chrome
    var users: [UserRow]
    var form: FormState
    var roles: [Option]
    var organizations: [Option]
}

/// One administrator account.
struct UserRow: Sendable {
    var id: String
    var email: String
    var name: String
    var role: String
    var organizations: String
    var createdAt: String
}
