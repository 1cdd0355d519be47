import AsyncHTTPClient
import Foundation
import MachineAuthCore
import Logging
import NIOCore
import NIOHTTP1
import Synchronization

/// Sends one signed delivery: checks the target's resolved addresses and connects to the one
/// it checked, does not follow redirects, times out, and reports status and latency — never
/// the remote error text (which would make the webhook API a port scanner).
struct WebhookSender: Sendable {
    enum Result: Sendable {
        case delivered(status: Int, latencyMilliseconds: Int)
        case failed(status: Int?, latencyMilliseconds: Int, error: String)
        /// Not sent and never to be retried (a forbidden target).
        case refused(String)
    }

    let client: HTTPClient
    let timeout: ConfigDuration
    let allowPrivateTargets: Bool
    /// Where the reason of a refused target goes (never into the delivery's history).
    let logger: Logger

    func send(_ delivery: WebhookDelivery, to webhook: Webhook, secret: String, at time: Date) async -> Result {
        let url: URL
        do {
            url = try TargetGuard.validate(webhook.url)
        } catch {
            return .refused(error.message)
        }
        var pinned: HTTPClient?
        if !allowPrivateTargets {
            guard let host = url.host else { return .refused("the URL names no host") }
            let log: @Sendable (String) -> Void = { [logger] in logger.warning("\($0) (webhook \(webhook.id))") }
            let decision = await Self.within(.milliseconds(Int64(timeout.milliseconds))) { await TargetGuard.decide(host: host, log: log) }
            switch decision ?? {
                log("webhook target \(host) did not resolve within \(timeout.milliseconds) ms")
                return .refuse(TargetGuard.refusal)
            }() {
            case .refuse(let reason):
                return .refused(reason)
            case .connect(let address) where IPAddressRange.parse(host) == nil:
                var configuration = Self.configuration(timeout: timeout)
                configuration.dnsOverride = [host: address]
                pinned = HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
            case .connect:
                break
            }
        }
        let result = await post(delivery, to: webhook, secret: secret, at: time, using: pinned ?? client)
        try? await pinned?.shutdown()
        return result
    }

    /// `operation`'s result, or `nil` once `limit` has passed (a name server that does not answer
    /// must not hold a delivery, or an administrator's test send, for the resolver's own timeouts).
    static func within<T: Sendable>(_ limit: Duration, _ operation: @escaping @Sendable () async -> T) async -> T? {
        let first = FirstAnswer<T?>()
        return await withCheckedContinuation { continuation in
            first.wait(continuation)
            Task { first.answer(await operation()) }
            Task {
                try? await Task.sleep(for: limit)
                first.answer(nil)
            }
        }
    }

    /// Resumes a continuation with the first answer it gets; later ones are dropped.
    final class FirstAnswer<Value: Sendable>: Sendable {
        private let waiting = Mutex<CheckedContinuation<Value, Never>?>(nil)

        func wait(_ continuation: CheckedContinuation<Value, Never>) {
            waiting.withLock { $0 = continuation }
        }

        func answer(_ value: Value) {
            waiting.withLock { continuation in
                continuation?.resume(returning: value)
                continuation = nil
            }
        }
    }

    /// The client settings of every delivery: no redirects, connect and read timeouts.
    static func configuration(timeout: ConfigDuration) -> HTTPClient.Configuration {
        let milliseconds = Int64(timeout.milliseconds)
        return HTTPClient.Configuration(
            redirectConfiguration: .disallow, timeout: .init(connect: .milliseconds(milliseconds), read: .milliseconds(milliseconds)))
    }

    private func post(_ delivery: WebhookDelivery, to webhook: Webhook, secret: String, at time: Date, using client: HTTPClient) async -> Result {
        let timestamp = Int(time.timeIntervalSince1970)
        var request = HTTPClientRequest(url: webhook.url)
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/json")
        request.headers.add(name: "User-Agent", value: "MachineAuth-Webhooks/\(MachineAuthVersion.current)")
        request.headers.add(name: "webhook-id", value: delivery.id)
        request.headers.add(name: "webhook-timestamp", value: String(timestamp))
        request.headers.add(name: "webhook-signature", value: StandardWebhooks.signature(secret: secret, id: delivery.id, timestamp: timestamp, body: delivery.payload))
        request.headers.add(name: "X-MachineAuth-Event", value: delivery.eventType)
        request.body = .bytes(ByteBuffer(string: delivery.payload))
        let started = ContinuousClock.now
        func elapsed() -> Int {
            let duration = started.duration(to: .now)
            return Int(duration.components.seconds * 1000 + duration.components.attoseconds / 1_000_000_000_000_000)
        }
        do {
            let response = try await client.execute(request, timeout: .milliseconds(Int64(timeout.milliseconds)))
            _ = try? await response.body.collect(upTo: 64 * 1024)
            let status = Int(response.status.code)
            if (200..<300).contains(status) { return .delivered(status: status, latencyMilliseconds: elapsed()) }
            let reason = (300..<400).contains(status) ? "redirect (\(status)) not followed" : "receiver answered \(status)"
            return .failed(status: status, latencyMilliseconds: elapsed(), error: reason)
        } catch {
            return .failed(status: nil, latencyMilliseconds: elapsed(), error: Self.describe(error))
        }
    }

    /// A fixed description of a failed attempt: whether a port is closed, filtered or speaks
    /// something else must not be readable from the API.
    static func describe(_ error: any Error) -> String {
        if let error = error as? HTTPClientError, error == .deadlineExceeded || error == .readTimeout || error == .connectTimeout {
            return "timed out"
        }
        return "the connection failed"
    }
}
