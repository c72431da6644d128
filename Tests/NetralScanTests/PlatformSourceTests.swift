import Foundation
import Hummingbird
import NetralEvidence
import NetralFetch
import NetralModel
import NetralRules
import NetralTestServer
import NetralTestSupport
import Testing

@testable import NetralScan

/// The social platforms' sources against loopback fakes of each platform, serving answers in
/// the platforms' real shapes (`Fixtures/sources/<platform>/`, `{{base}}` standing for the fake's
/// address): a civil servant's campaign post gives one case file, a citizen's none, a rescan
/// files nothing new, paging and caps hold, and a wall or a 429 is the target's refused reason.
@Suite(.serialized) struct PlatformSourceTests {
    let fixtures = repositoryRoot + "/Fixtures/sources"
    let rules = repositoryRoot + "/Rules"

    func scan(_ targets: [Target], in folder: TemporaryFolder) async throws -> ScanSummary {
        let config = ScanConfig(
            statePath: folder.path + "/state.sqlite", evidencePath: folder.path + "/evidence",
            fetch: FetchOptions(perHostDelay: 0, maxAttempts: 2, retryBaseDelay: 0), targets: targets)
        return try await Scanner(config: config, ruleSet: try PackLoader.load(paths: [rules])).run(logger: quietLogger)
    }

    /// A fixture as the fake serves it: `{{base}}` replaced by the fake's own address.
    func answer(_ path: String, type: String, for request: Request, status: HTTPResponse.Status = .ok) throws -> Response {
        let text = try String(contentsOfFile: fixtures + "/" + path, encoding: .utf8)
            .replacingOccurrences(of: "{{base}}", with: "http://\(request.head.authority ?? "127.0.0.1")")
        return Response(status: status, headers: [.contentType: type], body: .init(byteBuffer: ByteBuffer(string: text)))
    }

