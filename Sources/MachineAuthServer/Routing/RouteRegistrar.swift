import HTTPTypes
import Hummingbird
import MachineAuthCore

/// Registers route handlers on the router, each behind the access rule of its ``RouteTable``
/// row: a handler for a route the table does not list, a second handler for one route, or a
/// row left without a handler stops the server from being built (and every test with it).
/// Routes whose table row says they take no body refuse one here.
final class RouteRegistrar {
    typealias Handler = @Sendable (Request, AppRequestContext) async throws -> Response

    let router: Router<AppRequestContext>
    let gate: AccessGate
    private(set) var registered: [String] = []

    init(router: Router<AppRequestContext>, gate: AccessGate) {
        self.router = router
        self.gate = gate
    }

    /// The table's row for a handler about to be registered (stops for a missing row or a second handler).
    func claim(_ method: HTTPRequest.Method, _ path: String) -> Route {
        guard let route = RouteTable.route(method, path) else {
            preconditionFailure("\(method) \(path) has a handler but no row in RouteTable")
        }
        precondition(!registered.contains(route.key), "\(route.key) is registered twice")
        registered.append(route.key)
        return route
    }

    func on(_ method: HTTPRequest.Method, _ path: String, _ handler: @escaping Handler) {
        let route = claim(method, path)
        precondition(route.kind == .api, "\(route.key) is a dashboard page; register it with page(_:_:errors:_:)")
        let gate = gate
        let takesNoBody = route.body.map { $0.fields.isEmpty } ?? false
        router.on(RouterPath(path), method: method) { request, context in
            var context = context
            try await gate.admit(route, request, &context)
            if takesNoBody {
                // Refuses a body where none belongs (an unknown field, or not JSON at all).
                _ = try await JSONBody.read(request, schema: .empty, maxBytes: gate.runtime.settings.server.maxBodyBytes)
            }
            return try await handler(request, context)
        }
    }

    func get(_ path: String, _ handler: @escaping Handler) { on(.get, path, handler) }
    func post(_ path: String, _ handler: @escaping Handler) { on(.post, path, handler) }
    func put(_ path: String, _ handler: @escaping Handler) { on(.put, path, handler) }
    func patch(_ path: String, _ handler: @escaping Handler) { on(.patch, path, handler) }
    func delete(_ path: String, _ handler: @escaping Handler) { on(.delete, path, handler) }

    /// Stops when a row of the table has no handler.
    func requireComplete() {
        let missing = RouteTable.routes.map(\.key).filter { !registered.contains($0) }
        precondition(missing.isEmpty, "RouteTable rows without a handler: \(missing.joined(separator: ", "))")
    }
}
