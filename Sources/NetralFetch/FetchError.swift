/// Why a fetch produced no capture. Every case names the URL, so a scan summary can say which
/// target failed and why. URLs here never carry credentials: the config refuses them.
public enum FetchError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The text is not an absolute URL.
    case invalidURL(String)
    /// Only http and https are fetched, also on redirects.
    case unsupportedScheme(url: String, scheme: String)
    /// The body grew past the cap (as received or after decompression), or Content-Length announced more.
    case tooLarge(url: String, limit: Int)
    /// The body's Content-Encoding (gzip, deflate) could not be undone: corrupt or cut short.
    case badContentEncoding(url: String, coding: String, reason: String)
    /// The response headers grew past the cap.
    case headersTooLarge(url: String, limit: Int)
    case tooManyRedirects(url: String, limit: Int)
    case timedOut(url: String, seconds: Double)
    /// Fewer than `bytesPerSecond` arrived for `seconds` in a row (the low-speed abort).
    case tooSlow(url: String, bytesPerSecond: Int, seconds: Int)
    /// curl was about to connect to a loopback, private, link-local or multicast address and the
    /// target does not allow it (`allow_private: true`).
    case privateAddress(url: String, address: String)
    /// Any other libcurl failure: code and message from libcurl.
    case transfer(url: String, code: Int, message: String)
    /// libcurl refused an option; a build or version problem, not the target's fault.
    case setup(option: String, message: String)
    /// The task that asked for the fetch was cancelled, or the engine shut down.
    case cancelled(url: String)

    public var description: String {
        switch self {
        case .invalidURL(let url):
            "invalid URL '\(url)': expected an absolute http or https URL"
        case let .unsupportedScheme(url, scheme):
            "refused to fetch \(url): scheme '\(scheme)' is not allowed (only http and https)"
        case let .tooLarge(url, limit):
            "\(url): body larger than the limit of \(limit) bytes"
        case let .badContentEncoding(url, coding, reason):
            "\(url): the body is sent with Content-Encoding '\(coding)' but cannot be decoded: \(reason)"
        case let .headersTooLarge(url, limit):
            "\(url): response headers larger than the limit of \(limit) bytes"
        case let .tooManyRedirects(url, limit):
            "\(url): more than \(limit) redirects"
        case let .timedOut(url, seconds):
            "\(url): timed out after \(seconds) s"
        case let .tooSlow(url, rate, seconds):
            "\(url): aborted, fewer than \(rate) bytes/s for \(seconds) s"
        case let .privateAddress(url, address):
            "\(url): refused to connect to \(address), a loopback, private, link-local or multicast address (the target may say "
                + "allow_private: true)"
        case let .transfer(url, code, message):
            "\(url): fetch failed (curl error \(code)): \(message)"
        case let .setup(option, message):
            "libcurl rejected option \(option): \(message)"
        case .cancelled(let url):
            "\(url): cancelled"
        }
    }

    /// Worth another try later in the same run: timeouts and broken connections. A refused
    /// address, a cap or a bad URL will not change.
    public var isTransient: Bool {
        switch self {
        case .timedOut: return true
        case .transfer(_, let code, _):
            // 7 could not connect, 16 HTTP/2 framing, 18 partial file, 52 empty reply,
            // 55 send error, 56 receive error (reset), 92 HTTP/2 stream error.
            return [7, 16, 18, 52, 55, 56, 92].contains(code)
        default: return false
        }
    }
}

/// A fetch that failed after every attempt the retry policy allowed.
public struct FetchFailure: Error, Sendable, Equatable, CustomStringConvertible {
    public var error: FetchError
    public var attempts: Int

    public init(error: FetchError, attempts: Int) {
        self.error = error
        self.attempts = attempts
    }

    public var description: String {
        attempts > 1 ? "\(error) (after \(attempts) attempts)" : "\(error)"
    }
}
