internal import CCurl
import Foundation
import NetralModel

/// libcurl's process-wide initialisation, run once before the first handle is made. With
/// CURLOPT_NOSIGNAL libcurl no longer ignores SIGPIPE itself, so a peer closing a TLS connection
/// mid-write would kill the process: ignore it here, once.
private let curlGlobalInit: CURLcode = {
    signal(SIGPIPE, SIG_IGN)
    return curl_global_init(Int(CURL_GLOBAL_ALL))
}()

/// Seconds as the whole, positive milliseconds libcurl takes (0 would mean "no timeout").
private func milliseconds(_ seconds: Double) -> Int {
    guard seconds.isFinite, seconds > 0 else { return 1 }
    return max(1, Int(min(seconds, 86_400) * 1000))
}

/// One libcurl easy handle and everything it points into: the error buffer, the request header
/// list and the received bytes. Owns the `CURL *` and frees it in `deinit`.
///
/// - SeeAlso: https://curl.se/libcurl/c/libcurl-easy.html
final class EasyTransfer {
    private let handle: UnsafeMutableRawPointer
    /// libcurl writes a detailed message here on failure (CURLOPT_ERRORBUFFER).
    private let errorBuffer: UnsafeMutablePointer<CChar>
    /// Not copied by libcurl, so it must live as long as the handle.
    private var requestHeaders: UnsafeMutablePointer<curl_slist>?

    private let url: String
    private let options: FetchOptions

    // Filled by the callbacks during `perform()`.
    private var body = Data()
    private var bodyLimitExceeded = false
    private var headers: [HTTPHeader] = []
    private var statusCode = 0
    private var redirectChain: [String]

    init(url: String, options: FetchOptions) throws {
        _ = curlGlobalInit
        guard let handle = curl_easy_init() else {
            throw FetchError.setup(option: "curl_easy_init", message: "could not create a handle")
        }
        self.handle = handle
        self.url = url
        self.options = options
        self.redirectChain = [url]
        errorBuffer = .allocate(capacity: ccurl_error_size())
        errorBuffer.initialize(repeating: 0, count: ccurl_error_size())
        try configure()
    }

    deinit {
        curl_easy_cleanup(handle)
        curl_slist_free_all(requestHeaders)
        errorBuffer.deallocate()
    }

    private func check(_ code: CURLcode, _ option: String) throws {
        guard code == CURLE_OK else {
            throw FetchError.setup(option: option, message: String(cString: curl_easy_strerror(code)))
        }
    }

    private func configure() throws {
        try check(ccurl_easy_setopt_string(handle, CURLOPT_URL, url), "CURLOPT_URL")
        try check(ccurl_easy_setopt_pointer(handle, CURLOPT_ERRORBUFFER, errorBuffer), "CURLOPT_ERRORBUFFER")
        // Threads and signals do not mix: without this, a DNS timeout may longjmp across Swift frames.
        try check(ccurl_easy_setopt_long(handle, CURLOPT_NOSIGNAL, 1), "CURLOPT_NOSIGNAL")
        try check(ccurl_easy_setopt_string(handle, CURLOPT_PROTOCOLS_STR, "http,https"), "CURLOPT_PROTOCOLS_STR")
        try check(ccurl_easy_setopt_string(handle, CURLOPT_REDIR_PROTOCOLS_STR, "http,https"), "CURLOPT_REDIR_PROTOCOLS_STR")
        try check(ccurl_easy_setopt_long(handle, CURLOPT_FOLLOWLOCATION, 1), "CURLOPT_FOLLOWLOCATION")
        try check(ccurl_easy_setopt_long(handle, CURLOPT_MAXREDIRS, options.maxRedirects), "CURLOPT_MAXREDIRS")
        try check(ccurl_easy_setopt_long(handle, CURLOPT_CONNECTTIMEOUT_MS, milliseconds(options.connectTimeout)), "CURLOPT_CONNECTTIMEOUT_MS")
        try check(ccurl_easy_setopt_long(handle, CURLOPT_TIMEOUT_MS, milliseconds(options.totalTimeout)), "CURLOPT_TIMEOUT_MS")
        // An empty string asks for every encoding this libcurl can decode; the body we receive is decoded.
        try check(ccurl_easy_setopt_string(handle, CURLOPT_ACCEPT_ENCODING, ""), "CURLOPT_ACCEPT_ENCODING")
        // Refuses early when Content-Length announces too much; the write callback enforces the
        // cap on the decoded bytes, which is what matters for a compressed body.
        try check(ccurl_easy_setopt_off_t(handle, CURLOPT_MAXFILESIZE_LARGE, curl_off_t(options.maxBodyBytes)), "CURLOPT_MAXFILESIZE_LARGE")
        try check(ccurl_easy_setopt_string(handle, CURLOPT_USERAGENT, options.userAgent), "CURLOPT_USERAGENT")

        for line in [
            "Accept: text/html,application/xhtml+xml,application/xml;q=0.9,application/json;q=0.8,*/*;q=0.5",
            "Accept-Language: id,en;q=0.7",
        ] {
            guard let list = curl_slist_append(requestHeaders, line) else {
                throw FetchError.setup(option: "CURLOPT_HTTPHEADER", message: "out of memory")
            }
            requestHeaders = list
        }
        try check(ccurl_easy_setopt_slist(handle, CURLOPT_HTTPHEADER, requestHeaders), "CURLOPT_HTTPHEADER")

        // Unretained is safe: `self` owns the handle, so it outlives every callback of `perform()`.
        let context = Unmanaged.passUnretained(self).toOpaque()
        try check(ccurl_easy_setopt_write_callback(handle, CURLOPT_WRITEFUNCTION, easyTransferWriteBody), "CURLOPT_WRITEFUNCTION")
        try check(ccurl_easy_setopt_pointer(handle, CURLOPT_WRITEDATA, context), "CURLOPT_WRITEDATA")
        try check(ccurl_easy_setopt_write_callback(handle, CURLOPT_HEADERFUNCTION, easyTransferWriteHeader), "CURLOPT_HEADERFUNCTION")
        try check(ccurl_easy_setopt_pointer(handle, CURLOPT_HEADERDATA, context), "CURLOPT_HEADERDATA")
    }

