import Foundation
import Hummingbird
import MachineAuthCore

/// `/dashboard/webhooks`: the subscriptions the caller may see; creating one (its signing
/// secret shown once), editing it, sending a test, rotating the secret, deleting it, and its
/// delivery history with every attempt — through ``ScopedWebhooks``, as the API.
struct WebhookPages: Sendable {
    let dashboard: Dashboard

    func register(on router: DashboardRouter) {
        router.get("/dashboard/webhooks") { page in try await list(page, FormState(values: ["max_retries": "", "events": "*"]), status: .ok) }
        router.post("/dashboard/webhooks") { page in
            var form = FormState(values: page.fields.values)
            do {
                let fields = page.fields
                var draft = WebhookDraft(url: fields.text("url"))
                draft.name = fields.optional("name")
                draft.events = fields.words("events")
                draft.organizationID = fields.optional("organization_id")
                draft.maxRetries = try fields.number("max_retries", in: InputLimits.webhookRetries)
                draft.retryBackoffBase = try fields.number("retry_backoff_base", in: InputLimits.webhookBackoffBase).map(Double.init)
                let (webhook, secret) = try await webhooks(page).create(draft)
                let revealed = RevealedSecret(
                    label: "Signing secret", value: secret, notice: "Save this signing secret now — it will not be shown again.", oldValidUntil: nil)
                return try await detail(page, webhook, secret: revealed)
            } catch {
                guard let status = form.refuse(error, page, notFoundField: "organization_id") else { throw error }
                return try await list(page, form, status: status)
            }
        }
        router.get("/dashboard/webhooks/{id}") { page in try await detail(page, try await webhooks(page).visible(try page.parameter("id"))) }
        router.post("/dashboard/webhooks/{id}") { page in
            let webhooks = try webhooks(page)
            let webhook = try await webhooks.visible(try page.parameter("id"))
            var form = FormState(values: page.fields.values)
            do {
                let fields = page.fields
                var changes = WebhookChanges()
                changes.url = fields.text("url")
                changes.name = fields.text("name")
                changes.events = fields.words("events")
                changes.isActive = fields.isChecked("is_active")
                changes.maxRetries = try fields.number("max_retries", in: InputLimits.webhookRetries)
                _ = try await webhooks.update(webhook, changes)
                return dashboard.redirect("/dashboard/webhooks/\(webhook.id)", notice: .webhookUpdated)
            } catch {
                guard let status = form.refuse(error, page) else { throw error }
                return try await detail(page, webhook, edit: form, status: status)
            }
        }
        router.post("/dashboard/webhooks/{id}/test") { page in
            let webhooks = try webhooks(page)
            let webhook = try await webhooks.visible(try page.parameter("id"))
            let delivery = try await webhooks.sendTest(webhook, message: page.fields.optional("message"))
            return try await detail(page, webhook, test: DeliveryRow(delivery))
        }
        router.post("/dashboard/webhooks/{id}/rotate-secret") { page in
            let webhooks = try webhooks(page)
            let (webhook, secret) = try await webhooks.rotateSecret(try await webhooks.visible(try page.parameter("id")))
            let revealed = RevealedSecret(
                label: "New signing secret", value: secret, notice: "Save this signing secret now — it will not be shown again.", oldValidUntil: nil)
            return try await detail(page, webhook, secret: revealed)
        }
        router.post("/dashboard/webhooks/{id}/delete") { page in
            let webhooks = try webhooks(page)
            try await webhooks.delete(try await webhooks.visible(try page.parameter("id")))
            return dashboard.redirect("/dashboard/webhooks", notice: .webhookDeleted)
        }
    }

    private func webhooks(_ page: DashboardRequest) throws -> ScopedWebhooks {
        try ScopedWebhooks(runtime: dashboard.runtime, scope: try page.scope())
    }

    private func list(_ page: DashboardRequest, _ form: FormState, status: HTTPResponse.Status) async throws -> Response {
        let names = try await TenancyNames.load(dashboard, page)
        let scope = try page.scope()
        let chosen = form.values["organization_id"].flatMap { $0.isEmpty ? nil : $0 } ?? (scope.isOwner ? nil : scope.currentOrganization)
        let view = WebhookListView(
            chrome: try dashboard.chrome(page, title: "Webhooks", section: "/dashboard/webhooks"),
            webhooks: try await webhooks(page).list().map { WebhookRow($0, organizations: names.organizations) },
            form: form, organizations: names.organizationOptions(selected: chosen, none: scope.isOwner ? "All organizations" : nil),
            events: EventCatalog.events.map { Pair(name: $0.type, value: $0.description) })
        return dashboard.render("webhooks", view, status: status)
    }

    private func detail(
        _ page: DashboardRequest, _ webhook: Webhook, secret: RevealedSecret? = nil, test: DeliveryRow? = nil, edit: FormState? = nil,
        status: HTTPResponse.Status = .ok
    ) async throws -> Response {
        let query = page.query
        var filter = FormState(values: ["status": query.string("status") ?? ""])
        var deliveries = Page<WebhookDelivery>(items: [], total: 0, request: PageRequest())
        var status = status
        do {
            deliveries = try await webhooks(page).deliveries(webhook, status: query.string("status"), page: try query.page())
        } catch {
            guard let refused = filter.refuse(error, page) else { throw error }
            status = refused
        }
        let names = try await TenancyNames.load(dashboard, page)
        let row = WebhookRow(webhook, organizations: names.organizations)
        let form = edit ?? FormState(values: [
            "name": webhook.name, "url": webhook.url, "events": webhook.events.joined(separator: " "), "max_retries": String(webhook.maxRetries),
        ])
        let view = WebhookDetailView(
            chrome: try dashboard.chrome(page, title: webhook.name, section: "/dashboard/webhooks"), webhook: row, secret: secret, test: test,
            form: form, isActiveChecked: edit.map { $0.values["is_active"] != nil } ?? webhook.isActive, filter: filter,
            statuses: [Option(value: "", label: "Any status", selected: query.string("status") == nil)]
                + WebhookDelivery.Status.allCases.map { Option(value: $0.rawValue, label: $0.rawValue, selected: query.string("status") == $0.rawValue) },
            deliveries: deliveries.items.map(DeliveryRow.init), total: NumberRangeError.format(deliveries.total),
            pages: Pagination(deliveries, path: "/dashboard/webhooks/\(webhook.id)", query: [("status", query.string("status"))]))
        return dashboard.render("webhook", view, status: status, headers: secret == nil ? [:] : .noStore)
    }
}
