/// An error of the SDK or an error answer of the server: the OAuth (or API) `error` code, its
/// `error_description` and, for answers, the HTTP status.
///
/// ```swift
/// do { _ = try await client.token(scope: ["admin"]) }
/// catch let error as MachineAuthError where error.status == 400 {
///     print(error.error, error.errorDescription)   // invalid_scope scope not granted to this client: admin
/// }
/// ```
public struct MachineAuthError: Error, Sendable, CustomStringConvertible {
    /// The machine-readable code: `invalid_client`, `invalid_scope`, `invalid_target`,
    /// `slow_down`, `not_found` …, or one of the SDK's own (`configuration_error`,
    /// `invalid_response`).
    public let error: String
    /// The human-readable `error_description`.
    public let errorDescription: String
    /// The HTTP status of the server's answer; `nil` when no answer is involved.
    public let status: Int?
    /// The request field at fault (validation errors of the REST API).
    public let field: String?
    /// How long the server asked to wait (429 and 503 with `Retry-After`).
    public let retryAfter: Duration?
    /// The server's `X-Request-Id`, to find the request in its log.
    public let requestID: String?
    /// The decoded error body, when the server sent JSON.
    public let body: JSONValue?

    public init(
        error: String, errorDescription: String, status: Int? = nil, field: String? = nil,
        retryAfter: Duration? = nil, requestID: String? = nil, body: JSONValue? = nil
    ) {
        self.error = error
        self.errorDescription = errorDescription
        self.status = status
        self.field = field
        self.retryAfter = retryAfter
        self.requestID = requestID
        self.body = body
    }

    /// The client lacks what a call needs (client credentials, an admin token, a setting).
    public static func configuration(_ description: String) -> MachineAuthError {
        MachineAuthError(error: "configuration_error", errorDescription: description)
    }

    /// The server answered something the client cannot read.
    static func invalidResponse(_ description: String, status: Int?) -> MachineAuthError {
        MachineAuthError(error: "invalid_response", errorDescription: description, status: status)
    }

    /// 401: missing, wrong or expired credentials.
    public var isUnauthorized: Bool { status == 401 }
    /// 429: rate limited; see `retryAfter`.
    public var isRateLimited: Bool { status == 429 }

    public var description: String {
        let code = errorDescription.isEmpty ? error : "\(error): \(errorDescription)"
        return status.map { "\($0) \(code)" } ?? code
    }
}
