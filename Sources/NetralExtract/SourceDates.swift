import Foundation
import NetralModel

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
    return ISODate.parse(trimmed) ?? parseRFC822Date(trimmed)
}

/// A date as metadata shows it: ISO 8601 in UTC.
func formatISO8601(_ date: Date) -> String {
    let formatter = ISO8601DateFormatter()
    formatter.timeZone = TimeZone(secondsFromGMT: 0)
    return formatter.string(from: date)
}
