import Foundation
import Hummingbird
import MachineAuthCore

/// `/api/webhooks…` and `/api/webhook-events`. Scoped like agents: an organization admin or
/// API key sees only its organization's webhooks. Without the `webhooks` notifier stage the
/// API answers 404: nothing would be delivered.
struct WebhookRoutes: Sendable {
    let runtime: MachineAuthRuntime

    func register(on router: RouteRegistrar) {
        router.get("/api/webhook-events") { _, _ in
            JSONResponse.value(["events": .array(EventCatalog.events.map { ["type": .string($0.type), "description": .string($0.description)] })])
        }
        router.get("/api/webhooks") { request, context in
            let (scope, _) = try await prepare(request, context)
            let webhooks = try await runtime.storage.listWebhooks(organizationIDs: scope.organizations)
            return JSONResponse.value(["webhooks": .array(webhooks.map(WebhookView.webhook))])
        }
        router.post("/api/webhooks") { request, context in try await create(request, context) }
        router.get("/api/webhooks/{id}") { request, context in
            let (_, webhook, _) = try await visible(request, context)
            return JSONResponse.value(["webhook": WebhookView.webhook(webhook)])
        }
        router.put("/api/webhooks/{id}") { request, context in try await update(request, context) }
        router.patch("/api/webhooks/{id}") { request, context in try await update(request, context) }
        router.delete("/api/webhooks/{id}") { request, context in
            let (_, webhook, dispatcher) = try await visible(request, context)
            _ = try await runtime.storage.deleteWebhook(id: webhook.id)
            dispatcher.subscriptionsChanged()
            return JSONResponse.value(["message": "webhook deleted", "id": .string(webhook.id)])
        }
        router.post("/api/webhooks/{id}/rotate-secret") { request, context in
            let (_, webhook, dispatcher) = try await visible(request, context)
            let secret = Webhook.generateSecret()
            let sealed = try dispatcher.sealSecret(secret)
            guard let updated = try await runtime.storage.updateWebhook(id: webhook.id, { $0.encryptedSecret = sealed; $0.updatedAt = Date() }) else {
                throw APIError.notFound("webhook")
            }
            return JSONResponse.value(["webhook": WebhookView.webhook(updated), "secret": .string(secret), "message": "Save this secret - it will not be shown again!"],
                                      headers: .noStore)
        }
        router.post("/api/webhooks/{id}/test") { request, context in
            let (_, webhook, dispatcher) = try await visible(request, context)
            let body = try await JSONBody.read(request, schema: RequestSchemas.testWebhook, maxBytes: runtime.settings.server.maxBodyBytes)
            let delivery = try await dispatcher.sendTest(webhook: webhook, data: ["message": .string(body.string("message") ?? "test delivery from MachineAuth")])
            return JSONResponse.value(["delivery": WebhookView.delivery(delivery)])
        }
        router.get("/api/webhooks/{id}/deliveries") { request, context in
            let (_, webhook, _) = try await visible(request, context)
            let query = QueryParameters(request: request)
            var status: WebhookDelivery.Status?
            if let text = query.string("status") {
                guard let parsed = WebhookDelivery.Status(rawValue: text) else {
                    throw APIError.invalidField("status", "must be one of \(WebhookDelivery.Status.allCases.map(\.rawValue).joined(separator: ", "))")
                }
                status = parsed
            }
            let page = try await runtime.storage.deliveries(webhookID: webhook.id, status: status, page: try query.page())
            return JSONResponse.value(["deliveries": .array(page.items.map(WebhookView.delivery)), "pagination": page.pagination])
        }
    }

    private func prepare(_ request: Request, _ context: AppRequestContext) async throws -> (AccessScope, any WebhookDispatcher) {
        guard let dispatcher = runtime.webhookDispatcher else {
            throw APIError(.notFound, code: "not_found", "webhooks are not enabled on this server (add the webhooks notifier stage)")
        }
        return (try context.scope(), dispatcher)
    }

    private func visible(_ request: Request, _ context: AppRequestContext) async throws -> (AccessScope, Webhook, any WebhookDispatcher) {
        let (scope, dispatcher) = try await prepare(request, context)
        let id = try context.parameters.require("id")
        guard let webhook = try await runtime.storage.webhook(id: id), scope.sees(organization: webhook.organizationID) else {
            throw APIError.notFound("webhook")
        }
        return (scope, webhook, dispatcher)
    }

