import Hummingbird
import Logging
import MachineAuthCore

/// Registers every page of the dashboard (the `dashboard` rows of ``RouteTable``). Without its
/// resource bundle, each answers 503 saying so, and the API is unaffected.
enum DashboardRoutes {
    /// What an address under `/dashboard` that is no page answers (as a page, not the API's JSON).
    static let noSuchPage = APIError(.notFound, code: "not_found", "there is no dashboard page at this address")

    static func register(runtime: MachineAuthRuntime, on routes: RouteRegistrar) {
        switch DashboardResources.shared {
        case .success(let resources):
            let dashboard = Dashboard(runtime: runtime, resources: resources)
            let errors = DashboardErrorPage(dashboard: dashboard)
            let router = DashboardRouter(routes: routes, errors: { errors.response($0, $1, $2) })
            SessionPages(dashboard: dashboard).register(on: router)
            AssetRoutes(resources: resources).register(on: router)
            OverviewPages(dashboard: dashboard).register(on: router)
            AgentPages(dashboard: dashboard).register(on: router)
            OrganizationPages(dashboard: dashboard).register(on: router)
            TokenPages(dashboard: dashboard).register(on: router)
            WebhookPages(dashboard: dashboard).register(on: router)
            AuditPages(dashboard: dashboard).register(on: router)
            MetricsPages(dashboard: dashboard).register(on: router)
            KeyPages(dashboard: dashboard).register(on: router)
            UserPages(dashboard: dashboard).register(on: router)
            GatewayPages(dashboard: dashboard).register(on: router)
            router.get("/dashboard/**") { _ in throw Self.noSuchPage }
        case .failure(let unavailable):
            runtime.logger.error("the dashboard is unavailable: \(unavailable.reason)")
            let answer = DashboardMissing.response(unavailable.reason)
            for route in RouteTable.dashboard {
                routes.page(route.method, route.path, errors: { _, _, _ in answer }) { _ in answer }
            }
        }
    }
}
