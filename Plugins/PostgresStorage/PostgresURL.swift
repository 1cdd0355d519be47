import Foundation
public import MachineAuthCore

/// A parsed `postgres://user:password@host:port/database?sslmode=…` URL.
public struct PostgresURL: Sendable, Hashable {
    public enum SSLMode: String, ConfigChoice, Hashable {
        case disable, prefer, require
    }

    public var host: String
    public var port: Int
    public var username: String
    public var password: String?
    public var database: String
    public var sslmode: SSLMode

    public init(_ text: String) throws(ConfigValueError) {
        guard let components = URLComponents(string: text), let scheme = components.scheme,
            ["postgres", "postgresql"].contains(scheme.lowercased())
        else { throw ConfigValueError("expected postgres://user:password@host:5432/database") }
        guard let host = components.host, !host.isEmpty else { throw ConfigValueError("the PostgreSQL URL names no host") }
        self.host = host
        port = components.port ?? 5432
        username = components.user.flatMap { $0.removingPercentEncoding } ?? "postgres"
        password = components.password.flatMap { $0.removingPercentEncoding }
        let path = components.path.hasPrefix("/") ? String(components.path.dropFirst()) : components.path
        database = path.isEmpty ? username : (path.removingPercentEncoding ?? path)
        let mode = components.queryItems?.first { $0.name == "sslmode" }?.value ?? "prefer"
        switch mode {
        case "disable", "allow": sslmode = .disable
        case "prefer": sslmode = .prefer
        case "require", "verify-ca", "verify-full": sslmode = .require
        default: throw ConfigValueError("unknown sslmode \"\(mode)\"; valid: disable, prefer, require")
        }
    }

    /// For logs: the URL without the password.
    public var redacted: String {
        "postgres://\(username)@\(host):\(port)/\(database)?sslmode=\(sslmode.rawValue)"
    }
}
