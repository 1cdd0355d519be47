public import AsyncHTTPClient
public import Foundation
public import MachineAuthCore
public import NIOCore

/// An HTTP client for URLs someone else chose: unless private targets are allowed, the host
/// is checked by ``TargetGuard`` and the request connects to exactly the checked address; no
/// redirects are followed; connect and read time out. Used for webhook deliveries and for
/// fetching JWK Sets and OIDC discovery documents. Each call has a client of its own, shut
/// down when the call ends, so nothing outlives it and no pool is shared between targets.
///
/// ```swift
/// let http = GuardedHTTPClient(timeout: .seconds(5), allowPrivateTargets: false)
/// let status = try await http.withClient(for: url, log: { logger.warning("\($0)") }) { client in
///     try await client.execute(request, timeout: http.timeout).status
/// }
/// ```
public struct GuardedHTTPClient: Sendable {
    /// Connect, read and whole-request timeout.
    public let timeout: TimeAmount
    public let allowPrivateTargets: Bool

    public init(timeout: ConfigDuration, allowPrivateTargets: Bool) {
        self.timeout = .milliseconds(Int64(timeout.milliseconds))
        self.allowPrivateTargets = allowPrivateTargets
    }

    /// A URL that may not be connected to; `reason` is safe to show (it never says why exactly).
    public struct Refused: Error, Sendable, Equatable {
        public let reason: String
    }

    /// The whole exchange, response body included, took longer than ``timeout`` (a server that
    /// trickles its body byte by byte is cut off, not waited for).
    public struct TimedOut: Error, Sendable {}

    /// Runs `body` with a client that may only reach `url`'s checked address; throws ``Refused``
    /// when the host is internal or does not resolve in time, ``TimedOut`` when `body` outlasts
    /// ``timeout``. The reason of a refusal goes to `log` only.
    public func withClient<T: Sendable>(
        for url: URL, log: @escaping @Sendable (String) -> Void, _ body: @escaping @Sendable (HTTPClient) async throws -> T
    ) async throws -> T {
        guard !allowPrivateTargets else { return try await run(body, dnsOverride: [:]) }
        guard let host = url.host, !host.isEmpty else { throw Refused(reason: "the URL names no host") }
        let limit = Duration.nanoseconds(timeout.nanoseconds)
        let decision = await Deadline.within(limit) { await TargetGuard.decide(host: host, log: log) } ?? {
            log("target \(host) did not resolve in time")
            return .refuse(TargetGuard.refusal)
        }()
        let address: String
        switch decision {
        case .refuse(let reason): throw Refused(reason: reason)
        case .connect(let checked): address = checked
        }
        // A literal was checked as it is: nothing to pin.
        let isLiteral = IPAddressRange.parse(host.hasPrefix("[") ? String(host.dropFirst().dropLast()) : host) != nil
        return try await run(body, dnsOverride: isLiteral ? [:] : [host: address])
    }

    /// `body` with a new client (connecting to `dnsOverride`'s addresses) within ``timeout``,
    /// the client shut down after. At the deadline the client is shut down, which fails whatever
    /// it still reads, so `body` cannot outlive it.
    private func run<T: Sendable>(_ body: @escaping @Sendable (HTTPClient) async throws -> T, dnsOverride: [String: String]) async throws -> T {
        var configuration = HTTPClient.Configuration(redirectConfiguration: .disallow, timeout: .init(connect: timeout, read: timeout))
        configuration.dnsOverride = dnsOverride
        let client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
        let limit = Duration.nanoseconds(timeout.nanoseconds)
        defer { Task { try? await client.shutdown() } }
        return try await withThrowingTaskGroup(of: T?.self) { group in
            group.addTask { try await body(client) }
            group.addTask {
                try await Task.sleep(for: limit)
                try? await client.shutdown()
                return nil
            }
            defer { group.cancelAll() }
            while let outcome = try await group.next() {
                if let result = outcome { return result }
                throw TimedOut()
            }
            throw TimedOut()
        }
    }
}
