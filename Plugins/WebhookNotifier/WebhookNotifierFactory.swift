public import MachineAuthCore

/// The `webhooks` notifier stage: a durable outbox of signed webhook deliveries sent by a
/// pool of workers, with retries, delivery history and auto-disable. Without this stage the
/// webhook API answers 404 and nothing is sent.
public enum WebhookNotifierFactory: NotifierFactory {
    public static let type = "webhooks"
    public static let summary = "signed webhook deliveries (Standard Webhooks) from a durable outbox, with retries"

    /// Options of the `webhooks` stage.
    public struct Config: Decodable, Sendable {
        /// Concurrent deliveries per instance (`WEBHOOK_WORKER_COUNT`). Default 3.
        public var workers: Int
        /// Default retries after the first attempt for new webhooks (`WEBHOOK_MAX_RETRIES`). Default 10.
        public var maxRetries: Int
        /// Per-request timeout (`WEBHOOK_TIMEOUT_SECS`). Default 10s.
        public var timeout: ConfigDuration
        /// Delay before the first retry; later ones grow by the webhook's `retry_backoff_base`. Default 1s.
        public var retryInitialDelay: ConfigDuration
        /// Longest delay between retries. Default 1h.
        public var retryMaxDelay: ConfigDuration
        /// Send to private, loopback and link-local addresses (`WEBHOOK_ALLOW_PRIVATE_TARGETS`). Default false.
        public var allowPrivateTargets: Bool
        /// Consecutive dead deliveries after which a webhook is disabled. Default 5.
        public var disableAfterDeadDeliveries: Int
        /// How often idle workers look for due deliveries (other instances' events, retries). Default 500ms.
        public var pollInterval: ConfigDuration
        /// How long a claimed delivery stays leased; a crashed instance's work is taken over after it. Default 60s.
        public var lease: ConfigDuration

        enum CodingKeys: String, CodingKey {
            case workers, timeout, lease
            case maxRetries = "max_retries", retryInitialDelay = "retry_initial_delay", retryMaxDelay = "retry_max_delay"
            case allowPrivateTargets = "allow_private_targets", disableAfterDeadDeliveries = "disable_after_dead_deliveries"
            case pollInterval = "poll_interval"
        }

        public init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            workers = try container.decodeIfPresent(Int.self, forKey: .workers) ?? 3
            maxRetries = try container.decodeIfPresent(Int.self, forKey: .maxRetries) ?? 10
            timeout = try container.decodeIfPresent(ConfigDuration.self, forKey: .timeout) ?? ConfigDuration(seconds: 10)
            retryInitialDelay = try container.decodeIfPresent(ConfigDuration.self, forKey: .retryInitialDelay) ?? ConfigDuration(seconds: 1)
            retryMaxDelay = try container.decodeIfPresent(ConfigDuration.self, forKey: .retryMaxDelay) ?? ConfigDuration(seconds: 3600)
            allowPrivateTargets = try container.decodeIfPresent(Bool.self, forKey: .allowPrivateTargets) ?? false
            disableAfterDeadDeliveries = try container.decodeIfPresent(Int.self, forKey: .disableAfterDeadDeliveries) ?? 5
            pollInterval = try container.decodeIfPresent(ConfigDuration.self, forKey: .pollInterval) ?? ConfigDuration(milliseconds: 500)
            lease = try container.decodeIfPresent(ConfigDuration.self, forKey: .lease) ?? ConfigDuration(seconds: 60)
        }
    }

    public static func validate(_ config: Config) -> [StageConfigProblem] {
        var problems: [StageConfigProblem] = []
        if !(1...64).contains(config.workers) { problems.append(StageConfigProblem(keyPath: "workers", "must be between 1 and 64")) }
        if !(0...50).contains(config.maxRetries) { problems.append(StageConfigProblem(keyPath: "max_retries", "must be between 0 and 50")) }
        if config.timeout.milliseconds < 100 { problems.append(StageConfigProblem(keyPath: "timeout", "must be at least 100ms")) }
        if config.lease.milliseconds <= config.timeout.milliseconds {
            problems.append(StageConfigProblem(keyPath: "lease", "must be longer than timeout"))
        }
        if config.disableAfterDeadDeliveries < 1 { problems.append(StageConfigProblem(keyPath: "disable_after_dead_deliveries", "must be at least 1")) }
        return problems
    }

    public static func makeNotifier(config: Config, context: StageContext) async throws -> any Notifier {
        WebhookNotifier(config: config, storage: context.webhooks, feed: context.changeFeed, secrets: context.secretBox, telemetry: context.telemetry,
                        logger: context.logger, now: context.now)
    }
}
