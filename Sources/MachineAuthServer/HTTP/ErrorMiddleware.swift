import HTTPTypes
import Hummingbird
import Logging
import MachineAuthCore

/// Turns every error into a JSON response: OAuth errors per RFC 6749 §5.2 / RFC 6750 with their
/// challenges, API errors with the field at fault, unknown routes as JSON 404, and anything
/// unexpected as a logged 500 that reveals nothing.
struct ErrorMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext
    /// The DPoP proof algorithms when the server has a `dpop` stage: a 401 with a Bearer challenge
    /// then also carries a `DPoP algs=…` challenge, so a client learns both schemes work (RFC 9449 §7.1).
    let dpopAlgorithms: [String]

    init(dpopAlgorithms: [String] = []) {
        self.dpopAlgorithms = dpopAlgorithms
    }

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch {
            var response = Self.response(for: error, request: request, context: context)
            if !dpopAlgorithms.isEmpty, let error = error as? OAuthError, error.status == 401, error.challenge == .bearer {
                response.headers.append(HTTPField(name: .wwwAuthenticate, value: "DPoP algs=\"\(dpopAlgorithms.joined(separator: " "))\""))
            }
            return response
        }
    }

    static func response(for error: any Error, request: Request, context: Context) -> Response {
        let refusal = refusal(for: error, request: request, context: context)
        return JSONResponse.value(refusal.body, status: refusal.status, headers: refusal.headers)
    }

    /// What the client is told about `error` — the one mapping of errors to statuses, codes and
    /// messages, which the API renders as JSON and the dashboard as a page.
    static func refusal(for error: any Error, request: Request, context: Context) -> Refusal {
        switch error {
        case let error as OAuthError:
            return oauth(error)
        case let error as APIError:
            return Refusal(error.body, error.status)
        case let error as RetryingAPIError:
            return Refusal(error.error.body, error.error.status, [.retryAfter: String(error.retryAfter)])
        case let error as ValidationError:
            return Refusal(APIError.invalidField(error.field, error.message).body, .badRequest)
        case let error as HTTPError:
            return http(error, request: request)
        case let error as StorageError:
            return storage(error, context: context)
        default:
            context.logger.error("unhandled error", metadata: ["error": "\(String(reflecting: error))", "request_id": "\(context.requestID)"])
            return Refusal(["error": "server_error", "error_description": "the server could not complete the request"], .internalServerError)
        }
    }

    static func oauth(_ error: OAuthError) -> Refusal {
        var headers = HTTPFields.noStore
        if let challenge = error.challenge {
            headers[.wwwAuthenticate] = OAuthChallenge.header(for: error, challenge: challenge)
        }
        if let retryAfter = error.retryAfter { headers[.retryAfter] = String(retryAfter) }
        if let nonce = error.dpopNonce { headers[.dpopNonce] = nonce }
        return Refusal(["error": .string(error.code), "error_description": .string(error.message)], HTTPResponse.Status(code: error.status), headers)
    }

    private static func http(_ error: HTTPError, request: Request) -> Refusal {
        if error.status == .notFound {
            let allowed = RouteTable.methods(forPath: request.uri.path)
            if !allowed.isEmpty {
                return Refusal(
                    ["error": "method_not_allowed", "error_description": .string("\(request.method) is not allowed here; use \(allowed.map(\.rawValue).joined(separator: ", "))")],
                    .methodNotAllowed, [.allow: allowed.map(\.rawValue).joined(separator: ", ")])
            }
        }
        let (code, message): (String, String)
        switch error.status {
        case .notFound: (code, message) = ("not_found", "no route for \(request.method) \(request.uri.path)")
        case .contentTooLarge: (code, message) = ("request_too_large", "the request body is larger than the server accepts")
        case .methodNotAllowed: (code, message) = ("method_not_allowed", "\(request.method) is not allowed here")
        default: (code, message) = ("invalid_request", error.body ?? error.status.reasonPhrase)
        }
        return Refusal(["error": .string(code), "error_description": .string(message)], error.status, error.headers)
    }

    private static func storage(_ error: StorageError, context: Context) -> Refusal {
        switch error.code {
        case .conflict:
            return Refusal(["error": "conflict", "error_description": .string(error.message)], .conflict)
        case .notFound:
            return Refusal(["error": "not_found", "error_description": .string(error.message)], .notFound)
        case .invalid:
            return Refusal(["error": "invalid_request", "error_description": .string(error.message)], .badRequest)
        case .unavailable, .corrupt, .inUse:
            context.logger.error("storage unavailable", metadata: ["error": "\(error.message)", "request_id": "\(context.requestID)"])
            return Refusal(
                ["error": "temporarily_unavailable", "error_description": "storage is unavailable; try again shortly"], .serviceUnavailable,
                [.retryAfter: "1"])
        }
    }
}

/// Formats `WWW-Authenticate` challenges (RFC 6750 §3, RFC 7617).
enum OAuthChallenge {
    static func header(for error: OAuthError, challenge: OAuthError.Challenge, realm: String = "machineauth") -> String {
        switch challenge {
        case .basic:
            return "Basic realm=\"\(realm)\", charset=\"UTF-8\""
        case .dpop(let algorithms):
            // RFC 9449 §7.1: no realm is required; the algorithms tell the client what to sign with.
            var parts: [String] = []
            if error.code != "unauthorized" {
                parts.append("error=\"\(error.code)\"")
                parts.append("error_description=\"\(quoted(error.message, limit: 256))\"")
            }
            parts.append("algs=\"\(algorithms.joined(separator: " "))\"")
            if let metadata = error.resourceMetadata { parts.append("resource_metadata=\"\(quoted(metadata))\"") }
            return "DPoP " + parts.joined(separator: ", ")
        case .bearer:
            var parts = ["realm=\"\(realm)\""]
            if error.code != "unauthorized" {
                parts.append("error=\"\(error.code)\"")
                parts.append("error_description=\"\(quoted(error.message, limit: 256))\"")
            }
            if let scope = error.scope { parts.append("scope=\"\(quoted(scope))\"") }
            if let metadata = error.resourceMetadata { parts.append("resource_metadata=\"\(quoted(metadata))\"") }
            return "Bearer " + parts.joined(separator: ", ")
        }
    }

    /// `text` fit for a quoted header parameter: printable ASCII without quotes or backslashes,
    /// cut at `limit` characters (a description can echo what the client sent, and a proxy
    /// refuses an upstream's oversized header).
    static func quoted(_ text: String, limit: Int = 1024) -> String {
        let kept = text.unicodeScalars.lazy.filter { $0.value >= 0x20 && $0.value < 0x7F && $0 != "\"" && $0 != "\\" }.map(Character.init)
        let cut = String(kept.prefix(limit + 1))
        return cut.count > limit ? String(cut.prefix(limit - 3)) + "..." : cut
    }
}
