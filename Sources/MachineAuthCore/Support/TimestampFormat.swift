public import Foundation

/// RFC 3339 timestamps in UTC with milliseconds (`2026-11-22T19:30:00.123Z`), formatted by
/// arithmetic rather than a locale-aware formatter: stores write thousands per second.
/// Dates outside years 1–9999 (which RFC 3339 cannot write) are clamped, never trapped on.
public enum TimestampFormat {
    /// 0001-01-01T00:00:00Z … 9999-12-31T23:59:59.999Z, in seconds since 1970.
    static let representable: ClosedRange<Double> = -62_135_596_800...253_402_300_799.999

    public static func string(_ date: Date, milliseconds withMilliseconds: Bool = true) -> String {
        let since1970 = date.timeIntervalSince1970.isNaN ? 0 : date.timeIntervalSince1970.clamped(to: representable)
        let totalMilliseconds = Int64((since1970 * 1000).rounded(.down))
        var days = totalMilliseconds >= 0 ? totalMilliseconds / 86_400_000 : (totalMilliseconds - 86_399_999) / 86_400_000
        let milliseconds = totalMilliseconds - days * 86_400_000
        // Howard Hinnant's civil_from_days.
        days += 719_468
        let era = (days >= 0 ? days : days - 146_096) / 146_097
        let dayOfEra = days - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let monthIndex = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * monthIndex + 2) / 5 + 1
        let month = monthIndex < 10 ? monthIndex + 3 : monthIndex - 9
        let year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0)
        let seconds = milliseconds / 1000
        // Written digit by digit into one buffer: this runs for every stored row and audit record.
        var text = [UInt8]()
        text.reserveCapacity(24)
        func digits(_ value: Int64, _ width: Int) {
            var divisor: Int64 = 1
            for _ in 1..<width { divisor *= 10 }
            var rest = min(max(value, 0), divisor * 10 - 1)  // in range already (the date is clamped); never a trap
            while divisor > 0 {
                text.append(UInt8(ascii: "0") + UInt8(rest / divisor))
                rest %= divisor
                divisor /= 10
            }
        }
        digits(year, 4)
        text.append(UInt8(ascii: "-"))
        digits(month, 2)
        text.append(UInt8(ascii: "-"))
        digits(day, 2)
        text.append(UInt8(ascii: "T"))
        digits(seconds / 3600, 2)
        text.append(UInt8(ascii: ":"))
        digits(seconds / 60 % 60, 2)
        text.append(UInt8(ascii: ":"))
        digits(seconds % 60, 2)
        if withMilliseconds {
            text.append(UInt8(ascii: "."))
            digits(milliseconds % 1000, 3)
        }
        text.append(UInt8(ascii: "Z"))
        return String(decoding: text, as: UTF8.self)
    }

    /// For `JSONEncoder`: every stored date with milliseconds, so ordering and token cutoffs survive a reload.
    public static let encodingStrategy = JSONEncoder.DateEncodingStrategy.custom { date, encoder in
        var container = encoder.singleValueContainer()
        try container.encode(string(date))
    }
}
