public import Foundation
public import NetralModel

/// Turns a `Capture` into WARC records: a warcinfo, then the request and the response of the
/// final exchange (or one resource record for a local file), then any further resources (images).
public enum CaptureArchive {
    /// A fetched resource archived beside the main capture (an image of the post).
    public struct Resource: Sendable {
        public var capture: Capture
        public init(capture: Capture) { self.capture = capture }
    }

    /// Writes the whole WARC file: `info` becomes the warcinfo record's fields.
    public static func warc(for capture: Capture, resources: [Resource] = [], info: [HTTPHeader], filename: String,
                            now: Date) throws(WARCWriteError) -> WARCWriter {
        var writer = WARCWriter()
        var infoBlock = ""
        for field in info { infoBlock += "\(field.name): \(field.value.replacingOccurrences(of: "\r", with: " ").replacingOccurrences(of: "\n", with: " "))\r\n" }
        let infoID = try writer.append(WARCRecordDraft(
            type: "warcinfo", date: now, contentType: "application/warc-fields", block: Data(infoBlock.utf8),
            fields: [HTTPHeader(name: "WARC-Filename", value: filename)]
        ))
        try appendExchange(capture, to: &writer, warcinfoID: infoID)
        for resource in resources { try appendExchange(resource.capture, to: &writer, warcinfoID: infoID) }
        return writer
    }

    static func appendExchange(_ capture: Capture, to writer: inout WARCWriter, warcinfoID: String) throws(WARCWriteError) {
        let info = HTTPHeader(name: "WARC-Warcinfo-ID", value: warcinfoID)
        guard capture.status > 0 else {
            // A local file or a record read from another WARC: no HTTP exchange of ours to keep.
            try writer.append(WARCRecordDraft(
                type: "resource", targetURI: capture.finalURL, date: capture.fetchedAt,
                contentType: capture.header("Content-Type") ?? "application/octet-stream", block: capture.body,
                payloadOffset: 0, fields: [info]
            ))
            return
        }
        let (responseBlock, payloadOffset) = responseBlock(of: capture)
        var responseFields = [info]
        if let ip = capture.peerIP { responseFields.append(HTTPHeader(name: "WARC-IP-Address", value: ip)) }
        if capture.httpVersion?.hasPrefix("HTTP/2") == true { responseFields.append(HTTPHeader(name: "WARC-Protocol", value: "h2")) }
        if let tls = capture.tlsSummary { responseFields.append(HTTPHeader(name: "WARC-Protocol", value: tls)) }
        let responseID = try writer.append(WARCRecordDraft(
            type: "response", targetURI: capture.finalURL, date: capture.fetchedAt,
            contentType: "application/http;msgtype=response", block: responseBlock,
            payloadOffset: payloadOffset, fields: responseFields
        ))
        try writer.append(WARCRecordDraft(
            type: "request", targetURI: capture.finalURL, date: capture.fetchedAt,
            contentType: "application/http;msgtype=request", block: requestBlock(of: capture),
            fields: [info, HTTPHeader(name: "WARC-Concurrent-To", value: responseID)]
        ))
    }

    /// The HTTP request as sent; when the fetcher did not report its headers, the request line
    /// and Host only (what any GET of this URL carried).
    static func requestBlock(of capture: Capture) -> Data {
        let url = URLComponents(string: capture.finalURL)
        var target = url?.percentEncodedPath ?? "/"
        if target.isEmpty { target = "/" }
        if let query = url?.percentEncodedQuery { target += "?" + query }
        var text = "GET \(target) \(version(of: capture))\r\n"
        var headers = capture.requestHeaders
        if !headers.contains(where: { $0.name.caseInsensitiveCompare("Host") == .orderedSame }), let host = url?.host {
            headers.insert(HTTPHeader(name: "Host", value: url?.port.map { "\(host):\($0)" } ?? host), at: 0)
        }
        for header in headers { text += "\(header.name): \(clean(header.value))\r\n" }
        text += "\r\n"
        return Data(text.utf8)
    }

    /// The HTTP response; the payload is the bytes as received when the fetcher kept them,
    /// else the decoded body with Content-Encoding moved aside so a replay tool reads it right.
    static func responseBlock(of capture: Capture) -> (Data, Int) {
        var text = "\(version(of: capture)) \(capture.status) \(reason(capture.status))\r\n"
        let payload = capture.encodedBody ?? capture.body
        let decoded = capture.encodedBody == nil
        for header in capture.headers {
            let name = header.name.lowercased()
            // libcurl removes chunking, so the length is always the payload's own.
            if name == "transfer-encoding" || name == "content-length" {
                text += "X-Netral-Original-\(header.name): \(clean(header.value))\r\n"
            } else if decoded && name == "content-encoding" {
                text += "X-Netral-Original-\(header.name): \(clean(header.value))\r\n"
            } else {
                text += "\(header.name): \(clean(header.value))\r\n"
            }
        }
        text += "Content-Length: \(payload.count)\r\n\r\n"
        var block = Data(text.utf8)
        let offset = block.count
        block.append(payload)
        return (block, offset)
    }

    static func version(of capture: Capture) -> String {
        // WARC tools parse HTTP/1.x status lines; an HTTP/2 exchange is written in 1.1 form,
        // and the original version is kept in the record's WARC-Protocol field by the fetcher.
        guard let version = capture.httpVersion, version.hasPrefix("HTTP/1.") else { return "HTTP/1.1" }
        return version
    }

    static func clean(_ value: String) -> String {
        value.replacingOccurrences(of: "\r", with: " ").replacingOccurrences(of: "\n", with: " ")
    }

    static func reason(_ status: Int) -> String {
        switch status {
        case 200: "OK"
        case 201: "Created"
        case 203: "Non-Authoritative Information"
        case 204: "No Content"
        case 206: "Partial Content"
        case 301: "Moved Permanently"
        case 302: "Found"
        case 304: "Not Modified"
        case 404: "Not Found"
        default: "Status"
        }
    }
}
