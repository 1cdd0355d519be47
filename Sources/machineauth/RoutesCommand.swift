import ArgumentParser
import MachineAuthServer

/// `machineauth routes`: every route of the server with who may call it — the authorization
/// table the server enforces (also the README's API table), or the OpenAPI document.
struct RoutesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "routes", abstract: "Print every route and who may call it (Markdown), or the OpenAPI document (--openapi).")

    @Flag(help: "Print the OpenAPI 3.1 document instead (as GET /openapi.json serves it).")
    var openapi = false

    @Option(help: "The issuer to name as the server in the OpenAPI document.")
    var issuer = "http://localhost:8080"

    func run() {
        print(openapi ? RouteTable.openAPIDocument(issuer: issuer) : RouteTable.markdown, terminator: openapi ? "\n" : "")
    }
}
