public import MachineAuthCore

/// The `audit` notifier stage: turns every domain event into an audit record, written before the
/// request returns (batched with concurrent ones) or buffered for `flush_interval`, and deletes
/// records older than the retention period.
public enum AuditSinkFactory: NotifierFactory {
    public static let type = "audit"
    public static let summary = "audit trail of every admin, agent and token operation (GET /api/audit-logs)"

    /// Options of the `audit` stage.
    public struct Config: Decodable, Sendable {
        /// How long records are kept. Default 90 days.
        public var retention: ConfigDuration
        /// Longest time a record waits in memory before it is written. Default 0: written before
        /// the request returns, so audit reads never miss a finished operation.
        public var flushInterval: ConfigDuration

        enum CodingKeys: String, CodingKey {
            case retention, flushInterval = "flush_interval"
        }

        public init(retention: ConfigDuration = ConfigDuration(seconds: 90 * 86400), flushInterval: ConfigDuration = ConfigDuration(seconds: 0)) {
            self.retention = retention
            self.flushInterval = flushInterval
        }

        public init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            retention = try container.decodeIfPresent(ConfigDuration.self, forKey: .retention) ?? ConfigDuration(seconds: 90 * 86400)
            flushInterval = try container.decodeIfPresent(ConfigDuration.self, forKey: .flushInterval) ?? ConfigDuration(seconds: 0)
        }
    }

    public static func validate(_ config: Config) -> [StageConfigProblem] {
        var problems: [StageConfigProblem] = []
        if config.retention.seconds < 3600 { problems.append(StageConfigProblem(keyPath: "retention", "must be at least 1h")) }
        if config.flushInterval.milliseconds < 0 || config.flushInterval.seconds > 60 {
            problems.append(StageConfigProblem(keyPath: "flush_interval", "must be between 0 (write before the request returns) and 60s"))
        }
        return problems
    }

    public static func makeNotifier(config: Config, context: StageContext) async throws -> any Notifier {
        AuditSink(store: context.audit, config: config, logger: context.logger, now: context.now)
    }
}
