import Foundation

/// Parses the timestamp forms pages use: ISO 8601 / RFC 3339 date-times with or without
/// fractional seconds and with `Z`, `±HH:MM`, `±HHMM` or `±HH`, a space instead of `T`, and
/// plain dates (`2024-01-20`, midnight UTC). A date-time without an offset is read as UTC
/// (`TimestampParts` keeps what was written, for a caller that knows the page's zone).
///
/// Hand-written rather than `ISO8601DateFormatter`: creating formatters per call was the
/// largest cost of extraction after parsing, and the formatter rejects common variants
/// (`+0800`, a space separator).
func parseTimestamp(_ text: String) -> Date? {
    parseTimestampParts(text)?.instant(zone: nil)
}

/// A machine timestamp as written: its wall-clock time read as if it were UTC, and what it said
/// about its zone. Pages often write local time with no offset, or even with a `Z` that is not
/// true; `PageReader` corrects those with the zone the page prints.
struct TimestampParts: Equatable {
    enum Zone: Equatable {
        /// No offset at all.
        case none
        /// `Z`.
        case zulu
        /// An explicit numeric offset, in seconds east of UTC.
        case offset(Int)
    }

    /// Seconds since 1970 of the wall-clock time, as if it were UTC.
    var wallClock: Double
    var zone: Zone
    var hasTime: Bool

    /// The instant, reading an offset-less time in `zone` (seconds east of UTC; nil: UTC).
    func instant(zone pageZone: Int?) -> Date {
        switch zone {
        case .none: Date(timeIntervalSince1970: wallClock - Double(hasTime ? (pageZone ?? 0) : 0))
        case .zulu: Date(timeIntervalSince1970: wallClock)
        case let .offset(seconds): Date(timeIntervalSince1970: wallClock - Double(seconds))
        }
    }
}

func parseTimestampParts(_ text: String) -> TimestampParts? {
    guard let trimmed = nonEmpty(text) else { return nil }
    var scanner = DigitScanner(trimmed[...].utf8)
    guard let year = scanner.number(digits: 4), scanner.skip("-"), let month = scanner.number(digits: 2), scanner.skip("-"),
          let day = scanner.number(digits: 2), (1...12).contains(month), (1...daysInMonth(year: year, month: month)).contains(day)
    else { return nil }
    var seconds = Double(daysFromCivil(year: year, month: month, day: day)) * 86_400
    if scanner.atEnd { return TimestampParts(wallClock: seconds, zone: .none, hasTime: false) }
    // "2015-11-05 T10:08:58Z" (a space before the T) is common enough to accept.
    let separated = scanner.skip(" ")
    guard scanner.skip("T") || scanner.skip("t") || separated,
          let hour = scanner.number(digits: 2), scanner.skip(":"), let minute = scanner.number(digits: 2),
          hour <= 24, minute <= 59
    else { return nil }
    var second = 0
    if scanner.skip(":") {
        guard let value = scanner.number(digits: 2), value <= 60 else { return nil }
        second = value
    }
    var fraction = 0.0
    if scanner.skip(".") || scanner.skip(",") {
        var scale = 0.1
        var any = false
        while let digit = scanner.digit() {
            fraction += Double(digit) * scale
            scale /= 10
            any = true
        }
        guard any else { return nil }
    }
    seconds += Double(hour * 3600 + minute * 60 + second) + fraction
    if scanner.atEnd { return TimestampParts(wallClock: seconds, zone: .none, hasTime: true) }
    if scanner.skip("Z") || scanner.skip("z") {
        return scanner.atEnd ? TimestampParts(wallClock: seconds, zone: .zulu, hasTime: true) : nil
    }
    let sign: Int
    if scanner.skip("+") { sign = 1 } else if scanner.skip("-") { sign = -1 } else { return nil }
    guard let offsetHours = scanner.number(digits: 2), offsetHours <= 14 else { return nil }
    var offsetMinutes = 0
    _ = scanner.skip(":")
    if !scanner.atEnd {
        guard let value = scanner.number(digits: 2), value <= 59 else { return nil }
        offsetMinutes = value
    }
    guard scanner.atEnd else { return nil }
    return TimestampParts(wallClock: seconds, zone: .offset(sign * (offsetHours * 3600 + offsetMinutes * 60)), hasTime: true)
}

