import Crypto
import Foundation
import NetralEvidence
import NetralFetch
import NetralModel
import NetralRules
import NetralTestSupport
import Testing
import ZIPFoundation

@testable import NetralScan

/// A capture folder (`kind: capture`) as analysts and citizens fill it: a WACZ recorded around a
/// TikTok video page, a screenshot of a post, a WhatsApp chat export; then hostile files.
@Suite(.serialized) struct CaptureFolderTests {
    let fixtures = (repositoryRoot as NSString).appendingPathComponent("Fixtures")
    let rules = (repositoryRoot as NSString).appendingPathComponent("Rules")
    static let videoURL = "https://www.tiktok.com/@camat_sukamaju/video/7329876543210987654"

    func scan(_ folder: String, state: TemporaryFolder) async throws -> ScanSummary {
        let config = ScanConfig(
            statePath: state.path + "/state.sqlite", evidencePath: state.path + "/evidence", fetch: FetchOptions(perHostDelay: 0),
            targets: [Target(id: "tangkapan", kind: .capture, url: folder, maxPages: 100)])
        return try await Scanner(config: config, ruleSet: try PackLoader.load(paths: [rules])).run(logger: quietLogger)
    }

    @Test func eachFileIsReadOnceAndEachAnswerGoesToItsParser() async throws {
        let state = try TemporaryFolder()
        let folder = state.path + "/masuk"
        try FileManager.default.createDirectory(atPath: folder + "/aduan", withIntermediateDirectories: true)
        let page = try Data(contentsOf: URL(fileURLWithPath: fixtures + "/platforms/tiktok/video_camat.html"))
        try Self.wacz(at: folder + "/tiktok-camat.wacz", warc: Self.warc(url: Self.videoURL, html: page), pageURL: Self.videoURL)
        try FileManager.default.copyItem(
            atPath: fixtures + "/ocr/rendered/screenshot-dark-02.png", toPath: folder + "/aduan/tangkapan-kades.png")
        try FileManager.default.copyItem(
            atPath: fixtures + "/sources/capture/WhatsApp Chat - Guru SDN 2.txt", toPath: folder + "/aduan/WhatsApp Chat - Guru SDN 2.txt")

        let summary = try await scan(folder, state: state)
        #expect(summary.failures.isEmpty, "\(summary.failures)")
        // The TikTok answer inside the WACZ went to the TikTok parser: the camat's video, by its permalink.
        let video = try #require(summary.findings.first { $0.url == Self.videoURL })
        let manifest = try String(contentsOfFile: video.caseFile + "/manifest.json", encoding: .utf8)
        #expect(manifest.contains("tiktok-camat.wacz#archive/data.warc"))
        // The screenshot's words were read and judged as the picture's text, kept with the picture.
        let screenshot = try #require(summary.findings.first { $0.url.hasSuffix("tangkapan-kades.png") })
        let report = try String(contentsOfFile: screenshot.caseFile + "/report.html", encoding: .utf8)
        #expect(report.contains("Teks dalam gambar"))
        #expect(report.contains("data:image/png;base64,"))
        let item = try String(contentsOfFile: screenshot.caseFile + "/item.json", encoding: .utf8)
        #expect(item.contains("\"image_texts\"") && item.contains("\"image_hash\"") && item.contains("Kepala Desa"))
        // The chat: the school head's message, by its sender; the colleague's objection is no case.
        let chat = summary.findings.filter { $0.url.contains("WhatsApp%20Chat") }
        #expect(!chat.isEmpty)
        for finding in chat {
            let text = try String(contentsOfFile: finding.caseFile + "/item.json", encoding: .utf8)
            #expect(text.contains("Drs. Suparman") && !text.contains("Pak Yusuf"))
        }

        // Every case file verifies (the screenshot kept as the capture and as the picture read).
        let checks = try EvidenceVerifier().verify(path: state.path + "/evidence")
        #expect(checks.count == Set(summary.findings.map(\.caseFile)).count)
        #expect(checks.allSatisfy { $0.isIntact }, "\(checks.filter { !$0.isIntact })")

        // A rescan reads nothing again and files nothing new.
        let again = try await scan(folder, state: state)
        #expect(again.failures.isEmpty, "\(again.failures)")
        #expect(again.newFindings == 0)
        #expect(again.unchanged == 3)
        #expect(again.items == 0)
    }

