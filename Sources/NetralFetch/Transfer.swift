internal import CCurl
import Foundation
import NetralModel

/// libcurl's process-wide initialisation, run once before the first handle is made. With
/// CURLOPT_NOSIGNAL libcurl no longer ignores SIGPIPE itself, so a peer closing a TLS connection
/// mid-write would kill the process: ignore it here, once.
let curlGlobalInit: CURLcode = {
    signal(SIGPIPE, SIG_IGN)
    return curl_global_init(Int(CURL_GLOBAL_ALL))
}()

/// Seconds as the whole, positive milliseconds libcurl takes (0 would mean "no timeout").
func milliseconds(_ seconds: Double) -> Int {
    guard seconds.isFinite, seconds > 0 else { return 1 }
    return max(1, Int(min(seconds, 86_400) * 1000))
}

/// One transfer in the multi engine: a libcurl easy handle and everything it points into (the
/// error buffer, the request header list, the received bytes). Owns the `CURL *` and frees it
/// in `deinit`. Lives on the engine thread only.
///
/// - SeeAlso: https://curl.se/libcurl/c/libcurl-easy.html
final class Transfer {
    let handle: UnsafeMutableRawPointer
    /// libcurl writes a detailed message here on failure (CURLOPT_ERRORBUFFER).
    private let errorBuffer: UnsafeMutablePointer<CChar>
    /// Not copied by libcurl, so it must live as long as the handle.
    private var requestHeaderList: UnsafeMutablePointer<curl_slist>?
    private var resolveList: UnsafeMutablePointer<curl_slist>?

    let request: FetchRequest
    private let options: FetchOptions
    /// The request's own limits, else the engine's.
    private let bodyLimit: BodyLimit
    private let connectTimeout: Double
    private let totalTimeout: Double
    let started = Date()

    // Filled by the callbacks while the transfer runs.
    /// The body after content decoding: what extraction reads.
    private var body = Data()
    /// The body as received, kept when the response has a Content-Encoding.
    private var encodedBody = Data()
    /// How the final response's body is decoded, chosen at its first byte.
    private var bodyDecoding: BodyDecoding?
    /// Set when the body's Content-Encoding could not be undone: the coding and why.
    private var decodingFailure: (coding: String, reason: String)?
    private var bodyLimitExceeded = false
    private var headerBytes = 0
    private var headerLimitExceeded = false
    private var headers: [HTTPHeader] = []
    private var statusCode = 0
    private var httpVersion: String?
    private var redirectChain: [String]
    private var sentHeaders: [HTTPHeader] = []
    /// Set when the open-socket check refused an address.
    private var refusedAddress: String?

    init(request: FetchRequest, options: FetchOptions, share: UnsafeMutableRawPointer?) throws {
        _ = curlGlobalInit
        guard let handle = curl_easy_init() else {
            throw FetchError.setup(option: "curl_easy_init", message: "could not create a handle")
        }
        self.handle = handle
        self.request = request
        self.options = options
        self.bodyLimit = request.bodyLimit ?? .refuseAbove(options.maxBodyBytes)
        self.connectTimeout = request.connectTimeout ?? options.connectTimeout
        self.totalTimeout = request.totalTimeout ?? options.totalTimeout
        self.redirectChain = [request.url]
        errorBuffer = .allocate(capacity: ccurl_error_size())
        errorBuffer.initialize(repeating: 0, count: ccurl_error_size())
        try configure(share: share)
    }

    deinit {
        curl_easy_cleanup(handle)
        curl_slist_free_all(requestHeaderList)
        curl_slist_free_all(resolveList)
        errorBuffer.deallocate()
    }

    private func check(_ code: CURLcode, _ option: String) throws {
        guard code == CURLE_OK else {
            throw FetchError.setup(option: option, message: String(cString: curl_easy_strerror(code)))
        }
    }

    private func append(_ line: String, to list: inout UnsafeMutablePointer<curl_slist>?, option: String) throws {
        guard let appended = curl_slist_append(list, line) else {
            throw FetchError.setup(option: option, message: "out of memory")
        }
        list = appended
    }

