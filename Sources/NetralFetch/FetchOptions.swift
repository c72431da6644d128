public import Foundation
public import NetralModel

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

/// How a request treats redirects.
public enum RedirectPolicy: Sendable, Equatable {
    /// Follow up to `FetchOptions.maxRedirects` redirects over http and https.
    case follow
    /// Return the redirect itself as the answer: for a request carrying a token that must not
    /// travel to another address (a push to a case tracker).
    case refuse
}

/// How often and how patiently a request is tried: timeouts, broken connections, 408, 429 and
/// 5xx (and `alsoRetry`) are tried again, after the server's Retry-After (capped) or an
/// exponential backoff with jitter.
public struct RetryPolicy: Sendable, Equatable {
    /// Tries in all (1 = no retry).
    public var attempts: Int
    /// The first backoff in seconds; each retry doubles it, with jitter.
    public var baseDelay: Double
    /// The longest Retry-After honoured, in seconds.
    public var retryAfterCap: Double
    /// Statuses retried besides 408, 429 and 5xx (a webhook's 409: still busy with this key).
    public var alsoRetry: Set<Int>

    public init(attempts: Int, baseDelay: Double, retryAfterCap: Double, alsoRetry: Set<Int> = []) {
        self.attempts = attempts
        self.baseDelay = baseDelay
        self.retryAfterCap = retryAfterCap
        self.alsoRetry = alsoRetry
    }

    public func retries(status: Int) -> Bool {
        RetryDelay.isRetryable(status: status) || alsoRetry.contains(status)
    }
}

/// How much of an answer's body is taken.
public enum BodyLimit: Sendable, Equatable {
    /// More than this many bytes (as received or decoded) fails the request (`FetchError.tooLarge`).
    case refuseAbove(Int)
    /// The first bytes are kept and the rest is read and dropped: for an answer only read for
    /// its message (a case tracker's reply).
    case keepFirst(Int)

    var bytes: Int {
        switch self {
        case .refuseAbove(let bytes), .keepFirst(let bytes): bytes
        }
    }
}

/// One request and what the caller knows about it. The defaults are a polite, conditional GET
/// under the engine's options; a POST to an API, a case tracker or a time-stamping authority
/// sets its method, body, headers and limits here, and goes through the same engine: the same
/// address policy, User-Agent, caps and retries.
public struct FetchRequest: Sendable, Equatable {
    public var url: String
    /// `GET`, `POST`, `HEAD`, or another method name.
    public var method: String
    /// Sent as the request body. Never kept in the capture: it may hold a password.
    public var body: Data?
    /// Headers sent besides the engine's (an own `Accept` replaces the default one). Kept in
    /// the capture's request headers: never put a secret here (see `credentials` and `bearerToken`).
    public var headers: [HTTPHeader]
    /// From the last fetch, for a conditional GET (If-None-Match / If-Modified-Since).
    public var etag: String?
    public var lastModified: String?
    /// Let the URL's own host be on a loopback, private, link-local or multicast address (a
    /// target's `allow_private`). Redirects to other hosts on such addresses stay refused.
    public var allowPrivate: Bool
    /// `user:password` for HTTP Basic, read from the environment variable the target names.
    /// Never logged, never stored; curl sends it only to the URL's own host.
    public var credentials: String?
    /// An OAuth 2 bearer token (a signed-in API session, a case tracker's key), sent as
    /// `Authorization: Bearer` to the URL's own host only. Never logged, never in the capture's
    /// request headers.
    public var bearerToken: String?
    public var redirects: RedirectPolicy
    /// Nil: the engine's (`FetchOptions.maxAttempts`, `retryBaseDelay`, `retryAfterCap`).
    public var retry: RetryPolicy?
    /// Seconds; nil: the engine's.
    public var connectTimeout: Double?
    public var totalTimeout: Double?
    /// Nil: refuse above `FetchOptions.maxBodyBytes`.
    public var bodyLimit: BodyLimit?
    /// Whether the host's delay between requests (`per_host_delay`, Crawl-delay) applies. Off
    /// for a service Netral is a client of (a time-stamping authority, a case tracker), where
    /// the delay is a crawler's courtesy that would only slow the run.
    public var paced: Bool

    public init(
        url: String, method: String = "GET", body: Data? = nil, headers: [HTTPHeader] = [], etag: String? = nil,
        lastModified: String? = nil, allowPrivate: Bool = false, credentials: String? = nil, bearerToken: String? = nil,
        redirects: RedirectPolicy = .follow, retry: RetryPolicy? = nil, connectTimeout: Double? = nil, totalTimeout: Double? = nil,
        bodyLimit: BodyLimit? = nil, paced: Bool = true
    ) {
        self.url = url
        self.method = method
        self.body = body
        self.headers = headers
        self.etag = etag
        self.lastModified = lastModified
        self.allowPrivate = allowPrivate
        self.credentials = credentials
        self.bearerToken = bearerToken
        self.redirects = redirects
        self.retry = retry
        self.connectTimeout = connectTimeout
        self.totalTimeout = totalTimeout
        self.bodyLimit = bodyLimit
        self.paced = paced
    }

    /// A POST of a JSON body (an API call such as signing in).
    public static func postJSON(url: String, body: Data, allowPrivate: Bool = false, bearerToken: String? = nil) -> FetchRequest {
        FetchRequest(
            url: url, method: "POST", body: body, headers: [HTTPHeader(name: "Content-Type", value: "application/json")],
            allowPrivate: allowPrivate, bearerToken: bearerToken)
    }
}

extension FetchOptions {
    /// The retries a request gets when it names none.
    public var retryPolicy: RetryPolicy {
        RetryPolicy(attempts: maxAttempts, baseDelay: retryBaseDelay, retryAfterCap: retryAfterCap)
    }
}
