import Hummingbird
import Logging
import MachineAuthCore

/// `GET /`, `GET /health`, `GET /health/ready` and `GET /openapi.json`.
struct HealthRoutes {
    let runtime: MachineAuthRuntime

    func register(on router: RouteRegistrar) {
        router.get("/") { _, _ in
            JSONResponse.value([
                "service": "MachineAuth", "version": .string(MachineAuthVersion.current),
                "issuer": .string(runtime.settings.server.issuer),
            ])
        }
        let document = RouteTable.openAPIDocument(issuer: runtime.settings.server.issuer)
        router.get("/openapi.json") { _, _ in
            JSONResponse.text(document, headers: [.cacheControl: "public, max-age=300"])
        }
        router.get("/health") { _, _ in
            JSONResponse.value(["status": "ok", "version": .string(MachineAuthVersion.current)])
        }
        router.get("/health/ready") { _, context in
            do {
                let counts = try await withTimeout(seconds: 2) { try await runtime.storage.checkHealth() }
                return JSONResponse.value([
                    "status": "ready", "storage": .string(runtime.pipeline.storage.type),
                    "agents": .int(counts.total), "active_agents": .int(counts.active),
                ])
            } catch {
                context.logger.warning("readiness check failed", metadata: ["error": "\(error)"])
                return JSONResponse.value(
                    ["status": "unavailable", "storage": .string(runtime.pipeline.storage.type), "error": "storage is not answering"],
                    status: .serviceUnavailable)
            }
        }
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
