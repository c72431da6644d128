public import Foundation
import Crypto
public import NetralModel

/// One WARC/1.1 record before serialisation.
public struct WARCRecordDraft: Sendable {
    /// `warcinfo`, `request`, `response`, `resource`, `metadata`.
    public var type: String
    public var targetURI: String?
    public var date: Date
    /// The Content-Type of the block (`application/http;msgtype=response`, `image/jpeg`).
    public var contentType: String
    public var block: Data
    /// Where the payload starts inside the block (after the HTTP headers), for the payload
    /// digest; nil when the record has no payload distinct from its block (warcinfo, request).
    public var payloadOffset: Int?
    /// Further named fields (`WARC-IP-Address`, `WARC-Concurrent-To`, ...), in order.
    public var fields: [HTTPHeader]

    public init(type: String, targetURI: String? = nil, date: Date, contentType: String, block: Data,
                payloadOffset: Int? = nil, fields: [HTTPHeader] = []) {
        self.type = type
        self.targetURI = targetURI
        self.date = date
        self.contentType = contentType
        self.block = block
        self.payloadOffset = payloadOffset
        self.fields = fields
    }
}

/// Writes a WARC/1.1 file in memory, one gzip member per record, with SHA-256 block and payload
/// digests (base32, as WARC tools expect). A case file's capture is small and capped, so the
/// whole file is built before it is written durably by the caller.
public struct WARCWriter: Sendable {
    public private(set) var data = Data()
    /// Every record written, with the offset of its gzip member in `data`.
    public private(set) var index: [(id: String, type: String, offset: Int)] = []

    public init() {}

    /// Appends a record and returns its `WARC-Record-ID`.
    @discardableResult
    public mutating func append(_ draft: WARCRecordDraft, id: String = WARCWriter.newRecordID()) throws(WARCWriteError) -> String {
        var header = "WARC/1.1\r\n"
        func field(_ name: String, _ value: String) {
            // A field value never holds CR or LF: a hostile URL must not forge a header.
            let clean = value.replacingOccurrences(of: "\r", with: "%0D").replacingOccurrences(of: "\n", with: "%0A")
            header += "\(name): \(clean)\r\n"
        }
        field("WARC-Type", draft.type)
        field("WARC-Record-ID", id)
        field("WARC-Date", Self.warcDate(draft.date))
        if let uri = draft.targetURI { field("WARC-Target-URI", uri) }
        for extra in draft.fields { field(extra.name, extra.value) }
        field("Content-Type", draft.contentType)
        field("WARC-Block-Digest", Self.digest(draft.block))
        if let offset = draft.payloadOffset, offset <= draft.block.count {
            field("WARC-Payload-Digest", Self.digest(draft.block[draft.block.startIndex + offset ..< draft.block.endIndex]))
        }
        field("Content-Length", String(draft.block.count))
        var record = Data(header.utf8)
        record.append(Data("\r\n".utf8))
        record.append(draft.block)
        record.append(Data("\r\n\r\n".utf8))
        index.append((id: id, type: draft.type, offset: data.count))
        data.append(try GzipMember.compress(record))
        return id
    }

    public static func newRecordID() -> String {
        "<urn:uuid:\(UUID().uuidString.lowercased())>"
    }

    /// `sha256:` and the base32 (RFC 4648) of the digest.
    public static func digest<Bytes: DataProtocol>(_ bytes: Bytes) -> String {
        "sha256:" + base32(Array(SHA256.hash(data: bytes)))
    }

    static func base32(_ bytes: [UInt8]) -> String {
        let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567")
        var output = ""
        var buffer: UInt32 = 0
        var bits = 0
        for byte in bytes {
            buffer = (buffer << 8) | UInt32(byte)
            bits += 8
            while bits >= 5 {
                output.append(alphabet[Int((buffer >> UInt32(bits - 5)) & 31)])
                bits -= 5
            }
        }
        if bits > 0 { output.append(alphabet[Int((buffer << UInt32(5 - bits)) & 31)]) }
        while output.count % 8 != 0 { output.append("=") }
        return output
    }

    static func warcDate(_ date: Date) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.timeZone = TimeZone(identifier: "UTC")
        return formatter.string(from: date)
    }
}
