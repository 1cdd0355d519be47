import Foundation
import MachineAuthCore
import MachineAuthTesting
import Testing

/// Agents that authenticate by certificate (RFC 8705 §2): their subject and x5c key sets are
/// stored as they were registered, read back by credential lookups (from another instance on
/// PostgreSQL), and survive a restart.
@Suite("Storage conformance: certificate credentials")
struct CertificateCredentialConformance {
    @Test("tls_client_auth subjects and self_signed x5c key sets round-trip, change and survive a reopen", arguments: TestDatabases.drivers)
    func roundTrip(driver: String) async throws {
        try await withStore(driver) { handle async throws in
            let store = handle.storage
            var pki = Fixture.agent("pki")
            pki.secrets = []
            pki.tokenEndpointAuthMethod = Agent.tlsClientAuth
            pki.tlsClientAuthSubject = TLSClientAuthSubject(kind: .subjectDN, value: CertificateFixtures.issuedSubjectDN)
            var selfSigned = Fixture.agent("self-signed")
            selfSigned.secrets = []
            selfSigned.tokenEndpointAuthMethod = Agent.selfSignedTLSClientAuth
            selfSigned.jwks = try FieldRules.certificateKeys(CertificateFixtures.jwksWithA)
            try await store.insertAgent(pki)
            try await store.insertAgent(selfSigned)
            #expect(try await store.agentForAuthentication(clientID: pki.clientID)?.tlsClientAuthSubject == pki.tlsClientAuthSubject)
            let keys = try await store.agentForAuthentication(clientID: selfSigned.clientID)?.jwks
            #expect(keys == selfSigned.jwks && keys.flatMap { $0.objectValue?["keys"]?.arrayValue?.first }.flatMap(FieldRules.firstCertificate) != nil)
            let subject = TLSClientAuthSubject(kind: .sanIP, value: "2001:db8::1")
            _ = try await store.updateAgent(id: pki.id) { $0.tlsClientAuthSubject = subject }
            let stored = try await store.agent(id: selfSigned.id)
            // PostgreSQL: another instance on the same database; JSON: the file read again after a close (one writer).
            if driver != "postgres" { try await store.close() }
            let reader = try await handle.reopen()
            #expect(try await reader.agent(id: pki.id)?.tlsClientAuthSubject == subject)
            #expect(try await reader.agent(id: selfSigned.id)?.jwks == stored?.jwks && stored?.jwks == selfSigned.jwks)
            #expect(try await reader.agent(clientID: selfSigned.clientID)?.tokenEndpointAuthMethod == Agent.selfSignedTLSClientAuth)
            try await reader.close()
        }
    }
}
