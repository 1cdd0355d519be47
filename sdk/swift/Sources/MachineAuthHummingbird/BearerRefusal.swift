public import HTTPTypes
public import Hummingbird
import MachineAuthClient
public import MachineAuthVerifier
import NIOCore

/// The answer to a request whose bearer token does not do: 401 with `WWW-Authenticate: Bearer`
/// (plus `error="invalid_token"` when a token was presented), 403 with
/// `error="insufficient_scope", scope="…"`, as RFC 6750 §3 describes; the body is the OAuth
/// error JSON. 503 when the JWKS could not be fetched (the server's fault, not the token's).
public struct BearerRefusal: HTTPResponseError, Sendable {
    public let status: HTTPResponse.Status
    /// The `WWW-Authenticate` value (none for 503).
    public let challenge: String?
    public let error: String
    public let errorDescription: String

    /// The refusal of a token that failed verification.
    public init(_ failure: TokenVerificationError, realm: String?) {
        status = failure.code == .insufficientScope ? .forbidden : .unauthorized
        challenge = failure.wwwAuthenticate(realm: realm)
        error = failure.error
        errorDescription = failure.errorDescription
    }

    /// The refusal of a request without a bearer token: RFC 6750 §3.1 gives it no error code.
    public static func missingToken(realm: String?) -> BearerRefusal {
        BearerRefusal(
            status: .unauthorized, challenge: BearerChallenge.render(realm.map { [("realm", $0)] } ?? []),
            error: "invalid_request", errorDescription: "this resource needs a bearer token")
    }

    /// 503 when no signing keys could be had.
    static func keysUnavailable(_ description: String) -> BearerRefusal {
        BearerRefusal(status: .serviceUnavailable, challenge: nil, error: "temporarily_unavailable", errorDescription: description)
    }

    private init(status: HTTPResponse.Status, challenge: String?, error: String, errorDescription: String) {
        self.status = status
        self.challenge = challenge
        self.error = error
        self.errorDescription = errorDescription
    }

    public func response(from request: Request, context: some RequestContext) throws -> Response {
        var headers: HTTPFields = [.contentType: "application/json", .cacheControl: "no-store"]
        if let challenge { headers[.wwwAuthenticate] = challenge }
        if status == .serviceUnavailable { headers[.retryAfter] = "5" }
        let body = JSONValue.object(["error": .string(error), "error_description": .string(errorDescription)]).jsonText
        return Response(status: status, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(string: body)))
    }
}
