public import AsyncHTTPClient
import NIOHTTP1

/// A MachineAuth client for an agent (client id and secret) or a resource server (an admin
/// token or API key for introspection), over AsyncHTTPClient.
///
/// ```swift
/// let client = try MachineAuthClient.fromEnvironment()
/// let token = try await client.token(scope: ["read"])   // cached, renewed before it expires
/// let me = try await client.agent.me()                   // the agent's own API, with its token
/// ```
///
/// The client is a cheap value: copies share one token cache and one set of credentials.
public struct MachineAuthClient: Sendable {
    /// Settings of a client; the defaults suit most agents.
    public struct Configuration: Sendable {
        /// The client the requests go through (default: AsyncHTTPClient's shared one).
        public var httpClient: HTTPClient
        /// Cached tokens are renewed this long before they expire (at most a fifth of their lifetime).
        public var renewBefore: Duration
        /// Retries of 429 and 503 answers.
        public var retry: RetryPolicy
        /// The longest wait for one answer.
        public var timeout: Duration

        public init(
            httpClient: HTTPClient = .shared, renewBefore: Duration = .seconds(60), retry: RetryPolicy = .standard,
            timeout: Duration = .seconds(10)
        ) {
            self.httpClient = httpClient
            self.renewBefore = renewBefore
            self.retry = retry
            self.timeout = timeout
        }
    }

    /// The server's base URL, without a trailing slash.
    public let baseURL: String
    /// The agent's client id (nil for a client with only an admin token).
    public var clientID: String? { transport.credentials.clientID }
    /// What the agent does with its own token: `me()`, `usage()`, `rotate()`, `deactivate()` …
    public var agent: AgentAPI { AgentAPI(client: self) }

    let transport: Transport
    let tokens: TokenCache

    /// An agent's client with a fixed secret.
    public init(baseURL: String, clientID: String, clientSecret: String, configuration: Configuration = .init()) {
        self.init(baseURL: baseURL, clientID: clientID, secret: SecretSource { clientSecret }, adminToken: nil, configuration: configuration)
    }

    /// An agent's client whose secret is read at every token request (a mounted file, a secrets
    /// manager), so a secret rotated elsewhere is used at the next re-authentication.
    public init(
        baseURL: String, clientID: String, clientSecret: @escaping @Sendable () async throws -> String,
        configuration: Configuration = .init()
    ) {
        self.init(baseURL: baseURL, clientID: clientID, secret: SecretSource(current: clientSecret), adminToken: nil, configuration: configuration)
    }

    /// A client with administrator credentials — an organization API key (`sk_…`) or an admin
    /// session token — for a resource server that introspects or revokes any agent's tokens.
    public init(baseURL: String, adminToken: String, configuration: Configuration = .init()) {
        self.init(baseURL: baseURL, clientID: nil, secret: nil, adminToken: adminToken, configuration: configuration)
    }

    /// A workload's client without client credentials (workload identity federation): every token
    /// request exchanges the platform token `workloadIdentity` gives at that moment by the
    /// `jwt-bearer` grant; the server's trusted-issuer rules name the agent.
    ///
    /// ```swift
    /// let client = MachineAuthClient(baseURL: url, workloadIdentity: .file("/var/run/secrets/machineauth/token"))
    /// ```
    public init(baseURL: String, workloadIdentity: WorkloadIdentity, configuration: Configuration = .init()) {
        self.init(baseURL: baseURL, clientID: nil, secret: nil, adminToken: nil, workload: workloadIdentity, configuration: configuration)
    }

    /// A workload's client whose platform token is read from `assertionFile` at every token request.
    public init(baseURL: String, assertionFile: String, configuration: Configuration = .init()) {
        self.init(baseURL: baseURL, workloadIdentity: .file(assertionFile), configuration: configuration)
    }

    private init(
        baseURL: String, clientID: String?, secret: SecretSource?, adminToken: String?, workload: WorkloadIdentity? = nil,
        configuration: Configuration
    ) {
        var base = baseURL
        while base.hasSuffix("/") { base.removeLast() }
        self.baseURL = base
        let transport = Transport(
            baseURL: base, httpClient: configuration.httpClient, retry: configuration.retry, timeout: configuration.timeout,
            credentials: CredentialStore(clientID: clientID, secret: secret, adminToken: adminToken, workload: workload))
        self.transport = transport
        self.tokens = TokenCache(renewBefore: configuration.renewBefore) { key in
            AccessToken(try await transport.send(try await transport.grantCall(key)))
        }
    }

