/// The stages compiled into this binary, looked up by `type:`. A value, not a global:
/// the executable fills one in a single place, tests build their own.
///
/// ```swift
/// var registry = StageRegistry()
/// registry.register(JSONStorageFactory.self)
/// ```
public struct StageRegistry: Sendable {
    public private(set) var authenticators: [String: StageBlueprint<any Authenticator, StageContext>] = [:]
    public private(set) var grants: [String: StageBlueprint<any GrantHandler, StageContext>] = [:]
    public private(set) var enrichers: [String: StageBlueprint<any ClaimEnricher, StageContext>] = [:]
    public private(set) var notifiers: [String: StageBlueprint<any Notifier, StageContext>] = [:]
    public private(set) var dpopVerifiers: [String: StageBlueprint<any DPoPVerifier, StageContext>] = [:]
    public private(set) var storages: [String: StageBlueprint<any Storage, StorageContext>] = [:]
    /// URL scheme → storage type.
    public private(set) var storageSchemes: [String: String] = [:]

    public init() {}

    public mutating func register<F: AuthenticatorFactory>(_ factory: F.Type) {
        authenticators[F.type] = StageBlueprint(factory, make: F.makeAuthenticator)
    }

    public mutating func register<F: GrantHandlerFactory>(_ factory: F.Type) {
        grants[F.type] = StageBlueprint(factory, make: F.makeGrant)
    }

    /// Registers a grant without options built by a closure (extension grants of embedding apps, tests).
    public mutating func registerGrant(
        type: String, summary: String = "", make: @escaping @Sendable (StageContext) async throws -> any GrantHandler
    ) {
        grants[type] = StageBlueprint(type: type, summary: summary, make: make)
    }

    public mutating func register<F: ClaimEnricherFactory>(_ factory: F.Type) {
        enrichers[F.type] = StageBlueprint(factory, make: F.makeEnricher)
    }

    public mutating func register<F: NotifierFactory>(_ factory: F.Type) {
        notifiers[F.type] = StageBlueprint(factory, make: F.makeNotifier)
    }

    public mutating func register<F: DPoPVerifierFactory>(_ factory: F.Type) {
        dpopVerifiers[F.type] = StageBlueprint(factory, make: F.makeVerifier)
    }

    public mutating func register<F: StorageFactory>(_ factory: F.Type) {
        storages[F.type] = StageBlueprint(factory, make: F.makeStorage)
        for scheme in F.urlSchemes { storageSchemes[scheme] = F.type }
    }

    /// Registers a notifier without options built by a closure (test doubles, embedding apps).
    public mutating func registerNotifier(
        type: String, summary: String = "", make: @escaping @Sendable (StageContext) async throws -> any Notifier
    ) {
        notifiers[type] = StageBlueprint(type: type, summary: summary, make: make)
    }

    /// Registers an enricher without options built by a closure.
    public mutating func registerEnricher(
        type: String, summary: String = "", make: @escaping @Sendable (StageContext) async throws -> any ClaimEnricher
    ) {
        enrichers[type] = StageBlueprint(type: type, summary: summary, make: make)
    }

    /// Every registered stage, by kind, for listings.
    public var catalog: [(kind: StageKind, type: String, summary: String)] {
        func rows<P, C>(_ kind: StageKind, _ map: [String: StageBlueprint<P, C>]) -> [(StageKind, String, String)] {
            map.values.sorted { $0.type < $1.type }.map { (kind, $0.type, $0.summary) }
        }
        return (rows(.storage, storages) + rows(.authenticator, authenticators) + rows(.grant, grants) + rows(.enricher, enrichers)
            + rows(.notifier, notifiers) + rows(.dpop, dpopVerifiers)).map { (kind: $0.0, type: $0.1, summary: $0.2) }
    }

