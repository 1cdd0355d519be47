/// Range checks for stored numbers (the JSON store's files, snapshot files), made before anything does
/// arithmetic with them: a hostile or damaged file is refused, never a trap later
/// (`tokenCount += 1` on `Int.max`, `maxRetries + 1`).
///
/// ```swift
/// if let problem = StoredRanges.problem(in: agent) { throw … }
/// ```
public enum StoredRanges {
    /// Usage counters and journal sequence numbers: far beyond any real count, far below overflow.
    public static let counter = 0...(1 << 53)
    /// Attempts and consecutive failures of webhook deliveries.
    public static let attempts = 0...1_000_000

    public static func problem(in agent: Agent) -> String? {
        let usage = agent.usage
        guard [usage.tokenCount, usage.refreshCount, usage.failedAuthCount].allSatisfy(counter.contains) else {
            return "agent \(agent.id) has a usage counter outside \(counter)"
        }
        return nil
    }

    public static func problem(in usage: UsageDelta, agent: String) -> String? {
        guard [usage.tokens, usage.refreshes, usage.failures].allSatisfy(counter.contains) else {
            return "usage of agent \(agent) is outside \(counter)"
        }
        return nil
    }

    public static func problem(in webhook: Webhook) -> String? {
        guard InputLimits.webhookRetries.contains(webhook.maxRetries), attempts.contains(webhook.consecutiveFails) else {
            return "webhook \(webhook.id) has max_retries or consecutive_fails out of range"
        }
        return nil
    }

    /// `max_token_lifetime` feeds the grant's time arithmetic (`exp - iat`): a stored value
    /// outside ``TrustedIssuer/maxTokenLifetimeRange`` is refused, never trusted.
    public static func problem(in issuer: TrustedIssuer) -> String? {
        guard issuer.maxTokenLifetime.map(TrustedIssuer.maxTokenLifetimeRange.contains) ?? true else {
            return "trusted issuer \(issuer.id) has max_token_lifetime outside \(TrustedIssuer.maxTokenLifetimeRange)"
        }
        return nil
    }

    public static func problem(in delivery: WebhookDelivery) -> String? {
        guard attempts.contains(delivery.attempts), attempts.contains(delivery.maxAttempts) else {
            return "webhook delivery \(delivery.id) has attempts or max_attempts out of range"
        }
        return nil
    }
}
