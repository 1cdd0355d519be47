import HTTPTypes
import Hummingbird

/// Registers the dashboard's pages on the route registrar, each rendering its errors as pages.
struct DashboardRouter {
    let routes: RouteRegistrar
    let errors: RouteRegistrar.PageErrors

    typealias Handler = @Sendable (DashboardRequest) async throws -> Response

    func get(_ path: String, _ handler: @escaping Handler) { routes.page(.get, path, errors: errors, handler) }
    func post(_ path: String, _ handler: @escaping Handler) { routes.page(.post, path, errors: errors, handler) }
}
