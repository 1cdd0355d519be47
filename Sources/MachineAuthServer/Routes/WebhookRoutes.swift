import Foundation
import Hummingbird
import MachineAuthCore

/// `/api/webhooks…` and `/api/webhook-events`. Scoped like agents (``ScopedWebhooks``): an
/// organization admin or API key sees only its organization's webhooks. Without the
/// `webhooks` notifier stage the API answers 404: nothing would be delivered.
struct WebhookRoutes: Sendable {
    let runtime: MachineAuthRuntime

    func register(on router: RouteRegistrar) {
        router.get("/api/webhook-events") { _, _ in
            JSONResponse.value(["events": .array(EventCatalog.events.map { ["type": .string($0.type), "description": .string($0.description)] })])
        }
        router.get("/api/webhooks") { _, context in
            let webhooks = try await ScopedWebhooks(runtime: runtime, scope: try context.scope()).list()
            return JSONResponse.value(["webhooks": .array(webhooks.map(WebhookView.webhook))])
        }
        router.post("/api/webhooks") { request, context in try await create(request, context) }
        router.get("/api/webhooks/{id}") { _, context in
            let (_, webhook) = try await visible(context)
            return JSONResponse.value(["webhook": WebhookView.webhook(webhook)])
        }
        router.put("/api/webhooks/{id}") { request, context in try await update(request, context) }
        router.patch("/api/webhooks/{id}") { request, context in try await update(request, context) }
        router.delete("/api/webhooks/{id}") { _, context in
            let (webhooks, webhook) = try await visible(context)
            try await webhooks.delete(webhook)
            return JSONResponse.value(["message": "webhook deleted", "id": .string(webhook.id)])
        }
        router.post("/api/webhooks/{id}/rotate-secret") { _, context in
            let (webhooks, webhook) = try await visible(context)
            let (updated, secret) = try await webhooks.rotateSecret(webhook)
            return JSONResponse.value(
                ["webhook": WebhookView.webhook(updated), "secret": .string(secret), "message": .string(ScopedWebhooks.secretNotice)],
                headers: .noStore)
        }
        router.post("/api/webhooks/{id}/test") { request, context in
            let (webhooks, webhook) = try await visible(context)
            let body = try await JSONBody.read(request, schema: RequestSchemas.testWebhook, maxBytes: runtime.settings.server.maxBodyBytes)
            let delivery = try await webhooks.sendTest(webhook, message: body.string("message"))
            return JSONResponse.value(["delivery": WebhookView.delivery(delivery)])
        }
        router.get("/api/webhooks/{id}/deliveries") { request, context in
            let (webhooks, webhook) = try await visible(context)
            let query = QueryParameters(request: request)
            let page = try await webhooks.deliveries(webhook, status: query.string("status"), page: try query.page())
            return JSONResponse.value(["deliveries": .array(page.items.map(WebhookView.delivery)), "pagination": page.pagination])
        }
    }

    private func visible(_ context: AppRequestContext) async throws -> (ScopedWebhooks, Webhook) {
        let webhooks = try ScopedWebhooks(runtime: runtime, scope: try context.scope())
        return (webhooks, try await webhooks.visible(try context.parameters.require("id")))
    }

    private func create(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let webhooks = try ScopedWebhooks(runtime: runtime, scope: try context.scope())
        let body = try await JSONBody.read(request, schema: RequestSchemas.createWebhook, maxBytes: runtime.settings.server.maxBodyBytes)
        var draft = WebhookDraft(url: body.requiredString("url"))
        draft.name = body.string("name")
        draft.events = body.strings("events")
        draft.organizationID = body.string("organization_id")
        draft.teamID = body.string("team_id")
        draft.isActive = body.bool("is_active")
        draft.maxRetries = body.int("max_retries")
        draft.retryBackoffBase = body.double("retry_backoff_base")
        let (webhook, secret) = try await webhooks.create(draft)
        return JSONResponse.value(
            ["webhook": WebhookView.webhook(webhook), "secret": .string(secret), "message": .string(ScopedWebhooks.secretNotice)],
            status: .created, headers: .noStore)
    }

    private func update(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let (webhooks, webhook) = try await visible(context)
        let body = try await JSONBody.read(request, schema: RequestSchemas.updateWebhook, maxBytes: runtime.settings.server.maxBodyBytes)
        var changes = WebhookChanges()
        changes.url = body.string("url")
        changes.name = body.string("name")
        changes.events = body.strings("events")
        changes.isActive = body.bool("is_active")
        changes.maxRetries = body.int("max_retries")
        changes.retryBackoffBase = body.double("retry_backoff_base")
        return JSONResponse.value(["webhook": WebhookView.webhook(try await webhooks.update(webhook, changes))])
    }
}
