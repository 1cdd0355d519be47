import Foundation
import Hummingbird
import MachineAuthCore

/// `/api/trusted-issuers…`: the outside issuers whose tokens the `jwt_bearer` grant exchanges
/// (workload identity federation). Instance-wide — an issuer's rules may name any agent — so
/// only the owner reaches them (``RouteTable``). The logic is ``TrustedIssuerService``'s.
struct TrustedIssuerRoutes: Sendable {
    let runtime: MachineAuthRuntime

    var service: TrustedIssuerService { runtime.services.trustedIssuers }

    func register(on router: RouteRegistrar) {
        router.get("/api/trusted-issuers") { _, _ in
            JSONResponse.value(["trusted_issuers": .array(try await service.list().map(TrustedIssuerView.issuer))])
        }
        router.post("/api/trusted-issuers") { request, context in
            let body = try await JSONBody.read(request, schema: RequestSchemas.createTrustedIssuer, maxBytes: runtime.settings.server.maxBodyBytes)
            let issuer = try await service.create(body.fields, by: try attribution(request, context))
            return JSONResponse.value(["trusted_issuer": TrustedIssuerView.issuer(issuer)], status: .created)
        }
        router.get("/api/trusted-issuers/{id}") { _, context in
            guard let issuer = try await service.issuer(id: try context.parameters.require("id")) else { throw APIError.notFound("trusted issuer") }
            return JSONResponse.value(["trusted_issuer": TrustedIssuerView.issuer(issuer)])
        }
        router.patch("/api/trusted-issuers/{id}") { request, context in
            let body = try await JSONBody.read(request, schema: RequestSchemas.updateTrustedIssuer, maxBytes: runtime.settings.server.maxBodyBytes)
            guard let issuer = try await service.update(id: try context.parameters.require("id"), body.fields, by: try attribution(request, context))
            else { throw APIError.notFound("trusted issuer") }
            return JSONResponse.value(["trusted_issuer": TrustedIssuerView.issuer(issuer)])
        }
        router.delete("/api/trusted-issuers/{id}") { request, context in
            guard let issuer = try await service.delete(id: try context.parameters.require("id"), by: try attribution(request, context))
            else { throw APIError.notFound("trusted issuer") }
            return JSONResponse.value(["message": "trusted issuer deleted", "id": .string(issuer.id)])
        }
    }

    private func attribution(_ request: Request, _ context: AppRequestContext) throws -> Attribution {
        Attribution(actor: try context.scope().attributionActor, origin: context.origin(request))
    }
}
