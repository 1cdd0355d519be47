public import MachineAuthCore

/// The `postgres` storage stage: PostgreSQL for production and for several instances sharing
/// one database. Chosen by `storage.type: postgres` or a `postgres://` / `postgresql://` URL.
public enum PostgresStorageFactory: StorageFactory {
    public static let type = "postgres"
    public static let summary = "PostgreSQL; transactions, migrations, LISTEN/NOTIFY for several instances"
    public static let urlSchemes = ["postgres", "postgresql"]

    /// Options of the `postgres` storage stage.
    public struct Config: Decodable, Sendable {
        /// `postgres://user:password@host:5432/database?sslmode=require`
        public var url: String
        /// Largest number of connections per instance. Default 10.
        public var poolSize: Int
        public var connectTimeout: ConfigDuration
        /// How long start-up keeps retrying an unreachable database. Default 30s.
        public var startupTimeout: ConfigDuration
        /// `disable`, `prefer` or `require`; overrides `sslmode` in the URL.
        public var sslmode: PostgresURL.SSLMode?

        enum CodingKeys: String, CodingKey {
            case url, sslmode
            case poolSize = "pool_size", connectTimeout = "connect_timeout", startupTimeout = "startup_timeout"
        }

        public init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            url = try container.decode(String.self, forKey: .url)
            poolSize = try container.decodeIfPresent(Int.self, forKey: .poolSize) ?? 10
            connectTimeout = try container.decodeIfPresent(ConfigDuration.self, forKey: .connectTimeout) ?? ConfigDuration(seconds: 5)
            startupTimeout = try container.decodeIfPresent(ConfigDuration.self, forKey: .startupTimeout) ?? ConfigDuration(seconds: 30)
            sslmode = try container.decodeIfPresent(PostgresURL.SSLMode.self, forKey: .sslmode)
        }
    }

    public static func validate(_ config: Config) -> [StageConfigProblem] {
        var problems: [StageConfigProblem] = []
        do {
            _ = try PostgresURL(config.url)
        } catch {
            problems.append(StageConfigProblem(keyPath: "url", error.message))
        }
        if !(1...500).contains(config.poolSize) { problems.append(StageConfigProblem(keyPath: "pool_size", "must be between 1 and 500")) }
        if config.connectTimeout.seconds < 1 { problems.append(StageConfigProblem(keyPath: "connect_timeout", "must be at least 1s")) }
        return problems
    }

    public static func makeStorage(config: Config, context: StorageContext) async throws -> any Storage {
        var url = try PostgresURL(config.url)
        if let sslmode = config.sslmode { url.sslmode = sslmode }
        return PostgresStorage(url: url, poolSize: config.poolSize, connectTimeout: config.connectTimeout.seconds,
                               startupTimeout: config.startupTimeout.seconds, logger: context.logger)
    }
}
