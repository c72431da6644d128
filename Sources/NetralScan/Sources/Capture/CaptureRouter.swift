import Foundation
import Logging
import NetralExtract
import NetralModel
import NetralOCR
import NetralPlatforms
import NetralWARC

/// What one file of a capture folder holds, and where each answer inside goes: a response of a
/// platform (by its URL, `PlatformParsers.platform(for:)`) to that platform's parser, any other
/// page, feed or API answer to the extractor; a screenshot to OCR; a WhatsApp export to the
/// chat reader. Every item keeps the file (and WARC record) it was read from.
struct CaptureRouter {
    let scan: TargetScan

    enum FileKind: Equatable {
        case wacz, warc, screenshot, whatsApp, savedPage, other
    }

    /// The kind of a file, from its name and first bytes.
    static func kind(of path: String) -> FileKind {
        let lower = path.lowercased()
        let head =
            (FileHandle(forReadingAtPath: path).flatMap { handle in
                defer { try? handle.close() }
                return try? handle.read(upToCount: 4096)
            }) ?? Data()
        let isZip = head.starts(with: [0x50, 0x4B, 0x03, 0x04]) || head.starts(with: [0x50, 0x4B, 0x05, 0x06])
        if lower.hasSuffix(".wacz") { return .wacz }
        if lower.hasSuffix(".warc") || lower.hasSuffix(".warc.gz") { return .warc }
        if [".png", ".jpg", ".jpeg", ".webp", ".gif"].contains(where: lower.hasSuffix) { return .screenshot }
        if lower.hasSuffix(".zip"), isZip { return .whatsApp }
        if lower.hasSuffix(".txt") { return WhatsAppChat.looksLikeExport(head, fileName: lower) ? .whatsApp : .other }
        if [".html", ".htm", ".json", ".xml", ".rss", ".atom"].contains(where: lower.hasSuffix) { return .savedPage }
        return .other
    }

    func read(_ file: CaptureFolder.File) async throws {
        switch Self.kind(of: file.path) {
        case .wacz: try await readWACZ(file)
        case .warc: try await readWARC(at: file.path, named: file.name)
        case .screenshot: try await readScreenshot(file)
        case .whatsApp: try await readChat(file)
        case .savedPage: try await readSavedPage(file)
        case .other: scan.logger.info("capture file of no known kind, not read", metadata: ["file": "\(file.name)"])
        }
    }

    // MARK: - Archives

    private func readWACZ(_ file: CaptureFolder.File) async throws {
        let package = try WACZPackage(path: file.path)
        let pages = try package.pages()
        scan.logger.info(
            "WACZ package", metadata: ["file": "\(file.name)", "version": "\(package.version ?? "?")", "pages": "\(pages.count)"])
        // Each WARC is checked against the package's digest while it is copied out, then read.
        for warc in package.warcPaths {
            try await package.withWARC(warc) { path in
                try await readWARC(at: path, named: "\(file.name)#\(warc)", archiveName: file.path + "#" + warc)
            }
        }
        for warning in package.warnings { scan.logger.info("WACZ warning", metadata: ["warning": "\(warning)"]) }
    }

    /// Every 2xx response of a WARC, routed; a damaged tail fails the file after what came before.
    private func readWARC(at path: String, named name: String, archiveName: String? = nil) async throws {
        let reader = try WARCReader(path: path)
        while let record = try reader.nextCapture() {
            let capture = record.capture
            guard (200..<300).contains(capture.status) else { continue }
            let place = ArchiveRecord(
                file: archiveName ?? path, offset: record.recordOffset, recordID: record.recordID, payloadDigest: record.payloadDigest)
            try await route(capture, place: place)
        }
        for warning in reader.warnings { scan.logger.info("WARC warning", metadata: ["file": "\(name)", "warning": "\(warning)"]) }
    }

    // MARK: - Responses

