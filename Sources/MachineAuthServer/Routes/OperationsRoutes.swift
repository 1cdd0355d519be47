import Foundation
import Hummingbird
import MachineAuthCore
import Prometheus

/// `GET /metrics` (Prometheus), `GET /api/stats` (the dashboard's summary), and the signing
/// key ring: `GET /api/keys`, `POST /api/keys/rotate`; `GET /api/provision/export`.
struct OperationsRoutes: Sendable {
    let runtime: MachineAuthRuntime

    func register(on router: RouteRegistrar) {
        router.get("/metrics") { _, _ in
            Response(
                status: .ok, headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
                body: .init(byteBuffer: ByteBuffer(string: runtime.metricsRegistry.emitToString())))
        }
        router.get("/api/stats") { _, context in
            let stats = try await ScopedStatistics(runtime: runtime, scope: try context.scope()).agents()
            return JSONResponse.value([
                "agents": [
                    "total": .int(stats.total), "active": .int(stats.active), "inactive": .int(stats.inactive),
                    "expired": .int(stats.expired),
                ],
                "tokens": [
                    "issued": .int(stats.usage.tokenCount), "refreshed": .int(stats.usage.refreshCount),
                    "failed_authentications": .int(stats.usage.failedAuthCount), "revoked_active": .int(runtime.services.revocations.count),
                ],
                "signing": ["algorithm": .string(runtime.settings.tokens.algorithm.rawValue), "key_id": .string(try runtime.services.keyRing.signingKey.kid)],
                "storage": .string(runtime.pipeline.storage.type),
                "version": .string(MachineAuthVersion.current),
            ])
        }
        router.get("/api/provision/export") { _, _ in
            Response(
                status: .ok, headers: [.contentType: "application/yaml; charset=utf-8", .cacheControl: "no-store"],
                body: .init(byteBuffer: ByteBuffer(string: try await ProvisionExporter(storage: runtime.storage).export())))
        }
        router.post("/api/provision") { request, context in try await provision(request, context) }
        router.get("/api/keys") { _, _ in
            JSONResponse.value(try await keyList())
        }
        router.post("/api/keys/rotate") { request, context in
            let scope = try context.scope()
            let kid = try await runtime.services.signingKeys.rotate(by: Attribution(actor: scope.attributionActor, origin: context.origin(request)))
            var list = try await keyList()
            if case .object(var fields) = list {
                fields["active_kid"] = .string(kid)
                list = .object(fields)
            }
            return JSONResponse.value(list)
        }
    }

    /// Applies a provision document a client sent: parsed with only the variables it sent and
    /// no file access, applied as the calling administrator; the response is never cached.
    private func provision(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let body = try await JSONBody.read(request, schema: RequestSchemas.provision, maxBytes: runtime.settings.server.maxBodyBytes)
        let document: ProvisionDocument
        do {
            document = try PipelineLoader.loadProvision(
                ConfigSource(name: "document", text: body.requiredString("document"), dotEnvPath: nil),
                environment: ConfigEnvironment(body.stringMap("variables") ?? [:]), readsFiles: false)
        } catch {
            throw APIError.invalidField("document", error.description)
        }
        let attribution = Attribution(actor: try context.scope().attributionActor, origin: context.origin(request))
        let report = try await runtime.services.provisioner.acting(as: attribution).apply(document, dryRun: body.bool("dry_run") ?? false)
        let secrets = report.secrets.map { secret -> JSONValue in
            ["kind": .string(secret.kind), "name": .string(secret.name), "label": .string(secret.label), "value": .string(secret.value)]
        }
        var response = JSONResponse.value([
            "plan": .string(report.text), "dry_run": .bool(report.dryRun), "changes": .int(report.changes), "secrets": .array(secrets),
        ])
        response.headers[.cacheControl] = "no-store"
        return response
    }

    private func keyList() async throws -> JSONValue {
        let records = try await runtime.storage.signingKeys()
        return ["keys": .array(records.map { record in
            [
                "kid": .string(record.kid), "algorithm": .string(record.algorithm.rawValue),
                "status": .string(record.isActive ? "active" : "retired"), "created_at": AgentView.timestamp(record.createdAt),
                "retired_at": record.retiredAt.map(AgentView.timestamp) ?? .null,
                "published_until": record.publishUntil.map(AgentView.timestamp) ?? .null,
            ]
        })]
    }
}
