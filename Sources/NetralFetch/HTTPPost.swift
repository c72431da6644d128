internal import CCurl
public import Foundation
public import NetralModel

/// One POST to send: a JSON body to a case tracker or webhook.
public struct PostRequest: Sendable, Equatable {
    public var url: String
    public var body: Data
    /// Extra headers (`Content-Type`, `Idempotency-Key`, `Authorization`). Values are sent,
    /// never logged or kept.
    public var headers: [HTTPHeader]
    /// Let the URL's host be on a loopback, private, link-local or multicast address.
    public var allowPrivate: Bool
    public var connectTimeout: Double
    public var totalTimeout: Double
    public var userAgent: String

    public init(url: String, body: Data, headers: [HTTPHeader], allowPrivate: Bool = false, connectTimeout: Double = 10,
                totalTimeout: Double = 30, userAgent: String = FetchOptions.defaultUserAgent) {
        self.url = url
        self.body = body
        self.headers = headers
        self.allowPrivate = allowPrivate
        self.connectTimeout = connectTimeout
        self.totalTimeout = totalTimeout
        self.userAgent = userAgent
    }
}

/// The receiver's answer: status, headers, and the first 64 KiB of its body (for its message).
public struct PostResponse: Sendable, Equatable {
    public var status: Int
    public var headers: [HTTPHeader]
    public var body: Data

    public func header(_ name: String) -> String? {
        headers.last { $0.name.caseInsensitiveCompare(name) == .orderedSame }?.value
    }
}

/// Sends one POST through a libcurl easy handle, blocking the calling thread until the answer
/// or the timeout. No redirects are followed (a token must not travel to another host), only
/// http and https, and the address curl connects to is checked like a fetch's.
public enum HTTPPost {
    public static let maxResponseBytes = 64 * 1024

    public static func send(_ request: PostRequest) throws(FetchError) -> PostResponse {
        guard let url = URL(string: request.url), let scheme = url.scheme?.lowercased(), scheme == "http" || scheme == "https", url.host != nil else {
            throw FetchError.invalidURL(request.url)
        }
        let exchange = try PostExchange(request: request)
        return try exchange.perform()
    }
}

/// One POST: the easy handle and everything it points into (error buffer, header list, the
/// body it copied, the answer). Owns the `CURL *` and frees all of it in `deinit`.
private final class PostExchange {
    let handle: UnsafeMutableRawPointer
    private let errorBuffer: UnsafeMutablePointer<CChar>
    /// Not copied by libcurl, so it lives as long as the handle.
    private var headerList: UnsafeMutablePointer<curl_slist>?
    private let request: PostRequest
    private var responseHeaders: [HTTPHeader] = []
    private var responseBody = Data()
    private var refusedAddress: String?

    init(request: PostRequest) throws(FetchError) {
        _ = curlGlobalInit
        guard let handle = curl_easy_init() else { throw FetchError.setup(option: "curl_easy_init", message: "could not create a handle") }
        self.handle = handle
        self.request = request
        errorBuffer = .allocate(capacity: ccurl_error_size())
        errorBuffer.initialize(repeating: 0, count: ccurl_error_size())
        try configure()
    }

    deinit {
        curl_easy_cleanup(handle)
        curl_slist_free_all(headerList)
        errorBuffer.deallocate()
    }

    private func check(_ code: CURLcode, _ option: String) throws(FetchError) {
        guard code == CURLE_OK else { throw FetchError.setup(option: option, message: String(cString: curl_easy_strerror(code))) }
    }

    private func configure() throws(FetchError) {
        try check(ccurl_easy_setopt_string(handle, CURLOPT_URL, request.url), "CURLOPT_URL")
        try check(ccurl_easy_setopt_pointer(handle, CURLOPT_ERRORBUFFER, errorBuffer), "CURLOPT_ERRORBUFFER")
        try check(ccurl_easy_setopt_long(handle, CURLOPT_NOSIGNAL, 1), "CURLOPT_NOSIGNAL")
        try check(ccurl_easy_setopt_string(handle, CURLOPT_PROTOCOLS_STR, "http,https"), "CURLOPT_PROTOCOLS_STR")
        try check(ccurl_easy_setopt_long(handle, CURLOPT_FOLLOWLOCATION, 0), "CURLOPT_FOLLOWLOCATION")
        try check(ccurl_easy_setopt_long(handle, CURLOPT_CONNECTTIMEOUT_MS, milliseconds(request.connectTimeout)), "CURLOPT_CONNECTTIMEOUT_MS")
        try check(ccurl_easy_setopt_long(handle, CURLOPT_TIMEOUT_MS, milliseconds(request.totalTimeout)), "CURLOPT_TIMEOUT_MS")
        try check(ccurl_easy_setopt_string(handle, CURLOPT_USERAGENT, request.userAgent), "CURLOPT_USERAGENT")
        try check(ccurl_easy_setopt_long(handle, CURLOPT_POST, 1), "CURLOPT_POST")
        // libcurl copies the body (COPYPOSTFIELDS), so it need not outlive this call.
        try check(ccurl_easy_setopt_off_t(handle, CURLOPT_POSTFIELDSIZE_LARGE, curl_off_t(request.body.count)), "CURLOPT_POSTFIELDSIZE_LARGE")
        var copied = CURLE_OK
        if request.body.isEmpty {
            copied = ccurl_easy_setopt_string(handle, CURLOPT_COPYPOSTFIELDS, "")
        } else {
            request.body.withUnsafeBytes { bytes in
                copied = ccurl_easy_setopt_pointer(handle, CURLOPT_COPYPOSTFIELDS, UnsafeMutableRawPointer(mutating: bytes.baseAddress))
            }
        }
        try check(copied, "CURLOPT_COPYPOSTFIELDS")
        // No "Expect: 100-continue": a receiver that never answers it would cost a second per POST.
        for line in request.headers.map({ "\($0.name): \($0.value)" }) + ["Expect:"] {
            guard let appended = curl_slist_append(headerList, line) else { throw FetchError.setup(option: "CURLOPT_HTTPHEADER", message: "out of memory") }
            headerList = appended
        }
        try check(ccurl_easy_setopt_slist(handle, CURLOPT_HTTPHEADER, headerList), "CURLOPT_HTTPHEADER")
        let context = Unmanaged.passUnretained(self).toOpaque()
        try check(ccurl_easy_setopt_write_callback(handle, CURLOPT_WRITEFUNCTION, postWriteBody), "CURLOPT_WRITEFUNCTION")
        try check(ccurl_easy_setopt_pointer(handle, CURLOPT_WRITEDATA, context), "CURLOPT_WRITEDATA")
        try check(ccurl_easy_setopt_write_callback(handle, CURLOPT_HEADERFUNCTION, postWriteHeader), "CURLOPT_HEADERFUNCTION")
        try check(ccurl_easy_setopt_pointer(handle, CURLOPT_HEADERDATA, context), "CURLOPT_HEADERDATA")
        try check(ccurl_easy_setopt_opensocket_callback(handle, postOpenSocket), "CURLOPT_OPENSOCKETFUNCTION")
        try check(ccurl_easy_setopt_pointer(handle, CURLOPT_OPENSOCKETDATA, context), "CURLOPT_OPENSOCKETDATA")
    }