    /// One response: its platform's parser when its URL is a platform's, else the extractor.
    func route(_ capture: Capture, place: ArchiveRecord?) async throws {
        var items: [Item]
        var pictures: [String: [String]] = [:]
        if let platform = PlatformParsers.platform(for: capture.finalURL) {
            let page = try PlatformParsers.parse(PlatformInput(capture: capture), as: platform)
            if let wall = page.wall {
                scan.logger.info("captured answer is a wall", metadata: ["url": "\(capture.finalURL)", "wall": "\(wall)"])
                return
            }
            for note in page.notes { scan.logger.info("platform note", metadata: ["url": "\(capture.finalURL)", "note": "\(note)"]) }
            for profile in page.profiles { scan.sink.saw(profile, in: capture) }
            items = page.posts.map(\.item)
            for post in page.posts {
                pictures[post.item.identityURL, default: []] += post.media.filter { $0.kind != .video }.map(\.url)
            }
        } else {
            let kind = CapturePipeline.kind(of: capture)
            guard [.html, .feed, .mastodon, .bluesky].contains(kind) else { return }
            let extraction = try scan.sink.judge.pipeline.extract(capture, kind: kind, profileName: scan.target.profile)
            for warning in extraction.warnings {
                scan.logger.info("extraction warning", metadata: ["url": "\(capture.finalURL)", "warning": "\(warning)"])
            }
            items = extraction.items
        }
        if let place { for index in items.indices { items[index].archiveRecord = place } }
        guard !items.isEmpty else { return }
        try await scan.sink.judge(capture, items: items, pictures: pictures, record: .read, fetchesImages: false, in: scan)
    }

    // MARK: - Saved pages

    /// A page saved from a browser: routed by the address it was saved from (the
    /// `<!-- saved from url=(…)… -->` mark browsers write, else its canonical or og:url).
    private func readSavedPage(_ file: CaptureFolder.File) async throws {
        var capture = try Extractor.captureFile(atPath: file.path)
        if let address = Self.savedFrom(capture.body) {
            capture.finalURL = address
            capture.requestURL = address
            capture.redirectChain = [address]
        }
        try await route(capture, place: nil)
    }

    /// The page's original address, from the first 64 KiB.
    static func savedFrom(_ body: Data) -> String? {
        let head = String(decoding: body.prefix(64 * 1024), as: UTF8.self)
        let patterns = [
            #"<!--\s*saved from url=\(\d+\)(https?://[^\s>]+?)\s*-->"#,
            #"<link[^>]+rel=["']canonical["'][^>]+href=["'](https?://[^"']+)["']"#,
            #"<meta[^>]+property=["']og:url["'][^>]+content=["'](https?://[^"']+)["']"#,
        ]
        for pattern in patterns {
            guard let expression = try? NSRegularExpression(pattern: pattern, options: [.caseInsensitive]),
                let match = expression.firstMatch(in: head, range: NSRange(head.startIndex..., in: head)),
                let range = Range(match.range(at: 1), in: head)
            else { continue }
            return String(head[range])
        }
        return nil
    }

    // MARK: - Citizens' tips

    /// A screenshot of a post: its words (OCR) are the item, judged as the picture's text; the
    /// picture is kept in the case file with them.
    private func readScreenshot(_ file: CaptureFolder.File) async throws {
        guard let words = scan.sink.pictureWords else {
            throw TargetError("a screenshot needs OCR, which is off (`ocr: false`) or has no language data")
        }
        let capture = try CitizenTip.screenshot(atPath: file.path)
        let text = try await words.engine.read(capture.body, imageURL: capture.finalURL, budget: words.budget)
        guard !text.text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else {
            scan.logger.info("screenshot without words", metadata: ["file": "\(file.name)"])
            return
        }
        let item = CitizenTip.screenshotItem(capture, words: text)
        try await scan.sink.judge(
            capture, items: [item], held: [capture.finalURL: capture], record: .read, fetchesImages: false, in: scan)
    }

    static func imageType(of path: String) -> String {
        switch (path as NSString).pathExtension.lowercased() {
        case "png": "image/png"
        case "gif": "image/gif"
        case "webp": "image/webp"
        default: "image/jpeg"
        }
    }

    /// A WhatsApp "export chat" file (`.txt`, or `.zip` with its media): each message an item,
    /// with its sender and time.
    private func readChat(_ file: CaptureFolder.File) async throws {
        let capture = try Extractor.captureFile(atPath: file.path, maxBytes: CaptureSource.maxWholeFileBytes)
        let page = try CitizenTip.chat(capture)
        for note in page.notes { scan.logger.info("chat note", metadata: ["file": "\(file.name)", "note": "\(note)"]) }
        let items = page.posts.map(\.item)
        guard !items.isEmpty else { return }
        try await scan.sink.judge(capture, items: items, record: .read, fetchesImages: false, in: scan)
    }
}
