import Foundation
import NetralModel
import NetralTestSupport
import Testing
@testable import NetralWARC

@Suite struct WARCWriterTests {
    static let capture = Capture(
        requestURL: "https://contoh.test/berita?id=7", finalURL: "https://contoh.test/berita?id=7", status: 200,
        headers: [HTTPHeader(name: "Content-Type", value: "text/html; charset=utf-8"),
                  HTTPHeader(name: "Content-Encoding", value: "gzip"),
                  HTTPHeader(name: "Transfer-Encoding", value: "chunked")],
        body: Data("<p>Camat ajak coblos</p>".utf8), fetchedAt: Date(timeIntervalSince1970: 1_705_750_000),
        peerIP: "127.0.0.1", requestHeaders: [HTTPHeader(name: "User-Agent", value: "netral/test"), HTTPHeader(name: "Accept", value: "*/*")]
    )

    @Test func base32MatchesRFC4648Vectors() {
        #expect(WARCWriter.base32(Array("".utf8)) == "")
        #expect(WARCWriter.base32(Array("f".utf8)) == "MY======")
        #expect(WARCWriter.base32(Array("fo".utf8)) == "MZXQ====")
        #expect(WARCWriter.base32(Array("foobar".utf8)) == "MZXW6YTBOI======")
    }

    @Test func ourReaderReadsBackTheResponseWithItsBodyAndDigest() throws {
        let writer = try CaptureArchive.warc(for: Self.capture, info: [HTTPHeader(name: "software", value: "netral test")],
                                             filename: "capture.warc.gz", now: Date(timeIntervalSince1970: 1_705_760_000))
        #expect(writer.index.map(\.type) == ["warcinfo", "response", "request"])
        let folder = try TemporaryFolder()
        let path = folder.path + "/capture.warc.gz"
        try writer.data.write(to: URL(fileURLWithPath: path))
        let reader = try WARCReader(path: path)
        let record = try #require(try reader.nextCapture())
        #expect(record.capture.finalURL == "https://contoh.test/berita?id=7")
        #expect(record.capture.status == 200)
        // The payload is the decoded body, so Content-Encoding must not claim gzip any more.
        #expect(record.capture.body == Self.capture.body)
        #expect(record.capture.header("Content-Encoding") == nil)
        #expect(record.capture.header("X-Netral-Original-Content-Encoding") == "gzip")
        #expect(record.capture.header("Content-Length") == String(Self.capture.body.count))
        #expect(record.payloadDigest == WARCWriter.digest(Self.capture.body))
        #expect(record.recordOffset == Int64(writer.index[1].offset))
        #expect(try reader.nextCapture() == nil)
    }

    @Test func eachRecordIsItsOwnGzipMember() throws {
        let writer = try CaptureArchive.warc(for: Self.capture, info: [], filename: "x.warc.gz", now: Date())
        for entry in writer.index {
            #expect(writer.data[writer.data.startIndex + entry.offset] == 0x1f)
            #expect(writer.data[writer.data.startIndex + entry.offset + 1] == 0x8b)
        }
    }

    @Test func encodedBytesAreStoredAsReceivedWhenKept() throws {
        var capture = Self.capture
        capture.encodedBody = Data([0x1f, 0x8b, 0x08, 0x00])
        let (block, offset) = CaptureArchive.responseBlock(of: capture)
        #expect(block.suffix(from: block.startIndex + offset) == capture.encodedBody)
        let head = String(decoding: block.prefix(offset), as: UTF8.self)
        #expect(head.contains("\r\nContent-Encoding: gzip\r\n"))
        #expect(head.hasPrefix("HTTP/1.1 200 OK\r\n"))
    }

    @Test func requestKeepsTheHeadersSentAndAHostLine() {
        let text = String(decoding: CaptureArchive.requestBlock(of: Self.capture), as: UTF8.self)
        #expect(text.hasPrefix("GET /berita?id=7 HTTP/1.1\r\nHost: contoh.test\r\nUser-Agent: netral/test\r\nAccept: */*\r\n\r\n"))
    }

    @Test func aHostileURLCannotForgeAWARCHeader() throws {
        var writer = WARCWriter()
        try writer.append(WARCRecordDraft(type: "resource", targetURI: "https://x.test/\r\nWARC-Type: evil", date: Date(),
                                          contentType: "text/plain", block: Data("a".utf8)))
        let folder = try TemporaryFolder()
        let path = folder.path + "/r.warc.gz"
        try writer.data.write(to: URL(fileURLWithPath: path))
        let reader = try WARCReader(path: path)
        let record = try #require(try reader.next())
        #expect(record.header("WARC-Type") == "resource")
        #expect(record.targetURI == "https://x.test/%0D%0AWARC-Type: evil")
    }
}
