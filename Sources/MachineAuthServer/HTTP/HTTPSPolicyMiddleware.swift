import Hummingbird
import MachineAuthCore

/// With `REQUIRE_HTTPS`, plain-HTTP requests are redirected (GET, HEAD) or refused (others,
/// whose bodies may already carry credentials). Health checks (probes) and gateway checks
/// (proxy-to-server hops inside the network) stay reachable.
struct HTTPSPolicyMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext
    /// Host to redirect to when the request names none: the issuer's.
    let fallbackHost: String

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard context.scheme != "https", !request.uri.path.hasPrefix("/health"), !request.uri.path.hasPrefix("/gateway/") else {
            return try await next(request, context)
        }
        if request.method == .get || request.method == .head {
            let host = request.head.authority ?? fallbackHost
            return Response(status: .permanentRedirect, headers: [.location: "https://\(host)\(request.uri.string)"])
        }
        throw APIError(.forbidden, code: "https_required", "this server only accepts HTTPS requests")
    }
}

/// Refuses bodies larger than the configured limit before reading them (413).
struct BodyLimitMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext
    let maxBytes: Int

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        if let length = request.headers[.contentLength].flatMap(Int.init), length > maxBytes {
            throw HTTPError(.contentTooLarge)
        }
        return try await next(request, context)
    }
}
