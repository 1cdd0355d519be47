public import AsyncHTTPClient
public import NIOCore
import NIOHTTP1

/// Sends `HTTPClientRequest`s with the agent's fresh token for one (scope, resource, audience):
///
/// ```swift
/// let api = client.authorized(resource: ["https://api.example.com"])
/// var request = HTTPClientRequest(url: "https://api.example.com/v1/orders")
/// let response = try await api.execute(request)   // Authorization: Bearer <fresh token>
/// ```
///
/// On a 401 the token is dropped and the request sent once more with a new one; a second 401 is
/// returned as it is. The request is sent twice then, so its body must be replayable: bytes, a
/// collection, or a stream that can be iterated again.
public struct AuthorizedClient: Sendable {
    public let client: MachineAuthClient
    let httpClient: HTTPClient
    let key: TokenKey

    /// Requests through `httpClient` with `client`'s tokens for these parameters (see `MachineAuthClient.token`).
    public init(
        client: MachineAuthClient, httpClient: HTTPClient = .shared, scope: [String] = [], resource: [String] = [],
        audience: String? = nil
    ) {
        self.client = client
        self.httpClient = httpClient
        self.key = TokenKey(scope: scope, resource: resource, audience: audience)
    }

    /// Executes `request` with `Authorization: Bearer <token>` (replacing one it had).
    public func execute(_ request: HTTPClientRequest, timeout: TimeAmount = .seconds(30)) async throws -> HTTPClientResponse {
        var token = try await client.tokens.token(for: key)
        let response = try await attempt(request, token: token, timeout: timeout)
        guard response.status == .unauthorized else { return response }
        for try await _ in response.body {}  // read the refusal so the connection can be reused
        await client.tokens.invalidate(key, accessToken: token.accessToken)
        token = try await client.tokens.token(for: key)
        return try await attempt(request, token: token, timeout: timeout)
    }

    private func attempt(_ request: HTTPClientRequest, token: AccessToken, timeout: TimeAmount) async throws -> HTTPClientResponse {
        var request = request
        request.headers.replaceOrAdd(name: "Authorization", value: "Bearer " + token.accessToken)
        return try await httpClient.execute(request, timeout: timeout)
    }
}

extension MachineAuthClient {
    /// An `AuthorizedClient` sending this agent's tokens for these parameters.
    public func authorized(
        httpClient: HTTPClient = .shared, scope: [String] = [], resource: [String] = [], audience: String? = nil
    ) -> AuthorizedClient {
        AuthorizedClient(client: self, httpClient: httpClient, scope: scope, resource: resource, audience: audience)
    }
}