    static func bytes(_ data: Data, type: String, status: HTTPResponse.Status = .ok) -> Response {
        Response(status: status, headers: [.contentType: type], body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }

    /// A small picture for every media route.
    static let picture = Data(
        base64Encoded: "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==")!

    func result(_ summary: ScanSummary, _ target: String) throws -> TargetResult {
        try #require(summary.results.first { $0.target == target })
    }

    // MARK: - TikTok

    @Test func tiktokVideosTheirSubtitlesAndWalls() async throws {
        let folder = try TemporaryFolder()
        let router = Router()
        router.get("@camat_sukamaju/video/7329876543210987654") { request, _ in
            try answer("tiktok/video_camat.html", type: "text/html; charset=utf-8", for: request)
        }
        router.get("@rahma_kue_basah/video/7329876543210000002") { request, _ in
            try answer("tiktok/video_warga.html", type: "text/html; charset=utf-8", for: request)
        }
        router.get("@camat_sukamaju") { request, _ in try answer("tiktok/profile_camat.html", type: "text/html", for: request) }
        router.get("@terkunci") { request, _ in try answer("tiktok/captcha.html", type: "text/html", for: request) }
        let busy = Counter()
        router.get("@sibuk") { _, _ in
            busy.increment()
            return Response(status: .tooManyRequests, headers: [.init("Retry-After")!: "0"])
        }
        router.get("subtitle/:name") { request, _ in try answer("tiktok/subtitle_ind.vtt", type: "text/vtt", for: request) }
        let covers = Counter()
        router.get("obj/:name") { _, _ in
            covers.increment()
            return Self.bytes(Self.picture, type: "image/png")
        }
        let targets: @Sendable (String) -> [Target] = { base in
            [
                Target(id: "camat-video", kind: .tiktok, url: base + "@camat_sukamaju/video/7329876543210987654", allowPrivate: true),
                Target(id: "warga-video", kind: .tiktok, url: base + "@rahma_kue_basah/video/7329876543210000002", allowPrivate: true),
                Target(id: "camat-profil", kind: .tiktok, url: base + "@camat_sukamaju", allowPrivate: true),
                Target(id: "terkunci", kind: .tiktok, url: base + "@terkunci", allowPrivate: true),
                Target(id: "sibuk", kind: .tiktok, url: base + "@sibuk", allowPrivate: true),
            ]
        }
        let (first, second) = try await TestServer.withServer(router: router, logger: quietLogger) { base in
            (try await scan(targets(base), in: folder), try await scan(targets(base), in: folder))
        }
        let camat = first.findings.filter { $0.target == "camat-video" }
        #expect(!camat.isEmpty)
        #expect(Set(camat.map(\.caseFile)).count == 1, "one case file for the one video")
        #expect(first.findings.filter { $0.target == "warga-video" }.isEmpty, "a citizen's support is no violation")
        #expect(try result(first, "camat-profil").outcome == .scanned)
        #expect(try result(first, "terkunci").refused == .challenge)
        #expect(try result(first, "sibuk").refused == .rateLimited)
        #expect(busy.value == 4, "two attempts a scan (the engine's retry), then the refusal")
        // A cover is fetched to read its words (OCR) whenever a post with a campaign signal is
        // judged: both videos, in both scans (a platform post is judged again each scan, with
        // its subtitle track); the camat's new case file keeps the bytes read the first time.
        #expect(covers.value == 4)
        // The rescan files nothing new.
        #expect(second.newFindings == 0)
        #expect(Set(second.findings.map(\.caseFile)) == Set(first.findings.map(\.caseFile)))
        // The case file keeps the transcript with its times, the subtitle answer and the cover.
        let caseFile = try #require(camat.first?.caseFile)
        let item = try NetralJSON.decoder().decode(Item.self, from: Data(contentsOf: URL(fileURLWithPath: caseFile + "/item.json")))
        let transcript = try #require(item.transcript)
        #expect(transcript.cues.first?.start == 0.12)
        #expect(transcript.text.contains("Coblos nomor 2, Prabowo & Gibran!"))
        #expect(item.sourceURL.hasSuffix("/@camat_sukamaju/video/7329876543210987654"))
        let files = try FileManager.default.contentsOfDirectory(atPath: caseFile)
        #expect(files.contains { $0.hasPrefix("related-1") }, "\(files)")
        #expect(try EvidenceVerifier().verify(path: folder.path + "/evidence").allSatisfy(\.isIntact))
    }

    @Test func tiktokHostileAnswersFailOnlyTheirTarget() async throws {
        let folder = try TemporaryFolder()
        let whole = try String(contentsOfFile: fixtures + "/tiktok/video_camat.html", encoding: .utf8)
        // The JSON cut short inside its script element (the page around it whole).
        let scriptEnd = try #require(whole.range(of: "</script></body>"))
        let cut = String(whole[..<scriptEnd.lowerBound].prefix(whole.count * 2 / 3)) + "</script></body></html>"
        // A caption of 5 MB.
        let long = String(repeating: "coblos nomor 2 ", count: 5_000_000 / 15)
        var huge = whole
        let caption = try #require(huge.range(of: "Ayo warga Sukamaju, 14 Februari"))
        huge.replaceSubrange(caption.lowerBound..<caption.lowerBound, with: long)
        // A subtitle track of 5 MB.
        var vtt = "WEBVTT\n\n"
        for index in 0..<60_000 { vtt += "00:00:\(String(format: "%02d", index % 60)).000 --> 00:00:59.000\nkata \(index)\n\n" }
        let router = Router()
        router.get("@a/video/1") { _, _ in Self.bytes(Data(cut.utf8), type: "text/html") }
        let hugePage = huge
        let track = vtt
        router.get("@b/video/2") { request, _ in
            Self.bytes(
                Data(hugePage.replacingOccurrences(of: "{{base}}", with: "http://\(request.head.authority!)").utf8), type: "text/html")
        }
        router.get("subtitle/:name") { _, _ in Self.bytes(Data(track.utf8), type: "text/vtt") }
        router.get("obj/:name") { _, _ in Self.bytes(Self.picture, type: "image/png") }
        let summary = try await TestServer.withServer(router: router, logger: quietLogger) { base in
            try await scan(
                [
                    Target(id: "terpotong", kind: .tiktok, url: base + "@a/video/1", allowPrivate: true),
                    Target(id: "raksasa", kind: .tiktok, url: base + "@b/video/2", allowPrivate: true),
                ], in: folder)
        }
        let cutFailure = try #require(summary.failures.first { $0.target == "terpotong" })
        #expect(cutFailure.error.contains("tiktok answer"), "\(cutFailure.error)")
        #expect(cutFailure.error.contains("byte") && cutFailure.error.contains("cut off"), "\(cutFailure.error)")
        // The 5 MB caption is cut, judged and filed; the scan went on.
        #expect(try result(summary, "raksasa").outcome == .scanned)
        let filed = try #require(summary.findings.first { $0.target == "raksasa" })
        let item = try NetralJSON.decoder().decode(Item.self, from: Data(contentsOf: URL(fileURLWithPath: filed.caseFile + "/item.json")))
        #expect(item.body.count <= 100_000)
        #expect((item.transcript?.cues.count ?? 0) <= 20_000)
    }

    // MARK: - Facebook

    @Test func facebookPagesPageBackAndALoginWallIsRefused() async throws {
        let folder = try TemporaryFolder()
        let router = Router()
        let pages = Counter()
        router.get("bambang.sutrisno.camat") { request, _ in
            pages.increment()
            return try answer("facebook/m_timeline_camat.html", type: "text/html; charset=utf-8", for: request)
        }
        router.get("profile/timeline/stream") { request, _ in
            pages.increment()
            return try answer("facebook/m_timeline_camat.html", type: "text/html; charset=utf-8", for: request)
        }
        router.get("login.php") { request, _ in try answer("facebook/m_login.html", type: "text/html", for: request) }
        router.get("pribadi") { request, _ in
            Response(status: .found, headers: [.location: "http://\(request.head.authority!)/login.php?next=pribadi"])
        }
        router.get("v/**") { _, _ in Self.bytes(Self.picture, type: "image/png") }
        let targets: @Sendable (String) -> [Target] = { base in
            [
                Target(id: "camat-fb", kind: .facebook, url: base + "bambang.sutrisno.camat", maxPages: 2, allowPrivate: true),
                Target(id: "pribadi", kind: .facebook, url: base + "pribadi", allowPrivate: true),
            ]
        }
        let (first, second) = try await TestServer.withServer(router: router, logger: quietLogger) { base in
            (try await scan(targets(base), in: folder), try await scan(targets(base), in: folder))
        }
        #expect(pages.value == 4, "two pages a scan: max_pages holds though every page links a next one")
        let camat = first.findings.filter { $0.target == "camat-fb" }
        #expect(!camat.isEmpty)
        // The same stories on page two are the same case files.
        #expect(Set(camat.map(\.caseFile)).count == camat.filter(\.new).map(\.caseFile).count)
        // The office's own service notice is not filed.
        #expect(!camat.contains { $0.url.contains("880000000000009") })
        #expect(try result(first, "pribadi").refused == .loginWall)
        #expect(try result(first, "pribadi").error?.contains("kind: capture") == true)
        #expect(second.newFindings == 0)
    }

    // MARK: - Instagram

    @Test func instagramProfileAnswerAndItsLoginWall() async throws {
        let folder = try TemporaryFolder()
        let router = Router()
        router.get("api/v1/users/web_profile_info") { request, _ in
            let user = request.uri.queryParameters.get("username") ?? ""
            #expect(request.headers[.init("X-IG-App-ID")!] == "936619743392459")
            return user == "kades_mekarjaya"
                ? try answer("instagram/web_profile_info_kades.json", type: "application/json", for: request)
                : try answer("instagram/login_required.json", type: "application/json", for: request, status: .unauthorized)
        }
        router.get("scontent/v/:name") { _, _ in Self.bytes(Self.picture, type: "image/jpeg") }
        let summary = try await TestServer.withServer(router: router, logger: quietLogger) { base in
            try await scan(
                [
                    Target(id: "kades-ig", kind: .instagram, url: base + "kades_mekarjaya/", allowPrivate: true),
                    Target(id: "tertutup", kind: .instagram, url: base + "orang_lain/", allowPrivate: true),
                ], in: folder)
        }
        #expect(try result(summary, "kades-ig").outcome == .scanned)
        #expect(try result(summary, "kades-ig").items > 0)
        #expect(!summary.findings.filter { $0.target == "kades-ig" }.isEmpty)
        #expect(try result(summary, "tertutup").refused == .loginWall)
    }

    // MARK: - X

    @Test func xReadsOnePostThroughItsEmbedAnswer() async throws {
        let folder = try TemporaryFolder()
        let router = Router()
        router.get("tweet-result") { request, _ in
            switch request.uri.queryParameters.get("id") {
            case "1746567981632327863":
                #expect(request.uri.queryParameters.get("token") == "48f6ntdnw3")
                return try answer("x/syndication_tweet_result.json", type: "application/json", for: request)
            case "1746567981632327000": return try answer("x/syndication_tombstone.json", type: "application/json", for: request)
            default: return try answer("x/rate_limited.json", type: "application/json", for: request, status: .tooManyRequests)
            }
        }
        router.get("media/:name") { _, _ in Self.bytes(Self.picture, type: "image/jpeg") }
        router.get("profile_images/:name") { _, _ in Self.bytes(Self.picture, type: "image/jpeg") }
        let summary = try await TestServer.withServer(router: router, logger: quietLogger) { base in
            try await scan(
                [
                    Target(id: "kiriman", kind: .x, url: base + "camat/status/1746567981632327863", allowPrivate: true),
                    Target(id: "dihapus", kind: .x, url: base + "camat/status/1746567981632327000", allowPrivate: true),
                    Target(id: "batas", kind: .x, url: base + "camat/status/1", allowPrivate: true),
                ], in: folder)
        }
        #expect(try result(summary, "kiriman").outcome == .scanned)
        #expect(try result(summary, "kiriman").items == 1)
        #expect(try result(summary, "dihapus").outcome == .gone)
        #expect(try result(summary, "batas").refused == .rateLimited)
    }

    @Test func theEmbedTokenIsTheEmbedScriptsOwn() {
        // Values from `((id / 1e15) * Math.PI).toString(36).replace(/(0+|\.)/g, '')` in Node.
        #expect(XSource.token(for: "1683920951807971329") == "42y6zv7ufp")
        #expect(XSource.token(for: "20") == "6dq1a2xwd93")
        #expect(XSource.token(for: "1746567981632327863") == "48f6ntdnw3")
    }

    // MARK: - YouTube

    @Test func youtubeChannelVideosCaptionsAndCommentsWithAKeyKeptSecret() async throws {
        let folder = try TemporaryFolder()
        let key = "AIzaRahasiaSekaliJanganBocor0123456789"
        let keyFile = try folder.write("youtube.key", key + "\n")
        let router = Router()
        let keys = Counter()
        router.get("feeds/videos.xml") { request, _ in try answer("youtube/feed_diskominfo.xml", type: "application/atom+xml", for: request)
        }
        router.get("watch") { request, _ in
            request.uri.queryParameters.get("v") == "lurahVlog024"
                ? try answer("youtube/watch_lurah.html", type: "text/html; charset=utf-8", for: request)
                : Response(status: .notFound)
        }
        router.get("api/timedtext") { request, _ in try answer("youtube/timedtext_lurah.xml", type: "text/xml", for: request) }
        router.get("youtube/v3/commentThreads") { request, _ in
            if request.headers[.init("X-Goog-Api-Key")!] == key { keys.increment() }
            #expect(request.uri.query?.contains(key) != true)
            return request.uri.queryParameters.get("videoId") == "lurahVlog024"
                ? try answer("youtube/comment_threads_kampanye.json", type: "application/json", for: request)
                : try answer("youtube/api_comments_disabled.json", type: "application/json", for: request, status: .forbidden)
        }
        router.get("vi/:id/:name") { _, _ in Self.bytes(Self.picture, type: "image/jpeg") }
        let settings = YouTubeSettings(keyFile: keyFile)
        let summary = try await TestServer.withServer(router: router, logger: quietLogger) { base in
            var target = Target(id: "kanal", kind: .youtube, url: base + "channel/UCdiskominfoSkmj0000000a", allowPrivate: true)
            target.settings = YouTubeSettings(api: base + "youtube/v3", keyFile: settings.keyFile)
            return try await scan([target], in: folder)
        }
        #expect(summary.failures.isEmpty, "\(summary.failures)")
        #expect(keys.value == 1, "the key went in its header")
        let lurah = summary.findings.filter { $0.url.contains("lurahVlog024") && !$0.url.contains("lc=") }
        #expect(!lurah.isEmpty)
        let caseFile = try #require(lurah.first?.caseFile)
        let item = try NetralJSON.decoder().decode(Item.self, from: Data(contentsOf: URL(fileURLWithPath: caseFile + "/item.json")))
        #expect(item.transcript?.cues.isEmpty == false)
        // Comments were judged as items of their own.
        #expect(try result(summary, "kanal").items > 2)
        // The key is nowhere in the evidence or the state.
        for path in try FileManager.default.subpathsOfDirectory(atPath: folder.path) where !path.hasSuffix("youtube.key") {
            var isFolder: ObjCBool = false
            guard FileManager.default.fileExists(atPath: folder.path + "/" + path, isDirectory: &isFolder), !isFolder.boolValue else {
                continue
            }
            let data = try Data(contentsOf: URL(fileURLWithPath: folder.path + "/" + path))
            #expect(data.range(of: Data(key.utf8)) == nil, "the key leaked into \(path)")
        }
    }

    @Test func twentyThousandCommentsAreCappedAndTheScanGoesOn() async throws {
        let folder = try TemporaryFolder()
        var threads: [String] = []
        for index in 0..<20_000 {
            threads.append(
                """
                {"kind":"youtube#commentThread","id":"t\(index)","snippet":{"videoId":"vid01","channelId":"UCkanal","topLevelComment":\
                {"kind":"youtube#comment","id":"c\(index)","snippet":{"videoId":"vid01","textDisplay":"Mantap pak \(index)",\
                "textOriginal":"Mantap pak \(index)","authorDisplayName":"Warga \(index)","authorChannelId":{"value":"UCw\(index)"},\
                "publishedAt":"2024-01-20T03:00:00Z"}}}}
                """)
        }
        let body = Data(("{\"kind\":\"youtube#commentThreadListResponse\",\"items\":[" + threads.joined(separator: ",") + "]}").utf8)
        let router = Router()
        router.get("watch") { request, _ in try answer("youtube/watch_lurah.html", type: "text/html; charset=utf-8", for: request) }
        router.get("api/timedtext") { request, _ in try answer("youtube/timedtext_lurah.xml", type: "text/xml", for: request) }
        router.get("youtube/v3/commentThreads") { _, _ in Self.bytes(body, type: "application/json") }
        router.get("vi/:id/:name") { _, _ in Self.bytes(Self.picture, type: "image/jpeg") }
        let keyFile = try folder.write("youtube.key", "kunci")
        let summary = try await TestServer.withServer(router: router, logger: quietLogger) { base in
            var target = Target(id: "video", kind: .youtube, url: base + "watch?v=lurahVlog024", allowPrivate: true)
            target.settings = YouTubeSettings(api: base + "youtube/v3", keyFile: keyFile)
            return try await scan([target], in: folder)
        }
        #expect(summary.failures.isEmpty, "\(summary.failures)")
        // The video, then at most 1,000 comments from the one answer.
        #expect(try result(summary, "video").items == 1 + 1_000)
    }

    // MARK: - Telegram

    @Test func telegramPreviewPagesBackAndAGroupCardIsPrivate() async throws {
        let folder = try TemporaryFolder()
        let router = Router()
        let pages = Counter()
        router.get("s/infodesamekarjaya") { request, _ in
            pages.increment()
            // Each page points to the one before it, as the real previews do.
            let before = Int(request.uri.queryParameters.get("before") ?? "") ?? 421
            let page = try String(contentsOfFile: fixtures + "/telegram/s_infodesamekarjaya.html", encoding: .utf8)
                .replacingOccurrences(of: "{{base}}", with: "http://\(request.head.authority!)")
                .replacingOccurrences(of: "?before=418", with: "?before=\(before - 3)")
            return Self.bytes(Data(page.utf8), type: "text/html; charset=utf-8")
        }
        // A group has no preview: t.me sends /s/NAME on to the group's card.
        router.get("s/grupwargamkj") { request, _ in
            Response(status: .found, headers: [.location: "http://\(request.head.authority!)/grupwargamkj"])
        }
        router.get("grupwargamkj") { request, _ in try answer("telegram/card_grupwargamkj.html", type: "text/html", for: request) }
        router.get(":folder/:name") { _, _ in Self.bytes(Self.picture, type: "image/jpeg") }
        let targets: @Sendable (String) -> [Target] = { base in
            [
                Target(id: "kanal-desa", kind: .telegram, url: base + "infodesamekarjaya", maxPages: 3, allowPrivate: true),
                Target(id: "grup", kind: .telegram, url: base + "s/grupwargamkj", allowPrivate: true),
            ]
        }
        let (first, second) = try await TestServer.withServer(router: router, logger: quietLogger) { base in
            (try await scan(targets(base), in: folder), try await scan(targets(base), in: folder))
        }
        #expect(pages.value == 6, "three pages a scan (?before= paging, max_pages 3)")
        #expect(try result(first, "kanal-desa").outcome == .scanned)
        #expect(try result(first, "grup").refused == .privateContent)
        #expect(second.newFindings == 0)
    }

    // MARK: - Configuration

    @Test func accountsByHandleAndPlatformURLsGivenAsPages() throws {
        let folder = try TemporaryFolder()
        let path = try folder.write(
            "netral.yaml",
            """
            format: 1
            fetch: {user_agent: "Netral-uji/1.0 (+https://bawaslu-contoh.example/kontak)"}
            targets:
              - {id: a, kind: tiktok, account: "@camat_sukamaju"}
              - {id: b, url: "https://www.tiktok.com/@camat_sukamaju/video/7329876543210987654"}
              - {id: c, kind: page, url: "https://t.me/infodesamekarjaya"}
              - {id: d, kind: youtube, account: UCdiskominfoSkmj0000000a, max_videos: 2}
            """)
        let config = try ScanConfig.load(path: path)
        #expect(config.targets.map(\.kind) == [.tiktok, .tiktok, .telegram, .youtube])
        #expect(config.targets[0].url == "@camat_sukamaju")
        #expect(config.targets[3].settings(as: YouTubeSettings.self)?.maxVideos == 2)
        let bad = try folder.write(
            "salah.yaml",
            """
            format: 1
            fetch: {user_agent: "Netral-uji/1.0 (+https://bawaslu-contoh.example/kontak)"}
            targets:
              - {id: a, url: "https://www.instagram.com/explore/tags/pemilu2024/"}
              - {id: b, kind: x, account: bawaslu_ri}
              - {id: c, kind: page, url: "https://example.org/", account: camat}
              - {id: d, kind: tiktok, url: "https://www.facebook.com/camat"}
              - {id: e, kind: telegram, account: "a/b"}
            """)
        do {
            _ = try ScanConfig.load(path: bad)
            Issue.record("must not load")
        } catch {
            let lines = error.diagnostics.map(\.description)
            #expect(lines.contains { $0.contains(":4:") && $0.contains("use kind: instagram") }, "\(lines)")
            #expect(lines.contains { $0.contains(":5:") && $0.contains("kind: capture") }, "\(lines)")
            #expect(lines.contains { $0.contains(":6:") && $0.contains("'account' belongs to a tiktok or") }, "\(lines)")
            #expect(lines.contains { $0.contains(":7:") && $0.contains("a facebook address") }, "\(lines)")
            #expect(lines.contains { $0.contains(":8:") && $0.contains("account must be a handle") }, "\(lines)")
        }
    }
}
