import AsyncHTTPClient
import Foundation
import MachineAuthCore
import NIOCore
import NIOHTTP1

/// A running MachineAuth server the command line talks to over HTTP: `--url`, else
/// `$MACHINEAUTH_URL`, else `http://127.0.0.1:$PORT` (8080). Credentials (a client secret, an
/// administrator's password or token) go only over https or to a loopback address, unless
/// `MACHINEAUTH_ALLOW_INSECURE_HTTP=true`; redirects are never followed.
struct ServerConnection {
    let baseURL: String

    init(url: String?, sendsCredentials: Bool = false) throws {
        let environment = ProcessInfo.processInfo.environment
        let chosen = url ?? environment["MACHINEAUTH_URL"].flatMap { $0.isEmpty ? nil : $0 }
            ?? "http://127.0.0.1:\(environment["PORT"].flatMap { $0.isEmpty ? nil : $0 } ?? "8080")"
        guard let parsed = URL(string: chosen), ["http", "https"].contains(parsed.scheme?.lowercased() ?? ""), parsed.host != nil,
              parsed.query == nil, parsed.fragment == nil
        else { throw CommandFailure("--url \(chosen) is not an http(s) URL of a MachineAuth server (for example http://127.0.0.1:8080)") }
        guard parsed.user == nil, parsed.password == nil else {
            throw CommandFailure("the server URL must not hold credentials; give them in the environment")
        }
        if sendsCredentials, parsed.scheme?.lowercased() == "http", !Self.isLoopback(parsed.host ?? ""),
           environment["MACHINEAUTH_ALLOW_INSECURE_HTTP"] != "true" {
            throw CommandFailure(
                "\(chosen) is plain http to another machine, which would send credentials in clear; use https (or set MACHINEAUTH_ALLOW_INSECURE_HTTP=true on a trusted network)")
        }
        baseURL = chosen.hasSuffix("/") ? String(chosen.dropLast()) : chosen
    }

    struct Reply {
        var status: Int
        var text: String
        var json: JSONValue? { try? JSONValue.parse(Data(text.utf8)) }
        /// The OAuth or API error of a refusal, for one line of output.
        var problem: String {
            let object = json?.objectValue
            let code = object?["error"]?.stringValue ?? "HTTP \(status)"
            return object?["error_description"]?.stringValue.map { "\(code): \($0)" } ?? code
        }
    }

    static func isLoopback(_ host: String) -> Bool {
        let bare = host.hasPrefix("[") && host.hasSuffix("]") ? String(host.dropFirst().dropLast()) : host
        return bare == "localhost" || bare == "::1" || bare.hasPrefix("127.") && bare.split(separator: ".").count == 4
    }

    /// One client for the command's requests: a refused connection fails at once instead of being
    /// retried until the request's deadline, and connecting gives up after five seconds.
    private static let client: HTTPClient = {
        var configuration = HTTPClient.Configuration()
        configuration.connectionPool.retryConnectionEstablishment = false
        configuration.timeout = .init(connect: .seconds(5), read: .seconds(30))
        configuration.redirectConfiguration = .disallow
        return HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
    }()

    /// Sends one request; a server that does not answer is a ``CommandFailure`` naming the URL.
    func send(_ method: String, _ path: String, headers: [(String, String)] = [], body: String? = nil) async throws -> Reply {
        var request = HTTPClientRequest(url: baseURL + path)
        request.method = .init(rawValue: method)
        for (name, value) in headers { request.headers.add(name: name, value: value) }
        if let body { request.body = .bytes(ByteBuffer(string: body)) }
        do {
            let response = try await Self.client.execute(request, timeout: .seconds(30))
            let bytes = try await response.body.collect(upTo: 64 << 20)
            return Reply(status: Int(response.status.code), text: String(buffer: bytes))
        } catch {
            throw CommandFailure("cannot reach \(baseURL): \(error)")
        }
    }
}

/// A command that failed for a reason worth one line on standard error (exit status 1).
struct CommandFailure: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// `application/x-www-form-urlencoded` values (and client credentials in Basic, RFC 6749 §2.3.1):
/// everything but unreserved characters percent-encoded.
enum FormEncoding {
    private static let unreserved = CharacterSet(charactersIn: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")

    static func component(_ text: String) -> String {
        text.addingPercentEncoding(withAllowedCharacters: unreserved) ?? text
    }
}
