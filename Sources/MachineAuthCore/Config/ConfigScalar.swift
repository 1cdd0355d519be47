import Foundation

/// A value written as one YAML scalar and parsed by the type itself, such as a duration or a choice.
///
/// The configuration decoder parses these directly, so a bad value becomes one clear error
/// (naming the expected form) and decoding continues with ``configPlaceholder``.
public protocol ConfigScalar: Decodable, Sendable {
    /// Parses the scalar text, or throws a message describing what was expected.
    static func parse(configText: String) throws(ConfigValueError) -> Self
    /// A stand-in used after an error so the rest of the file is still checked.
    static var configPlaceholder: Self { get }
}

/// Why a scalar could not be parsed; the message is shown to the user as is.
public struct ConfigValueError: Error, Sendable {
    public var message: String

    public init(_ message: String) {
        self.message = message
    }
}

/// A fixed set of string choices, such as a signing algorithm; bad values list the valid ones.
///
/// ```swift
/// enum Mode: String, ConfigChoice { case fast, safe }
/// ```
public protocol ConfigChoice: ConfigScalar, CaseIterable, RawRepresentable where RawValue == String {}

extension ConfigChoice {
    public static func parse(configText: String) throws(ConfigValueError) -> Self {
        if let exact = Self(rawValue: configText) { return exact }
        if let loose = allCases.first(where: { $0.rawValue.lowercased() == configText.lowercased() }) { return loose }
        let valid = allCases.map(\.rawValue).joined(separator: ", ")
        throw ConfigValueError("invalid value \"\(configText)\"; valid choices: \(valid)")
    }

    public static var configPlaceholder: Self { allCases.first! }
}

/// A length of time written as seconds (`3600`) or with a unit (`250ms`, `90s`, `15m`, `1h`, `7d`).
public struct ConfigDuration: ConfigScalar, Hashable, Comparable, CustomStringConvertible {
    public var milliseconds: Int

    /// `seconds`, clamped to ten years.
    public init(seconds: Int) {
        self.milliseconds = seconds.clamped(to: 0...InputLimits.maxLifetimeSeconds) * 1000
    }

    public init(milliseconds: Int) {
        self.milliseconds = milliseconds
    }

    /// Whole seconds (rounded down).
    public var seconds: Int { milliseconds / 1000 }

    /// As a Swift `Duration`.
    public var duration: Duration { .milliseconds(milliseconds) }

    /// The longest duration a configuration may name: ten years.
    public static let maximumMilliseconds = InputLimits.maxLifetimeSeconds * 1000

    public static func parse(configText: String) throws(ConfigValueError) -> ConfigDuration {
        let text = configText.trimmingCharacters(in: .whitespaces).lowercased()
        let units: [(String, Int)] = [("ms", 1), ("s", 1000), ("m", 60_000), ("h", 3_600_000), ("d", 86_400_000)]
        let (digits, factor) = units.first { text.hasSuffix($0.0) && text.dropLast($0.0.count).allSatisfy(\.isASCIIDigit) }
            .map { (text.dropLast($0.0.count), $0.1) } ?? (Substring(text), 1000)
        guard let count = try? WholeNumber.parse(digits, in: 0...(maximumMilliseconds / factor)) else {
            if digits.allSatisfy(\.isASCIIDigit), !digits.isEmpty {
                throw ConfigValueError("duration \"\(configText)\" is longer than ten years")
            }
            throw ConfigValueError("invalid duration \"\(configText)\"; write seconds (3600) or a number with ms, s, m, h or d (15m)")
        }
        return ConfigDuration(milliseconds: count * factor)
    }

    public static var configPlaceholder: ConfigDuration { ConfigDuration(seconds: 0) }

    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        do {
            self = try Self.parse(configText: text)
        } catch {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: error.message))
        }
    }

    public static func < (lhs: ConfigDuration, rhs: ConfigDuration) -> Bool { lhs.milliseconds < rhs.milliseconds }

    public var description: String { milliseconds % 1000 == 0 ? "\(seconds)s" : "\(milliseconds)ms" }
}

/// A list written either as a YAML list or as one comma-separated string (handy for `${ALLOWED_ORIGINS}`).
public struct CommaSeparatedList: Decodable, Sendable, Hashable {
    public var values: [String]

    public init(_ values: [String]) {
        self.values = values
    }

    public init(from decoder: any Decoder) throws {
        if var list = try? decoder.unkeyedContainer() {
            var values: [String] = []
            while !list.isAtEnd { values.append(try list.decode(String.self)) }
            self.values = values
        } else {
            let text = try decoder.singleValueContainer().decode(String.self)
            self.values = text.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        }
    }
}

extension Character {
    var isASCIIDigit: Bool { isASCII && isNumber }
}
