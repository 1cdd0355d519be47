import Foundation
import HTTPTypes
import MachineAuthCore

/// The webhooks a caller reaches, scoped like agents: the API's webhook routes and the
/// dashboard both go through here. Without the `webhooks` notifier stage every operation
/// answers 404: nothing would be delivered.
struct ScopedWebhooks: Sendable {
    let runtime: MachineAuthRuntime
    let scope: AccessScope
    let service: WebhookService

    static let disabled = APIError(.notFound, code: "not_found", "webhooks are not enabled on this server (add the webhooks notifier stage)")
    static let secretNotice = "Save this secret - it will not be shown again!"

    init(runtime: MachineAuthRuntime, scope: AccessScope) throws {
        guard let service = runtime.services.webhooks else { throw Self.disabled }
        self.runtime = runtime
        self.scope = scope
        self.service = service
    }

    /// The webhooks the caller may see.
    func list() async throws -> [Webhook] {
        try await runtime.storage.listWebhooks(organizationIDs: scope.organizations)
    }

    /// The webhook `id` if the caller may see it.
    func visible(_ id: String) async throws -> Webhook {
        guard let webhook = try await runtime.storage.webhook(id: id), scope.sees(organization: webhook.organizationID) else {
            throw APIError.notFound("webhook")
        }
        return webhook
    }

    /// A new subscription, in the caller's current organization unless it names another of
    /// theirs; the signing secret is returned this once.
    func create(_ draft: WebhookDraft) async throws -> (Webhook, String) {
        var draft = draft
        if draft.organizationID == nil, scope.organizations != nil { draft.organizationID = scope.currentOrganization }
        if let organizationID = draft.organizationID {
            guard scope.sees(organization: organizationID), try await runtime.storage.organization(id: organizationID) != nil else {
                throw APIError.notFound("organization")
            }
        } else if scope.organizations != nil {
            throw ValidationError("organization_id", "is required for an organization administrator or API key")
        }
        return try await service.create(draft)
    }

    func update(_ webhook: Webhook, _ changes: WebhookChanges) async throws -> Webhook {
        guard let updated = try await service.update(id: webhook.id, changes) else { throw APIError.notFound("webhook") }
        return updated
    }

    func rotateSecret(_ webhook: Webhook) async throws -> (Webhook, String) {
        guard let rotated = try await service.rotateSecret(id: webhook.id) else { throw APIError.notFound("webhook") }
        return rotated
    }

    func delete(_ webhook: Webhook) async throws {
        _ = try await service.delete(id: webhook.id)
    }

    func sendTest(_ webhook: Webhook, message: String?) async throws -> WebhookDelivery {
        try await service.sendTest(webhook, message: message)
    }

    /// A page of the webhook's deliveries, newest first; `status` as text (400 for an unknown one).
    func deliveries(_ webhook: Webhook, status: String?, page: PageRequest) async throws -> Page<WebhookDelivery> {
        var wanted: WebhookDelivery.Status?
        if let status {
            guard let parsed = WebhookDelivery.Status(rawValue: status) else {
                throw ValidationError("status", "must be one of \(WebhookDelivery.Status.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            wanted = parsed
        }
        return try await runtime.storage.deliveries(webhookID: webhook.id, status: wanted, page: page)
    }
}
