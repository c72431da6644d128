import Foundation
import Hummingbird
import NetralDemo
import NetralEvidence
import NetralExtract
import NetralFetch
import NetralModel
import NetralRules
import NetralTestSupport
import NetralWARC
import Testing
@testable import NetralScan

/// `kind: campaign-account` against a fake Mastodon instance and a fake Bluesky AppView on
/// loopback, answering with the real APIs' shapes (Fixtures/sources/campaign/). A civil servant
/// (profile "PNS Dinas Pendidikan") and a fisherman both boosted or reposted and liked a
/// campaign post, and the fisherman replied to it.
@Suite(.serialized) struct CampaignAccountTests {
    let fixtures = (repositoryRoot as NSString).appendingPathComponent("Fixtures/sources/campaign")
    let rules = (repositoryRoot as NSString).appendingPathComponent("Rules")

    func fixture(_ name: String) throws -> Data {
        try Data(contentsOf: URL(fileURLWithPath: fixtures + "/" + name))
    }

    static func json(_ data: Data, link: String? = nil) -> Response {
        var headers: HTTPFields = [.contentType: "application/json; charset=utf-8"]
        if let link { headers[.init("Link")!] = link }
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }

    func scan(_ target: Target, in folder: TemporaryFolder) async throws -> ScanSummary {
        let config = ScanConfig(statePath: folder.path + "/state.sqlite", evidencePath: folder.path + "/evidence",
                                fetch: FetchOptions(perHostDelay: 0), targets: [target])
        return try await Scanner(config: config, ruleSet: try PackLoader.load(paths: [rules])).run(logger: quietLogger)
    }

    /// The URIs of the response records of a case file's WARC.
    func archivedURLs(_ bundle: String) throws -> [String] {
        let reader = try WARCReader(path: bundle + "/capture.warc.gz")
        var urls: [String] = []
        while let record = try reader.nextCapture() { urls.append(record.capture.finalURL) }
        return urls
    }

    /// The one case file of the scan, checked: an A6 violation about the civil servant, whose
    /// WARC holds the listings, the campaign post's answer and the profile.
    func expectOneCaseFileAboutTheCivilServant(_ summary: ScanSummary, folder: TemporaryFolder, handle: String,
                                               kinds: [CampaignInteraction.Kind]) throws -> String {
        #expect(summary.failures.isEmpty, "\(summary.failures)")
        let bundles = Set(summary.findings.map(\.bundle))
        #expect(bundles.count == 1, "\(summary.findings)")
        let finding = try #require(summary.findings.first)
        #expect(finding.act == "A6" && finding.findingClass == .violation && finding.rule == "asn-interaksi-akun-kampanye")
        let item = try NetralJSON.decoder().decode(Item.self, from: Data(contentsOf: URL(fileURLWithPath: finding.bundle + "/item.json")))
        #expect(item.author?.handle == handle)
        #expect(item.campaignInteraction?.kinds == kinds)
        let checks = try EvidenceVerifier().verify(path: folder.path + "/evidence")
        #expect(checks.count == 1 && checks.allSatisfy(\.isIntact), "\(checks)")
        return finding.bundle
    }