    private func configure(share: UnsafeMutableRawPointer?) throws {
        let url = request.url
        try check(ccurl_easy_setopt_string(handle, CURLOPT_URL, url), "CURLOPT_URL")
        try check(ccurl_easy_setopt_pointer(handle, CURLOPT_ERRORBUFFER, errorBuffer), "CURLOPT_ERRORBUFFER")
        if let share { try check(ccurl_easy_setopt_pointer(handle, CURLOPT_SHARE, share), "CURLOPT_SHARE") }
        // Threads and signals do not mix: without this, a DNS timeout may longjmp across Swift frames.
        try check(ccurl_easy_setopt_long(handle, CURLOPT_NOSIGNAL, 1), "CURLOPT_NOSIGNAL")
        try check(ccurl_easy_setopt_string(handle, CURLOPT_PROTOCOLS_STR, "http,https"), "CURLOPT_PROTOCOLS_STR")
        try check(ccurl_easy_setopt_string(handle, CURLOPT_REDIR_PROTOCOLS_STR, "http,https"), "CURLOPT_REDIR_PROTOCOLS_STR")
        try check(ccurl_easy_setopt_long(handle, CURLOPT_FOLLOWLOCATION, request.redirects == .follow ? 1 : 0), "CURLOPT_FOLLOWLOCATION")
        try check(ccurl_easy_setopt_long(handle, CURLOPT_MAXREDIRS, options.maxRedirects), "CURLOPT_MAXREDIRS")
        try check(ccurl_easy_setopt_long(handle, CURLOPT_CONNECTTIMEOUT_MS, milliseconds(connectTimeout)), "CURLOPT_CONNECTTIMEOUT_MS")
        try check(ccurl_easy_setopt_long(handle, CURLOPT_TIMEOUT_MS, milliseconds(totalTimeout)), "CURLOPT_TIMEOUT_MS")
        try check(ccurl_easy_setopt_long(handle, CURLOPT_LOW_SPEED_LIMIT, max(1, options.lowSpeedLimit)), "CURLOPT_LOW_SPEED_LIMIT")
        try check(ccurl_easy_setopt_long(handle, CURLOPT_LOW_SPEED_TIME, max(1, options.lowSpeedTime)), "CURLOPT_LOW_SPEED_TIME")
        // HTTP/2 over TLS when the server offers it (ALPN), HTTP/1.1 otherwise.
        try check(ccurl_easy_setopt_long(handle, CURLOPT_HTTP_VERSION, Int(CURL_HTTP_VERSION_2TLS)), "CURLOPT_HTTP_VERSION")
        // Wait for a connection to multiplex on rather than open a second one to the same host.
        try check(ccurl_easy_setopt_long(handle, CURLOPT_PIPEWAIT, 1), "CURLOPT_PIPEWAIT")
        // The body arrives as sent, so the capture keeps the bytes as received; Accept-Encoding
        // (below) names only the codings ContentDecoder undoes, and it decodes while receiving.
        try check(ccurl_easy_setopt_long(handle, CURLOPT_HTTP_CONTENT_DECODING, 0), "CURLOPT_HTTP_CONTENT_DECODING")
        // Refuses early when Content-Length announces too much; the write callback enforces the
        // cap on the bytes received and on the decoded bytes, which is what matters for a
        // compressed body.
        if case .refuseAbove(let bytes) = bodyLimit {
            try check(ccurl_easy_setopt_off_t(handle, CURLOPT_MAXFILESIZE_LARGE, curl_off_t(bytes)), "CURLOPT_MAXFILESIZE_LARGE")
        }
        try check(ccurl_easy_setopt_string(handle, CURLOPT_USERAGENT, options.userAgent), "CURLOPT_USERAGENT")
        if let credentials = request.credentials {
            // Basic auth from the environment; curl drops it on a redirect to another host.
            try check(ccurl_easy_setopt_long(handle, CURLOPT_HTTPAUTH, ccurl_auth_basic()), "CURLOPT_HTTPAUTH")
            try check(ccurl_easy_setopt_string(handle, CURLOPT_USERPWD, credentials), "CURLOPT_USERPWD")
        }
        if let token = request.bearerToken {
            // Bearer auth is credentials to curl: like Basic, dropped on a redirect to another host.
            try check(ccurl_easy_setopt_long(handle, CURLOPT_HTTPAUTH, ccurl_auth_bearer()), "CURLOPT_HTTPAUTH")
            try check(ccurl_easy_setopt_string(handle, CURLOPT_XOAUTH2_BEARER, token), "CURLOPT_XOAUTH2_BEARER")
        }
        switch request.method {
        case "GET":
            break
        case "HEAD":
            try check(ccurl_easy_setopt_long(handle, CURLOPT_NOBODY, 1), "CURLOPT_NOBODY")
        default:
            if request.method != "POST" {
                try check(ccurl_easy_setopt_string(handle, CURLOPT_CUSTOMREQUEST, request.method), "CURLOPT_CUSTOMREQUEST")
            }
        }
        if let body = request.body {
            // curl copies the body, so nothing here has to outlive this call; an empty body
            // still makes a POST (COPYPOSTFIELDS of "").
            try check(ccurl_easy_setopt_off_t(handle, CURLOPT_POSTFIELDSIZE_LARGE, curl_off_t(body.count)), "CURLOPT_POSTFIELDSIZE_LARGE")
            var copied = CURLE_OK
            if body.isEmpty {
                copied = ccurl_easy_setopt_string(handle, CURLOPT_COPYPOSTFIELDS, "")
            } else {
                body.withUnsafeBytes { bytes in
                    copied = ccurl_easy_setopt_pointer(handle, CURLOPT_COPYPOSTFIELDS, UnsafeMutableRawPointer(mutating: bytes.baseAddress))
                }
            }
            try check(copied, "CURLOPT_COPYPOSTFIELDS")
        } else if request.method == "POST" {
            try check(ccurl_easy_setopt_string(handle, CURLOPT_COPYPOSTFIELDS, ""), "CURLOPT_COPYPOSTFIELDS")
        }
        for entry in options.resolve {
            try append(entry, to: &resolveList, option: "CURLOPT_RESOLVE")
        }
        if resolveList != nil { try check(ccurl_easy_setopt_slist(handle, CURLOPT_RESOLVE, resolveList), "CURLOPT_RESOLVE") }

        let defaults = [
            HTTPHeader(name: "Accept", value: "text/html,application/xhtml+xml,application/xml;q=0.9,application/json;q=0.8,*/*;q=0.5"),
            HTTPHeader(name: "Accept-Language", value: "id,en;q=0.7"),
            HTTPHeader(name: "Accept-Encoding", value: ContentDecoder.acceptEncoding),
        ]
        let given = Set(request.headers.map { $0.name.lowercased() })
        sentHeaders = [HTTPHeader(name: "User-Agent", value: options.userAgent)] + defaults.filter { !given.contains($0.name.lowercased()) }
        if let etag = request.etag { sentHeaders.append(HTTPHeader(name: "If-None-Match", value: etag)) }
        if let lastModified = request.lastModified { sentHeaders.append(HTTPHeader(name: "If-Modified-Since", value: lastModified)) }
        sentHeaders += request.headers
        for header in sentHeaders.dropFirst() {
            try append("\(header.name): \(header.value)", to: &requestHeaderList, option: "CURLOPT_HTTPHEADER")
        }
        // No "Expect: 100-continue" on a body: a receiver that never answers it costs a second.
        if request.body != nil { try append("Expect:", to: &requestHeaderList, option: "CURLOPT_HTTPHEADER") }
        try check(ccurl_easy_setopt_slist(handle, CURLOPT_HTTPHEADER, requestHeaderList), "CURLOPT_HTTPHEADER")

        // Unretained is safe: the engine keeps `self` until the handle is removed from the multi.
        let context = Unmanaged.passUnretained(self).toOpaque()
        try check(ccurl_easy_setopt_write_callback(handle, CURLOPT_WRITEFUNCTION, transferWriteBody), "CURLOPT_WRITEFUNCTION")
        try check(ccurl_easy_setopt_pointer(handle, CURLOPT_WRITEDATA, context), "CURLOPT_WRITEDATA")
        try check(ccurl_easy_setopt_write_callback(handle, CURLOPT_HEADERFUNCTION, transferWriteHeader), "CURLOPT_HEADERFUNCTION")
        try check(ccurl_easy_setopt_pointer(handle, CURLOPT_HEADERDATA, context), "CURLOPT_HEADERDATA")
        try check(ccurl_easy_setopt_opensocket_callback(handle, transferOpenSocket), "CURLOPT_OPENSOCKETFUNCTION")
        try check(ccurl_easy_setopt_pointer(handle, CURLOPT_OPENSOCKETDATA, context), "CURLOPT_OPENSOCKETDATA")
    }