    @Test func hostileFilesAreSkippedWithTheirReasonAndTheRestIsRead() async throws {
        let state = try TemporaryFolder()
        let folder = state.path + "/masuk"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let page = try Data(contentsOf: URL(fileURLWithPath: fixtures + "/platforms/tiktok/video_camat.html"))
        let warc = Self.warc(url: Self.videoURL, html: page)
        // Changed after capture: the WARC's bytes no longer match datapackage.json.
        try Self.wacz(at: folder + "/diubah.wacz", warc: warc, pageURL: Self.videoURL, statedWARC: Data("lain".utf8))
        // An entry whose path leaves the package.
        try Self.wacz(at: folder + "/keluar.wacz", warc: warc, pageURL: Self.videoURL, warcName: "../../etc/data.warc")
        // A package cut short in transfer.
        try Self.wacz(at: folder + "/utuh.wacz", warc: warc, pageURL: Self.videoURL)
        let whole = try Data(contentsOf: URL(fileURLWithPath: folder + "/utuh.wacz"))
        try whole.prefix(whole.count / 2).write(to: URL(fileURLWithPath: folder + "/terpotong.wacz"))
        try FileManager.default.removeItem(atPath: folder + "/utuh.wacz")
        // A chat export cut short.
        let zip = try Data(contentsOf: URL(fileURLWithPath: fixtures + "/platforms/whatsapp/WhatsApp Chat - Grup Perangkat Desa.zip"))
        try zip.prefix(zip.count - 40).write(to: URL(fileURLWithPath: folder + "/WhatsApp Chat - terpotong.zip"))
        // An image bomb: a PNG header declaring 60,000 x 60,000 pixels.
        try Self.pngHeader(width: 60_000, height: 60_000).write(to: URL(fileURLWithPath: folder + "/bom.png"))
        // And one good tip beside them.
        try FileManager.default.copyItem(
            atPath: fixtures + "/sources/capture/WhatsApp Chat - Guru SDN 2.txt", toPath: folder + "/WhatsApp Chat - Guru SDN 2.txt")

        let summary = try await scan(folder, state: state)
        let failure = try #require(summary.failures.first)
        #expect(summary.failures.count == 1)
        #expect(failure.error.hasPrefix("5 of 6 files not read"), "\(failure.error)")
        #expect(failure.error.contains("diubah.wacz") && failure.error.contains("changed after capture"), "\(failure.error)")
        #expect(failure.error.contains("keluar.wacz") && failure.error.contains("outside the package"), "\(failure.error)")
        #expect(failure.error.contains("terpotong.wacz: ") && failure.error.contains("cut short"), "\(failure.error)")
        #expect(failure.error.contains("WhatsApp Chat - terpotong.zip: "), "\(failure.error)")
        #expect(failure.error.contains("bom.png: "), "\(failure.error)")
        // Nothing from a refused package was judged; the good chat was.
        #expect(!summary.findings.contains { $0.url == Self.videoURL })
        #expect(summary.findings.contains { $0.url.contains("Guru%20SDN%202") })
    }

    // MARK: - Building captures

    /// One WARC/1.1 response record holding `html` as received from `url`.
    static func warc(url: String, html: Data) -> Data {
        var http = Data("HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\nContent-Length: \(html.count)\r\n\r\n".utf8)
        http.append(html)
        var record = Data(
            """
            WARC/1.1\r
            WARC-Type: response\r
            WARC-Record-ID: <urn:uuid:5f0c7a52-6d1e-4c55-9c1b-2b7f1f6e0a11>\r
            WARC-Date: 2024-01-20T12:00:00Z\r
            WARC-Target-URI: \(url)\r
            Content-Type: application/http; msgtype=response\r
            Content-Length: \(http.count)\r
            \r

            """.utf8)
        record.append(http)
        record.append(Data("\r\n\r\n".utf8))
        return record
    }

    /// A WACZ 1.1.1 package as py-wacz writes it: the WARC stored, `pages.jsonl`, and
    /// `datapackage.json` with each file's SHA-256 (of `statedWARC` instead, to forge a change).
    static func wacz(
        at path: String, warc: Data, pageURL: String, warcName: String = "archive/data.warc", statedWARC: Data? = nil
    ) throws {
        let pages = Data(
            """
            {"format": "json-pages-1.0", "id": "pages", "title": "All Pages"}
            {"id": "1", "url": "\(pageURL)", "ts": "2024-01-20T12:00:00Z", "title": "Video TikTok"}

            """.utf8)
        func resource(_ name: String, _ data: Data) -> String {
            let hex = SHA256.hash(data: data).map { String(format: "%02x", $0) }.joined()
            let file = (name as NSString).lastPathComponent
            return #"{"name": "\#(file)", "path": "\#(name)", "hash": "sha256:\#(hex)", "bytes": \#(data.count)}"#
        }
        let listing = Data(
            """
            {"profile": "data-package", "resources": [\(resource(warcName, statedWARC ?? warc)), \(resource("pages/pages.jsonl", pages))],
             "wacz_version": "1.1.1", "software": "netral tests"}
            """.utf8)
        let archive = try Archive(url: URL(fileURLWithPath: path), accessMode: .create)
        for (name, data, method) in [
            (warcName, warc, CompressionMethod.none), ("pages/pages.jsonl", pages, .deflate), ("datapackage.json", listing, .deflate),
        ] {
            try archive.addEntry(with: name, type: .file, uncompressedSize: Int64(data.count), compressionMethod: method) {
                position, size in data.subdata(in: Int(position)..<Int(position) + size)
            }
        }
    }

    /// The signature and header chunk of a PNG, declaring its size; no pixels follow.
    static func pngHeader(width: UInt32, height: UInt32) -> Data {
        var data = Data([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52])
        for value in [width, height] { withUnsafeBytes(of: value.bigEndian) { data.append(contentsOf: $0) } }
        data.append(contentsOf: [8, 2, 0, 0, 0, 0, 0, 0, 0])
        return data
    }
}