    private func fields(_ body: JSONBody) throws -> (events: [String]?, maxRetries: Int?, backoff: Double?) {
        let events = body.strings("events")
        for event in events ?? [] where !EventCatalog.isValidPattern(event) {
            throw APIError.invalidField("events", "unknown event \"\(event)\" (see GET /api/webhook-events; wildcards: agent.*, *)")
        }
        if let events, events.isEmpty { throw APIError.invalidField("events", "must name at least one event") }
        return (events, body.int("max_retries"), body.double("retry_backoff_base"))
    }

    private func checkURL(_ url: String, dispatcher: any WebhookDispatcher) throws {
        guard let host = Webhook.targetURL(url)?.host else { throw APIError.invalidField("url", "must be an http or https URL") }
        // A literal address (zone ids included) is judged now; a name whenever a delivery resolves it.
        if !dispatcher.allowsPrivateTargets, IPAddressRange.isInternal(host) {
            throw APIError.invalidField("url", "private, loopback and link-local targets are not allowed (allow_private_targets)")
        }
    }

    private func create(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let (scope, dispatcher) = try await prepare(request, context)
        let body = try await JSONBody.read(request, schema: RequestSchemas.createWebhook, maxBytes: runtime.settings.server.maxBodyBytes)
        let url = body.requiredString("url")
        try checkURL(url, dispatcher: dispatcher)
        let (events, retries, backoff) = try fields(body)
        var organizationID = body.string("organization_id")
        if organizationID == nil, scope.organizations != nil { organizationID = scope.currentOrganization }
        if let organizationID {
            guard scope.sees(organization: organizationID), try await runtime.storage.organization(id: organizationID) != nil else {
                throw APIError.notFound("organization")
            }
        } else if scope.organizations != nil {
            throw APIError.invalidField("organization_id", "is required for an organization administrator or API key")
        }
        let teamID = body.string("team_id")
        if let teamID {
            guard let team = try await runtime.storage.team(id: teamID), team.organizationID == organizationID else {
                throw APIError.invalidField("team_id", "must be a team of the webhook's organization")
            }
        }
        let secret = Webhook.generateSecret()
        let webhook = Webhook(
            id: RandomToken.uuid(), name: try FieldRules.name(body.string("name") ?? url), url: url, events: events ?? ["*"],
            encryptedSecret: try dispatcher.sealSecret(secret), organizationID: organizationID, teamID: teamID,
            isActive: body.bool("is_active") ?? true, maxRetries: retries ?? dispatcher.defaultMaxRetries,
            retryBackoffBase: backoff ?? 2, createdAt: runtime.now())
        try await runtime.storage.insertWebhook(webhook)
        dispatcher.subscriptionsChanged()
        return JSONResponse.value(
            ["webhook": WebhookView.webhook(webhook), "secret": .string(secret), "message": "Save this secret - it will not be shown again!"],
            status: .created, headers: .noStore)
    }

    private func update(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let (_, webhook, dispatcher) = try await visible(request, context)
        let body = try await JSONBody.read(request, schema: RequestSchemas.updateWebhook, maxBytes: runtime.settings.server.maxBodyBytes)
        let url = body.string("url")
        if let url { try checkURL(url, dispatcher: dispatcher) }
        let name = try body.string("name").map { try FieldRules.name($0) }
        let (events, retries, backoff) = try fields(body)
        let active = body.bool("is_active")
        let time = runtime.now()
        guard let updated = try await runtime.storage.updateWebhook(id: webhook.id, { stored in
            if let url { stored.url = url }
            if let name { stored.name = name }
            if let events { stored.events = events }
            if let retries { stored.maxRetries = retries }
            if let backoff { stored.retryBackoffBase = backoff }
            if let active {
                stored.isActive = active
                if active {
                    stored.consecutiveFails = 0
                    stored.disabledReason = nil
                }
            }
            stored.updatedAt = time
        }) else { throw APIError.notFound("webhook") }
        dispatcher.subscriptionsChanged()
        return JSONResponse.value(["webhook": WebhookView.webhook(updated)])
    }
}
