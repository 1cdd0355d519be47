import AsyncHTTPClient
import Foundation
import JWTKit
import MachineAuthClient
import NIOCore
import NIOFoundationCompat
import NIOHTTP1

/// The signing keys last fetched from the JWKS, as jwt-kit keys, and when to fetch again.
///
/// The set is fetched again when older than the server's `max-age` (at most `ttl`), revalidated
/// with its ETag; a token with an unknown `kid` (a new signing key) triggers a fetch at once —
/// but no fetch starts within `minimumInterval` of the previous one, so made-up key ids cannot
/// make a resource server hammer MachineAuth. One fetch at a time, shared by concurrent
/// verifications. When a fetch fails, the keys already known stay in use.
actor JWKSCache {
    /// The usable keys of one JWKS document: jwt-kit's collection, and each key id's algorithm.
    struct KeySet: Sendable {
        let collection: JWTKeyCollection
        let algorithms: [String: SigningAlgorithm]
    }

    let url: String
    private let httpClient: HTTPClient
    private let ttl: Duration
    private let minimumInterval: Duration
    private let clock = ContinuousClock()
    private var keys: KeySet?
    private var expiresAt: ContinuousClock.Instant?
    private var lastAttempt: ContinuousClock.Instant?
    private var etag: String?
    private var pending: Task<Void, Never>?
    private var lastFailure = "no fetch yet"
    /// How many times the set was requested (fresh or revalidated).
    private(set) var fetches = 0

    init(url: String, httpClient: HTTPClient, ttl: Duration, minimumInterval: Duration) {
        self.url = url
        self.httpClient = httpClient
        self.ttl = ttl
        self.minimumInterval = minimumInterval
    }

    /// The key set holding `kid` (fetched when stale or when it lacks `kid`, within the rules),
    /// `nil` for an unknown `kid`; `jwks_unavailable` when no keys could ever be fetched.
    func keys(for kid: String) async throws -> (algorithm: SigningAlgorithm, collection: JWTKeyCollection)? {
        if keys == nil || expiresAt.map({ clock.now >= $0 }) ?? true, mayFetch { await refresh() }
        if keys?.algorithms[kid] == nil, mayFetch { await refresh() }
        guard let keys else {
            throw MachineAuthError(error: "jwks_unavailable", errorDescription: "cannot verify tokens: \(lastFailure)")
        }
        return keys.algorithms[kid].map { ($0, keys.collection) }
    }

    private var mayFetch: Bool {
        pending != nil || lastAttempt.map { clock.now - $0 >= minimumInterval } ?? true
    }

    private func refresh() async {
        let task = pending ?? Task { await self.fetch() }
        pending = task
        await task.value
    }

    private func fetch() async {
        defer { pending = nil }
        lastAttempt = clock.now
        fetches += 1
        var request = HTTPClientRequest(url: url)
        request.headers.add(name: "Accept", value: "application/jwk-set+json, application/json")
        if let etag, keys != nil { request.headers.add(name: "If-None-Match", value: etag) }
        let status: UInt
        let headers: HTTPHeaders
        let body: ByteBuffer
        do {
            let response = try await httpClient.execute(request, timeout: .seconds(10))
            status = response.status.code
            headers = response.headers
            body = try await response.body.collect(upTo: 1 << 20)
        } catch {
            lastFailure = "fetching \(url) failed: \(error)"
            return
        }
        if status == 200 {
            guard let document = try? JSONValue.decode(Data(buffer: body)) else {
                lastFailure = "\(url) answered no JSON"
                return
            }
            keys = await Self.keySet(of: document)
            etag = headers.first(name: "ETag")
        } else if status != 304 || keys == nil {
            lastFailure = "\(url) answered \(status)"
            return
        }
        expiresAt = clock.now + min(Self.maxAge(headers.first(name: "Cache-Control")) ?? ttl, ttl)
    }

    /// The keys of `document` that MachineAuth signs with (RS256, ES256, EdDSA; `use` `sig`),
    /// each with only its public members; others, and keys jwt-kit refuses, are skipped.
    static func keySet(of document: JSONValue) async -> KeySet {
        let collection = JWTKeyCollection()
        var algorithms: [String: SigningAlgorithm] = [:]
        for entry in document["keys"]?.arrayValue ?? [] {
            guard let kid = entry["kid"]?.stringValue, !kid.isEmpty,
                let algorithm = entry["alg"]?.stringValue.flatMap(SigningAlgorithm.init(rawValue:)),
                (entry["use"]?.stringValue ?? "sig") == "sig", entry["kty"]?.stringValue == algorithm.keyType,
                entry["crv"]?.stringValue == algorithm.curve
            else { continue }
            var members: [String: JSONValue] = [:]
            for name in ["kty", "kid", "alg", "n", "e", "crv", "x", "y"] { members[name] = entry[name] }
            guard let data = try? JSONEncoder().encode(JSONValue.object(members)),
                let jwk = try? JSONDecoder().decode(JWK.self, from: data),
                (try? await collection.add(jwk: jwk)) != nil
            else { continue }
            algorithms[kid] = algorithm
        }
        return KeySet(collection: collection, algorithms: algorithms)
    }

    /// The `max-age` of a `Cache-Control` header.
    static func maxAge(_ cacheControl: String?) -> Duration? {
        guard let cacheControl else { return nil }
        for directive in cacheControl.split(separator: ",") {
            let parts = directive.trimmingCharacters(in: .whitespaces).split(separator: "=", maxSplits: 1)
            if parts.count == 2, parts[0].lowercased() == "max-age", let seconds = Int(parts[1]), seconds >= 0 {
                return .seconds(seconds)
            }
        }
        return nil
    }
}
