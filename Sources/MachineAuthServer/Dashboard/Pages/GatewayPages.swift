import Foundation
import Hummingbird
import MachineAuthCore

/// `/dashboard/gateway`: the loaded gateway rules, and "would this request pass?" — answered by
/// the gateway's own decision (``GatewayEngine/decide(_:)``) and its own rule lookup
/// (``GatewayEngine/ruleIndex(for:)``), so the page cannot disagree with `/gateway/check`.
struct GatewayPages: Sendable {
    let dashboard: Dashboard

    func register(on router: DashboardRouter) {
        router.get("/dashboard/gateway") { page in try render(page, FormState(values: ["method": "GET"]), decision: nil) }
        router.post("/dashboard/gateway/check") { page in
            let fields = page.fields
            var form = FormState(values: ["method": fields.text("method"), "host": fields.text("host"), "path": fields.text("path"), "token": fields.text("token")])
            let method = fields.text("method").uppercased()
            if !GatewayRoutes.methods.map(\.rawValue).contains(method) {
                form.errors["method"] = "Choose one of \(GatewayRoutes.methods.map(\.rawValue).joined(separator: ", "))."
            }
            let path = fields.text("path")
            if !path.hasPrefix("/") { form.errors["path"] = "Enter the request's path, starting with /, e.g. /v1/reports." }
            guard !form.hasErrors else { return try render(page, form, decision: nil, status: .badRequest) }
            let request = GatewayRequest(
                method: method, host: fields.text("host"), path: path, scheme: "https", credential: fields.optional("token"))
            let engine = dashboard.runtime.services.gateway
            let decision = await engine.decide(request)
            return try render(page, form, decision: GatewayDecisionView(decision, ruleIndex: engine.ruleIndex(for: request)))
        }
    }

    private func render(_ page: DashboardRequest, _ form: FormState, decision: GatewayDecisionView?, status: HTTPResponse.Status = .ok) throws -> Response {
        let settings = dashboard.runtime.services.gateway.configuration
        let view = GatewayView(
            chrome: try dashboard.chrome(page, title: "Gateway", section: "/dashboard/gateway"),
            dialect: settings.dialect.rawValue, unmatched: settings.unmatched.rawValue, ambiguousPaths: settings.ambiguousPaths.rawValue,
            rules: settings.rules.enumerated().map { GatewayRuleRow($0.element, number: $0.offset + 1) },
            identityHeaders: settings.identityHeaders.sorted { $0.key < $1.key }.map { Pair(name: $0.key, value: $0.value) },
            form: form, methods: GatewayRoutes.methods.map { Option(value: $0.rawValue, label: $0.rawValue, selected: $0.rawValue == (form.values["method"] ?? "GET")) },
            decision: decision)
        return dashboard.render("gateway", view, status: status, headers: .noStore)
    }
}

/// The gateway page.
struct GatewayView: Sendable {
    var chrome: Chrome
    var dialect: String
    var unmatched: String
    var ambiguousPaths: String
    var rules: [GatewayRuleRow]
    var identityHeaders: [Pair]
    var form: FormState
    var methods: [Option]
    var decision: GatewayDecisionView?
}

/// One rule as the YAML gave it.
struct GatewayRuleRow: Sendable {
    var number: Int
    var methods: String
    var host: String
    var path: String
    var requirements: String

    init(_ rule: GatewayRule, number: Int) {
        self.number = number
        methods = rule.match.methods?.joined(separator: ", ") ?? "any"
        host = rule.match.host?.text ?? "any"
        path = rule.match.path?.text ?? "any"
        var needs: [String] = []
        if rule.allowAnonymous { needs.append("anonymous allowed") }
        if !rule.requireScopes.isEmpty { needs.append("scopes (\(rule.scopesMatch.rawValue)): " + rule.requireScopes.joined(separator: " ")) }
        if !rule.allowedAudiences.isEmpty { needs.append("audiences: " + rule.allowedAudiences.joined(separator: " ")) }
        if !rule.allowedOrgs.isEmpty { needs.append("organizations: " + rule.allowedOrgs.joined(separator: " ")) }
        if rule.allowAPIKeys { needs.append("API keys accepted") }
        requirements = needs.isEmpty ? "a valid token" : needs.joined(separator: "; ")
    }
}

/// What the gateway decided, and by which rule.
struct GatewayDecisionView: Sendable {
    var allowed: Bool
    var decision: String
    var status: Int
    var code: String?
    var message: String?
    var rule: String
    var headers: [Pair]

    init(_ decision: GatewayDecision, ruleIndex: Int?) {
        rule = ruleIndex.map { "rule \($0 + 1)" } ?? "no rule matched"
        switch decision {
        case .allow(let headers, _):
            allowed = true
            status = 200
            self.headers = headers.map { Pair(name: $0.name, value: $0.value) }
        case .deny(let error):
            allowed = false
            status = error.status
            code = error.code
            message = error.message
            headers = []
        }
        self.decision = allowed ? "allow" : "deny"
    }
}
