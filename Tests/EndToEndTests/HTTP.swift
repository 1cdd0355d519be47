import AsyncHTTPClient
import Foundation
import MachineAuthCore
import NIOCore
import NIOFoundationEssentialsCompat
import NIOHTTP1

/// A small JSON client over AsyncHTTPClient for end-to-end tests.
struct HTTP {
    let base: String

    struct Reply {
        var status: Int
        var body: JSONValue
        subscript(key: String) -> JSONValue? { body.objectValue?[key] }
    }

    func send(_ method: String, _ path: String, token: String? = nil, json: JSONValue? = nil, form: String? = nil) async throws -> Reply {
        var request = HTTPClientRequest(url: base + path)
        request.method = .init(rawValue: method)
        if let token { request.headers.add(name: "Authorization", value: "Bearer \(token)") }
        if let json {
            request.headers.add(name: "Content-Type", value: "application/json")
            request.body = .bytes(ByteBuffer(string: json.jsonText))
        }
        if let form {
            request.headers.add(name: "Content-Type", value: "application/x-www-form-urlencoded")
            request.body = .bytes(ByteBuffer(string: form))
        }
        let response = try await HTTPClient.shared.execute(request, timeout: .seconds(30))
        let bytes = try await response.body.collect(upTo: 10_000_000)
        return Reply(status: Int(response.status.code), body: (try? JSONValue.parse(Data(buffer: bytes))) ?? .null)
    }

    func adminToken(password: String = "changeme") async throws -> String {
        try await send("POST", "/api/auth/login", json: ["email": "admin@example.com", "password": .string(password)])["token"]?.stringValue ?? ""
    }
}
