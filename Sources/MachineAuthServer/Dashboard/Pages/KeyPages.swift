import Foundation
import Hummingbird
import MachineAuthCore

/// `/dashboard/keys` (owner only): the signing key ring, and rotating it through the core's
/// ``SigningKeyService`` (which announces `keys.rotated`, as the API and the CLI do).
struct KeyPages: Sendable {
    let dashboard: Dashboard

    func register(on router: DashboardRouter) {
        router.get("/dashboard/keys") { page in
            let records = try await dashboard.runtime.storage.signingKeys().sorted { $0.createdAt > $1.createdAt }
            let view = KeysView(
                chrome: try dashboard.chrome(page, title: "Signing keys", section: "/dashboard/keys"),
                keys: records.map(SigningKeyRow.init), jwks: "/.well-known/jwks.json")
            return dashboard.render("keys", view)
        }
        router.post("/dashboard/keys/rotate") { page in
            let scope = try page.scope()
            _ = try await dashboard.runtime.services.signingKeys.rotate(by: Attribution(actor: scope.attributionActor, origin: page.origin))
            return dashboard.redirect("/dashboard/keys", notice: .keysRotated)
        }
    }
}

/// The signing keys page.
struct KeysView: Sendable {
    var chrome: Chrome
    var keys: [SigningKeyRow]
    var jwks: String
}

/// One key of the ring, without its private part.
struct SigningKeyRow: Sendable {
    var kid: String
    var algorithm: String
    var status: String
    var createdAt: String
    var retiredAt: String?
    var publishedUntil: String?

    init(_ record: SigningKeyRecord) {
        kid = record.kid
        algorithm = record.algorithm.rawValue
        status = record.isActive ? "active" : "retired"
        createdAt = Time.text(record.createdAt)
        retiredAt = record.retiredAt.map(Time.text)
        publishedUntil = record.publishUntil.map(Time.text)
    }
}
