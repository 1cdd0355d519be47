import Foundation
import Hummingbird
import MachineAuthCore
import Prometheus

/// `GET /dashboard/metrics`: the series `/metrics` exports, read back from the same registry,
/// as tables with a bar per series, and the token request rates of this instance as charts.
/// Histogram buckets are left out (their `_count` and `_sum` are shown).
struct MetricsPages: Sendable {
    let dashboard: Dashboard

    func register(on router: DashboardRouter) {
        router.get("/dashboard/metrics") { page in
            let runtime = dashboard.runtime
            let families = PrometheusText.parse(runtime.metricsRegistry.emitToString())
                .filter { !$0.samples.isEmpty }
                .sorted { $0.name < $1.name }
                .map(MetricFamilyView.init)
            let now = runtime.now()
            let rates = runtime.services.telemetry.rates
            let view = MetricsView(
                chrome: try dashboard.chrome(page, title: "Metrics", section: "/dashboard/metrics"),
                hour: LineChart.rates(
                    rates.series(minutes: 60, bucketMinutes: 1, now: now), id: "metrics-hour", title: "Token requests per minute, last hour",
                    span: "hour", labelEvery: 10),
                day: LineChart.rates(
                    rates.series(minutes: 1440, bucketMinutes: 30, now: now), id: "metrics-day", title: "Token requests per 30 minutes, last day",
                    span: "day", labelEvery: 8),
                families: families)
            return dashboard.render("metrics", view)
        }
    }
}

/// The metrics page.
struct MetricsView: Sendable {
    var chrome: Chrome
    var hour: LineChart
    var day: LineChart
    var families: [MetricFamilyView]
}

/// One metric family: its series with their values and bar lengths (percent of the largest).
struct MetricFamilyView: Sendable {
    struct Series: Sendable {
        var name: String
        var labels: String
        var value: String
        var bar: String
    }

    var name: String
    var type: String
    var help: String
    var series: [Series]
    var hiddenBuckets: Int
    var hasHiddenBuckets: Bool

    init(_ family: PrometheusText.Family) {
        name = family.name
        type = family.type
        help = family.help
        let shown = family.samples.filter { !$0.name.hasSuffix("_bucket") }
        hiddenBuckets = family.samples.count - shown.count
        hasHiddenBuckets = hiddenBuckets > 0
        let peak = shown.map(\.value).filter(\.isFinite).max() ?? 0
        series = shown.map { sample in
            let share = peak > 0 && sample.value.isFinite ? max(sample.value, 0) / peak * 100 : 0
            return Series(
                name: sample.name, labels: sample.labels.map { "\($0.name)=\($0.value)" }.joined(separator: ", "),
                value: Self.format(sample.value), bar: String(format: "%.1f", share))
        }
    }

    static func format(_ value: Double) -> String {
        guard value.isFinite else { return String(value) }
        if value == value.rounded(), abs(value) < 1e15 { return NumberRangeError.format(Int(value)) }
        return String(format: "%.4g", value)
    }
}
