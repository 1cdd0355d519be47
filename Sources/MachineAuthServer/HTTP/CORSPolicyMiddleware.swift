import Hummingbird

/// CORS for the origins in `ALLOWED_ORIGINS` (`*` allows any origin, without credentials).
struct CORSPolicyMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext
    let origins: Set<String>

    init(allowedOrigins: [String]) {
        origins = Set(allowedOrigins.map { $0.hasSuffix("/") ? String($0.dropLast()) : $0 })
    }

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard let origin = request.headers[.origin], origins.contains(origin) || origins.contains("*") else {
            return try await next(request, context)
        }
        if request.method == .options, request.headers[.accessControlRequestMethod] != nil {
            var response = Response(status: .noContent)
            decorate(&response, origin: origin)
            response.headers[.accessControlAllowMethods] = "GET, POST, PUT, PATCH, DELETE, OPTIONS"
            response.headers[.accessControlAllowHeaders] = "Authorization, Content-Type, X-API-Key, X-Request-Id, X-CSRF-Token, DPoP"
            response.headers[.accessControlMaxAge] = "600"
            return response
        }
        var response = try await next(request, context)
        decorate(&response, origin: origin)
        return response
    }

    private func decorate(_ response: inout Response, origin: String) {
        if origins.contains(origin) {
            response.headers[.accessControlAllowOrigin] = origin
            response.headers[.accessControlAllowCredentials] = "true"
            response.headers[values: .vary].append("Origin")
        } else {
            response.headers[.accessControlAllowOrigin] = "*"
        }
        response.headers[.accessControlExposeHeaders] = "X-Request-Id, WWW-Authenticate, Retry-After, DPoP-Nonce"
    }
}
