public import AsyncHTTPClient
import Foundation
import NIOCore
import NIOFoundationCompat
import NIOHTTP1

/// Workload identity federation (RFC 7523 §2.1, the `jwt-bearer` grant): the platform token a
/// workload trades for its access tokens — a Kubernetes projected service-account token, a GitHub
/// Actions OIDC token, a SPIFFE JWT-SVID. No client secret exists anywhere.
///
/// ```swift
/// let client = MachineAuthClient(baseURL: url, workloadIdentity: .file("/var/run/secrets/machineauth/token"))
/// let ci = MachineAuthClient(baseURL: url, workloadIdentity: .gitHubActions(audience: "https://auth.example.com"))
/// ```
///
/// The token is asked for anew at every token request (retries included), so a rotated token file
/// or a single-use token (GitHub's) is always current.
public struct WorkloadIdentity: Sendable {
    /// The grant type of the exchange.
    public static let grantType = "urn:ietf:params:oauth:grant-type:jwt-bearer"

    let current: @Sendable () async throws -> String

    /// A token from `provider`, called for every token request.
    public init(provider: @escaping @Sendable () async throws -> String) {
        current = provider
    }

    /// A token read from `path` for every token request (surrounding whitespace dropped): the kubelet rewrites it.
    public static func file(_ path: String) -> WorkloadIdentity {
        WorkloadIdentity {
            do {
                return try String(contentsOfFile: path, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)
            } catch {
                throw MachineAuthError.configuration("cannot read the assertion file \(path): \(error.localizedDescription)")
            }
        }
    }

    /// A new GitHub Actions OIDC token for every token request, fetched from
    /// `ACTIONS_ID_TOKEN_REQUEST_URL` with `ACTIONS_ID_TOKEN_REQUEST_TOKEN` (the job needs
    /// `permissions: id-token: write`).
    ///
    /// - Parameters:
    ///   - audience: The ID token's `aud`: one of the trusted issuer's `audiences` on the server.
    ///   - environment: Where the two variables are read (default: the process environment).
    public static func gitHubActions(
        audience: String? = nil, environment: [String: String]? = nil, httpClient: HTTPClient = .shared
    ) -> WorkloadIdentity {
        WorkloadIdentity {
            let environment = environment ?? ProcessInfo.processInfo.environment
            guard let base = environment["ACTIONS_ID_TOKEN_REQUEST_URL"], !base.isEmpty,
                let bearer = environment["ACTIONS_ID_TOKEN_REQUEST_TOKEN"], !bearer.isEmpty
            else {
                throw MachineAuthError.configuration(
                    "ACTIONS_ID_TOKEN_REQUEST_URL and ACTIONS_ID_TOKEN_REQUEST_TOKEN are not set (a GitHub Actions job with permissions: id-token: write)")
            }
            var url = base
            if let audience { url += (base.contains("?") ? "&" : "?") + "audience=" + FormEncoding.encode(audience) }
            var request = HTTPClientRequest(url: url)
            request.headers.add(name: "Authorization", value: "bearer " + bearer)
            request.headers.add(name: "Accept", value: "application/json")
            let response = try await httpClient.execute(request, timeout: .seconds(10))
            let body = try await response.body.collect(upTo: 1 << 20)
            guard response.status == .ok else {
                throw MachineAuthError(
                    error: "github_oidc_error", errorDescription: "the GitHub Actions token request answered \(response.status.code)",
                    status: Int(response.status.code))
            }
            guard case .object(let fields)? = try? JSONDecoder().decode(JSONValue.self, from: Data(buffer: body)),
                case .string(let value)? = fields["value"], !value.isEmpty
            else {
                throw MachineAuthError(error: "github_oidc_error", errorDescription: "the GitHub Actions token answer has no value")
            }
            return value
        }
    }

    /// The token request for `key`: the `jwt-bearer` grant with the current platform token.
    func grantForm(_ key: TokenKey) async throws -> [(String, String)] {
        let assertion = try await current()
        guard !assertion.isEmpty else { throw MachineAuthError.configuration("the workload identity gave an empty token") }
        return [("grant_type", Self.grantType), ("assertion", assertion)] + key.grantForm.dropFirst()
    }
}
