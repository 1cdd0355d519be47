public import Foundation

/// Reads RFC 3339 timestamps (`2030-01-31T12:00:00Z`, `2030-01-31t12:00:00.5+02:00`) from
/// requests and files: the one parser every input and every store uses. Strict — a date that
/// does not exist (`2030-02-30`, `T25:00`) is refused rather than rolled over — and by
/// arithmetic, so loading a large store does not go through a formatter.
public enum RFC3339 {
    /// The date, or `nil` when `text` is not an RFC 3339 date-time.
    public static func parse(_ text: String) -> Date? {
        var reader = DigitReader(Array(text.utf8))
        guard text.utf8.count <= 64,
            let year = reader.number(4), reader.take("-"), let month = reader.number(2), reader.take("-"), let day = reader.number(2),
            reader.take("T") || reader.take("t") || reader.take(" "),
            let hour = reader.number(2), reader.take(":"), let minute = reader.number(2), reader.take(":"), let second = reader.number(2),
            (1...12).contains(month), (1...daysIn(month, of: year)).contains(day), hour <= 23, minute <= 59, second <= 60
        else { return nil }
        var fraction = 0.0
        if reader.take(".") {
            var scale = 0.1
            var digits = 0
            while let digit = reader.digit() {
                digits += 1
                if digits <= 9 { fraction += Double(digit) * scale }
                scale /= 10
            }
            guard digits > 0, digits <= 18 else { return nil }
        }
        var offset = 0
        if reader.take("Z") || reader.take("z") {
            offset = 0
        } else if let sign = reader.sign(), let hours = reader.number(2), reader.take(":"), let minutes = reader.number(2), hours <= 23, minutes <= 59 {
            offset = sign * (hours * 3600 + minutes * 60)
        } else {
            return nil
        }
        guard reader.atEnd else { return nil }
        let days = daysFromCivil(year: year, month: month, day: day)
        // A leap second (:60) is read as the last moment of its minute.
        let seconds = days * 86_400 + hour * 3600 + minute * 60 + min(second, 59) - offset
        return Date(timeIntervalSince1970: Double(seconds) + fraction)
    }

    /// For `JSONDecoder`: timestamps as written by ``TimestampFormat``, a clear error otherwise.
    public static let decodingStrategy = JSONDecoder.DateDecodingStrategy.custom { decoder in
        let text = try decoder.singleValueContainer().decode(String.self)
        guard let date = parse(text) else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "invalid date \"\(text)\""))
        }
        return date
    }

    static func daysIn(_ month: Int, of year: Int) -> Int {
        switch month {
        case 2: return year % 4 == 0 && (year % 100 != 0 || year % 400 == 0) ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    /// Days since 1970-01-01 (Howard Hinnant's days_from_civil), for years 0–9999.
    static func daysFromCivil(year: Int, month: Int, day: Int) -> Int {
        let shifted = month <= 2 ? year - 1 : year
        let era = (shifted >= 0 ? shifted : shifted - 399) / 400
        let yearOfEra = shifted - era * 400
        let dayOfYear = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }
}

/// Reads fixed-width fields of ASCII digits and separators.
struct DigitReader {
    let bytes: [UInt8]
    var index = 0

    init(_ bytes: [UInt8]) {
        self.bytes = bytes
    }

    var atEnd: Bool { index == bytes.count }

    mutating func digit() -> Int? {
        guard index < bytes.count, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(bytes[index]) else { return nil }
        index += 1
        return Int(bytes[index - 1] - UInt8(ascii: "0"))
    }

    /// Exactly `width` digits (at most 4, so the value stays small).
    mutating func number(_ width: Int) -> Int? {
        var value = 0
        for _ in 0..<width {
            guard let digit = digit() else { return nil }
            value = value * 10 + digit
        }
        return value
    }

    mutating func take(_ character: Unicode.Scalar) -> Bool {
        guard index < bytes.count, bytes[index] == UInt8(character.value) else { return false }
        index += 1
        return true
    }

    mutating func sign() -> Int? {
        if take("+") { return 1 }
        if take("-") { return -1 }
        return nil
    }
}
