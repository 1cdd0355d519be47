import Hummingbird
import MachineAuthCore

/// A request for a dashboard page, once the route's rule admitted it: the request, its
/// context (with the caller), and the posted form (empty for reads).
struct DashboardRequest: Sendable {
    let request: Request
    let context: AppRequestContext
    let form: RequestParameters

    /// The caller the route's rule admitted (pages for anyone have none).
    func scope() throws -> AccessScope { try context.scope() }

    /// The posted fields.
    var fields: FormFields { FormFields(form) }

    /// The query string.
    var query: QueryParameters { QueryParameters(request: request) }

    var origin: RequestOrigin { context.origin(request) }

    /// The path parameter `name` (`{id}`).
    func parameter(_ name: String) throws -> String { try context.parameters.require(name) }
}
