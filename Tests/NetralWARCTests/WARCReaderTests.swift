import Foundation
import NetralModel
import NetralTestSupport
import Testing
@testable import NetralWARC

/// Reads a WARC of `Fixtures/sources/warc/`.
func warcFixture(_ name: String) throws -> Data {
    try Data(contentsOf: URL(fileURLWithPath: repositoryRoot + "/Fixtures/sources/warc/" + name))
}

func utc(_ text: String) -> Date? {
    ISO8601DateFormatter().date(from: text)
}

/// Builds WARC records in tests. `declaredLength` lets a record lie about its length.
func warcRecord(
    _ type: String,
    uri: String? = nil,
    block: Data,
    declaredLength: Int? = nil,
    version: String = "WARC/1.1",
    extraHeaders: [String] = []
) -> Data {
    var head = "\(version)\r\nWARC-Type: \(type)\r\nWARC-Record-ID: <urn:uuid:\(UUID().uuidString.lowercased())>\r\nWARC-Date: 2024-01-21T03:00:00Z\r\n"
    if let uri { head += "WARC-Target-URI: \(uri)\r\n" }
    if type == "response" { head += "Content-Type: application/http; msgtype=response\r\n" }
    for header in extraHeaders { head += header + "\r\n" }
    head += "Content-Length: \(declaredLength ?? block.count)\r\n\r\n"
    return Data(head.utf8) + block + Data("\r\n\r\n".utf8)
}

func httpResponse(_ body: String, status: String = "200 OK", headers: [String] = ["Content-Type: text/html; charset=utf-8"]) -> Data {
    Data(("HTTP/1.1 \(status)\r\n" + headers.map { $0 + "\r\n" }.joined() + "\r\n" + body).utf8)
}

/// Reads every record; the error, if any, comes back with the records before it.
func readAll(_ reader: WARCReader) -> (records: [WARCRecord], error: (any Error)?) {
    var records: [WARCRecord] = []
    do {
        while let record = try reader.next() { records.append(record) }
        return (records, nil)
    } catch {
        return (records, error)
    }
}

@Suite struct WARCReaderTests {
    let types = ["warcinfo", "request", "response", "response", "response", "metadata", "response", "revisit", "response"]

    @Test func readsAPlainWARCAtTheOffsetsWarcioGives() throws {
        let reader = try WARCReader(path: repositoryRoot + "/Fixtures/sources/warc/kampanye.warc")
        let (records, error) = readAll(reader)
        #expect(error == nil)
        #expect(records.map(\.type) == types)
        #expect(records.map(\.offset) == [0, 355, 802, 1638, 2437, 2904, 3292, 3764, 4380])
        #expect(records.allSatisfy { $0.version == "WARC/1.0" })
        #expect(records.allSatisfy { Int64($0.block.count) == $0.contentLength })
        #expect(reader.warnings.isEmpty)
        #expect(try reader.next() == nil)
    }

    @Test func readsAGzipPerRecordWARCAtTheMemberOffsets() throws {
        let reader = try WARCReader(path: repositoryRoot + "/Fixtures/sources/warc/kampanye.warc.gz")
        let (records, error) = readAll(reader)
        #expect(error == nil)
        #expect(records.map(\.type) == types)
        #expect(records.map(\.offset) == [0, 270, 567, 1299, 1758, 2104, 2373, 2704, 3066])
        #expect(records.allSatisfy { $0.version == "WARC/1.1" })
        #expect(records[2].targetURI == "https://kecamatan.sungaijernih.example/berita/camat-ajak-warga")
        #expect(records[2].recordID == "<urn:uuid:00000000-0000-0000-0000-000000000003>")
        #expect(records[2].date == utc("2024-01-21T03:00:00Z"))
    }

