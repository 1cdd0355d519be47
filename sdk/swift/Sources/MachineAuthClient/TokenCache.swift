/// The token cache: at most one token request per key at a time, however many callers ask.
///
/// A token is served until `renewBefore` before it expires (at most a fifth of its lifetime
/// before), then renewed. Everyone who asks while a request is in flight shares it — and its
/// failure: fifty callers with a wrong secret cost one failed authentication, so they do not
/// trip the server's rate limit. A token the server refused is dropped with `invalidate`.
actor TokenCache {
    private struct Entry {
        let token: AccessToken
        let renewAt: ContinuousClock.Instant
    }

    private struct Flight {
        let id: Int
        let task: Task<AccessToken, any Error>
    }

    private let fetch: @Sendable (TokenKey) async throws -> AccessToken
    private let renewBefore: Duration
    private let clock = ContinuousClock()
    private var entries: [TokenKey: Entry] = [:]
    private var flights: [TokenKey: Flight] = [:]
    private var nextFlight = 0
    /// Bumped by `clear()`: a request started before it does not fill the cache after it.
    private var generation = 0

    init(renewBefore: Duration, fetch: @escaping @Sendable (TokenKey) async throws -> AccessToken) {
        self.renewBefore = renewBefore
        self.fetch = fetch
    }

    /// A fresh token for `key`: the cached one, or one request shared by all who ask now.
    func token(for key: TokenKey) async throws -> AccessToken {
        if let entry = entries[key], clock.now < entry.renewAt { return entry.token }
        if let flight = flights[key] { return try await flight.task.value }
        nextFlight += 1
        let id = nextFlight, generation = generation, started = clock.now, fetch = fetch
        let task = Task<AccessToken, any Error> {
            do {
                let token = try await fetch(key)
                self.land(key, flight: id, generation: generation, token: token, requestedAt: started)
                return token
            } catch {
                self.land(key, flight: id, generation: generation, token: nil, requestedAt: started)
                throw error
            }
        }
        flights[key] = Flight(id: id, task: task)
        return try await task.value
    }

    private func land(_ key: TokenKey, flight: Int, generation: Int, token: AccessToken?, requestedAt: ContinuousClock.Instant) {
        if flights[key]?.id == flight { flights[key] = nil }
        guard let token, generation == self.generation else { return }
        let lifetime = Duration.seconds(max(0, token.expiresIn))
        entries[key] = Entry(token: token, renewAt: requestedAt + lifetime - min(renewBefore, lifetime / 5))
    }

    /// Forgets the token of `key` — only if it is still `accessToken` (when given), so callers
    /// that saw the same refused token drop it once and then share its replacement.
    func invalidate(_ key: TokenKey, accessToken: String? = nil) {
        guard let entry = entries[key] else { return }
        if accessToken == nil || entry.token.accessToken == accessToken { entries[key] = nil }
    }

    /// Forgets every token and request in flight (the credentials changed).
    func clear() {
        generation += 1
        entries.removeAll()
        flights.removeAll()
    }
}
