/// Loads a pipeline configuration: YAML → interpolation → core sections and stages decoded
/// with the registry, collecting every problem before failing.
///
/// ```swift
/// let pipeline = try PipelineLoader(registry: .standard).load(.file("config/machineauth.yaml"))
/// ```
public struct PipelineLoader: Sendable {
    /// Top-level sections MachineAuth understands.
    public static let sections = [
        "server", "admin", "tokens", "security", "storage", "authenticators", "grants", "enrichers", "notifiers", "dpop", "gateway", "provision",
    ]

    public var registry: StageRegistry

    public init(registry: StageRegistry) {
        self.registry = registry
    }

    /// Loads `source`, reading `${VAR}` values from the process environment and its `.env` file.
    public func load(_ source: ConfigSource) throws(ConfigError) -> LoadedPipeline {
        let environment: ConfigEnvironment
        do {
            environment = try ConfigEnvironment.load(dotEnvFile: source.dotEnvPath)
        } catch {
            throw ConfigError([ConfigDiagnostic(
                location: SourceLocation(file: source.dotEnvPath ?? ".env", line: 1, column: 1), keyPath: "",
                message: "cannot read the .env file: \(error)")])
        }
        return try load(source, environment: environment)
    }

    /// Loads `source` with an explicit environment (tests).
    public func load(_ source: ConfigSource, environment: ConfigEnvironment) throws(ConfigError) -> LoadedPipeline {
        let raw = try YAMLComposer.compose(source.text, file: source.name)
        var diagnostics: [ConfigDiagnostic] = []
        let document = Interpolator(environment: environment).expand(raw, into: &diagnostics)
        guard let entries = document.entries ?? (document.isNull ? [] : nil) else {
            throw ConfigError([ConfigDiagnostic(location: document.location, keyPath: "", message: "the configuration must be a mapping of sections")])
        }
        for entry in entries where !Self.sections.contains(entry.key) {
            var message = "unknown section \"\(entry.key)\""
            if let guess = Suggestion.closest(to: entry.key, in: Self.sections) { message += "; did you mean \"\(guess)\"?" }
            diagnostics.append(ConfigDiagnostic(
                location: entry.keyLocation, keyPath: entry.key,
                message: message + " (valid sections: \(Self.sections.joined(separator: ", ")))"))
        }
        var reader = SectionReader(document: document, diagnostics: diagnostics, registry: registry)
        let server = reader.section("server", ServerSettings.self, validate: ServerSettings.validate)
        let admin = reader.section("admin", AdminSettings.self, validate: AdminSettings.validate)
        let tokens = reader.section("tokens", TokenSettings.self, validate: TokenSettings.validate)
        let security = reader.section("security", SecuritySettings.self, validate: SecuritySettings.validate)
        let gateway = reader.section("gateway", GatewaySettings.self, validate: GatewaySettings.validate)
        if server?.environment == .production, security?.allowInsecureIssuers == true {
            let node = document["security"]?["allow_insecure_issuers"]
            reader.diagnostics.append(ConfigDiagnostic(
                location: node?.location ?? document.location, keyPath: "security.allow_insecure_issuers",
                message: "is for development and tests only (http and private-address issuer and key URLs); refused with server.environment production"))
        }
        let storage = reader.storage(registry)
        let authenticators = reader.stageList(.authenticator, registry.authenticators)
        let grants = reader.stageList(.grant, registry.grants)
        let enrichers = reader.stageList(.enricher, registry.enrichers)
        let notifiers = reader.stageList(.notifier, registry.notifiers)
        let dpop = reader.singleStage(.dpop, registry.dpopVerifiers)
        var provision: ProvisionDocument?
        if let node = document["provision"] {
            var parser = ProvisionParser(environment: environment, baseDirectory: source.directory)
            parser.read(node, path: "provision", allowInclude: true)
            parser.check()
            reader.diagnostics += parser.diagnostics
            provision = parser.document
        }

        guard reader.diagnostics.isEmpty, let server, let admin, let tokens, let security, let gateway, let storage else {
            throw ConfigError(Self.firstPerLocation(reader.diagnostics))
        }
        return LoadedPipeline(
            source: source.name,
            settings: CoreSettings(server: server, admin: admin, tokens: tokens, security: security, gateway: gateway),
            effectiveDocument: document, storage: storage, authenticators: authenticators, grants: grants,
            enrichers: enrichers, notifiers: notifiers, dpop: dpop, provision: provision)
    }
}

extension PipelineLoader {
    /// Reads a standalone provision file (the shape of the `provision:` section, or a pipeline
    /// configuration that has one), for `machineauth apply FILE`.
    /// `readsFiles: false` refuses `include:` and `*_file:` (a document a client sent to the server).
    public static func loadProvision(_ source: ConfigSource, environment: ConfigEnvironment, readsFiles: Bool = true) throws(ConfigError) -> ProvisionDocument {
        let raw = try YAMLComposer.compose(source.text, file: source.name)
        var diagnostics: [ConfigDiagnostic] = []
        let document = Interpolator(environment: environment).expand(raw, into: &diagnostics)
        var parser = ProvisionParser(environment: environment, baseDirectory: source.directory)
        parser.readsFiles = readsFiles
        if let section = document["provision"] {
            parser.read(section, path: "provision", allowInclude: true)
        } else {
            parser.read(document, path: "", allowInclude: true)
        }
        parser.check()
        let all = diagnostics + parser.diagnostics
        guard all.isEmpty else { throw ConfigError(firstPerLocation(all)) }
        return parser.document
    }

    /// Diagnostics in file order, one per position: a value that failed interpolation is not
    /// reported again by the decoder.
    static func firstPerLocation(_ diagnostics: [ConfigDiagnostic]) -> [ConfigDiagnostic] {
        var seen = Set<SourceLocation>()
        return diagnostics.filter { seen.insert($0.location).inserted }
            .sorted { ($0.location.line, $0.location.column) < ($1.location.line, $1.location.column) }
    }
}

extension ConfigNode {
    var isNull: Bool {
        if case .null = kind { return true }
        return false
    }
}
