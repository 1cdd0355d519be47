import HTTPTypes
import Hummingbird
import MachineAuthCore

extension RouteRegistrar {
    /// Renders any error of a dashboard page — the gate's refusals too — as a page.
    typealias PageErrors = @Sendable (any Error, Request, AppRequestContext) -> Response

    /// Registers a dashboard page (a row of kind ``Route/Kind/page``) behind its access rule.
    /// A posted form is read first (within `max_body_bytes`), so the gate can take the CSRF
    /// token from its `csrf_token` field; the handler gets the form and the admitted caller.
    func page(_ method: HTTPRequest.Method, _ path: String, errors: @escaping PageErrors, _ handler: @escaping @Sendable (DashboardRequest) async throws -> Response) {
        let route = claim(method, path)
        precondition(route.kind == .page, "\(route.key) is an API route; register it with on(_:_:_:)")
        let gate = gate
        let maxBytes = gate.runtime.settings.server.maxBodyBytes
        router.on(RouterPath(path), method: method) { request, context in
            var context = context
            do {
                let form = AccessGate.isSafe(method) ? RequestParameters() : try await RequestParameters.read(request, maxBytes: maxBytes)
                try await gate.admit(route, request, &context, form: form)
                return try await handler(DashboardRequest(request: request, context: context, form: form))
            } catch {
                return errors(error, request, context)
            }
        }
    }
}
