import Foundation
public import NetralModel

/// Fetches one URL at a time through libcurl and hands back a `Capture`.
///
/// `curl_easy_perform` blocks, so each fetch runs on a Dispatch worker thread rather than on
/// Swift's cooperative pool, which must never block.
public struct Fetcher: Sendable {
    public let options: FetchOptions

    public init(options: FetchOptions = FetchOptions()) {
        self.options = options
    }

    /// GETs `url`, following at most `options.maxRedirects` redirects over http and https.
    ///
    /// Returns a capture for any HTTP status; a 404 is a capture, not an error. Throws
    /// `FetchError` when no response could be had.
    public func fetch(_ url: String) async throws -> Capture {
        try Self.validate(url)
        let options = options
        return try await withCheckedThrowingContinuation { continuation in
            DispatchQueue.global(qos: .utility).async {
                do {
                    let transfer = try EasyTransfer(url: url, options: options)
                    continuation.resume(returning: try transfer.perform())
                } catch {
                    continuation.resume(throwing: error)
                }
            }
        }
    }

    /// Rejects anything but an absolute http(s) URL before libcurl sees it.
    static func validate(_ url: String) throws {
        guard let parsed = URL(string: url), let scheme = parsed.scheme?.lowercased(), parsed.host != nil else {
            throw FetchError.invalidURL(url)
        }
        guard scheme == "http" || scheme == "https" else {
            throw FetchError.unsupportedScheme(url: url, scheme: scheme)
        }
    }
}