    @Test func mastodonInteractionsOfACivilServantGiveOneA6CaseFileAndACitizensNone() async throws {
        let folder = try TemporaryFolder()
        let router = Router()
        let requests = RequestLog()
        let lookup = try fixture("mastodon-account-lookup.json"), statuses = try fixture("mastodon-statuses.json")
        let context = try fixture("mastodon-context.json"), reblogs = try fixture("mastodon-reblogged-by.json")
        let likes1 = try fixture("mastodon-favourited-by-1.json"), likes2 = try fixture("mastodon-favourited-by-2.json")
        let profiles = ["110000000000000077": try fixture("mastodon-account-asn.json"), "110000000000000099": try fixture("mastodon-account-warga.json")]
        let post = "112000000000000101"
        router.get("api/v1/accounts/lookup") { _, _ in Self.json(lookup) }
        router.get("api/v1/accounts/:id/statuses") { request, _ in
            requests.add("statuses")
            // Always a next page: max_posts and max_pages must stop the reading.
            return Self.json(statuses, link: "<http://\(request.head.authority ?? "")/api/v1/accounts/1/statuses?max_id=1>; rel=\"next\"")
        }
        router.get("api/v1/accounts/:id") { _, context in
            let id = context.parameters.get("id") ?? ""
            requests.add("account \(id)")
            guard let profile = profiles[id] else { return Response(status: .notFound) }
            return Self.json(profile)
        }
        router.get("api/v1/statuses/:id/context") { _, ctx in
            requests.add("context \(ctx.parameters.get("id") ?? "")")
            return Self.json(ctx.parameters.get("id") == post ? context : Data(#"{"ancestors":[],"descendants":[]}"#.utf8))
        }
        router.get("api/v1/statuses/:id/reblogged_by") { _, ctx in
            requests.add("reblogged_by \(ctx.parameters.get("id") ?? "")")
            return Self.json(ctx.parameters.get("id") == post ? reblogs : Data("[]".utf8))
        }
        router.get("api/v1/statuses/:id/favourited_by") { request, ctx in
            requests.add("favourited_by \(ctx.parameters.get("id") ?? "")")
            let page = Int(request.uri.queryParameters.get("page") ?? "1") ?? 1
            // Every page links to one more: max_pages (2) must end the listing.
            let next = "<http://\(request.head.authority ?? "")/api/v1/statuses/\(post)/favourited_by?page=\(page + 1)>; rel=\"next\""
            return Self.json(page == 1 ? likes1 : page == 2 ? likes2 : Data("[]".utf8), link: next)
        }
        let (summary, again) = try await DemoSiteServer.withServer(router: router, logger: quietLogger) { base in
            var target = Target(id: "tim-rudyseno", kind: .campaignAccount, url: base + "@tim.rumah.kaltim", maxPages: 2, allowPrivate: true)
            target.platform = .mastodon
            target.interactionCaps = InteractionCaps(posts: 1, perPost: 50, profiles: 10)
            return (try await scan(target, in: folder), try await scan(target, in: folder))
        }
        // The next scan finds the same interaction: the same case file, not a new one.
        #expect(again.failures.isEmpty && again.findings.map(\.bundle) == summary.findings.map(\.bundle) && again.findings.allSatisfy { !$0.new })
        let bundle = try expectOneCaseFileAboutTheCivilServant(summary, folder: folder, handle: "@sri.wahyuni@sosial.example", kinds: [.share, .like])
        // (Requests are counted over both scans.) max_posts 1: the second post's interactions are never asked for.
        #expect(requests.count("statuses") == 2)
        #expect(requests.count("context 112000000000000102") == 0 && requests.count("reblogged_by 112000000000000102") == 0)
        // max_pages 2 on a listing that never ends; each profile looked up once per scan though listed thrice.
        #expect(requests.count("favourited_by \(post)") == 4)
        #expect(requests.count("account 110000000000000077") == 2 && requests.count("account 110000000000000099") == 2)
        // Judged: the fisherman's reply (a post of its own) and each account's boost and
        // favourite together; the campaign's own reply is not an interaction.
        #expect(summary.items == 3)
        let urls = try archivedURLs(bundle)
        #expect(urls.contains { $0.contains("/reblogged_by") } && urls.contains { $0.contains("/favourited_by?page=2") })
        #expect(urls.contains { $0.contains("/accounts/110000000000000001/statuses") } && urls.contains { $0.hasSuffix("/accounts/110000000000000077") })
    }

    @Test func blueskyInteractionsOfACivilServantGiveOneA6CaseFileAndTheCapPerPostHolds() async throws {
        let folder = try TemporaryFolder()
        let router = Router()
        let requests = RequestLog()
        let profiles = [
            "tim-rudyseno-kukar.bsky.social": try fixture("bluesky-profile-campaign.json"),
            "did:plc:sriwahyuniguru000077": try fixture("bluesky-profile-asn.json"),
            "did:plc:andisaputranelayan99": try fixture("bluesky-profile-warga.json"),
        ]
        let feed = try fixture("bluesky-author-feed.json"), thread = try fixture("bluesky-thread.json")
        let reposts = try fixture("bluesky-reposted-by.json"), likes1 = try fixture("bluesky-likes-1.json"), likes2 = try fixture("bluesky-likes-2.json")
        let post = "at://did:plc:timrudysenokukar0001/app.bsky.feed.post/3lasadaaaaa2a"
        router.get("xrpc/app.bsky.actor.getProfile") { request, _ in
            let actor = request.uri.queryParameters.get("actor") ?? ""
            requests.add("profile \(actor)")
            guard let profile = profiles[actor] else { return Response(status: .badRequest) }
            return Self.json(profile)
        }
        router.get("xrpc/app.bsky.feed.getAuthorFeed") { request, _ in
            requests.add("feed \(request.uri.queryParameters.get("filter") ?? "")")
            return Self.json(feed)
        }
        router.get("xrpc/app.bsky.feed.getPostThread") { request, _ in
            requests.add("thread \(request.uri.queryParameters.get("uri") ?? "")")
            return Self.json(request.uri.queryParameters.get("uri") == post ? thread : Data(#"{"thread":{"post":null,"replies":[]}}"#.utf8))
        }
        router.get("xrpc/app.bsky.feed.getRepostedBy") { request, _ in
            requests.add("reposts \(request.uri.queryParameters.get("uri") ?? "")")
            return Self.json(request.uri.queryParameters.get("uri") == post ? reposts : Data(#"{"repostedBy":[]}"#.utf8))
        }
        router.get("xrpc/app.bsky.feed.getLikes") { request, _ in
            requests.add("likes \(request.uri.queryParameters.get("uri") ?? "")")
            guard request.uri.queryParameters.get("uri") == post else { return Self.json(Data(#"{"likes":[]}"#.utf8)) }
            return Self.json(request.uri.queryParameters.get("cursor") == "halaman-2" ? likes2 : likes1)
        }
        let summary = try await DemoSiteServer.withServer(router: router, logger: quietLogger) { base in
            var target = Target(id: "tim-rudyseno-bsky", kind: .campaignAccount, url: "tim-rudyseno-kukar.bsky.social", maxPages: 3, allowPrivate: true)
            target.platform = .bluesky
            target.appView = base + "xrpc"
            target.interactionCaps = InteractionCaps(posts: 5, perPost: 4, profiles: 10)
            return try await scan(target, in: folder)
        }
        let bundle = try expectOneCaseFileAboutTheCivilServant(summary, folder: folder, handle: "@sriwahyuni.bsky.social", kinds: [.share])
        // The server repeats its cursor: the reading stops there, and no post is read twice.
        #expect(requests.count("feed posts_no_replies") == 2)
        #expect(summary.items == 3)
        // Two own posts read; the repost of someone else's post is not the campaign's.
        #expect(requests.count("thread \(post)") == 1 && requests.count("thread at://did:plc:timrudysenokukar0001/app.bsky.feed.post/3lasadbbbbb2b") == 1)
        #expect(requests.count("thread at://did:plc:beritakukar000000055/app.bsky.feed.post/3lasadccccc2c") == 0)
        // max_interactions 4: a reply, two reposts and the first page of likes; the second page
        // (where the civil servant's like is) is never asked for.
        #expect(requests.count("likes \(post)") == 1)
        #expect(requests.count("profile did:plc:sriwahyuniguru000077") == 1 && requests.count("profile did:plc:andisaputranelayan99") == 1)
        let urls = try archivedURLs(bundle)
        #expect(urls.contains { $0.contains("getRepostedBy") } && urls.contains { $0.contains("getAuthorFeed") })
        #expect(urls.contains { $0.contains("getProfile?actor=did%3Aplc%3Asriwahyuniguru000077") || $0.contains("getProfile?actor=did:plc:sriwahyuniguru000077") })
    }

    @Test func aMastodonHashtagIsReadPageByPageAndEachPostJudgedWithItsAuthorsProfile() async throws {
        let folder = try TemporaryFolder()
        let router = Router()
        let requests = RequestLog()
        let timeline = try fixture("mastodon-tag-timeline.json")
        router.get("api/v1/timelines/tag/:tag") { request, ctx in
            requests.add("tag \(ctx.parameters.get("tag") ?? "")")
            // Every page links to a next one: max_pages must stop the reading.
            return Self.json(timeline, link: "<http://\(request.head.authority ?? "")/api/v1/timelines/tag/PilkadaKukar?max_id=1>; rel=\"next\"")
        }
        let summary = try await DemoSiteServer.withServer(router: router, logger: quietLogger) { base in
            try await scan(Target(id: "tagar-pilkada", kind: .hashtag, url: base + "tags/PilkadaKukar", maxPages: 2, allowPrivate: true), in: folder)
        }
        #expect(summary.failures.isEmpty, "\(summary.failures)")
        #expect(requests.count("tag PilkadaKukar") == 2)
        // The same two posts on both pages are judged once.
        #expect(summary.items == 2)
        // The teacher's bio field ("PNS Dinas Pendidikan Kukar") makes her call to vote a violation; the fisherman's post is none.
        #expect(!summary.findings.isEmpty && summary.findings.allSatisfy { $0.url == "https://sosial.example/@sri.wahyuni/112000000000000301" }, "\(summary.findings)")
        #expect(summary.findings.contains { $0.findingClass == .violation && $0.act == "A2" })
    }

    @Test func blueskySearchSignsInJudgesWithAuthorsProfilesAndStopsOn403() async throws {
        let folder = try TemporaryFolder()
        let router = Router()
        let requests = RequestLog()
        let appPassword = "abcd-efgh-ijkl-mnop"
        setenv("NETRAL_TEST_BSKY_SEARCH", "pengawas-kukar.bsky.social:\(appPassword)", 1)
        let session = try fixture("bluesky-session.json"), results = try fixture("bluesky-search-posts.json")
        let token = "Bearer eyJ0eXAiOiJhdCtqd3QifQ.contoh-akses.tanda"
        let profiles = ["did:plc:sriwahyuniguru000077": try fixture("bluesky-profile-asn.json"),
                        "did:plc:andisaputranelayan99": try fixture("bluesky-profile-warga.json")]
        router.post("xrpc/com.atproto.server.createSession") { request, _ in
            requests.add("session")
            let body = try await request.body.collect(upTo: 4096)
            let login = try JSONDecoder().decode([String: String].self, from: Data(buffer: body))
            guard login == ["identifier": "pengawas-kukar.bsky.social", "password": appPassword] else { return Response(status: .unauthorized) }
            return Self.json(session)
        }
        router.get("xrpc/app.bsky.feed.searchPosts") { request, _ in
            guard request.headers[.authorization] == token else { return Response(status: .unauthorized) }
            requests.add("search \(request.uri.queryParameters.get("q") ?? "") \(request.uri.queryParameters.get("cursor") ?? "-")")
            // The second page is refused, as the service does for an account it will not let search.
            guard request.uri.queryParameters.get("cursor") == nil else { return Response(status: .forbidden) }
            return Self.json(results)
        }
        router.get("xrpc/app.bsky.actor.getProfile") { request, _ in
            guard request.headers[.authorization] == token else { return Response(status: .unauthorized) }
            let actor = request.uri.queryParameters.get("actor") ?? ""
            requests.add("profile \(actor)")
            return profiles[actor].map { Self.json($0) } ?? Response(status: .badRequest)
        }
        let summary = try await DemoSiteServer.withServer(router: router, logger: quietLogger) { base in
            var target = Target(id: "cari-rudyseno", kind: .search, url: base, maxPages: 3, allowPrivate: true, credentialsVariable: "NETRAL_TEST_BSKY_SEARCH")
            target.query = "Rudy-Seno"
            return try await scan(target, in: folder)
        }
        #expect(requests.count("session") == 1 && requests.count("search Rudy-Seno -") == 1 && requests.count("search Rudy-Seno 2") == 1)
        // The 403 stops the target with a message that says so; what the first page gave is kept.
        #expect(summary.failures.count == 1 && summary.failures.first?.error.contains("403 Forbidden") == true, "\(summary.failures)")
        #expect(requests.count("profile did:plc:sriwahyuniguru000077") == 1 && requests.count("profile did:plc:andisaputranelayan99") == 1)
        #expect(!summary.findings.isEmpty && summary.findings.allSatisfy { $0.url == "https://bsky.app/profile/sriwahyuni.bsky.social/post/3lb2aaaaaaa2a" }, "\(summary.findings)")
        let bundle = try #require(summary.findings.first?.bundle)
        #expect(FileManager.default.fileExists(atPath: bundle + "/related-1.json"))
        // Neither the app password nor the session's tokens reach the evidence.
        for file in try FileManager.default.subpathsOfDirectory(atPath: folder.path + "/evidence") {
            guard let data = FileManager.default.contents(atPath: folder.path + "/evidence/" + file) else { continue }
            let text = String(decoding: data, as: UTF8.self)
            #expect(!text.contains(appPassword) && !text.contains("contoh-akses") && !text.contains("contoh-segar"), "\(file)")
        }
    }

    @Test func campaignAccountTargetsAreCheckedWithPositions() throws {
        let folder = try TemporaryFolder()
        let path = try folder.write("netral.yaml", """
        format: 1
        fetch: {user_agent: "Netral/0.1 (+https://bawaslu-contoh.example/kontak)"}
        targets:
          - {id: a, kind: campaign-account, url: "@tim@sosial.example"}
          - {id: b, kind: campaign-account, platform: friendster, url: "@tim@sosial.example"}
          - {id: c, kind: campaign-account, platform: mastodon, url: "tim", max_posts: 0}
          - {id: d, kind: page, url: "https://contoh.example/", max_profiles: 5}
          - {id: e, kind: campaign-account, platform: bluesky, url: "tim.bsky.social", appview: "ftp://x", max_interactions: 20}
          - {id: f, kind: hashtag, url: "https://sosial.example/@tim"}
          - {id: g, kind: search, url: "https://bsky.social"}
        """)
        do {
            _ = try ScanConfig.load(path: path)
            Issue.record("must not load")
        } catch {
            let lines = error.diagnostics.map(\.description)
            #expect(lines.contains("\(path):4:5: a campaign-account target needs 'platform: mastodon' or 'platform: bluesky'"), "\(lines)")
            #expect(lines.contains("\(path):5:47: platform must be mastodon or bluesky, found 'friendster'"), "\(lines)")
            #expect(lines.contains { $0.hasPrefix("\(path):6:62: url must name a mastodon account") }, "\(lines)")
            #expect(lines.contains("\(path):6:80: max_posts must be between 1 and 200"), "\(lines)")
            #expect(lines.contains("\(path):7:71: 'max_profiles' belongs to a campaign-account target"), "\(lines)")
            #expect(lines.contains { $0.hasPrefix("\(path):8:") && $0.contains("appview must be an http or https URL") }, "\(lines)")
            #expect(lines.contains { $0.hasPrefix("\(path):9:33: url must name a Mastodon hashtag") }, "\(lines)")
            #expect(lines.contains("\(path):10:5: a search target needs 'query' (the words to search for)"), "\(lines)")
            #expect(lines.contains { $0.hasPrefix("\(path):10:5: a search target needs auth_env") }, "\(lines)")
        }
    }
}

/// Requests seen by a loopback route, by label.
final class RequestLog: Sendable {
    private let lock = NSLock()
    nonisolated(unsafe) private var counts: [String: Int] = [:]

    func add(_ label: String) {
        lock.lock()
        counts[label, default: 0] += 1
        lock.unlock()
    }

    func count(_ label: String) -> Int {
        lock.lock()
        defer { lock.unlock() }
        return counts[label] ?? 0
    }
}
