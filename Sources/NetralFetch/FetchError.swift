/// Why a fetch produced no capture. Every case names the URL, so a scan summary can say which
/// target failed and why.
public enum FetchError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The text is not an absolute URL.
    case invalidURL(String)
    /// Only http and https are fetched, also on redirects.
    case unsupportedScheme(url: String, scheme: String)
    /// The body grew past the cap (after decompression), or Content-Length announced more.
    case tooLarge(url: String, limit: Int)
    case tooManyRedirects(url: String, limit: Int)
    case timedOut(url: String, seconds: Double)
    /// Any other libcurl failure: code and message from libcurl.
    case transfer(url: String, code: Int, message: String)
    /// libcurl refused an option; a build or version problem, not the target's fault.
    case setup(option: String, message: String)

    public var description: String {
        switch self {
        case .invalidURL(let url):
            "invalid URL '\(url)': expected an absolute http or https URL"
        case let .unsupportedScheme(url, scheme):
            "refused to fetch \(url): scheme '\(scheme)' is not allowed (only http and https)"
        case let .tooLarge(url, limit):
            "\(url): body larger than the limit of \(limit) bytes"
        case let .tooManyRedirects(url, limit):
            "\(url): more than \(limit) redirects"
        case let .timedOut(url, seconds):
            "\(url): timed out after \(seconds) s"
        case let .transfer(url, code, message):
            "\(url): fetch failed (curl error \(code)): \(message)"
        case let .setup(option, message):
            "libcurl rejected option \(option): \(message)"
        }
    }
}
