public import Foundation

/// Limits, politeness and identity for fetching. The defaults are the ones `netral.yaml` documents.
public struct FetchOptions: Sendable, Equatable {
    /// Sent as User-Agent; must name a contact (a URL or an e-mail address) so site owners can
    /// reach the operator.
    public var userAgent: String
    /// Seconds to establish a connection.
    public var connectTimeout: Double
    /// Seconds for the whole transfer, redirects included.
    public var totalTimeout: Double
    public var maxRedirects: Int
    /// Cap on the body after decompression, in bytes.
    public var maxBodyBytes: Int
    /// Cap on one response's headers, in bytes.
    public var maxHeaderBytes: Int
    /// Transfers at once, over all hosts.
    public var maxConcurrency: Int
    /// Transfers at once to one host (scheme, name and port).
    public var perHostConcurrency: Int
    /// Seconds between the starts of two requests to one host; up to 20 % jitter is added.
    public var perHostDelay: Double
    /// The low-speed abort: fewer than `lowSpeedLimit` bytes/s for `lowSpeedTime` seconds ends
    /// the transfer, so a server dripping one byte a second does not cost the whole timeout.
    public var lowSpeedLimit: Int
    public var lowSpeedTime: Int
    /// Tries per URL (1 = no retry) on timeouts, broken connections, 408, 429 and 5xx.
    public var maxAttempts: Int
    /// The first backoff in seconds; each retry doubles it, with jitter.
    public var retryBaseDelay: Double
    /// The longest wait a Retry-After header can ask for; a longer one is cut to this.
    public var retryAfterCap: Double
    /// Fixed name-to-address mappings, as curl's `--resolve`: `host:port:address`.
    public var resolve: [String]

    public static let defaultUserAgent = "Netral/0.1 (+https://github.com/netral-id/netral; pemantauan netralitas ASN)"

    public init(
        userAgent: String = FetchOptions.defaultUserAgent,
        connectTimeout: Double = 10,
        totalTimeout: Double = 30,
        maxRedirects: Int = 5,
        maxBodyBytes: Int = 10 * 1024 * 1024,
        maxHeaderBytes: Int = 64 * 1024,
        maxConcurrency: Int = 16,
        perHostConcurrency: Int = 2,
        perHostDelay: Double = 1,
        lowSpeedLimit: Int = 100,
        lowSpeedTime: Int = 10,
        maxAttempts: Int = 3,
        retryBaseDelay: Double = 1,
        retryAfterCap: Double = 120,
        resolve: [String] = []
    ) {
        self.userAgent = userAgent
        self.connectTimeout = connectTimeout
        self.totalTimeout = totalTimeout
        self.maxRedirects = maxRedirects
        self.maxBodyBytes = maxBodyBytes
        self.maxHeaderBytes = maxHeaderBytes
        self.maxConcurrency = maxConcurrency
        self.perHostConcurrency = perHostConcurrency
        self.perHostDelay = perHostDelay
        self.lowSpeedLimit = lowSpeedLimit
        self.lowSpeedTime = lowSpeedTime
        self.maxAttempts = maxAttempts
        self.retryBaseDelay = retryBaseDelay
        self.retryAfterCap = retryAfterCap
        self.resolve = resolve
    }
}

/// One URL to fetch and what the caller knows about it.
public struct FetchRequest: Sendable, Equatable {
    public var url: String
    /// From the last fetch, for a conditional GET (If-None-Match / If-Modified-Since).
    public var etag: String?
    public var lastModified: String?
    /// Let the URL's own host be on a loopback, private, link-local or multicast address (a
    /// target's `allow_private`). Redirects to other hosts on such addresses stay refused.
    public var allowPrivate: Bool
    /// `user:password` for HTTP Basic, read from the environment variable the target names.
    /// Never logged, never stored; curl sends it only to the URL's own host.
    public var credentials: String?
    /// An OAuth 2 bearer token (a signed-in API session), sent as `Authorization: Bearer` to
    /// the URL's own host only. Never logged, never in the capture's request headers.
    public var bearerToken: String?
    /// When set, the request is a POST of this JSON body (an API call such as signing in).
    /// The body is never kept in the capture: it may hold a password.
    public var jsonBody: Data?

    public init(url: String, etag: String? = nil, lastModified: String? = nil, allowPrivate: Bool = false, credentials: String? = nil,
                bearerToken: String? = nil, jsonBody: Data? = nil) {
        self.url = url
        self.etag = etag
        self.lastModified = lastModified
        self.allowPrivate = allowPrivate
        self.credentials = credentials
        self.bearerToken = bearerToken
        self.jsonBody = jsonBody
    }
}