    // MARK: Tokens

    /// A valid access token from the cache, asking the server only when there is none or it is
    /// due for renewal; concurrent callers share one request (and its error).
    ///
    /// - Parameters:
    ///   - scope: Scopes to ask for (none: all the agent's). `["read write"]` and `["write", "read"]` share a token.
    ///   - resource: RFC 8707 resource indicators: whom the token is for (its `aud`); each must
    ///     be among the agent's `allowed_audiences`.
    ///   - audience: The audience, for servers that name it so.
    public func token(scope: [String] = [], resource: [String] = [], audience: String? = nil) async throws -> AccessToken {
        try await tokens.token(for: TokenKey(scope: scope, resource: resource, audience: audience))
    }

    /// A new token by the `client_credentials` grant (a workload: `jwt-bearer`), bypassing (and not filling) the cache.
    public func requestToken(scope: [String] = [], resource: [String] = [], audience: String? = nil) async throws -> AccessToken {
        let key = TokenKey(scope: scope, resource: resource, audience: audience)
        return AccessToken(try await transport.send(try await transport.grantCall(key)))
    }

    /// Drops the cached token of these parameters — only if it is still `accessToken`, when
    /// given (say a resource server refused it); the next `token(…)` asks for a new one.
    public func invalidateToken(_ accessToken: String? = nil, scope: [String] = [], resource: [String] = [], audience: String? = nil) async {
        await tokens.invalidate(TokenKey(scope: scope, resource: resource, audience: audience), accessToken: accessToken)
    }

    /// RFC 7662 introspection. With admin credentials any token the caller may see; with the
    /// agent's client credentials only its own (any other answers `active: false`).
    public func introspect(_ token: String, tokenTypeHint: String? = nil) async throws -> Introspection {
        Introspection(try await transport.send(tokenCall("/oauth/introspect", token, tokenTypeHint)))
    }

    /// RFC 7009 revocation: an access token is refused from now until it expires, a refresh
    /// token revokes its whole grant. Unknown tokens are accepted silently, as the RFC says.
    public func revoke(_ token: String, tokenTypeHint: String? = nil) async throws {
        _ = try await transport.send(tokenCall("/oauth/revoke", token, tokenTypeHint))
    }

    /// RFC 8414 metadata of the server: its issuer, endpoints and signing algorithms.
    public func metadata() async throws -> ServerMetadata {
        ServerMetadata(try await transport.send(Call(method: .GET, path: "/.well-known/oauth-authorization-server", authentication: .none)))
    }

    private func tokenCall(_ path: String, _ token: String, _ hint: String?) -> Call {
        var form = [("token", token)]
        if let hint { form.append(("token_type_hint", hint)) }
        return Call(method: .POST, path: path, authentication: .adminOrClient, form: form)
    }

    // MARK: Calls with the agent's token

    /// Sends `call` with the agent's token for MachineAuth's own API; on a 401 the token is
    /// dropped and the call sent once more with a new one (a second refusal is thrown).
    func sendAsAgent(_ call: Call) async throws -> JSONValue {
        var token = try await tokens.token(for: .agentAPI)
        var answer = try await transport.exchange(call, authorization: "Bearer " + token.accessToken)
        if answer.status == 401 {
            await tokens.invalidate(.agentAPI, accessToken: token.accessToken)
            token = try await tokens.token(for: .agentAPI)
            answer = try await transport.exchange(call, authorization: "Bearer " + token.accessToken)
        }
        return try transport.decode(answer, of: call)
    }

    /// Uses `secret` from now on and forgets the tokens of the old one.
    func replaceSecret(_ secret: String) async {
        transport.credentials.replaceSecret(secret)
        await tokens.clear()
    }
}

extension Transport {
    /// The token request for `key`: `client_credentials` with the agent's credentials, or for a
    /// workload the `jwt-bearer` grant with its platform token of this moment.
    func grantCall(_ key: TokenKey) async throws -> Call {
        if let workload = credentials.workload {
            return Call(method: .POST, path: "/oauth/token", authentication: .none, form: try await workload.grantForm(key))
        }
        return Call(method: .POST, path: "/oauth/token", authentication: .client, form: key.grantForm)
    }

    /// Sends a call that does not use the agent's token and decodes its answer.
    func send(_ call: Call) async throws -> JSONValue {
        try decode(try await exchange(call, authorization: try await authorization(for: call.authentication)), of: call)
    }
}
