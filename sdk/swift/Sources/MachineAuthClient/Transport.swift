import AsyncHTTPClient
import Foundation
import NIOCore
import NIOFoundationCompat
import NIOHTTP1

/// How a call authenticates: not at all, with the agent's cached token (re-authenticated once
/// on a 401), with its client id and secret (Basic), or with admin credentials when the client
/// has them (they see every token) and the client's otherwise.
enum CallAuthentication: Sendable {
    case none, agent, client, adminOrClient
}

/// A request to the server as a value: every API method builds one and hands it to `Transport`.
struct Call: Sendable {
    var method: HTTPMethod
    var path: String
    var authentication: CallAuthentication
    var form: [(String, String)]? = nil
    var json: JSONValue? = nil
}

/// An answer of the server, read whole.
struct Answer: Sendable {
    let status: Int
    let headers: HTTPHeaders
    let body: ByteBuffer
}

/// Sends `Call`s with AsyncHTTPClient: authentication, retries of 429/503, error decoding.
struct Transport: Sendable {
    static let userAgent = "machineauth-swift/0.1.0"
    /// Answers larger than this are refused (the server's are a few kilobytes).
    static let maxBodyBytes = 4 << 20

    let baseURL: String
    let httpClient: HTTPClient
    let retry: RetryPolicy
    let timeout: Duration
    let credentials: CredentialStore

    /// The `Authorization` value for a call that does not use the agent's token.
    func authorization(for authentication: CallAuthentication) async throws -> String? {
        switch authentication {
        case .none, .agent: return nil
        case .client: return try await credentials.basicAuthorization()
        case .adminOrClient:
            if credentials.adminToken == nil, credentials.hasClientCredentials {
                return try await credentials.basicAuthorization()
            }
            return try credentials.adminAuthorization()
        }
    }

    /// One call and its retries on 429/503 (see `RetryPolicy`).
    func exchange(_ call: Call, authorization: String?) async throws -> Answer {
        var attempt = 0
        while true {
            let answer = try await once(call, authorization: authorization)
            let retryAfter = RetryPolicy.parseRetryAfter(answer.headers.first(name: "Retry-After"))
            guard let delay = retry.delay(status: answer.status, retryAfter: retryAfter, attempt: attempt) else { return answer }
            try await Task.sleep(for: delay)
            attempt += 1
        }
    }

    private func once(_ call: Call, authorization: String?) async throws -> Answer {
        var request = HTTPClientRequest(url: baseURL + call.path)
        request.method = call.method
        request.headers.add(name: "Accept", value: "application/json")
        request.headers.add(name: "User-Agent", value: Self.userAgent)
        if let authorization { request.headers.add(name: "Authorization", value: authorization) }
        if let form = call.form {
            request.headers.add(name: "Content-Type", value: "application/x-www-form-urlencoded")
            request.body = .bytes(ByteBuffer(string: FormEncoding.encode(form)))
        } else if let json = call.json {
            request.headers.add(name: "Content-Type", value: "application/json")
            request.body = .bytes(ByteBuffer(string: json.jsonText))
        }
        let response = try await httpClient.execute(request, timeout: .nanoseconds(Int64(timeout.nanoseconds)))
        let body = try await response.body.collect(upTo: Self.maxBodyBytes)
        return Answer(status: Int(response.status.code), headers: response.headers, body: body)
    }

    /// The JSON of a successful answer, or the `MachineAuthError` an error answer describes.
    func decode(_ answer: Answer, of call: Call) throws -> JSONValue {
        guard answer.status < 400 else { throw Self.error(of: answer) }
        guard answer.body.readableBytes > 0 else { return .object([:]) }
        guard let value = try? JSONValue.decode(Data(buffer: answer.body)) else {
            throw MachineAuthError.invalidResponse("\(call.method) \(call.path) answered non-JSON", status: answer.status)
        }
        return value
    }

    /// The error of an error answer: its JSON `error` and `error_description`, else its status and text.
    static func error(of answer: Answer) -> MachineAuthError {
        let body = try? JSONValue.decode(Data(buffer: answer.body))
        let code = body?["error"]?.stringValue ?? "http_\(answer.status)"
        let description = body?["error_description"]?.stringValue
            ?? (body == nil ? String(String(buffer: answer.body).prefix(200)) : "")
        return MachineAuthError(
            error: code, errorDescription: description, status: answer.status, field: body?["field"]?.stringValue,
            retryAfter: RetryPolicy.parseRetryAfter(answer.headers.first(name: "Retry-After")),
            requestID: answer.headers.first(name: "X-Request-Id"), body: body)
    }
}

extension Duration {
    /// The duration in whole nanoseconds (saturating).
    var nanoseconds: Double {
        let (seconds, attoseconds) = components
        return Double(seconds) * 1e9 + Double(attoseconds) / 1e9
    }
}
