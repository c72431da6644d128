public import Foundation

/// One HTTP header as it was received, in order. Names keep their original case.
public struct HTTPHeader: Sendable, Codable, Equatable {
    public var name: String
    public var value: String

    public init(name: String, value: String) {
        self.name = name
        self.value = value
    }
}

/// Durations of one fetch, in seconds, as libcurl measured them.
public struct FetchTimings: Sendable, Codable, Equatable {
    public var nameLookup: Double
    public var connect: Double
    public var firstByte: Double
    public var total: Double

    public init(nameLookup: Double = 0, connect: Double = 0, firstByte: Double = 0, total: Double = 0) {
        self.nameLookup = nameLookup
        self.connect = connect
        self.firstByte = firstByte
        self.total = total
    }
}

/// What was fetched, exactly: the request, where it ended up, and the raw bytes received.
///
/// A capture is produced by `NetralFetch` (or read from a local file) and never changed
/// afterwards; the evidence bundle stores its body byte for byte.
public struct Capture: Sendable, Codable, Equatable {
    /// The URL that was asked for.
    public var requestURL: String
    /// The URL of the last response, after redirects.
    public var finalURL: String
    /// Every URL visited on the way, starting with `requestURL`, ending with `finalURL`.
    public var redirectChain: [String]
    /// HTTP status of the final response (0 for a local file).
    public var status: Int
    /// Headers of the final response.
    public var headers: [HTTPHeader]
    /// The body after content decoding (gzip, deflate), as received.
    public var body: Data
    /// When the fetch started, UTC.
    public var fetchedAt: Date
    public var timings: FetchTimings
    /// The IP address of the server that answered, when known.
    public var peerIP: String?
    /// The HTTP version of the final response as received (`HTTP/1.1`, `HTTP/2`), when known.
    public var httpVersion: String?
    /// The headers of the final request as sent, when the fetcher reports them.
    public var requestHeaders: [HTTPHeader]
    /// A one-line summary of the TLS session (protocol, cipher, certificate subject), when known.
    public var tlsSummary: String?
    /// The body exactly as received, before content decoding, when the response had a
    /// Content-Encoding (for a coding the fetcher cannot decode it equals `body`, which then
    /// is still encoded); nil for an unencoded response or a capture read back from a file or
    /// WARC. A WARC capture stores these bytes, with the Content-Encoding header, when present.
    public var encodedBody: Data?

    public init(
        requestURL: String,
        finalURL: String,
        redirectChain: [String] = [],
        status: Int,
        headers: [HTTPHeader] = [],
        body: Data,
        fetchedAt: Date,
        timings: FetchTimings = FetchTimings(),
        peerIP: String? = nil,
        httpVersion: String? = nil,
        requestHeaders: [HTTPHeader] = [],
        tlsSummary: String? = nil,
        encodedBody: Data? = nil
    ) {
        self.requestURL = requestURL
        self.finalURL = finalURL
        self.redirectChain = redirectChain.isEmpty ? [requestURL] : redirectChain
        self.status = status
        self.headers = headers
        self.body = body
        self.fetchedAt = fetchedAt
        self.timings = timings
        self.peerIP = peerIP
        self.httpVersion = httpVersion
        self.requestHeaders = requestHeaders
        self.tlsSummary = tlsSummary
        self.encodedBody = encodedBody
    }

    /// The value of the last header with this name (case-insensitive), as HTTP keeps the last one.
    public func header(_ name: String) -> String? {
        headers.last { $0.name.caseInsensitiveCompare(name) == .orderedSame }?.value
    }

    /// The media type of the body without parameters, lowercased (`text/html`).
    public var mediaType: String? {
        guard let value = header("Content-Type") else { return nil }
        let type = value.split(separator: ";", maxSplits: 1).first.map(String.init) ?? value
        return type.trimmingCharacters(in: .whitespaces).lowercased()
    }

    /// The `charset` parameter of the Content-Type header, if any.
    public var declaredCharset: String? {
        guard let value = header("Content-Type") else { return nil }
        for parameter in value.split(separator: ";").dropFirst() {
            let parts = parameter.split(separator: "=", maxSplits: 1)
            guard parts.count == 2 else { continue }
            if parts[0].trimmingCharacters(in: .whitespaces).lowercased() == "charset" {
                return parts[1].trimmingCharacters(in: CharacterSet(charactersIn: " \"'"))
            }
        }
        return nil
    }

    private enum CodingKeys: String, CodingKey {
        case requestURL, finalURL, redirectChain, status, headers, fetchedAt, timings, peerIP
        case httpVersion, requestHeaders, tlsSummary
        case bodySize
    }

    /// The body is not encoded: bundles store it as its own file, and JSON output stays readable.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(requestURL, forKey: .requestURL)
        try container.encode(finalURL, forKey: .finalURL)
        try container.encode(redirectChain, forKey: .redirectChain)
        try container.encode(status, forKey: .status)
        try container.encode(headers, forKey: .headers)
        try container.encode(fetchedAt, forKey: .fetchedAt)
        try container.encode(timings, forKey: .timings)
        try container.encodeIfPresent(peerIP, forKey: .peerIP)
        try container.encodeIfPresent(httpVersion, forKey: .httpVersion)
        if !requestHeaders.isEmpty { try container.encode(requestHeaders, forKey: .requestHeaders) }
        try container.encodeIfPresent(tlsSummary, forKey: .tlsSummary)
        try container.encode(body.count, forKey: .bodySize)
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        requestURL = try container.decode(String.self, forKey: .requestURL)
        finalURL = try container.decode(String.self, forKey: .finalURL)
        redirectChain = try container.decode([String].self, forKey: .redirectChain)
        status = try container.decode(Int.self, forKey: .status)
        headers = try container.decode([HTTPHeader].self, forKey: .headers)
        fetchedAt = try container.decode(Date.self, forKey: .fetchedAt)
        timings = try container.decode(FetchTimings.self, forKey: .timings)
        peerIP = try container.decodeIfPresent(String.self, forKey: .peerIP)
        httpVersion = try container.decodeIfPresent(String.self, forKey: .httpVersion)
        requestHeaders = try container.decodeIfPresent([HTTPHeader].self, forKey: .requestHeaders) ?? []
        tlsSummary = try container.decodeIfPresent(String.self, forKey: .tlsSummary)
        body = Data()
        encodedBody = nil
    }
}
