import MachineAuthClient
import MachineAuthVerifier
import Testing

extension VerificationTests {
    /// The JWKS cache: one fetch for many verifications, refetches for unknown key ids no more
    /// often than the interval, ETag revalidation.
    @Suite struct JWKSCache {
        @Test func theKeySetIsCachedAndUnknownKeyIDsRefetchAtMostOncePerInterval() async throws {
            let running = try Running.get(.signing("EdDSA"))
            let client = running.client(of: try await running.createAgent())
            let verifier = TokenVerifier(issuer: running.base, minimumRefetchInterval: .milliseconds(1500))
            var tokens: [String] = []
            for _ in 0..<5 { tokens.append(try await client.requestToken().accessToken) }
            let forged = withHeader(tokens[0], ["kid": "made-up"])
            for token in tokens { _ = try await verifier.verify(token) }
            #expect(await verifier.jwksFetches == 1)
            let unknown = try await caught(TokenVerificationError.self) { try await verifier.verify(forged) }
            #expect(unknown.errorDescription.contains("unknown key (made-up)"))
            #expect(await verifier.jwksFetches == 1)  // within the interval of the first fetch
            try await Task.sleep(for: .milliseconds(1600))
            try await withThrowingTaskGroup(of: Void.self) { group in
                for _ in 0..<5 {
                    group.addTask { _ = try await caught(TokenVerificationError.self) { try await verifier.verify(forged) } }
                }
                try await group.waitForAll()
            }
            #expect(await verifier.jwksFetches == 2)  // one refetch for five unknown key ids
        }

        @Test func concurrentVerificationsShareOneFetch() async throws {
            let running = try Running.get(.signing("ES256"))
            let client = running.client(of: try await running.createAgent(scopes: ["read"]))
            let verifier = TokenVerifier(issuer: running.base)
            var tokens: [String] = []
            for _ in 0..<3 { tokens.append(try await client.requestToken().accessToken) }
            let agents = try await withThrowingTaskGroup(of: String.self) { group in
                for index in 0..<21 { group.addTask { [tokens] in try await verifier.verify(tokens[index % 3], scopes: ["read"]).clientID } }
                return try await group.reduce(into: Set<String>()) { $0.insert($1) }
            }
            #expect(agents == [client.clientID ?? ""])
            #expect(await verifier.jwksFetches == 1)
        }

        @Test func aStaleKeySetIsRevalidated() async throws {
            let running = try Running.get(.signing("RS256"))
            let token = try await running.client(of: try await running.createAgent()).token().accessToken
            let verifier = TokenVerifier(issuer: running.base, cacheTTL: .milliseconds(200), minimumRefetchInterval: .zero)
            _ = try await verifier.verify(token)
            try await Task.sleep(for: .milliseconds(300))
            _ = try await verifier.verify(token)  // after a 304 the known keys stay in use
            #expect(await verifier.jwksFetches == 2)
        }
    }
}
