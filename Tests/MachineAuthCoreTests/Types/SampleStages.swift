import MachineAuthCore
import MachineAuthTesting

/// A test enricher with a config that exercises every decoding path.
enum SampleEnricherFactory: ClaimEnricherFactory {
    static let type = "sample"
    static let summary = "test enricher"

    struct Config: Decodable, Sendable {
        enum Mode: String, ConfigChoice { case fast, safe }
        struct Nested: Decodable, Sendable {
            var depth: Int
            var label: String?
        }

        var count: Int
        var enabled: Bool?
        var mode: Mode?
        var timeout: ConfigDuration?
        var names: [String]?
        var nested: Nested?
        var claims: [String: String]?
    }

    static func validate(_ config: Config) -> [StageConfigProblem] {
        config.count > 100 ? [StageConfigProblem(keyPath: "count", "must be at most 100")] : []
    }

    static func makeEnricher(config: Config, context: StageContext) async throws -> any ClaimEnricher {
        SampleEnricher(count: config.count)
    }
}

struct SampleEnricher: ClaimEnricher {
    let count: Int

    func enrich(_ claims: inout TokenClaims, for request: TokenRequest) async throws {
        try claims.set("sample_count", .int(count))
    }
}

extension StageRegistry {
    /// The JSON storage driver and the sample enricher.
    static var withSample: StageRegistry {
        ConfigFixtures.registry { $0.register(SampleEnricherFactory.self) }
    }
}
