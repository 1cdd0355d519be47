import MachineAuthCore

/// What the layout around every page shows: the title, the navigation the caller's role may
/// use, who is signed in, the session's CSRF token for forms, and a notice.
struct Chrome: Sendable {
    /// One entry of the navigation.
    struct Link: Sendable {
        var label: String
        var href: String
        var current: Bool
    }

    var title: String
    var stylesheet: String
    var script: String
    var signedIn = false
    var email = ""
    var role = ""
    var csrf = ""
    /// Whether the caller may change anything (viewers may not): write controls are shown only then.
    var mayWrite = false
    var isOwner = false
    var navigation: [Link] = []
    var notice: String?

    /// The sections of the dashboard, in the order of the navigation; `ownerOnly` ones only for the owner.
    static let sections: [(label: String, href: String, ownerOnly: Bool)] = [
        ("Overview", "/dashboard", false), ("Agents", "/dashboard/agents", false), ("Organizations", "/dashboard/organizations", false),
        ("Tokens", "/dashboard/tokens", false), ("Webhooks", "/dashboard/webhooks", false), ("Audit log", "/dashboard/audit", false),
        ("Metrics", "/dashboard/metrics", false), ("Gateway", "/dashboard/gateway", false), ("Signing keys", "/dashboard/keys", true),
        ("Users", "/dashboard/users", true),
    ]

    /// The chrome of a signed-in page in `section` (a path of ``sections``).
    init(title: String, section: String, scope: AccessScope, csrf: String, resources: DashboardResources) {
        self.title = title
        stylesheet = resources.stylesheet.path
        script = resources.script.path
        signedIn = true
        email = scope.session?.email ?? ""
        role = scope.isOwner ? "owner" : (scope.role == .viewer ? "viewer" : "admin")
        self.csrf = csrf
        mayWrite = scope.mayWrite
        isOwner = scope.isOwner
        navigation = Self.sections.filter { !$0.ownerOnly || scope.isOwner }.map { Link(label: $0.label, href: $0.href, current: $0.href == section) }
    }

    /// The chrome of a page for someone not signed in (the sign-in form, errors).
    init(title: String, resources: DashboardResources) {
        self.title = title
        stylesheet = resources.stylesheet.path
        script = resources.script.path
    }
}
