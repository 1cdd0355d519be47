public import MachineAuthCore

/// The `tls_client_auth` authenticator stage (RFC 8705 §2): a client proves who it is with the
/// certificate it presented to the TLS-terminating proxy — one its CA issued with the subject
/// the agent registered (`tls_client_auth`), or one the agent registered itself
/// (`self_signed_tls_client_auth`). The certificate arrives through `server.client_certificate_header`.
public enum TLSClientAuthenticatorFactory: AuthenticatorFactory {
    public static let type = "tls_client_auth"
    public static let summary = "client certificates over mutual TLS behind a proxy (RFC 8705 tls_client_auth, self_signed_tls_client_auth)"

    /// Options of the `tls_client_auth` stage.
    public struct Config: Decodable, Sendable {
        /// The methods offered (a list, or comma-separated text from the environment): both by default.
        public var methods: [String]

        enum CodingKeys: String, CodingKey { case methods }

        public init(methods: [String] = Self.allMethods) {
            self.methods = methods
        }

        public init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            methods = try container.decodeIfPresent(CommaSeparatedList.self, forKey: .methods)?.values ?? Self.allMethods
        }

        public static let allMethods = Agent.certificateMethods
    }

    public static func validate(_ config: Config) -> [StageConfigProblem] {
        var problems: [StageConfigProblem] = []
        if config.methods.isEmpty { problems.append(StageConfigProblem(keyPath: "methods", "must name at least one method")) }
        for (index, method) in config.methods.enumerated() where !Config.allMethods.contains(method) {
            problems.append(StageConfigProblem(
                keyPath: "methods[\(index)]", "unknown method \"\(method)\" (valid: \(Config.allMethods.joined(separator: ", ")))"))
        }
        if Set(config.methods).count != config.methods.count { problems.append(StageConfigProblem(keyPath: "methods", "names a method twice")) }
        return problems
    }

    public static func makeAuthenticator(config: Config, context: StageContext) async throws -> any Authenticator {
        TLSClientAuthenticator(
            methods: config.methods, agents: context.agents, readsCertificates: context.settings.server.readsClientCertificates, now: context.now)
    }
}
