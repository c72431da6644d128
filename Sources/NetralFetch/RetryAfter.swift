public import Foundation

/// When to try again: the server's Retry-After (seconds or an HTTP date, capped), else
/// exponential backoff with jitter.
public enum RetryDelay {
    /// Seconds a Retry-After value asks for, never negative; nil when it is neither form.
    public static func retryAfter(_ value: String, now: Date = Date()) -> Double? {
        let trimmed = value.trimmingCharacters(in: .whitespaces)
        if let seconds = Int(trimmed) { return Double(max(0, seconds)) }
        for format in ["EEE, dd MMM yyyy HH:mm:ss zzz", "EEEE, dd-MMM-yy HH:mm:ss zzz", "EEE MMM d HH:mm:ss yyyy"] {
            let formatter = DateFormatter()
            formatter.locale = Locale(identifier: "en_US_POSIX")
            formatter.timeZone = TimeZone(identifier: "GMT")
            formatter.dateFormat = format
            if let date = formatter.date(from: trimmed) { return max(0, date.timeIntervalSince(now)) }
        }
        return nil
    }

    /// The wait before attempt `attempt + 1` (attempt counts from 1): `base·2^(attempt−1)`
    /// times a jitter factor in [0.5, 1.5), or the capped Retry-After when the server sent one.
    public static func seconds(afterAttempt attempt: Int, base: Double, retryAfter: String?, cap: Double, now: Date = Date()) -> Double {
        if let retryAfter, let asked = Self.retryAfter(retryAfter, now: now) {
            return min(asked, cap)
        }
        let backoff = base * pow(2, Double(max(0, attempt - 1)))
        return min(backoff * Double.random(in: 0.5..<1.5), cap)
    }

    /// HTTP statuses worth another try: request timeout, too many requests, server errors.
    public static func isRetryable(status: Int) -> Bool {
        status == 408 || status == 429 || (500...599).contains(status)
    }
}
