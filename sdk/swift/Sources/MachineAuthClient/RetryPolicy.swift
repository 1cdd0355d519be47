import Foundation

/// When a request is tried again: answers 429 (rate limited) and 503 (temporarily unavailable),
/// after the server's `Retry-After` (seconds or an HTTP date), else after an exponential backoff
/// with jitter. A wait longer than `maxDelay` is not sat out: the error is thrown at once, with
/// its `retryAfter`, for the caller to decide.
public struct RetryPolicy: Sendable {
    /// Retries after the first attempt (0: none).
    public var maxRetries: Int
    /// The longest wait the client sits out.
    public var maxDelay: Duration
    /// The first backoff when the server names no wait (doubled for each further attempt).
    public var backoff: Duration
    /// The statuses that are retried.
    public var statuses: Set<Int>

    public init(maxRetries: Int = 2, maxDelay: Duration = .seconds(30), backoff: Duration = .milliseconds(500), statuses: Set<Int> = [429, 503]) {
        self.maxRetries = maxRetries
        self.maxDelay = maxDelay
        self.backoff = backoff
        self.statuses = statuses
    }

    /// Two retries, waits of up to 30 seconds.
    public static let standard = RetryPolicy()
    /// No retries: every answer is returned (or thrown) as it is.
    public static let never = RetryPolicy(maxRetries: 0)

    /// How long to wait before attempt `attempt + 1` after an answer with `status`, or `nil` to stop.
    func delay(status: Int, retryAfter: Duration?, attempt: Int) -> Duration? {
        guard statuses.contains(status), attempt < maxRetries else { return nil }
        let wait = retryAfter ?? backoff * (1 << min(attempt, 16)) * Double.random(in: 0.5...1)
        return wait <= maxDelay ? wait : nil
    }

    /// A `Retry-After` value (RFC 9110 §10.2.3: delay-seconds or an HTTP date) as a duration.
    static func parseRetryAfter(_ value: String?, now: Date = Date()) -> Duration? {
        guard let value = value?.trimmingCharacters(in: .whitespaces), !value.isEmpty else { return nil }
        if let seconds = Int(value), seconds >= 0 { return .seconds(seconds) }
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "GMT")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss zzz"
        guard let date = formatter.date(from: value) else { return nil }
        return .milliseconds(max(0, Int((date.timeIntervalSince(now) * 1000).rounded(.up))))
    }
}
