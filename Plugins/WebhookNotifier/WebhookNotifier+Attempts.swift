import Foundation
import Logging
import MachineAuthCore

/// One delivery attempt of a claimed delivery: send, record the outcome, schedule the retry,
/// disable a webhook whose deliveries keep dying.
extension WebhookNotifier {
    /// One attempt at a claimed delivery; records the outcome and schedules a retry or ends it.
    func attempt(_ claimed: WebhookDelivery) async {
        var delivery = claimed
        let time = now()
        guard let webhook = try? await storage.webhook(id: delivery.webhookID), webhook.isActive else {
            delivery.status = .failed
            delivery.lastError = "the webhook was deleted or disabled"
            _ = try? await storage.finishDelivery(delivery, owner: owner)
            return
        }
        let result: WebhookSender.Result
        do {
            result = await sender.send(delivery, to: webhook, secret: try secrets.open(webhook.encryptedSecret), at: time)
        } catch {
            result = .refused("the webhook secret cannot be read: \(error)")
        }
        delivery.attempts += 1
        delivery.lastAttemptAt = time
        var consecutiveFails: Int?
        switch result {
        case .delivered(let status, let latency):
            delivery.status = .delivered
            delivery.deliveredAt = now()
            delivery.lastStatusCode = status
            delivery.lastError = nil
            delivery.history.append(DeliveryAttempt(at: time, statusCode: status, latencyMilliseconds: latency, error: nil))
            if webhook.consecutiveFails > 0 { consecutiveFails = 0 }
        case .failed(let status, let latency, let error):
            delivery.lastStatusCode = status
            delivery.lastError = error
            delivery.history.append(DeliveryAttempt(at: time, statusCode: status, latencyMilliseconds: latency, error: error))
            if delivery.attempts >= delivery.maxAttempts {
                delivery.status = .dead
                consecutiveFails = webhook.consecutiveFails + 1
            } else {
                delivery.status = .retrying
                delivery.nextAttemptAt = time.addingTimeInterval(backoff(after: delivery.attempts, base: webhook.retryBackoffBase))
            }
        case .refused(let reason):
            delivery.status = .failed
            delivery.lastError = reason
            delivery.history.append(DeliveryAttempt(at: time, statusCode: nil, latencyMilliseconds: 0, error: reason))
        }
        telemetry.webhookDelivery(delivery.status.rawValue)
        do {
            guard try await storage.finishDelivery(delivery, owner: owner) else {
                logger.warning("delivery \(delivery.id) was taken over by another instance before it finished")
                return
            }
        } catch {
            logger.error("recording delivery \(delivery.id) failed: \(error)")
        }
        if let consecutiveFails { await record(consecutiveFails: consecutiveFails, for: webhook) }
    }

    /// `retry_initial_delay × base^(retries − 1)`, ±25% jitter, capped at `retry_max_delay`.
    func backoff(after attempts: Int, base: Double) -> TimeInterval {
        let initial = Double(config.retryInitialDelay.milliseconds) / 1000
        let raw = initial * pow(max(1, base), Double(max(0, attempts - 1)))
        return min(Double(config.retryMaxDelay.milliseconds) / 1000, raw * Double.random(in: 0.75...1.25))
    }

    func record(consecutiveFails: Int, for webhook: Webhook) async {
        let limit = config.disableAfterDeadDeliveries
        let disabled = try? await storage.updateWebhook(id: webhook.id) { stored in
            stored.consecutiveFails = consecutiveFails
            if consecutiveFails >= limit, stored.isActive {
                stored.isActive = false
                stored.disabledReason = "disabled after \(consecutiveFails) consecutive dead deliveries"
            }
        }
        if disabled?.isActive == false { logger.warning("webhook \(webhook.id) disabled after \(consecutiveFails) consecutive dead deliveries") }
        subscriptionsChanged()
    }
}
