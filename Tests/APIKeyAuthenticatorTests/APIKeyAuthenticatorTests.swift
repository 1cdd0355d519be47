import APIKeyAuthenticator
import Foundation
import MachineAuthCore
import MachineAuthTesting
import Testing

@Suite("api_key stage")
struct APIKeyAuthenticatorTests {
    @Test("a key authenticates by Bearer or X-API-Key, for its organization")
    func keys() async throws {
        try await StageEnvironment.with { environment in
            try await environment.storage.insertOrganization(Organization(id: "o", name: "O", slug: "o", ownerEmail: nil, createdAt: Date()))
            let service = TenantService(storage: environment.storage, hasher: environment.hasher, events: EventBus(notifiers: []), now: environment.clock.source)
            let (_, secret) = try await service.createAPIKey(organizationID: "o", name: "ci", expiresIn: 60, by: .system)
            let stage = APIKeyAuthenticator(storage: environment.storage, hasher: environment.hasher, lastUsedInterval: 60, now: environment.clock.source)
            for presentation in [
                CredentialPresentation(purpose: .apiAccess, authorization: "Bearer \(secret)"),
                CredentialPresentation(purpose: .apiAccess, authorization: nil, headers: ["x-api-key": secret]),
            ] {
                guard case .apiKey(let principal) = try await stage.authenticate(presentation) else { Issue.record("not authenticated"); continue }
                #expect(principal.organizationID == "o")
            }
            #expect(try await stage.authenticate(CredentialPresentation(purpose: .clientAuthentication, authorization: "Bearer \(secret)")) == nil)
            #expect(try await stage.authenticate(CredentialPresentation(purpose: .apiAccess, authorization: "Bearer eyJ.not.key")) == nil)
            environment.clock.advance(61)
            await #expect(throws: OAuthError.self) { _ = try await stage.authenticate(CredentialPresentation(purpose: .apiAccess, authorization: "Bearer \(secret)")) }
        }
    }
}