    /// The kinds under which a stage `type` is registered (for "it belongs in another list" hints).
    public func kinds(of type: String) -> [StageKind] {
        var kinds: [StageKind] = []
        if storages[type] != nil { kinds.append(.storage) }
        if authenticators[type] != nil { kinds.append(.authenticator) }
        if grants[type] != nil { kinds.append(.grant) }
        if enrichers[type] != nil { kinds.append(.enricher) }
        if notifiers[type] != nil { kinds.append(.notifier) }
        if dpopVerifiers[type] != nil { kinds.append(.dpop) }
        return kinds
    }
}

/// The kinds of stage, as named in the YAML (`authenticators:`, `grants:`, `enrichers:`, …).
public enum StageKind: String, Sendable, CaseIterable {
    case storage, authenticator, grant, enricher, notifier, dpop

    /// The YAML section that lists stages of this kind.
    public var section: String {
        switch self {
        case .storage: return "storage"
        case .authenticator: return "authenticators"
        case .grant: return "grants"
        case .enricher: return "enrichers"
        case .notifier: return "notifiers"
        case .dpop: return "dpop"
        }
    }
}

/// A registered stage type: decodes its options and builds the stage from them.
public struct StageBlueprint<Product, Context>: Sendable {
    public let type: String
    public let summary: String
    let prepare: @Sendable (ConfigNode, String) -> (PreparedStage<Product, Context>?, [ConfigDiagnostic])

    init<F: StageFactory>(_ factory: F.Type, make: @escaping @Sendable (F.Config, Context) async throws -> Product) {
        self.type = F.type
        self.summary = F.summary
        self.prepare = { node, keyPath in
            var (config, diagnostics) = ConfigDecoder.decode(F.Config.self, from: node, keyPath: keyPath)
            guard let config, diagnostics.isEmpty else { return (nil, diagnostics) }
            for problem in F.validate(config) {
                diagnostics.append(ConfigDiagnostic(
                    location: node.location(of: problem.keyPath), keyPath: KeyPath.join(keyPath, problem.keyPath),
                    message: problem.message))
            }
            let prepared = PreparedStage<Product, Context>(type: F.type) { context in try await make(config, context) }
            return (diagnostics.isEmpty ? prepared : nil, diagnostics)
        }
    }
}

extension StageBlueprint {
    /// A stage without options (its YAML entry may hold only `type`).
    init(type: String, summary: String, make: @escaping @Sendable (Context) async throws -> Product) {
        self.type = type
        self.summary = summary
        self.prepare = { node, keyPath in
            let (_, diagnostics) = ConfigDecoder.decode(NoOptions.self, from: node, keyPath: keyPath)
            return (diagnostics.isEmpty ? PreparedStage(type: type, build: make) : nil, diagnostics)
        }
    }
}

/// The options of a stage that takes none: any key is reported as unknown.
struct NoOptions: Decodable {
    init(from decoder: any Decoder) throws {
        _ = try decoder.container(keyedBy: NoKeys.self)
    }

    enum NoKeys: CodingKey {}
}

/// A stage whose options decoded cleanly, ready to be built at start-up.
public struct PreparedStage<Product, Context>: Sendable {
    public let type: String
    let build: @Sendable (Context) async throws -> Product

    /// Builds the stage.
    public func make(_ context: Context) async throws -> Product {
        try await build(context)
    }
}

extension ConfigNode {
    /// The location of a dotted path below this node, list items as `name[index]`
    /// (`issuers[0].rules[1].subject`); the deepest node found when the rest is not.
    func location(of keyPath: String) -> SourceLocation {
        var node = self
        walk: for part in keyPath.split(separator: ".") {
            let pieces = part.split(separator: "[")
            guard let key = pieces.first, let next = node[String(key)] else { break }
            node = next
            for index in pieces.dropFirst() {
                guard index.hasSuffix("]"), let position = Int(index.dropLast()), case .sequence(let items) = node.kind,
                    items.indices.contains(position)
                else { break walk }
                node = items[position]
            }
        }
        return node.location
    }
}
