import Foundation

/// Parses the ISO 8601 / RFC 3339 forms that feeds and APIs write: `2024-01-20T19:30:00+07:00`,
/// any number of fractional digits (Bluesky writes microseconds), `Z`, `+0700`, no zone at all
/// (read as UTC; old Bluesky records have none), a space instead of `T`, and a plain date.
///
/// Written by hand rather than with `ISO8601DateFormatter`, whose acceptance of fractional digits
/// and missing zones differs between platforms.
func parseISO8601Lenient(_ text: String) -> Date? {
    let scalars = Array(text.trimmingCharacters(in: .whitespacesAndNewlines).utf8)
    var index = 0

    func number(_ digits: Int) -> Int? {
        guard index + digits <= scalars.count else { return nil }
        var value = 0
        for offset in 0..<digits {
            let byte = scalars[index + offset]
            guard byte >= 0x30 && byte <= 0x39 else { return nil }
            value = value * 10 + Int(byte - 0x30)
        }
        index += digits
        return value
    }
    func take(_ byte: UInt8) -> Bool {
        guard index < scalars.count, scalars[index] == byte else { return false }
        index += 1
        return true
    }

    guard let year = number(4), take(0x2D), let month = number(2), take(0x2D), let day = number(2) else { return nil }
    var components = DateComponents(year: year, month: month, day: day, hour: 0, minute: 0, second: 0)
    var offsetSeconds = 0
    if index < scalars.count {
        guard take(0x54) || take(0x74) || take(0x20) else { return nil }
        guard let hour = number(2), take(0x3A), let minute = number(2) else { return nil }
        components.hour = hour
        components.minute = minute
        if take(0x3A) {
            guard let second = number(2) else { return nil }
            components.second = second
        }
        if take(0x2E) || take(0x2C) {
            var fraction = 0.0
            var scale = 0.1
            var digits = 0
            while index < scalars.count, scalars[index] >= 0x30 && scalars[index] <= 0x39 {
                fraction += Double(scalars[index] - 0x30) * scale
                scale /= 10
                index += 1
                digits += 1
            }
            guard digits > 0 else { return nil }
            components.nanosecond = Int((fraction * 1_000_000_000).rounded())
        }
        if take(0x5A) || take(0x7A) {
            offsetSeconds = 0
        } else if index < scalars.count {
            let sign: Int
            if take(0x2B) { sign = 1 } else if take(0x2D) { sign = -1 } else { return nil }
            guard let hours = number(2) else { return nil }
            _ = take(0x3A)
            let minutes = number(2) ?? 0
            offsetSeconds = sign * (hours * 3600 + minutes * 60)
        }
        guard index == scalars.count else { return nil }
    }
    guard (1...12).contains(month), (1...31).contains(day), (0...23).contains(components.hour ?? 0),
          (0...59).contains(components.minute ?? 0), (0...60).contains(components.second ?? 0)
    else { return nil }
    components.timeZone = TimeZone(secondsFromGMT: 0)
    var calendar = Calendar(identifier: .gregorian)
    calendar.timeZone = TimeZone(secondsFromGMT: 0)!
    guard let date = calendar.date(from: components) else { return nil }
    return date.addingTimeInterval(TimeInterval(-offsetSeconds))
}

/// Parses RFC 822 / RFC 2822 dates as RSS `pubDate` writes them, and the variants Indonesian feeds
/// write: `Sat, 20 Jan 2024 19:30:00 +0700`, `20 Jan 2024 19:30 WIB`, `Sabtu, 20 Januari 2024
/// 19.30 WITA`, two-digit years, `+07:00`, and the zone names GMT, UT, UTC, Z, the US zones,
/// WIB (+07:00), WITA (+08:00) and WIT (+09:00). A missing or unknown zone is read as UTC.
func parseRFC822Date(_ text: String) -> Date? {
    var words = text
        .replacingOccurrences(of: ",", with: " ")
        .split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\n" || $0 == "\r" })
        .map(String.init)
    // A leading day name, in any language, is not needed.
    if let first = words.first, first.first?.isLetter == true { words.removeFirst() }
    guard words.count >= 3, let day = Int(words[0]), let month = monthNumber(words[1]), var year = Int(words[2]) else {
        return nil
    }
    if words[2].count == 2 { year += year < 50 ? 2000 : 1900 }
    var hour = 0, minute = 0, second = 0
    var offset = 0
    if words.count >= 4 {
        let time = words[3].split(whereSeparator: { $0 == ":" || $0 == "." }).map { Int($0) }
        guard time.count >= 2, let h = time[0], let m = time[1] else { return nil }
        hour = h
        minute = m
        if time.count >= 3 {
            guard let s = time[2] else { return nil }
            second = s
        }
    }
    if words.count >= 5 {
        offset = zoneOffset(words[4]) ?? 0
    }
    guard (1...31).contains(day), (0...23).contains(hour), (0...59).contains(minute), (0...60).contains(second) else {
        return nil
    }
    var calendar = Calendar(identifier: .gregorian)
    calendar.timeZone = TimeZone(secondsFromGMT: 0)!
    let components = DateComponents(year: year, month: month, day: day, hour: hour, minute: minute, second: second)
    guard let date = calendar.date(from: components) else { return nil }
    return date.addingTimeInterval(TimeInterval(-offset))
}

/// English and Indonesian month names and their usual abbreviations.
private func monthNumber(_ word: String) -> Int? {
    let key = String(word.lowercased().trimmingCharacters(in: CharacterSet(charactersIn: ".")).prefix(3))
    let months: [String: Int] = [
        "jan": 1, "feb": 2, "peb": 2, "mar": 3, "apr": 4, "may": 5, "mei": 5, "jun": 6, "jul": 7,
        "aug": 8, "agu": 8, "agt": 8, "sep": 9, "oct": 10, "okt": 10, "nov": 11, "nop": 11, "dec": 12, "des": 12,
    ]
    return months[key]
}

/// Seconds east of UTC for a numeric offset (`+0700`, `+07:00`) or a known zone name.
private func zoneOffset(_ word: String) -> Int? {
    let upper = word.uppercased()
    let names: [String: Int] = [
        "GMT": 0, "UT": 0, "UTC": 0, "Z": 0,
        "EST": -5, "EDT": -4, "CST": -6, "CDT": -5, "MST": -7, "MDT": -6, "PST": -8, "PDT": -7,
        "WIB": 7, "WITA": 8, "WIT": 9,
    ]
    if let hours = names[upper] { return hours * 3600 }
    guard let signCharacter = upper.first, signCharacter == "+" || signCharacter == "-" else { return nil }
    let digits = upper.dropFirst().filter(\.isNumber)
    guard digits.count == 4 || digits.count == 2, let value = Int(digits) else { return nil }
    let hours = digits.count == 4 ? value / 100 : value
    let minutes = digits.count == 4 ? value % 100 : 0
    guard hours <= 14, minutes < 60 else { return nil }
    return (signCharacter == "-" ? -1 : 1) * (hours * 3600 + minutes * 60)
}

/// A feed or API date in whichever form it comes: ISO 8601 first, then RFC 822.
func parseFeedDate(_ text: String) -> Date? {
    let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
    guard !trimmed.isEmpty else { return nil }
    return parseISO8601Lenient(trimmed) ?? parseRFC822Date(trimmed)
}

/// A date as metadata shows it: ISO 8601 in UTC.
func formatISO8601(_ date: Date) -> String {
    let formatter = ISO8601DateFormatter()
    formatter.timeZone = TimeZone(secondsFromGMT: 0)
    return formatter.string(from: date)
}