    /// Recovers the transfer from the user-data pointer given to libcurl in `configure()`.
    fileprivate static func from(userData: UnsafeMutableRawPointer) -> EasyTransfer {
        Unmanaged<EasyTransfer>.fromOpaque(userData).takeUnretainedValue()
    }

    /// Appends decoded body bytes; returns a short count (abort) once the cap would be passed.
    fileprivate func receiveBody(_ bytes: UnsafeRawBufferPointer) -> Int {
        if body.count + bytes.count > options.maxBodyBytes {
            bodyLimitExceeded = true
            return ccurl_write_abort()
        }
        body.append(contentsOf: bytes)
        return bytes.count
    }

    /// Collects response headers. A status line starts a new response (after a redirect or a
    /// 100 Continue), so only the final response's headers are kept.
    fileprivate func receiveHeader(_ bytes: UnsafeRawBufferPointer) -> Int {
        let line = String(decoding: bytes, as: UTF8.self).trimmingCharacters(in: .newlines)
        if line.hasPrefix("HTTP/") {
            if (300..<400).contains(statusCode), let location = header("Location"),
               let base = URL(string: redirectChain.last ?? url),
               let next = URL(string: location, relativeTo: base)?.absoluteString {
                redirectChain.append(next)
            }
            headers.removeAll()
            let parts = line.split(separator: " ", maxSplits: 2)
            statusCode = parts.count > 1 ? Int(parts[1]) ?? 0 : 0
        } else if let colon = line.firstIndex(of: ":") {
            let name = String(line[..<colon]).trimmingCharacters(in: .whitespaces)
            let value = String(line[line.index(after: colon)...]).trimmingCharacters(in: .whitespaces)
            headers.append(HTTPHeader(name: name, value: value))
        }
        return bytes.count
    }

    private func header(_ name: String) -> String? {
        headers.last { $0.name.caseInsensitiveCompare(name) == .orderedSame }?.value
    }

    /// Runs the transfer to completion on the calling thread (blocking).
    ///
    /// - SeeAlso: https://curl.se/libcurl/c/curl_easy_perform.html
    func perform() throws -> Capture {
        let started = Date()
        let code = curl_easy_perform(handle)
        guard code == CURLE_OK else { throw error(for: code) }

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
        return Capture(
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
        if bodyLimitExceeded || code == CURLE_FILESIZE_EXCEEDED {
            return .tooLarge(url: url, limit: options.maxBodyBytes)
        }
        switch code {
        case CURLE_TOO_MANY_REDIRECTS:
            return .tooManyRedirects(url: url, limit: options.maxRedirects)
        case CURLE_OPERATION_TIMEDOUT:
            return .timedOut(url: url, seconds: options.totalTimeout)
        case CURLE_UNSUPPORTED_PROTOCOL:
            let target = redirectTarget() ?? url
            let scheme = URL(string: target)?.scheme ?? "unknown"
            return .unsupportedScheme(url: target, scheme: scheme)
        default:
            let detail = String(cString: errorBuffer)
            let message = detail.isEmpty ? String(cString: curl_easy_strerror(code)) : detail
            return .transfer(url: url, code: Int(code.rawValue), message: message)
        }
    }

    /// Where the last redirect pointed, for messages about a refused redirect.
    private func redirectTarget() -> String? {
        if let location = header("Location"), let base = URL(string: redirectChain.last ?? url) {
            return URL(string: location, relativeTo: base)?.absoluteString
        }
        return nil
    }
}

// Explicit non-conformance: a handle is used by one thread at a time, inside one fetch.
@available(*, unavailable)
extension EasyTransfer: Sendable {}

/// CURLOPT_WRITEFUNCTION: forwards body bytes to the transfer that owns the handle.
private func easyTransferWriteBody(
    _ data: UnsafeMutablePointer<CChar>?, _ size: Int, _ count: Int, _ userData: UnsafeMutableRawPointer?
) -> Int {
    guard let data, let userData else { return ccurl_write_abort() }
    return EasyTransfer.from(userData: userData).receiveBody(UnsafeRawBufferPointer(start: data, count: size * count))
}

/// CURLOPT_HEADERFUNCTION: forwards one header line to the transfer that owns the handle.
private func easyTransferWriteHeader(
    _ data: UnsafeMutablePointer<CChar>?, _ size: Int, _ count: Int, _ userData: UnsafeMutableRawPointer?
) -> Int {
    guard let data, let userData else { return ccurl_write_abort() }
    return EasyTransfer.from(userData: userData).receiveHeader(UnsafeRawBufferPointer(start: data, count: size * count))
}