    /// Runs the transfer; `self` stays alive for its whole length, so the callbacks' unretained
    /// pointer is valid.
    func perform() throws(FetchError) -> PostResponse {
        let code = curl_easy_perform(handle)
        guard code == CURLE_OK else {
            if let refusedAddress { throw FetchError.privateAddress(url: request.url, address: refusedAddress) }
            if code == CURLE_OPERATION_TIMEDOUT { throw FetchError.timedOut(url: request.url, seconds: request.totalTimeout) }
            let detail = String(cString: errorBuffer)
            throw FetchError.transfer(url: request.url, code: Int(code.rawValue), message: detail.isEmpty ? String(cString: curl_easy_strerror(code)) : detail)
        }
        var status = 0
        _ = ccurl_easy_getinfo_long(handle, CURLINFO_RESPONSE_CODE, &status)
        return PostResponse(status: status, headers: responseHeaders, body: responseBody)
    }

    fileprivate static func from(_ userData: UnsafeMutableRawPointer) -> PostExchange {
        Unmanaged<PostExchange>.fromOpaque(userData).takeUnretainedValue()
    }

    /// Keeps the first `maxResponseBytes` of the answer and reads (and drops) the rest.
    fileprivate func receiveBody(_ bytes: UnsafeRawBufferPointer) -> Int {
        let room = max(0, HTTPPost.maxResponseBytes - responseBody.count)
        if room > 0 { responseBody.append(contentsOf: bytes.prefix(room)) }
        return bytes.count
    }

    /// A status line starts a new response (after a 100 Continue): only the last one's headers count.
    fileprivate func receiveHeader(_ bytes: UnsafeRawBufferPointer) -> Int {
        guard responseHeaders.count < 200 else { return bytes.count }
        let line = String(decoding: bytes, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        if line.hasPrefix("HTTP/") {
            responseHeaders.removeAll()
        } else if let colon = line.firstIndex(of: ":") {
            responseHeaders.append(HTTPHeader(name: String(line[..<colon]).trimmingCharacters(in: .whitespaces),
                                              value: String(line[line.index(after: colon)...]).trimmingCharacters(in: .whitespaces)))
        }
        return bytes.count
    }

    fileprivate func mayConnect(to bytes: [UInt8]) -> Bool {
        guard AddressPolicy.isNonPublic(bytes), !request.allowPrivate else { return true }
        refusedAddress = AddressPolicy.text(bytes)
        return false
    }
}

@available(*, unavailable)
extension PostExchange: Sendable {}

private func postWriteBody(_ data: UnsafeMutablePointer<CChar>?, _ size: Int, _ count: Int, _ userData: UnsafeMutableRawPointer?) -> Int {
    guard let data, let userData else { return ccurl_write_abort() }
    return PostExchange.from(userData).receiveBody(UnsafeRawBufferPointer(start: data, count: size * count))
}

private func postWriteHeader(_ data: UnsafeMutablePointer<CChar>?, _ size: Int, _ count: Int, _ userData: UnsafeMutableRawPointer?) -> Int {
    guard let data, let userData else { return ccurl_write_abort() }
    return PostExchange.from(userData).receiveHeader(UnsafeRawBufferPointer(start: data, count: size * count))
}

/// Checks the address before any packet leaves, then opens the socket as curl would.
private func postOpenSocket(_ userData: UnsafeMutableRawPointer?, _ purpose: curlsocktype, _ address: UnsafeMutablePointer<curl_sockaddr>?) -> curl_socket_t {
    guard let userData, let address else { return ccurl_socket_bad() }
    var raw = [UInt8](repeating: 0, count: 16)
    let length = Int(ccurl_sockaddr_bytes(address, &raw))
    guard PostExchange.from(userData).mayConnect(to: Array(raw.prefix(length))) else { return ccurl_socket_bad() }
    return socket(address.pointee.family, address.pointee.socktype, address.pointee.protocol)
}
