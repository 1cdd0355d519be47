public import CoreMetrics
public import Foundation
import Synchronization

/// The server's metrics, created on an explicit factory (no global state), exported by
/// `GET /metrics` in the Prometheus format.
public struct Telemetry: Sendable {
    public let factory: any MetricsFactory
    public let tokensRefreshed: Counter
    public let tokensRevoked: Counter
    public let agentsTotal: Gauge
    public let agentsActive: Gauge
    /// Issuance, refresh and failure counts per minute over the last day (the dashboard's charts).
    public let rates = RateHistory()
    private let handles = HandleCache()
    private let now: @Sendable () -> Date

    public init(factory: any MetricsFactory, now: @escaping @Sendable () -> Date = { Date() }) {
        self.factory = factory
        self.now = now
        tokensRefreshed = Counter(label: "machineauth_tokens_refreshed_total", factory: factory)
        tokensRevoked = Counter(label: "machineauth_tokens_revoked_total", factory: factory)
        agentsTotal = Gauge(label: "machineauth_agents_total", factory: factory)
        agentsActive = Gauge(label: "machineauth_agents_active", factory: factory)
    }

    /// A labelled counter, created once and reused (registry lookups are not free).
    private func counter(_ label: String, _ dimensions: [(String, String)]) -> Counter {
        handles.counters.cached(HandleKey(label: label, values: dimensions.map(\.1))) {
            Counter(label: label, dimensions: dimensions, factory: factory)
        }
    }

    /// The histogram of ``IssuedAccessToken/Signing/cpuTime`` by algorithm: with the process's
    /// CPU time it tells how much of issuance is the signature itself.
    public static let signingTimeLabel = "machineauth_token_signing_cpu_seconds"
    /// Its buckets: signatures take tens of microseconds (ES256, EdDSA) to a few milliseconds
    /// (RS256 on a slow core); the default duration buckets start at 5 ms.
    public static let signingTimeBuckets: [Duration] = [
        .microseconds(25), .microseconds(50), .microseconds(100), .microseconds(200), .microseconds(300), .microseconds(500),
        .milliseconds(1), .milliseconds(2), .milliseconds(5), .milliseconds(10), .milliseconds(50),
    ]

    /// Counts an issued access token by grant type; `renewal`: issued for a refresh token;
    /// `signing`: what its signature cost (``signingTimeLabel``).
    public func tokenIssued(grantType: String, renewal: Bool = false, signing: IssuedAccessToken.Signing? = nil) {
        counter("machineauth_tokens_issued_total", [("grant_type", grantType)]).increment()
        if renewal { tokensRefreshed.increment() }
        if let signing { signingTimer(signing.algorithm).recordNanoseconds(Self.nanoseconds(signing.cpuTime)) }
        rates.record(renewal ? .refreshed : .issued, at: now())
    }

    private func signingTimer(_ algorithm: String) -> CoreMetrics.Timer {
        handles.signing.cached(algorithm) {
            CoreMetrics.Timer(label: Self.signingTimeLabel, dimensions: [("alg", algorithm)], factory: factory)
        }
    }

    /// Whole nanoseconds of a non-negative duration below about 292 years; 0 otherwise.
    static func nanoseconds(_ duration: Duration) -> Int64 {
        let (seconds, attoseconds) = duration.components
        guard seconds >= 0, seconds < Int64.max / 1_000_000_000 - 1 else { return 0 }
        return seconds * 1_000_000_000 + attoseconds / 1_000_000_000
    }

    /// Counts a refused token request or authentication, by OAuth error code.
    public func tokenFailed(_ code: String) {
        counter("machineauth_token_failures_total", [("error", code)]).increment()
        rates.record(.failed, at: now())
    }

    /// Counts a token validation (introspection, verification, gateway) by result.
    public func tokenValidated(active: Bool) {
        counter("machineauth_token_validations_total", [("result", active ? "active" : "inactive")]).increment()
    }

    /// Counts an HTTP request and records its latency, by route pattern and status.
    public func request(route: String, method: String, status: Int, duration: Duration) {
        let handles = handles.requests.cached(RequestKey(route: route, method: method, status: status)) {
            (
                Counter(label: "machineauth_http_requests_total", dimensions: [("route", route), ("method", method), ("status", String(status))],
                        factory: factory),
                CoreMetrics.Timer(label: "machineauth_http_request_duration_seconds", dimensions: [("route", route)], factory: factory))
        }
        handles.0.increment()
        handles.1.recordNanoseconds(Self.nanoseconds(duration))
    }

    /// Counts a forward-auth decision by outcome and status.
    public func gatewayDecision(allowed: Bool, status: Int) {
        counter("machineauth_gateway_decisions_total", [("decision", allowed ? "allow" : "deny"), ("status", String(status))]).increment()
    }

    /// Counts a webhook delivery attempt by outcome.
    public func webhookDelivery(_ outcome: String) {
        counter("machineauth_webhook_deliveries_total", [("outcome", outcome)]).increment()
    }
}

/// Metric handles by label and dimensions.
final class HandleCache: Sendable {
    let counters = Mutex<[HandleKey: Counter]>([:])
    let requests = Mutex<[RequestKey: (Counter, CoreMetrics.Timer)]>([:])
    let signing = Mutex<[String: CoreMetrics.Timer]>([:])
}

extension Mutex {
    /// The handle cached under `key`, made (outside the lock) and cached on first use; two
    /// callers racing on first use both make one, and the later one is kept (handles of one
    /// label and dimensions share their storage in the registry).
    func cached<Key: Hashable & Sendable, Handle: Sendable>(_ key: Key, make: () -> Handle) -> Handle where Value == [Key: Handle] {
        if let cached = withLock({ $0[key] }) { return cached }
        let made = make()
        withLock { $0[key] = made }
        return made
    }
}

/// A metric label with its dimension values, in order.
struct HandleKey: Hashable {
    var label: String
    var values: [String]
}

/// One route, method and status of the request metrics.
struct RequestKey: Hashable {
    var route: String
    var method: String
    var status: Int
}