    /// Recovers the transfer from the user-data pointer given to libcurl in `configure()`.
    fileprivate static func from(userData: UnsafeMutableRawPointer) -> Transfer {
        Unmanaged<Transfer>.fromOpaque(userData).takeUnretainedValue()
    }

    /// What to do with the final response's body bytes.
    private enum BodyDecoding {
        /// No Content-Encoding (or `identity`): the bytes are the body.
        case identity
        /// gzip or deflate: keep the bytes as received and decode them into the body.
        case decoder(ContentDecoder)
        /// A coding nobody here can undo (br, zstd, several codings): the bytes as received are
        /// the body, and the Content-Encoding header, kept, says what they are.
        case undecodable
    }

    /// Chooses the decoding from the final response's Content-Encoding.
    private func chooseDecoding() -> BodyDecoding? {
        let value = header("Content-Encoding")
        let coding: ContentDecoder.Coding?
        do {
            coding = try ContentDecoder.coding(forHeader: value)
        } catch {
            return .undecodable
        }
        guard let coding else { return .identity }
        do {
            return .decoder(try ContentDecoder(coding: coding))
        } catch {
            decodingFailure = (value ?? "", error.reason)
            return nil
        }
    }

    /// Takes body bytes as received; returns a short count (abort) once a cap would be passed
    /// or the bytes cannot be decoded. Both the bytes as received and the decoded body are
    /// capped at `maxBodyBytes`, the decoded one while it is produced, so a gzip bomb stops early.
    fileprivate func receiveBody(_ bytes: UnsafeRawBufferPointer) -> Int {
        if bodyDecoding == nil { bodyDecoding = chooseDecoding() }
        guard let bodyDecoding else { return ccurl_write_abort() }
        switch bodyDecoding {
        case .identity, .undecodable:
            guard appendCapped(bytes, to: &body) else { return ccurl_write_abort() }
        case .decoder(let decoder):
            guard appendCapped(bytes, to: &encodedBody) else { return ccurl_write_abort() }
            do {
                let complete = try decoder.decode(bytes) { decoded in self.appendCapped(decoded, to: &self.body) }
                guard complete else { return ccurl_write_abort() }
            } catch {
                decodingFailure = (header("Content-Encoding") ?? "", error.reason)
                return ccurl_write_abort()
            }
        }
        return bytes.count
    }