/// Parses the human dates Indonesian pages print, when a site profile's `time` selects text
/// rather than a `datetime` attribute: `20 Januari 2024`, `Sabtu, 20 Jan 2024 19.30 WIB`,
/// `20/01/2024 19:30 WITA`. WIB, WITA and WIT are UTC+7, +8 and +9; without a zone, UTC.
/// ISO 8601 text is accepted as well.
func parseHumanTimestamp(_ text: String) -> Date? {
    if let date = parseTimestamp(text) { return date }
    let words = text.lowercased()
        .replacingOccurrences(of: ",", with: " ")
        .split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\n" || $0 == "|" })
        .map(String.init)
    var day: Int?, month: Int?, year: Int?, hour = 0, minute = 0, offset = 0
    for word in words {
        if day == nil, year == nil, word.contains("/") || (word.contains("-") && word.first?.isNumber == true) {
            let parts = word.split(whereSeparator: { $0 == "/" || $0 == "-" }).compactMap { Int($0) }
            if parts.count == 3 {
                if parts[0] > 31 { (year, month, day) = (parts[0], parts[1], parts[2]) } else { (day, month, year) = (parts[0], parts[1], parts[2]) }
                continue
            }
        }
        if let number = Int(word) {
            if day == nil, month == nil, (1...31).contains(number) { day = number } else if year == nil, number >= 1900, number <= 2200 { year = number }
            continue
        }
        if month == nil, let value = monthNumbers[String(word.prefix(3))], word.count >= 3 {
            month = value
            continue
        }
        let clock = word.split(whereSeparator: { $0 == ":" || $0 == "." })
        if clock.count >= 2, let h = Int(clock[0]), let m = Int(clock[1]), h < 24, m < 60, year != nil || day != nil {
            hour = h
            minute = m
            continue
        }
        switch word {
        case "wib": offset = 7
        case "wita": offset = 8
        case "wit": offset = 9
        default: break
        }
    }
    guard let day, let month, let year, (1...12).contains(month), (1...daysInMonth(year: year, month: month)).contains(day) else {
        return nil
    }
    let seconds = Double(daysFromCivil(year: year, month: month, day: day)) * 86_400 + Double(hour * 3600 + minute * 60 - offset * 3600)
    return Date(timeIntervalSince1970: seconds)
}

/// Indonesian and English month names by their first three letters.
private let monthNumbers: [String: Int] = [
    "jan": 1, "feb": 2, "peb": 2, "mar": 3, "apr": 4, "mei": 5, "may": 5, "jun": 6, "jul": 7, "agu": 8, "aug": 8,
    "agt": 8, "sep": 9, "okt": 10, "oct": 10, "nov": 11, "nop": 11, "des": 12, "dec": 12,
]

/// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's `days_from_civil`).
func daysFromCivil(year: Int, month: Int, day: Int) -> Int {
    let shifted = month <= 2 ? year - 1 : year
    let era = (shifted >= 0 ? shifted : shifted - 399) / 400
    let yearOfEra = shifted - era * 400
    let dayOfYear = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1
    let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
    return era * 146_097 + dayOfEra - 719_468
}

func daysInMonth(year: Int, month: Int) -> Int {
    switch month {
    case 2: return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
    case 4, 6, 9, 11: return 30
    default: return 31
    }
}

/// Reads fixed-width numbers and literal characters from UTF-8.
private struct DigitScanner {
    private var bytes: Substring.UTF8View.Iterator
    private var peeked: UInt8?

    init(_ bytes: Substring.UTF8View) {
        self.bytes = bytes.makeIterator()
        self.peeked = self.bytes.next()
    }

    var atEnd: Bool { peeked == nil }

    mutating func advance() { peeked = bytes.next() }

    mutating func skip(_ character: Unicode.Scalar) -> Bool {
        guard peeked == UInt8(character.value) else { return false }
        advance()
        return true
    }

    mutating func digit() -> Int? {
        guard let byte = peeked, byte >= 0x30, byte <= 0x39 else { return nil }
        advance()
        return Int(byte - 0x30)
    }

    mutating func number(digits: Int) -> Int? {
        var value = 0
        for _ in 0..<digits {
            guard let digit = digit() else { return nil }
            value = value * 10 + digit
        }
        return value
    }
}
