import Foundation
import Hummingbird
import MachineAuthCore

/// `GET /dashboard`: health and readiness, storage, version and signing key, agent and token
/// figures, and token request rates over the last hour and day as charts. The figures are one
/// fragment, which the page's script fetches again from `/dashboard/overview/live` every few
/// seconds; without the script the page shows them as of its loading.
struct OverviewPages: Sendable {
    let dashboard: Dashboard

    func register(on router: DashboardRouter) {
        router.get("/dashboard") { page in
            let view = OverviewView(chrome: try dashboard.chrome(page, title: "Overview", section: "/dashboard"), live: try await live(page))
            return dashboard.render("overview", view)
        }
        router.get("/dashboard/overview/live") { page in
            dashboard.render("overview_fragment", try await live(page))
        }
    }

    private func live(_ page: DashboardRequest) async throws -> OverviewLive {
        let runtime = dashboard.runtime
        let scope = try page.scope()
        let ready = await HealthRoutes.readiness(runtime, logger: page.context.logger) != nil
        let statistics = try await ScopedStatistics(runtime: runtime, scope: scope).agents()
        var tokens = [Figure("Revoked tokens (live)", runtime.services.revocations.count)]
        if scope.isOwner {
            tokens = [
                Figure("Tokens issued", statistics.usage.tokenCount), Figure("Tokens refreshed", statistics.usage.refreshCount),
                Figure("Failed authentications", statistics.usage.failedAuthCount),
            ] + tokens
        }
        let now = runtime.now()
        let rates = runtime.services.telemetry.rates
        return OverviewLive(
            ready: ready, readiness: ready ? "ready" : "unavailable", storage: runtime.pipeline.storage.type,
            version: MachineAuthVersion.current, algorithm: runtime.settings.tokens.algorithm.rawValue,
            keyID: (try? runtime.services.keyRing.signingKey.kid) ?? "-",
            scopeNote: scope.organizations == nil ? "all organizations" : "your organizations",
            agents: [
                Figure("Agents", statistics.total), Figure("Active", statistics.active), Figure("Inactive", statistics.inactive),
                Figure("Expired", statistics.expired),
            ],
            tokens: tokens,
            hour: LineChart.rates(
                rates.series(minutes: 60, bucketMinutes: 1, now: now), id: "rate-hour", title: "Token requests per minute, last hour",
                span: "hour", labelEvery: 10),
            day: LineChart.rates(
                rates.series(minutes: 1440, bucketMinutes: 30, now: now), id: "rate-day", title: "Token requests per 30 minutes, last day",
                span: "day", labelEvery: 8),
            updatedAt: TimestampFormat.string(now, milliseconds: false))
    }
}

/// One labelled number.
struct Figure: Sendable {
    var label: String
    var value: String

    init(_ label: String, _ value: Int) {
        self.label = label
        self.value = NumberRangeError.format(value)
    }
}

/// The overview page.
struct OverviewView: Sendable {
    var chrome: Chrome
    var live: OverviewLive
}

/// The overview's figures, which the page's script refreshes.
struct OverviewLive: Sendable {
    var ready: Bool
    var readiness: String
    var storage: String
    var version: String
    var algorithm: String
    var keyID: String
    var scopeNote: String
    var agents: [Figure]
    var tokens: [Figure]
    var hour: LineChart
    var day: LineChart
    var updatedAt: String
}