    /// Appends unless `data` would pass the body cap (records the overrun); with `keepFirst`,
    /// appends what fits and drops the rest.
    private func appendCapped(_ bytes: UnsafeRawBufferPointer, to data: inout Data) -> Bool {
        let cap = bodyLimit.bytes
        guard data.count + bytes.count <= cap else {
            if case .keepFirst = bodyLimit {
                data.append(contentsOf: bytes.prefix(max(0, cap - data.count)))
                return true
            }
            bodyLimitExceeded = true
            return false
        }
        data.append(contentsOf: bytes)
        return true
    }

    /// Collects response headers. A status line starts a new response (after a redirect or a
    /// 100 Continue), so only the final response's headers are kept.
    fileprivate func receiveHeader(_ bytes: UnsafeRawBufferPointer) -> Int {
        headerBytes += bytes.count
        if headerBytes > options.maxHeaderBytes {
            headerLimitExceeded = true
            return ccurl_write_abort()
        }
        // Header lines end in CRLF (or a bare LF); strip it without Foundation's trimming.
        var end = bytes.count
        while end > 0, bytes[end - 1] == 0x0A || bytes[end - 1] == 0x0D { end -= 1 }
        let line = String(decoding: UnsafeRawBufferPointer(rebasing: bytes[0..<end]), as: UTF8.self)
        if line.hasPrefix("HTTP/") {
            if (300..<400).contains(statusCode), let location = header("Location"),
                let base = URL(string: redirectChain.last ?? request.url),
                let next = URL(string: location, relativeTo: base)?.absoluteString
            {
                redirectChain.append(next)
            }
            headers.removeAll()
            headerBytes = bytes.count
            // A new response: its body, if curl passes one on, is decoded by its own headers.
            body.removeAll()
            encodedBody.removeAll()
            bodyDecoding = nil
            let parts = line.split(separator: " ", maxSplits: 2)
            statusCode = parts.count > 1 ? Int(parts[1]) ?? 0 : 0
            httpVersion = parts.first.map(String.init)
        } else if let colon = line.utf8.firstIndex(of: UInt8(ascii: ":")) {
            let name = line.utf8[..<colon].trimmingSpaces()
            let value = line.utf8[line.utf8.index(after: colon)...].trimmingSpaces()
            headers.append(HTTPHeader(name: name, value: value))
        }
        return bytes.count
    }

