public import Logging

/// A compiled-in stage chosen by `type:` in the pipeline YAML.
///
/// Each stage decodes its own typed `Config` from its YAML node (without the `type` key).
/// Defaults are filled after decoding; ``validate(_:)`` adds checks decoding cannot express.
public protocol StageFactory: Sendable {
    associatedtype Config: Decodable & Sendable
    /// The `type:` value that selects the stage.
    static var type: String { get }
    /// One line for listings (`machineauth stages`).
    static var summary: String { get }
    /// Problems in a decoded config, each with an optional key path below the stage's node.
    static func validate(_ config: Config) -> [StageConfigProblem]
}

extension StageFactory {
    public static func validate(_ config: Config) -> [StageConfigProblem] { [] }
}

/// A problem found by ``StageFactory/validate(_:)``.
public struct StageConfigProblem: Sendable, Hashable {
    /// Key path below the stage node (`claims.exp`), or empty for the stage itself.
    public var keyPath: String
    public var message: String

    public init(keyPath: String = "", _ message: String) {
        self.keyPath = keyPath
        self.message = message
    }
}

/// Builds ``Authenticator`` stages.
public protocol AuthenticatorFactory: StageFactory {
    static func makeAuthenticator(config: Config, context: StageContext) async throws -> any Authenticator
}

/// Builds ``GrantHandler`` stages (the `grants:` list).
public protocol GrantHandlerFactory: StageFactory {
    static func makeGrant(config: Config, context: StageContext) async throws -> any GrantHandler
}

/// Builds ``ClaimEnricher`` stages.
public protocol ClaimEnricherFactory: StageFactory {
    static func makeEnricher(config: Config, context: StageContext) async throws -> any ClaimEnricher
}

/// Builds ``Notifier`` stages.
public protocol NotifierFactory: StageFactory {
    static func makeNotifier(config: Config, context: StageContext) async throws -> any Notifier
}

/// Builds the ``DPoPVerifier`` stage (the `dpop:` section: one stage, or none for no DPoP).
public protocol DPoPVerifierFactory: StageFactory {
    static func makeVerifier(config: Config, context: StageContext) async throws -> any DPoPVerifier
}

/// Builds ``Storage`` drivers; also chosen by the scheme of `storage.url` (`json:`, `postgres://`).
public protocol StorageFactory: StageFactory {
    /// URL schemes this driver serves, such as `["postgres", "postgresql"]`.
    static var urlSchemes: [String] { get }
    static func makeStorage(config: Config, context: StorageContext) async throws -> any Storage
}

/// What a storage driver is given when it is built.
public struct StorageContext: Sendable {
    public var logger: Logger
    /// `development` or `production`.
    public var environment: String

    public init(logger: Logger, environment: String) {
        self.logger = logger
        self.environment = environment
    }
}
