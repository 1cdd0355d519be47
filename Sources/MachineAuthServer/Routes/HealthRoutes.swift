import Hummingbird
import Logging
import MachineAuthCore

/// `GET /` (a browser asking for HTML is sent to the dashboard), `GET /health`,
/// `GET /health/ready` and `GET /openapi.json`.
struct HealthRoutes {
    let runtime: MachineAuthRuntime

    func register(on router: RouteRegistrar) {
        router.get("/") { request, _ in
            if Self.prefersHTML(request.headers[.accept]) {
                return Response(status: .seeOther, headers: [.location: "/dashboard", .vary: "Accept"])
            }
            return JSONResponse.value([
                "service": "MachineAuth", "version": .string(MachineAuthVersion.current),
                "issuer": .string(runtime.settings.server.issuer),
            ], headers: [.vary: "Accept"])
        }
        let document = RouteTable.openAPIDocument(issuer: runtime.settings.server.issuer)
        router.get("/openapi.json") { _, _ in
            JSONResponse.text(document, headers: [.cacheControl: "public, max-age=300"])
        }
        router.get("/health") { _, _ in
            JSONResponse.value(["status": "ok", "version": .string(MachineAuthVersion.current)])
        }
        router.get("/health/ready") { _, context in
            guard let counts = await Self.readiness(runtime, logger: context.logger) else {
                return JSONResponse.value(
                    ["status": "unavailable", "storage": .string(runtime.pipeline.storage.type), "error": "storage is not answering"],
                    status: .serviceUnavailable)
            }
            return JSONResponse.value([
                "status": "ready", "storage": .string(runtime.pipeline.storage.type),
                "agents": .int(counts.total), "active_agents": .int(counts.active),
            ])
        }
    }

    /// Whether storage answers within 2 seconds (`nil`: not ready; the reason is logged).
    static func readiness(_ runtime: MachineAuthRuntime, logger: Logger) async -> AgentCounts? {
        do {
            return try await withTimeout(seconds: 2) { try await runtime.storage.checkHealth() }
        } catch {
            logger.warning("readiness check failed", metadata: ["error": "\(error)"])
            return nil
        }
    }

    /// Whether an `Accept` header lists `text/html` before any JSON type (what browsers send;
    /// API clients send `application/json`, `*/*` or nothing).
    static func prefersHTML(_ accept: String?) -> Bool {
        let types = (accept ?? "").split(separator: ",").map { RequestBody.mediaType(String($0)) }
        guard let html = types.firstIndex(of: "text/html") else { return false }
        return types.firstIndex(where: { $0 == "application/json" || $0.hasSuffix("+json") }).map { html < $0 } ?? true
    }
}

/// Runs `body`, failing with `TimeoutError` if it takes longer than `seconds`.
func withTimeout<T: Sendable>(seconds: Double, _ body: @escaping @Sendable () async throws -> T) async throws -> T {
    try await withThrowingTaskGroup(of: T.self) { group in
        group.addTask { try await body() }
        group.addTask {
            try await Task.sleep(for: .milliseconds(Int(seconds * 1000)))
            throw TimeoutError()
        }
        defer { group.cancelAll() }
        return try await group.next()!
    }
}

struct TimeoutError: Error {}
