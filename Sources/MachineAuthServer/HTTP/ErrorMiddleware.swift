import Hummingbird
import Logging
import MachineAuthCore

/// Turns every error into a JSON response: OAuth errors per RFC 6749 §5.2 / RFC 6750 with their
/// challenges, API errors with the field at fault, unknown routes as JSON 404, and anything
/// unexpected as a logged 500 that reveals nothing.
struct ErrorMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch {
            return Self.response(for: error, request: request, context: context)
        }
    }

    static func response(for error: any Error, request: Request, context: Context) -> Response {
        switch error {
        case let error as OAuthError:
            return oauth(error)
        case let error as APIError:
            return JSONResponse.value(error.body, status: error.status)
        case let error as RetryingAPIError:
            return JSONResponse.value(error.error.body, status: error.error.status, headers: [.retryAfter: String(error.retryAfter)])
        case let error as ValidationError:
            return JSONResponse.value(APIError.invalidField(error.field, error.message).body, status: .badRequest)
        case let error as HTTPError:
            return http(error, request: request)
        case let error as StorageError:
            return storage(error, context: context)
        default:
            context.logger.error("unhandled error", metadata: ["error": "\(String(reflecting: error))", "request_id": "\(context.requestID)"])
            return JSONResponse.value(
                ["error": "server_error", "error_description": "the server could not complete the request"],
                status: .internalServerError)
        }
    }

    static func oauth(_ error: OAuthError) -> Response {
        var headers = HTTPFields.noStore
        if let challenge = error.challenge {
            headers[.wwwAuthenticate] = OAuthChallenge.header(for: error, challenge: challenge)
        }
        if let retryAfter = error.retryAfter { headers[.retryAfter] = String(retryAfter) }
        return JSONResponse.value(
            ["error": .string(error.code), "error_description": .string(error.message)],
            status: HTTPResponse.Status(code: error.status), headers: headers)
    }

    private static func http(_ error: HTTPError, request: Request) -> Response {
        if error.status == .notFound {
            let allowed = RouteTable.methods(forPath: request.uri.path)
            if !allowed.isEmpty {
                return JSONResponse.value(
                    ["error": "method_not_allowed", "error_description": .string("\(request.method) is not allowed here; use \(allowed.map(\.rawValue).joined(separator: ", "))")],
                    status: .methodNotAllowed, headers: [.allow: allowed.map(\.rawValue).joined(separator: ", ")])
            }
        }
        let (code, message): (String, String)
        switch error.status {
        case .notFound: (code, message) = ("not_found", "no route for \(request.method) \(request.uri.path)")
        case .contentTooLarge: (code, message) = ("request_too_large", "the request body is larger than the server accepts")
        case .methodNotAllowed: (code, message) = ("method_not_allowed", "\(request.method) is not allowed here")
        default: (code, message) = ("invalid_request", error.body ?? error.status.reasonPhrase)
        }
        return JSONResponse.value(["error": .string(code), "error_description": .string(message)], status: error.status, headers: error.headers)
    }

    private static func storage(_ error: StorageError, context: Context) -> Response {
        switch error.code {
        case .conflict:
            return JSONResponse.value(["error": "conflict", "error_description": .string(error.message)], status: .conflict)
        case .notFound:
            return JSONResponse.value(["error": "not_found", "error_description": .string(error.message)], status: .notFound)
        case .invalid:
            return JSONResponse.value(["error": "invalid_request", "error_description": .string(error.message)], status: .badRequest)
        case .unavailable, .corrupt, .inUse:
            context.logger.error("storage unavailable", metadata: ["error": "\(error.message)", "request_id": "\(context.requestID)"])
            return JSONResponse.value(
                ["error": "temporarily_unavailable", "error_description": "storage is unavailable; try again shortly"],
                status: .serviceUnavailable, headers: [.retryAfter: "1"])
        }
    }
}

/// Formats `WWW-Authenticate` challenges (RFC 6750 §3, RFC 7617).
enum OAuthChallenge {
    static func header(for error: OAuthError, challenge: OAuthError.Challenge, realm: String = "machineauth") -> String {
        switch challenge {
        case .basic:
            return "Basic realm=\"\(realm)\", charset=\"UTF-8\""
        case .bearer:
            var parts = ["realm=\"\(realm)\""]
            if error.code != "unauthorized" {
                parts.append("error=\"\(error.code)\"")
                parts.append("error_description=\"\(quoted(error.message))\"")
            }
            if let scope = error.scope { parts.append("scope=\"\(quoted(scope))\"") }
            if let metadata = error.resourceMetadata { parts.append("resource_metadata=\"\(quoted(metadata))\"") }
            return "Bearer " + parts.joined(separator: ", ")
        }
    }

    static func quoted(_ text: String) -> String {
        String(text.unicodeScalars.filter { $0.value >= 0x20 && $0.value < 0x7F && $0 != "\"" && $0 != "\\" }.map(Character.init))
    }
}
