public import Foundation

/// ISO 8601 / RFC 3339 date-times as feeds, APIs and platforms write them, read one way for
/// every module (extraction and the platform parsers).
public enum ISODate {
    /// Parses the ISO 8601 / RFC 3339 forms that feeds and APIs write: `2024-01-20T19:30:00+07:00`,
    /// any number of fractional digits (Bluesky writes microseconds), `Z`, `+0700`, no zone at all
    /// (read as UTC; old Bluesky records have none), a space instead of `T`, and a plain date.
    ///
    /// Written by hand rather than with `ISO8601DateFormatter`, whose acceptance of fractional digits
    /// and missing zones differs between platforms.
    public static func parse(_ text: String) -> Date? {
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
}