    /// Decides whether curl may connect to this address; records a refusal for the error.
    /// `allowPrivate` covers the request URL's own host only: a redirect to another host on a
    /// loopback or private address is refused whatever the target says. curl has already moved
    /// its effective URL to the redirect target when it opens the socket for it.
    fileprivate func mayConnect(to bytes: [UInt8]) -> Bool {
        guard AddressPolicy.isNonPublic(bytes) else { return true }
        if request.allowPrivate, let current = infoString(CURLINFO_EFFECTIVE_URL),
            FetchEngine.hostKey(for: current) == FetchEngine.hostKey(for: request.url)
        {
            return true
        }
        refusedAddress = AddressPolicy.text(bytes)
        return false
    }

    private func header(_ name: String) -> String? {
        headers.last { $0.name.caseInsensitiveCompare(name) == .orderedSame }?.value
    }

    /// The transfer's outcome once the multi handle reports it done with `code`.
    func finish(_ code: CURLcode) -> Result<Capture, FetchError> {
        guard code == CURLE_OK else { return .failure(error(for: code)) }
        let url = request.url
        var bodyAsReceived: Data?
        switch bodyDecoding {
        case .decoder(let decoder):
            do {
                try decoder.finish()
            } catch {
                return .failure(.badContentEncoding(url: url, coding: header("Content-Encoding") ?? "", reason: error.reason))
            }
            bodyAsReceived = encodedBody
        case .undecodable:
            bodyAsReceived = body
        case .identity, nil:
            break
        }
        var responseCode = 0
        _ = ccurl_easy_getinfo_long(handle, CURLINFO_RESPONSE_CODE, &responseCode)
        let finalURL = infoString(CURLINFO_EFFECTIVE_URL) ?? url
        // libcurl normalises URLs (`https://x.org` → `https://x.org/`): when the chain already
        // has one entry per redirect, its last entry is the final URL in curl's spelling.
        var redirects = 0
        _ = ccurl_easy_getinfo_long(handle, CURLINFO_REDIRECT_COUNT, &redirects)
        if redirectChain.count == redirects + 1 {
            redirectChain[redirectChain.count - 1] = finalURL
        } else if redirectChain.last != finalURL {
            redirectChain.append(finalURL)
        }
        var capture = Capture(
            requestURL: url,
            finalURL: finalURL,
            redirectChain: redirectChain,
            status: responseCode,
            headers: headers,
            body: body,
            fetchedAt: started,
            timings: FetchTimings(
                nameLookup: infoSeconds(CURLINFO_NAMELOOKUP_TIME_T),
                connect: infoSeconds(CURLINFO_CONNECT_TIME_T),
                firstByte: infoSeconds(CURLINFO_STARTTRANSFER_TIME_T),
                total: infoSeconds(CURLINFO_TOTAL_TIME_T)
            ),
            peerIP: infoString(CURLINFO_PRIMARY_IP)
        )
        capture.requestHeaders = sentHeaders
        capture.httpVersion = httpVersion
        capture.encodedBody = bodyAsReceived
        return .success(capture)
    }

    private func infoString(_ info: CURLINFO) -> String? {
        var pointer: UnsafeMutablePointer<CChar>?
        guard ccurl_easy_getinfo_string(handle, info, &pointer) == CURLE_OK, let pointer else { return nil }
        let value = String(cString: pointer)
        return value.isEmpty ? nil : value
    }

    private func infoSeconds(_ info: CURLINFO) -> Double {
        var microseconds: curl_off_t = 0
        guard ccurl_easy_getinfo_off_t(handle, info, &microseconds) == CURLE_OK else { return 0 }
        return Double(microseconds) / 1_000_000
    }

