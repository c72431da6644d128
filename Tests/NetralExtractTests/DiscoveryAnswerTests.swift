import Foundation
import NetralModel
import NetralTestSupport
import Testing
@testable import NetralExtract

/// The answers discovery reads besides posts: who interacted with a post, search results,
/// sitemaps and a page's links. A bad entry is skipped with where and why; an answer of the
/// wrong shape is an error that says what was expected.
@Suite struct DiscoveryAnswerTests {
    func capture(_ body: Data, url: String, headers: [HTTPHeader] = []) -> Capture {
        Capture(requestURL: url, finalURL: url, status: 200, headers: headers, body: body, fetchedAt: Date(timeIntervalSince1970: 1_800_000_000))
    }

    func capture(_ text: String, url: String, headers: [HTTPHeader] = []) -> Capture { capture(Data(text.utf8), url: url, headers: headers) }

    @Test func aMastodonListingKeepsGoodAccountsAndSaysWhereABadOneWas() throws {
        let url = "https://sosial.example/api/v1/statuses/1/favourited_by?limit=80"
        let body = #"[{"id":"7","username":"sri","acct":"sri","note":"<p>Guru</p>","fields":[{"name":"Kerja","value":"PNS Dinas Pendidikan"}]},{"username":"tanpa-id"},{"id":"9","acct":"andi@lain.example"}]"#
        let page = try MastodonExtractor().accountPage(from: capture(body, url: url, headers: [
            HTTPHeader(name: "Link", value: #"<https://sosial.example/api/v1/statuses/1/favourited_by?max_id=5>; rel="next", <https://jahat.example/x>; rel="prev""#),
        ]))
        #expect(page.accounts.map(\.id) == ["7", "9"])
        #expect(page.accounts.first?.bio == "Guru\nKerja: PNS Dinas Pendidikan")
        #expect(page.warnings == ["\(url): account at $[1] has no id or username; skipped"])
        #expect(page.nextURL == "https://sosial.example/api/v1/statuses/1/favourited_by?max_id=5")
        #expect(throws: SourceError.unexpectedJSON(source: url, path: "$", reason: "expected an array of accounts, found an object with keys id")) {
            try MastodonExtractor().accountPage(from: capture(#"{"id":"7"}"#, url: url))
        }
    }

    @Test func hashtagTargetsNameATagOnAnInstance() throws {
        let (api, tag) = try MastodonAPI.forHashtag("https://sosial.example/tags/PilkadaKukar")
        #expect(api.tagTimelineURL(tag: tag) == "https://sosial.example/api/v1/timelines/tag/PilkadaKukar?limit=40")
        #expect(try MastodonAPI.forHashtag("#Pilkada_2024@sosial.example").tag == "Pilkada_2024")
        for bad in ["https://sosial.example/@tim", "#a b@sosial.example", "Pilkada@sosial.example", "https://sosial.example/tags/x/y"] {
            #expect(throws: SourceError.self, "\(bad)") { try MastodonAPI.forHashtag(bad) }
        }
    }

    @Test func blueskyListingsGiveTheirActorsAndCursor() throws {
        let likesURL = "https://public.api.bsky.app/xrpc/app.bsky.feed.getLikes?uri=at%3A%2F%2Fx&limit=100"
        let likes = try BlueskyExtractor().actorPage(from: capture(
            #"{"uri":"at://x","likes":[{"actor":{"did":"did:plc:a","handle":"a.bsky.social","description":"PNS"}},{"actor":{"handle":"tanpa-did"}}],"cursor":"c2"}"#,
            url: likesURL))
        #expect(likes.actors.map(\.did) == ["did:plc:a"] && likes.cursor == "c2")
        #expect(likes.warnings == ["\(likesURL): actor at $.likes[1].actor has no did or handle; skipped"])
        let reposts = try BlueskyExtractor().actorPage(from: capture(#"{"repostedBy":[{"did":"did:plc:b","handle":"b.bsky.social"}]}"#, url: "https://x.example/xrpc/r"))
        #expect(reposts.actors.map(\.handle) == ["b.bsky.social"] && reposts.cursor == nil)
        #expect(throws: SourceError.self) { try BlueskyExtractor().actorPage(from: capture(#"{"feed":[]}"#, url: "https://x.example/xrpc/r")) }
    }

    @Test func threadRepliesAreReadBreadthFirstWithinTheLimit() throws {
        func post(_ rkey: String, _ did: String) -> String {
            #"{"uri":"at://\#(did)/app.bsky.feed.post/\#(rkey)","author":{"did":"\#(did)","handle":"\#(rkey).bsky.social"},"record":{"text":"balasan \#(rkey)","createdAt":"2024-11-10T00:00:00Z"}}"#
        }
        let thread = #"{"thread":{"post":\#(post("induk", "did:plc:tim")),"replies":[{"post":\#(post("a", "did:plc:a")),"replies":[{"post":\#(post("a1", "did:plc:a1"))}]},{"$type":"app.bsky.feed.defs#blockedPost","uri":"at://x"},{"post":\#(post("b", "did:plc:b"))}]}}"#
        let replies = try BlueskyExtractor().replies(from: capture(thread, url: "https://x.example/xrpc/t"), limit: 2)
        #expect(replies.items.map(\.body) == ["balasan a", "balasan b"])
        #expect(replies.items.map { $0.metadata["did"] } == ["did:plc:a", "did:plc:b"])
    }

    @Test func searchResultsAndSessionsAreReadWithoutShowingATokenInErrors() throws {
        let page = try BlueskyExtractor().searchPage(from: capture(
            #"{"posts":[{"uri":"at://did:plc:a/app.bsky.feed.post/1","author":{"did":"did:plc:a","handle":"a.bsky.social"},"record":{"text":"coblos 2"}},{"cid":"x"}],"cursor":"25"}"#,
            url: "https://bsky.social/xrpc/app.bsky.feed.searchPosts?q=x"))
        #expect(page.items.count == 1 && page.items.first?.metadata["did"] == "did:plc:a" && page.cursor == "25")
        #expect(page.warnings.count == 1)
        let session = try BlueskyExtractor().session(from: capture(#"{"accessJwt":"rahasia.token","did":"did:plc:p"}"#, url: "https://bsky.social/xrpc/s"))
        #expect(session.accessToken == "rahasia.token" && !session.description.contains("rahasia"))
        do {
            _ = try BlueskyExtractor().session(from: capture(#"{"refreshJwt":"rahasia.segar"}"#, url: "https://bsky.social/xrpc/s"))
            Issue.record("must not read")
        } catch {
            #expect(!"\(error)".contains("rahasia"))
        }
        let body = try JSONDecoder().decode([String: String].self, from: BlueskyAPI.sessionRequest(identifier: "p.bsky.social", appPassword: "a\"b"))
        #expect(body == ["identifier": "p.bsky.social", "password": "a\"b"])
    }

    @Test func aGzippedSitemapGivesItsPagesAndSaysWhichEntriesItSkipped() throws {
        let url = "https://kecamatan.example/sitemaps/berita.xml.gz"
        let xml = """
        <?xml version="1.0" encoding="UTF-8"?>
        <urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
        <url><loc>https://kecamatan.example/a.html</loc><lastmod>2024-11-12</lastmod></url>
        <url><loc> /b.html </loc><lastmod>2024-11-12T09:00:00+08:00</lastmod></url>
        <url><loc>javascript:alert(1)</loc></url>
        <url><loc>https://kecamatan.example/c.html</loc><lastmod>kemarin</lastmod></url>
        </urlset>
        """
        let gzipped = try Data(contentsOf: URL(fileURLWithPath: (repositoryRoot as NSString).appendingPathComponent("Fixtures/sources/sitemap-site/sitemaps/berita.xml.gz")))
        let fromFixture = try Sitemap(capture: capture(gzipped, url: url))
        #expect(fromFixture.kind == .pages && fromFixture.entries.count == 4)
        let sitemap = try Sitemap(capture: capture(xml, url: url))
        #expect(sitemap.entries.map(\.url) == ["https://kecamatan.example/a.html", "https://kecamatan.example/b.html", "https://kecamatan.example/c.html"])
        #expect(sitemap.entries[0].lastModified == Date(timeIntervalSince1970: 1_731_369_600))
        #expect(sitemap.entries[1].lastModified == Date(timeIntervalSince1970: 1_731_373_200))
        #expect(sitemap.warnings == ["\(url): entry 3 has no http(s) <loc>; skipped", "\(url): entry 4 has an unreadable <lastmod> 'kemarin'"])
        #expect(throws: SourceError.notASitemap(source: url, rootElement: "rss")) { try Sitemap(capture: capture("<rss><channel/></rss>", url: url)) }
        #expect(throws: SourceError.self) { try Sitemap(capture: capture(Data([0x1F, 0x8B, 0x08, 0x00, 0x01, 0x02]), url: url)) }
        let index = try Sitemap(capture: capture(#"<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"><sitemap><loc>https://kecamatan.example/s2.xml</loc></sitemap></sitemapindex>"#, url: url))
        #expect(index.kind == .index && index.entries.map(\.url) == ["https://kecamatan.example/s2.xml"])
    }

    @Test func aPagesLinksAreAbsoluteWithoutFragmentsOrRepeats() throws {
        let html = """
        <html><head><base href="https://kecamatan.example/berita/"></head><body>
        <nav><a href="/">Beranda</a></nav>
        <a href="terkait.html#komentar">Terkait</a> <a href="terkait.html">lagi</a>
        <a href="#atas">atas</a> <a href="javascript:void(0)">x</a> <a href="mailto:a@b.example">surel</a>
        <a href=" https://lain.example/x ">luar</a>
        </body></html>
        """
        let links = try PageLinks.urls(in: capture(html, url: "https://kecamatan.example/berita/a.html", headers: [HTTPHeader(name: "Content-Type", value: "text/html")]))
        #expect(links == ["https://kecamatan.example/", "https://kecamatan.example/berita/terkait.html", "https://lain.example/x"])
    }
}