    @Test func responseRecordsBecomeDecodedCaptures() throws {
        let reader = try WARCReader(path: repositoryRoot + "/Fixtures/sources/warc/kampanye.warc.gz")
        var responses: [WARCCapture] = []
        while let response = try reader.nextCapture() { responses.append(response) }
        #expect(responses.map(\.capture.finalURL) == [
            "https://kecamatan.sungaijernih.example/berita/camat-ajak-warga",
            "https://kecamatan.sungaijernih.example/feed/",
            "https://kecamatan.sungaijernih.example/img/camat.png",
            "https://kecamatan.sungaijernih.example/hilang",
            "https://sosial.example/api/v1/accounts/109876543210/statuses?limit=40&exclude_replies=false",
        ])
        #expect(responses.map(\.capture.status) == [200, 200, 200, 404, 200])
        #expect(responses.map(\.recordOffset) == [567, 1299, 1758, 2373, 3066])

        // Chunked transfer and gzip content coding are both undone.
        let page = responses[0].capture
        let html = String(decoding: page.body, as: UTF8.self)
        #expect(html.hasPrefix("<!doctype html>"))
        #expect(html.contains("ayo coblos nomor 2!"))
        #expect(page.mediaType == "text/html")
        #expect(page.peerIP == "192.0.2.10")
        #expect(page.fetchedAt == utc("2024-01-21T03:00:00Z"))
        #expect(responses[4].capture.header("Link")?.contains("rel=\"next\"") == true)
    }

    @Test func fileAndMemoryReadTheSame() throws {
        let path = repositoryRoot + "/Fixtures/sources/warc/kampanye.warc.gz"
        let fromFile = readAll(try WARCReader(path: path)).records
        let fromMemory = readAll(try WARCReader(data: Data(contentsOf: URL(fileURLWithPath: path)), source: path)).records
        #expect(fromFile == fromMemory)
    }

    @Test func aBlockOverTheLimitIsSkippedWithAWarning() throws {
        let limit = 400
        let reader = try WARCReader(path: repositoryRoot + "/Fixtures/sources/warc/kampanye.warc", maxBlockBytes: limit)
        let (records, error) = readAll(reader)
        #expect(error == nil)
        #expect(records.count == 9)
        let omitted = records.filter(\.isBlockOmitted)
        #expect(!omitted.isEmpty)
        #expect(records.allSatisfy { $0.isBlockOmitted == ($0.contentLength > Int64(limit)) })
        #expect(omitted.allSatisfy { $0.block.isEmpty })
        #expect(reader.warnings.count == omitted.count)
        #expect(reader.warnings.allSatisfy { $0.contains("larger than the limit") })
    }

    @Test func aContentLengthPastTheEndIsAClearErrorAfterTheEarlierRecords() throws {
        let first = warcRecord("response", uri: "https://a.example/1", block: httpResponse("<p>satu</p>"))
        let second = warcRecord("response", uri: "https://a.example/2", block: httpResponse("<p>dua</p>"))
        let lastBlock = httpResponse("<p>tiga</p>")
        let last = warcRecord("response", uri: "https://a.example/3", block: lastBlock, declaredLength: lastBlock.count + 100)
        let reader = try WARCReader(data: first + second + last, source: "bohong.warc")
        let (records, error) = readAll(reader)
        #expect(records.map(\.targetURI) == ["https://a.example/1", "https://a.example/2"])
        let offset = Int64(first.count + second.count)
        #expect(error as? WARCReadError == .truncatedRecord(source: "bohong.warc", offset: offset, declared: Int64(lastBlock.count + 100), available: Int64(lastBlock.count + 4)))
        #expect("\(error!)".contains("byte offset \(offset)"))
        #expect(try reader.next() == nil)
    }

    @Test func aContentLengthTooLongInsideTheFileSkipsOnlyThatRecord() throws {
        let first = warcRecord("response", uri: "https://a.example/1", block: httpResponse("<p>satu</p>"))
        let secondBlock = httpResponse("<p>dua</p>")
        let second = warcRecord("response", uri: "https://a.example/2", block: secondBlock, declaredLength: secondBlock.count + 50)
        let third = warcRecord("response", uri: "https://a.example/3", block: httpResponse("<p>tiga dengan isi yang cukup panjang untuk ditelan</p>"))
        let reader = try WARCReader(data: first + second + third, source: "panjang.warc")
        let (records, error) = readAll(reader)
        #expect(error == nil)
        #expect(records.map(\.targetURI) == ["https://a.example/1", "https://a.example/3"])
        #expect(records[1].offset == Int64(first.count + second.count))
        #expect(reader.warnings.count == 1)
        #expect(reader.warnings[0].contains("byte offset \(first.count)"))
        #expect(reader.warnings[0].contains("Content-Length"))
    }

    @Test func aContentLengthTooShortResynchronisesOnTheNextRecord() throws {
        let first = warcRecord("response", uri: "https://a.example/1", block: httpResponse("<p>satu</p>"))
        let secondBlock = httpResponse("<p>dua, dengan isi yang lebih panjang dari yang dikatakan</p>")
        let second = warcRecord("response", uri: "https://a.example/2", block: secondBlock, declaredLength: secondBlock.count - 30)
        let third = warcRecord("response", uri: "https://a.example/3", block: httpResponse("<p>tiga</p>"))
        let reader = try WARCReader(data: first + second + third, source: "pendek.warc")
        let (records, error) = readAll(reader)
        #expect(error == nil)
        #expect(records.map(\.targetURI) == ["https://a.example/1", "https://a.example/3"])
        #expect(reader.warnings.count == 1)
        #expect(reader.warnings[0].contains("byte offset \(first.count)"))
        #expect(reader.warnings[0].contains("next record at byte offset \(first.count + second.count)"))
    }

    @Test func lyingLengthsInGzipMembersAreHandledTheSameWay() throws {
        let first = StoredGzip.member(warcRecord("response", uri: "https://a.example/1", block: httpResponse("<p>satu</p>")))
        let secondBlock = httpResponse("<p>dua</p>")
        let second = StoredGzip.member(warcRecord("response", uri: "https://a.example/2", block: secondBlock, declaredLength: secondBlock.count - 5))
        let third = StoredGzip.member(warcRecord("response", uri: "https://a.example/3", block: httpResponse("<p>tiga</p>")))
        let reader = try WARCReader(data: first + second + third, source: "pendek.warc.gz")
        let (records, error) = readAll(reader)
        #expect(error == nil)
        #expect(records.map(\.targetURI) == ["https://a.example/1", "https://a.example/3"])
        #expect(records.map(\.offset) == [0, Int64(first.count + second.count)])
        #expect(reader.warnings.count == 1)
        #expect(reader.warnings[0].contains("byte offset \(first.count)"))
    }

    @Test func garbageBetweenRecordsIsSkippedWithAWarning() throws {
        let first = warcRecord("response", uri: "https://a.example/1", block: httpResponse("<p>satu</p>"))
        let junk = Data("sampah di tengah berkas\r\n\u{0}\u{1}\u{2}\r\n".utf8)
        let second = warcRecord("response", uri: "https://a.example/2", block: httpResponse("<p>dua</p>"))
        let reader = try WARCReader(data: first + junk + second, source: "sampah.warc")
        let (records, error) = readAll(reader)
        #expect(error == nil)
        try #require(records.map(\.targetURI) == ["https://a.example/1", "https://a.example/2"])
        #expect(records[1].offset == Int64(first.count + junk.count))
        #expect(reader.warnings.count == 1)
        #expect(reader.warnings[0].contains("not a WARC record"))
    }

    @Test func aRecordWithoutContentLengthIsSkipped() throws {
        var broken = Data("WARC/1.0\r\nWARC-Type: response\r\nWARC-Target-URI: https://a.example/0\r\n\r\nisi\r\n\r\n".utf8)
        broken += warcRecord("response", uri: "https://a.example/1", block: httpResponse("<p>satu</p>"))
        let reader = try WARCReader(data: broken, source: "tanpa-panjang.warc")
        let (records, error) = readAll(reader)
        #expect(error == nil)
        #expect(records.map(\.targetURI) == ["https://a.example/1"])
        #expect(reader.warnings.first?.contains("has no valid Content-Length") == true)
    }

    @Test func aTruncatedGzipWARCDeliversTheEarlierRecordsThenNamesTheMember() throws {
        let whole = try warcFixture("kampanye.warc.gz")
        let reader = try WARCReader(data: whole.prefix(2000), source: "putus.warc.gz")
        let (records, error) = readAll(reader)
        #expect(records.map(\.offset) == [0, 270, 567, 1299])
        #expect(error as? WARCReadError == .truncatedGzip(source: "putus.warc.gz", offset: 1758))
        #expect(try reader.next() == nil)
    }

    @Test func aCorruptGzipMemberDeliversTheEarlierRecordsThenNamesTheMember() throws {
        var damaged = try warcFixture("kampanye.warc.gz")
        for index in 1320..<1330 { damaged[index] ^= 0x5A }
        let reader = try WARCReader(data: damaged, source: "rusak.warc.gz")
        let (records, error) = readAll(reader)
        #expect(records.map(\.offset) == [0, 270, 567])
        guard case let .corruptGzip(source, offset, _)? = error as? WARCReadError else {
            Issue.record("expected corruptGzip, got \(String(describing: error))")
            return
        }
        #expect(source == "rusak.warc.gz")
        #expect(offset == 1299)
    }

    @Test func garbageIsNotAWARC() throws {
        var generator = SystemRandomNumberGenerator()
        var bytes = (0..<8192).map { _ in UInt8.random(in: 0...255, using: &generator) }
        bytes[0] = 0x00
        let random = readAll(try WARCReader(data: Data(bytes), source: "acak.bin"))
        #expect(random.records.isEmpty)
        if case .notWARC? = random.error as? WARCReadError {} else { Issue.record("random bytes must be refused as notWARC") }
        if case let .notWARC(source, found)? = readAll(try WARCReader(data: Data("<html>halo</html>\n".utf8), source: "halaman.html")).error as? WARCReadError {
            #expect(source == "halaman.html")
            #expect(found.hasPrefix("'<html>halo"))
        } else {
            Issue.record("an HTML page must be refused as notWARC")
        }
        bytes[0] = 0x1F
        bytes[1] = 0x8B
        let gzipGarbage = readAll(try WARCReader(data: Data(bytes), source: "acak.gz")).error
        #expect(gzipGarbage.map { "\($0)" }?.contains("byte offset 0") == true)
        #expect(readAll(try WARCReader(data: Data(), source: "kosong.warc")).records.isEmpty)
        let leadingBlankLines = readAll(try WARCReader(data: Data("\r\n\nbukan warc\n".utf8), source: "teks.txt"))
        #expect(leadingBlankLines.error as? WARCReadError == .notWARC(source: "teks.txt", found: "'bukan warc'"))
    }

    @Test func missingFileIsAClearError() {
        #expect(throws: WARCReadError.self) { try WARCReader(path: "/tidak/ada/berkas.warc.gz") }
    }

    @Test func httpMessagesAreReadLeniently() throws {
        // Chunk extensions, an obs-folded header, a body already de-chunked by the crawler.
        let chunked = Data("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nX-Lipat: satu\r\n dua\r\n\r\n5;ext=1\r\nhalo \r\n6\r\ndunia!\r\n0\r\n\r\n".utf8)
        let message = try HTTPResponseMessage(block: [UInt8](chunked), maxBodyBytes: 1 << 20)
        #expect(String(decoding: message.body, as: UTF8.self) == "halo dunia!")
        #expect(message.headers.first { $0.name == "X-Lipat" }?.value == "satu dua")
        let plain = Data("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n<p>sudah polos</p>".utf8)
        #expect(String(decoding: try HTTPResponseMessage(block: [UInt8](plain), maxBodyBytes: 1 << 20).body, as: UTF8.self) == "<p>sudah polos</p>")
        // A chunk cut short keeps what was read.
        let cut = Data("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n10\r\nterpotong".utf8)
        #expect(String(decoding: try HTTPResponseMessage(block: [UInt8](cut), maxBodyBytes: 1 << 20).body, as: UTF8.self) == "terpotong")
        // "gzip" on a body the crawler already decoded is left as it is.
        let decoded = Data("HTTP/1.1 200 OK\r\nContent-Encoding: gzip\r\n\r\n<p>polos</p>".utf8)
        #expect(String(decoding: try HTTPResponseMessage(block: [UInt8](decoded), maxBodyBytes: 1 << 20).body, as: UTF8.self) == "<p>polos</p>")
        #expect(throws: HTTPResponseMessage.Failure.self) {
            try HTTPResponseMessage(block: [UInt8](Data("HTTP/1.1 200 OK\r\nContent-Encoding: br\r\n\r\nxx".utf8)), maxBodyBytes: 1 << 20)
        }
        #expect(throws: HTTPResponseMessage.Failure.self) {
            try HTTPResponseMessage(block: [UInt8](Data("bukan http\r\n\r\n".utf8)), maxBodyBytes: 1 << 20)
        }
    }

    @Test func unreadableResponsesArePassedOverWithAWarning() throws {
        let brotli = warcRecord("response", uri: "https://a.example/br", block: Data("HTTP/1.1 200 OK\r\nContent-Encoding: br\r\n\r\nxx".utf8))
        let dns = warcRecord("response", uri: "dns:a.example", block: Data("20240121030000\na.example. 300 IN A 192.0.2.1\n".utf8), extraHeaders: [])
            .replacingHTTPContentType()
        let good = warcRecord("response", uri: "https://a.example/ok", block: httpResponse("<p>baik</p>"))
        let reader = try WARCReader(data: brotli + dns + good, source: "campur.warc")
        var captures: [WARCCapture] = []
        while let capture = try reader.nextCapture() { captures.append(capture) }
        #expect(captures.map(\.capture.finalURL) == ["https://a.example/ok"])
        #expect(reader.warnings.count == 1)
        #expect(reader.warnings[0].contains("'br'"))
    }

    @Test func streamsManyRecordsAndSkipsAHugeOneInBoundedMemory() throws {
        let folder = try TemporaryFolder()
        let path = folder.path + "/besar.warc.gz"
        #expect(FileManager.default.createFile(atPath: path, contents: nil))
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
        let filler = String(repeating: "Warga Sungai Jernih bergotong royong. ", count: 250)
        for index in 0..<1500 {
            if index == 700 {
                let huge = Data(repeating: 0x78, count: WARCReader.defaultMaxBlockBytes + 1024)
                try handle.write(contentsOf: StoredGzip.member(warcRecord("resource", uri: "https://a.example/besar", block: huge)))
            }
            let record = warcRecord("response", uri: "https://a.example/\(index)", block: httpResponse("<p>\(index) \(filler)</p>"))
            try handle.write(contentsOf: StoredGzip.member(record))
        }
        try handle.close()

        let reader = try WARCReader(path: path)
        var count = 0
        var omitted: [WARCRecord] = []
        var lastOffset: Int64 = -1
        while let record = try reader.next() {
            #expect(record.offset > lastOffset)
            lastOffset = record.offset
            if record.isBlockOmitted { omitted.append(record) } else {
                count += 1
                let text = String(decoding: record.block, as: UTF8.self)
                #expect(text.contains("<p>\(count - 1) Warga"))
            }
        }
        #expect(count == 1500)
        #expect(omitted.map(\.targetURI) == ["https://a.example/besar"])
        #expect(reader.warnings.count == 1)
    }

    /// Opt-in (set NETRAL_LARGE_WARC_TESTS=1): writes a WARC of about 2 GiB and reads it through,
    /// checking that the reader's peak memory stays far below the file size.
    @Test(.enabled(if: ProcessInfo.processInfo.environment["NETRAL_LARGE_WARC_TESTS"] != nil))
    func readsAMultiGigabyteWARCInFlatMemory() throws {
        let folder = try TemporaryFolder()
        let path = folder.path + "/raksasa.warc.gz"
        #expect(FileManager.default.createFile(atPath: path, contents: nil))
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
        let member = StoredGzip.member(warcRecord("response", uri: "https://a.example/x", block: httpResponse(String(repeating: "a", count: 4 << 20))))
        let records = (2 << 30) / member.count + 1
        for _ in 0..<records { try handle.write(contentsOf: member) }
        try handle.close()
        let reader = try WARCReader(path: path)
        var count = 0
        while try reader.next() != nil { count += 1 }
        #expect(count == records)
        let status = (try? String(contentsOfFile: "/proc/self/status", encoding: .utf8)) ?? ""
        if let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmHWM:") }),
           let kilobytes = Int(line.split(separator: " ").dropFirst().first ?? "") {
            print("WARC of \(records * member.count) bytes read with peak resident memory \(kilobytes / 1024) MiB")
            #expect(kilobytes < 512 * 1024)
        }
    }
}

private extension Data {
    /// Turns a record's `application/http` Content-Type into the `text/dns` of a DNS record.
    func replacingHTTPContentType() -> Data {
        let text = String(decoding: self, as: UTF8.self)
            .replacingOccurrences(of: "Content-Type: application/http; msgtype=response", with: "Content-Type: text/dns")
        return Data(text.utf8)
    }
}