    private func error(for code: CURLcode) -> FetchError {
        let url = request.url
        if let refusedAddress { return .privateAddress(url: url, address: refusedAddress) }
        if let decodingFailure {
            return .badContentEncoding(url: url, coding: decodingFailure.coding, reason: decodingFailure.reason)
        }
        if headerLimitExceeded { return .headersTooLarge(url: url, limit: options.maxHeaderBytes) }
        if bodyLimitExceeded || code == CURLE_FILESIZE_EXCEEDED {
            return .tooLarge(url: url, limit: bodyLimit.bytes)
        }
        let detail = String(cString: errorBuffer)
        switch code {
        case CURLE_TOO_MANY_REDIRECTS:
            return .tooManyRedirects(url: url, limit: options.maxRedirects)
        case CURLE_OPERATION_TIMEDOUT:
            if detail.contains("too slow") {
                return .tooSlow(url: url, bytesPerSecond: options.lowSpeedLimit, seconds: options.lowSpeedTime)
            }
            return .timedOut(url: url, seconds: totalTimeout)
        case CURLE_UNSUPPORTED_PROTOCOL:
            let target = redirectTarget() ?? url
            let scheme = URL(string: target)?.scheme ?? "unknown"
            return .unsupportedScheme(url: target, scheme: scheme)
        case CURLE_OUT_OF_MEMORY where body.isEmpty:
            // curl's own cap on one header line (100 KiB) reports itself as out of memory.
            return .headersTooLarge(url: url, limit: min(options.maxHeaderBytes, 100 * 1024))
        default:
            let message = detail.isEmpty ? String(cString: curl_easy_strerror(code)) : detail
            return .transfer(url: url, code: Int(code.rawValue), message: message)
        }
    }

    /// Where the last redirect pointed, for messages about a refused redirect.
    private func redirectTarget() -> String? {
        if let location = header("Location"), let base = URL(string: redirectChain.last ?? request.url) {
            return URL(string: location, relativeTo: base)?.absoluteString
        }
        return nil
    }
}

// Explicit non-conformance: a handle is used by the engine thread only.
@available(*, unavailable)
extension Transfer: Sendable {}

/// CURLOPT_WRITEFUNCTION: forwards body bytes to the transfer that owns the handle.
private func transferWriteBody(
    _ data: UnsafeMutablePointer<CChar>?, _ size: Int, _ count: Int, _ userData: UnsafeMutableRawPointer?
) -> Int {
    guard let data, let userData else { return ccurl_write_abort() }
    return Transfer.from(userData: userData).receiveBody(UnsafeRawBufferPointer(start: data, count: size * count))
}

/// CURLOPT_HEADERFUNCTION: forwards one header line to the transfer that owns the handle.
private func transferWriteHeader(
    _ data: UnsafeMutablePointer<CChar>?, _ size: Int, _ count: Int, _ userData: UnsafeMutableRawPointer?
) -> Int {
    guard let data, let userData else { return ccurl_write_abort() }
    return Transfer.from(userData: userData).receiveHeader(UnsafeRawBufferPointer(start: data, count: size * count))
}

/// CURLOPT_OPENSOCKETFUNCTION: checks the address curl resolved (or was redirected to) before
/// any packet leaves, then opens the socket as curl would.
private func transferOpenSocket(
    _ userData: UnsafeMutableRawPointer?, _ purpose: curlsocktype, _ address: UnsafeMutablePointer<curl_sockaddr>?
) -> curl_socket_t {
    guard let userData, let address else { return ccurl_socket_bad() }
    var raw = [UInt8](repeating: 0, count: 16)
    let length = Int(ccurl_sockaddr_bytes(address, &raw))
    guard Transfer.from(userData: userData).mayConnect(to: Array(raw.prefix(length))) else { return ccurl_socket_bad() }
    return socket(address.pointee.family, address.pointee.socktype, address.pointee.protocol)
}

extension Substring.UTF8View {
    /// The text without leading and trailing spaces and tabs (HTTP's optional whitespace).
    fileprivate func trimmingSpaces() -> String {
        let isSpace = { (byte: UInt8) in byte == 0x20 || byte == 0x09 }
        guard let first = firstIndex(where: { !isSpace($0) }), let last = lastIndex(where: { !isSpace($0) }) else { return "" }
        return String(Substring(self[first...last]))
    }
}
