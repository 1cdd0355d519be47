import Foundation
import Glibc
import MachineAuthCore

/// An administrator's session with a running server, for the admin commands' `--server URL`.
///
/// The credentials come from `MACHINEAUTH_ADMIN_TOKEN` (a session token), else
/// `MACHINEAUTH_ADMIN_EMAIL` (else `ADMIN_EMAIL`, else `admin@example.com`) with
/// `MACHINEAUTH_ADMIN_PASSWORD` (else `ADMIN_PASSWORD`, as the server's environment file names
/// them), else a password prompt on the terminal. A session it signed in for is ended when the command is done.
struct AdminSession {
    let connection: ServerConnection
    let token: String
    private let signedIn: Bool

    static func open(_ url: String) async throws -> AdminSession {
        let connection = try ServerConnection(url: url, sendsCredentials: true)
        let environment = ProcessInfo.processInfo.environment
        if let token = environment["MACHINEAUTH_ADMIN_TOKEN"], !token.isEmpty {
            return AdminSession(connection: connection, token: token, signedIn: false)
        }
        let value = { (name: String) in environment[name].flatMap { $0.isEmpty ? nil : $0 } }
        let email = value("MACHINEAUTH_ADMIN_EMAIL") ?? value("ADMIN_EMAIL") ?? "admin@example.com"
        guard let password = value("MACHINEAUTH_ADMIN_PASSWORD") ?? value("ADMIN_PASSWORD") ?? prompt("Password for \(email): ") else {
            throw CommandFailure("--server needs administrator credentials: set MACHINEAUTH_ADMIN_TOKEN, or MACHINEAUTH_ADMIN_PASSWORD (and MACHINEAUTH_ADMIN_EMAIL), or run it on a terminal to be asked")
        }
        let body = JSONValue.object(["email": .string(email), "password": .string(password)]).jsonText
        let reply = try await connection.send("POST", "/api/auth/login", headers: [("Content-Type", "application/json")], body: body)
        guard reply.status == 200, let token = reply.json?.objectValue?["token"]?.stringValue else {
            throw CommandFailure("signing in to \(connection.baseURL) as \(email) failed: \(reply.problem)")
        }
        return AdminSession(connection: connection, token: token, signedIn: true)
    }

    /// Reads a password from the terminal without echo; `nil` when standard input is not a terminal.
    private static func prompt(_ text: String) -> String? {
        guard isatty(STDIN_FILENO) != 0, let entered = getpass(text) else { return nil }
        let password = String(cString: entered)
        return password.isEmpty ? nil : password
    }

    /// Sends an authenticated request; a refusal is a ``CommandFailure`` with the server's error.
    func send(_ method: String, _ path: String, json: JSONValue? = nil) async throws -> ServerConnection.Reply {
        var headers = [("Authorization", "Bearer \(token)"), ("Accept", "application/json")]
        if json != nil { headers.append(("Content-Type", "application/json")) }
        let reply = try await connection.send(method, path, headers: headers, body: json?.jsonText ?? (method == "POST" ? "" : nil))
        guard (200..<300).contains(reply.status) else {
            throw CommandFailure("\(method) \(connection.baseURL)\(path) was refused: \(reply.problem)")
        }
        return reply
    }

    /// Ends the session this command signed in for.
    func close() async {
        guard signedIn else { return }
        do {
            _ = try await send("POST", "/api/auth/logout")
        } catch {
            FileHandle.standardError.write(Data("warning: could not end the admin session (it expires by itself): \(error)\n".utf8))
        }
    }

    /// Runs `body` with a session on `url`, ending it afterwards.
    static func with(_ url: String, _ body: (AdminSession) async throws -> Void) async throws {
        let session = try await open(url)
        do {
            try await body(session)
        } catch {
            await session.close()
            throw error
        }
        await session.close()
    }
}
