import CoreMetrics
import Foundation

/// The server's metrics, created on an explicit factory (no global state), exported by
/// `GET /metrics` in the Prometheus format.
public struct Telemetry: Sendable {
    public let factory: any MetricsFactory
    public let tokensRefreshed: Counter
    public let tokensRevoked: Counter
    public let agentsTotal: Gauge
    public let agentsActive: Gauge

    public init(factory: any MetricsFactory) {
        self.factory = factory
        tokensRefreshed = Counter(label: "machineauth_tokens_refreshed_total", factory: factory)
        tokensRevoked = Counter(label: "machineauth_tokens_revoked_total", factory: factory)
        agentsTotal = Gauge(label: "machineauth_agents_total", factory: factory)
        agentsActive = Gauge(label: "machineauth_agents_active", factory: factory)
    }

    /// Counts an issued access token by grant type.
    public func tokenIssued(grantType: String) {
        Counter(label: "machineauth_tokens_issued_total", dimensions: [("grant_type", grantType)], factory: factory).increment()
    }

    /// Counts a refused token request or authentication, by OAuth error code.
    public func tokenFailed(_ code: String) {
        Counter(label: "machineauth_token_failures_total", dimensions: [("error", code)], factory: factory).increment()
    }

    /// Counts a token validation (introspection, verification, gateway) by result.
    public func tokenValidated(active: Bool) {
        Counter(label: "machineauth_token_validations_total", dimensions: [("result", active ? "active" : "inactive")], factory: factory).increment()
    }

    /// Counts an HTTP request and records its latency, by route pattern and status.
    public func request(route: String, method: String, status: Int, duration: Duration) {
        Counter(
            label: "machineauth_http_requests_total", dimensions: [("route", route), ("method", method), ("status", String(status))],
            factory: factory
        ).increment()
        Timer(label: "machineauth_http_request_duration_seconds", dimensions: [("route", route)], factory: factory)
            .recordNanoseconds(duration.components.seconds * 1_000_000_000 + duration.components.attoseconds / 1_000_000_000)
    }

    /// Counts a forward-auth decision by outcome and status.
    public func gatewayDecision(allowed: Bool, status: Int) {
        Counter(label: "machineauth_gateway_decisions_total", dimensions: [("decision", allowed ? "allow" : "deny"), ("status", String(status))],
                factory: factory).increment()
    }

    /// Counts a webhook delivery attempt by outcome.
    public func webhookDelivery(_ outcome: String) {
        Counter(label: "machineauth_webhook_deliveries_total", dimensions: [("outcome", outcome)], factory: factory).increment()
    }
}
