/// The one way whole numbers are read from untrusted input — JSON bodies, query strings,
/// forms and YAML — always against a documented range, so no arithmetic or conversion on a
/// number a request or a file controls can trap.
///
/// ```swift
/// let days = try WholeNumber.parse("30", in: 0...3650)          // 30
/// let limit = try WholeNumber.read(.double(1e20), in: InputLimits.pageSize)  // throws
/// ```
public enum WholeNumber {
    /// Decimal digits with an optional leading `-` (no `+`, spaces, exponents or fractions).
    public static func parse(_ text: some StringProtocol, in range: ClosedRange<Int>) throws(NumberRangeError) -> Int {
        let utf8 = Array(text.utf8)
        let negative = utf8.first == UInt8(ascii: "-")
        let digits = negative ? utf8.dropFirst() : utf8[...]
        guard !digits.isEmpty, digits.count <= 30, digits.allSatisfy({ (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) }) else {
            throw NumberRangeError(range: range, malformed: true)
        }
        // More than 19 digits cannot fit an Int; `Int(_:)` answers nil rather than trapping.
        guard let value = Int(String(decoding: utf8, as: UTF8.self)), range.contains(value) else {
            throw NumberRangeError(range: range, malformed: false)
        }
        return value
    }

    /// A JSON number that is whole (`3`, `3.0`) and inside `range`; strings are not numbers.
    public static func read(_ value: JSONValue, in range: ClosedRange<Int>) throws(NumberRangeError) -> Int {
        switch value {
        case .int(let number) where range.contains(number):
            return number
        case .double(let number) where number.isFinite && number == number.rounded():
            // Compare as doubles first: `Int(exactly:)` of 1e20 is nil, never a trap.
            guard number >= Double(range.lowerBound), number <= Double(range.upperBound), let whole = Int(exactly: number),
                range.contains(whole)
            else { throw NumberRangeError(range: range, malformed: false) }
            return whole
        case .int, .double:
            throw NumberRangeError(range: range, malformed: false)
        default:
            throw NumberRangeError(range: range, malformed: true)
        }
    }
}

/// A number that is not a whole number, or lies outside its range; the message names the range.
public struct NumberRangeError: Error, Sendable, Hashable, CustomStringConvertible {
    public var range: ClosedRange<Int>
    /// Not a whole number at all (rather than one out of range).
    public var malformed: Bool

    public var description: String {
        "must be a whole number between \(Self.format(range.lowerBound)) and \(Self.format(range.upperBound))"
    }

    public static func format(_ value: Int) -> String {
        let digits = String(value.magnitude)
        var grouped = ""
        for (index, digit) in digits.enumerated() {
            if index > 0, (digits.count - index) % 3 == 0 { grouped.append(",") }
            grouped.append(digit)
        }
        return (value < 0 ? "-" : "") + grouped
    }
}

/// The documented ranges of numbers the API and the configuration accept.
public enum InputLimits {
    /// Ten years, the longest lifetime anything may be given (agents, API keys, durations in YAML).
    public static let maxLifetimeSeconds = 315_360_000
    /// `expires_in` of agents and API keys: one second to ten years.
    public static let lifetimeSeconds = 1...maxLifetimeSeconds
    /// `page` of list endpoints.
    public static let page = 1...1_000_000
    /// `limit` of list endpoints.
    public static let pageSize = 1...500
    /// `grace_period_seconds` of a secret rotation: up to 30 days.
    public static let gracePeriodSeconds = 0...2_592_000
    /// `max_retries` of a webhook.
    public static let webhookRetries = 0...50
    /// `retry_backoff_base` of a webhook, as a whole number (the dashboard's form; JSON takes any number in this range).
    public static let webhookBackoffBase = 1...10
    /// Lifetimes in days (the dashboard's forms): one day to ten years.
    public static let lifetimeDays = 1...(maxLifetimeSeconds / 86_400)
    /// Failed attempts allowed before an address waits (`max_failed_logins`, `max_failed_authentications`).
    public static let failureAllowance = 1...1000
    /// Any whole number in the configuration, before its own range: far from overflowing any
    /// arithmetic a setting is used in.
    public static let configIntegers = -1_000_000_000...1_000_000_000
}
