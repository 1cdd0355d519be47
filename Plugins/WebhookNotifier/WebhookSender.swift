import AsyncHTTPClient
import Foundation
import MachineAuthCore
import Logging
import NIOCore
import NIOHTTP1
import OutboundHTTP

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

    let http: GuardedHTTPClient
    let timeout: ConfigDuration
    /// Where the reason of a refused target goes (never into the delivery's history).
    let logger: Logger

    func send(_ delivery: WebhookDelivery, to webhook: Webhook, secret: String, at time: Date) async -> Result {
        let url: URL
        do {
            url = try TargetGuard.validate(webhook.url)
        } catch {
            return .refused(error.message)
        }
        let log: @Sendable (String) -> Void = { [logger] in logger.warning("webhook \($0) (webhook \(webhook.id))") }
        do {
            return try await http.withClient(for: url, log: log) { client in
                await post(delivery, to: webhook, secret: secret, at: time, using: client)
            }
        } catch let refused as GuardedHTTPClient.Refused {
            return .refused(refused.reason)
        } catch is GuardedHTTPClient.TimedOut {
            // The receiver answered too slowly (a trickled body): retried like any timeout.
            return .failed(status: nil, latencyMilliseconds: timeout.milliseconds, error: "timed out")
        } catch {
            return .failed(status: nil, latencyMilliseconds: timeout.milliseconds, error: Self.describe(error))
        }
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
