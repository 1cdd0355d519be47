public import Foundation

/// Per-agent counters, updated in batches by the usage recorder.
public struct AgentUsage: Sendable, Hashable, Codable {
    public var tokenCount: Int
    public var refreshCount: Int
    public var failedAuthCount: Int
    public var lastTokenAt: Date?
    public var lastActivityAt: Date?

    public init(
        tokenCount: Int = 0, refreshCount: Int = 0, failedAuthCount: Int = 0,
        lastTokenAt: Date? = nil, lastActivityAt: Date? = nil
    ) {
        self.tokenCount = tokenCount
        self.refreshCount = refreshCount
        self.failedAuthCount = failedAuthCount
        self.lastTokenAt = lastTokenAt
        self.lastActivityAt = lastActivityAt
    }

    enum CodingKeys: String, CodingKey {
        case tokenCount = "token_count", refreshCount = "refresh_count", failedAuthCount = "failed_auth_count"
        case lastTokenAt = "last_token_at", lastActivityAt = "last_activity_at"
    }

    /// Adds a batch of changes.
    public mutating func apply(_ delta: UsageDelta) {
        tokenCount += delta.tokens
        refreshCount += delta.refreshes
        failedAuthCount += delta.failures
        if let at = delta.lastTokenAt { lastTokenAt = max(lastTokenAt ?? at, at) }
        if let at = delta.lastActivityAt { lastActivityAt = max(lastActivityAt ?? at, at) }
    }
}

/// Usage accumulated in memory between two flushes.
public struct UsageDelta: Sendable, Hashable, Codable {
    public var tokens = 0
    public var refreshes = 0
    public var failures = 0
    public var lastTokenAt: Date?
    public var lastActivityAt: Date?

    public init(tokens: Int = 0, refreshes: Int = 0, failures: Int = 0, lastTokenAt: Date? = nil, lastActivityAt: Date? = nil) {
        self.tokens = tokens
        self.refreshes = refreshes
        self.failures = failures
        self.lastTokenAt = lastTokenAt
        self.lastActivityAt = lastActivityAt
    }

    public mutating func merge(_ other: UsageDelta) {
        tokens += other.tokens
        refreshes += other.refreshes
        failures += other.failures
        if let at = other.lastTokenAt { lastTokenAt = max(lastTokenAt ?? at, at) }
        if let at = other.lastActivityAt { lastActivityAt = max(lastActivityAt ?? at, at) }
    }
}
