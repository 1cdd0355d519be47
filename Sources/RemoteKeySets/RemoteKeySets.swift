import AsyncHTTPClient
import NIOCore
import NIOHTTP1
public import Foundation
public import Logging
public import MachineAuthCore
public import OutboundHTTP

/// JWK Sets (RFC 7517) and OIDC discovery documents fetched from URLs that outside issuers
/// and clients named: through ``GuardedHTTPClient`` (the SSRF guard), cached as long as their
/// `Cache-Control: max-age` says within bounds, refetched early when a token names a `kid`
/// the cached set lacks (at most once per ``Policy/refetchInterval``), and served stale for a
/// while when the issuer cannot be reached. Concurrent requests for one URL share one fetch.
///
/// ```swift
/// let keys = try await remote.keys(at: url, kid: header.kid)
/// ```
public actor RemoteKeySets {
    /// How long answers are kept and how big they may be.
    public struct Policy: Sendable {
        /// Used without a `max-age`. Default 5 minutes.
        public var defaultLifetime: TimeInterval = 300
        /// Bounds of a `max-age`: at least a minute, at most a day.
        public var lifetimes: ClosedRange<TimeInterval> = 60...86_400
        /// The shortest time between two fetches of one URL (an unknown `kid`, a failed fetch).
        public var refetchInterval: TimeInterval = 30
        /// How long past its freshness a set is still used while its URL cannot be fetched.
        public var staleLimit: TimeInterval = 86_400
        /// The largest document read.
        public var maxBytes = 256 * 1024
        /// The most keys a set may hold.
        public var maxKeys = 100
        /// Whether `http` URLs are fetched (tests, development); `https` otherwise.
        public var allowHTTP = false
        /// The most URLs remembered; past it the oldest answer is forgotten.
        public var maxEntries = 1000

        public init() {}
    }

    /// Why keys could not be had; the message is for logs and administrators, not for clients.
    public struct Failure: Error, Sendable, CustomStringConvertible {
        public let description: String
        public init(_ description: String) { self.description = description }
    }

    /// What is kept of an answer: only the members read later (``signingKeys(in:limit:)``,
    /// `issuer`, `jwks_uri`), not the document, so a cached answer is small whatever was sent.
    private struct Entry {
        var document: [String: JSONValue]
        var fetchedAt: Date
        var freshUntil: Date
    }

    let http: GuardedHTTPClient
    let policy: Policy
    let logger: Logger
    let now: @Sendable () -> Date
    private var entries: [URL: Entry] = [:]
    private var lastAttempt: [URL: Date] = [:]
    /// Why the last fetch of a URL without a cached answer failed: repeated until it may be tried again.
    private var lastFailure: [URL: Failure] = [:]
    private var inFlight: [URL: Task<Entry, any Error>] = [:]

    public init(http: GuardedHTTPClient, policy: Policy = Policy(), logger: Logger, now: @escaping @Sendable () -> Date = { Date() }) {
        self.http = http
        self.policy = policy
        self.logger = logger
        self.now = now
    }

    /// The usable signing keys of the JWK Set at `url` (public members only). When `kid` is not
    /// among the cached keys, the set is fetched again if the last fetch is old enough.
    public func keys(at url: URL, kid: String?) async throws(Failure) -> [[String: JSONValue]] {
        var keys = Self.keys(of: try await document(at: url))
        if let kid, !keys.contains(where: { $0["kid"]?.stringValue == kid }), mayAttempt(url) {
            keys = Self.keys(of: try await fetched(url))
        }
        return keys
    }

    /// The `jwks_uri` of `issuer`'s OIDC discovery document (`<issuer>/.well-known/openid-configuration`),
    /// whose `issuer` must be exactly `issuer` (OpenID Connect Discovery §4.3).
    public func discoveredKeySetURL(issuer: String) async throws(Failure) -> URL {
        let base = issuer.hasSuffix("/") ? String(issuer.dropLast()) : issuer
        guard let url = URL(string: base + "/.well-known/openid-configuration") else { throw Failure("the issuer is not a URL") }
        let document = try await document(at: url)
        guard document["issuer"]?.stringValue == issuer else {
            throw Failure("the discovery document at \(url) names another issuer (\(document["issuer"]?.stringValue?.prefix(200) ?? "none"))")
        }
        guard let text = document["jwks_uri"]?.stringValue, let jwksURL = checkedURL(text) else {
            throw Failure("the discovery document at \(url) has no usable jwks_uri")
        }
        return jwksURL
    }

    /// `text` as a URL this cache fetches: one ``FieldRules/isRemoteURL(_:allowHTTP:)`` accepts
    /// (`https`, or `http` when allowed), the same rule registrations are checked by.
    public func checkedURL(_ text: String) -> URL? {
        FieldRules.isRemoteURL(text, allowHTTP: policy.allowHTTP) ? URL(string: text) : nil
    }

    /// A cached document while fresh (or stale within limits after a failed fetch), else a fetch.
    private func document(at url: URL) async throws(Failure) -> [String: JSONValue] {
        let time = now()
        if let entry = entries[url] {
            if entry.freshUntil > time { return entry.document }
            if !mayAttempt(url), entry.freshUntil.addingTimeInterval(policy.staleLimit) > time { return entry.document }
        } else if !mayAttempt(url), let failure = lastFailure[url] {
            throw failure
        }
        do {
            return try await fetched(url)
        } catch {
            if let entry = entries[url], entry.freshUntil.addingTimeInterval(policy.staleLimit) > time {
                logger.warning("using the cached document of \(url) after a failed fetch: \(error)")
                return entry.document
            }
            throw error
        }
    }

    private func mayAttempt(_ url: URL) -> Bool {
        guard let last = lastAttempt[url] else { return true }
        return now().timeIntervalSince(last) >= policy.refetchInterval
    }

    /// Fetches `url` now, sharing a fetch already under way.
    private func fetched(_ url: URL) async throws(Failure) -> [String: JSONValue] {
        let task: Task<Entry, any Error>
        if let running = inFlight[url] {
            task = running
        } else {
            lastAttempt[url] = now()
            let (http, policy, logger, now) = (http, policy, logger, now)
            task = Task { try await Self.fetch(url, http: http, policy: policy, logger: logger, now: now) }
            inFlight[url] = task
        }
        let result = await task.result
        if inFlight[url] == task { inFlight[url] = nil }
        switch result {
        case .success(let entry):
            remember(entry, for: url)
            return entry.document
        case .failure(let error):
            let failure = error as? Failure ?? Failure("\(url) could not be fetched (\(error))")
            // The interval counts from the end of a failed attempt: a slow failure is not retried at once.
            lastAttempt[url] = now()
            lastFailure[url] = failure
            throw failure
        }
    }

    /// Keeps `entry`, forgetting answers past any use and, beyond ``Policy/maxEntries``, the oldest.
    private func remember(_ entry: Entry, for url: URL) {
        let time = now()
        lastFailure[url] = nil
        entries[url] = entry
        guard entries.count > policy.maxEntries else { return }
        entries = entries.filter { $0.value.freshUntil.addingTimeInterval(policy.staleLimit) > time }
        while entries.count > policy.maxEntries, let oldest = entries.min(by: { $0.value.fetchedAt < $1.value.fetchedAt })?.key {
            entries[oldest] = nil
        }
        let recent = time.addingTimeInterval(-policy.refetchInterval)
        lastAttempt = lastAttempt.filter { entries[$0.key] != nil || $0.value > recent }
        lastFailure = lastFailure.filter { lastAttempt[$0.key] != nil }
    }

    private static func fetch(
        _ url: URL, http: GuardedHTTPClient, policy: Policy, logger: Logger, now: @escaping @Sendable () -> Date
    ) async throws -> Entry {
        let log: @Sendable (String) -> Void = { logger.warning("key fetch \($0)") }
        let (status, cacheControl, body): (UInt, String?, [UInt8])
        do {
            (status, cacheControl, body) = try await http.withClient(for: url, log: log) { client in
                var request = HTTPClientRequest(url: url.absoluteString)
                request.headers.add(name: "Accept", value: "application/json")
                request.headers.add(name: "User-Agent", value: "MachineAuth/\(MachineAuthVersion.current)")
                let response = try await client.execute(request, timeout: http.timeout)
                let bytes = try await response.body.collect(upTo: policy.maxBytes)
                return (response.status.code, response.headers.first(name: "cache-control"), Array(bytes.readableBytesView))
            }
        } catch let refused as GuardedHTTPClient.Refused {
            throw Failure("\(url) may not be fetched: \(refused.reason)")
        } catch {
            throw Failure("\(url) could not be fetched (no answer within the timeout, a refused connection, or more than \(policy.maxBytes) bytes)")
        }
        guard status == 200 else { throw Failure("\(url) answered \(status)") }
        guard case .object(let document)? = try? JSONValue.parse(body) else { throw Failure("\(url) did not answer a JSON object") }
        var kept: [String: JSONValue] = ["keys": .array(signingKeys(in: document, limit: policy.maxKeys).map(JSONValue.object))]
        for name in ["issuer", "jwks_uri"] {
            if let text = document[name]?.stringValue, text.utf8.count <= 2048 { kept[name] = .string(text) }
        }
        let fetchedAt = now()
        let lifetime = Self.lifetime(cacheControl: cacheControl, policy: policy)
        return Entry(document: kept, fetchedAt: fetchedAt, freshUntil: fetchedAt.addingTimeInterval(lifetime))
    }
}
