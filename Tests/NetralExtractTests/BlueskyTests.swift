import Foundation
import NetralModel
import NetralTestSupport
import Testing
@testable import NetralExtract

@Suite struct BlueskyAPITests {
    @Test func buildsProfileAndAuthorFeedURLs() throws {
        let api = try BlueskyAPI()
        #expect(api.baseURL == "https://public.api.bsky.app/xrpc/")
        #expect(api.profileURL(actor: "camat.sungaijernih.example") == "https://public.api.bsky.app/xrpc/app.bsky.actor.getProfile?actor=camat.sungaijernih.example")
        #expect(api.authorFeedURL(actor: "did:plc:camatsungaijernih0001") == "https://public.api.bsky.app/xrpc/app.bsky.feed.getAuthorFeed?actor=did%3Aplc%3Acamatsungaijernih0001&limit=50")
        // Cursors are escaped completely: a `+` must not turn into a space on the server.
        #expect(api.authorFeedURL(actor: "a.example", limit: 500, cursor: "2024-01-20T01:30:00+07:00&x=1") == "https://public.api.bsky.app/xrpc/app.bsky.feed.getAuthorFeed?actor=a.example&limit=100&cursor=2024-01-20T01%3A30%3A00%2B07%3A00%26x%3D1")
        #expect(api.authorFeedURL(actor: "a.example", limit: 0, filter: "posts_no_replies") == "https://public.api.bsky.app/xrpc/app.bsky.feed.getAuthorFeed?actor=a.example&limit=1&filter=posts_no_replies")
    }

    @Test func acceptsAnyAppViewBase() throws {
        #expect(try BlueskyAPI(appView: "https://appview.example").baseURL == "https://appview.example/xrpc/")
        #expect(try BlueskyAPI(appView: "http://127.0.0.1:2584/xrpc/").baseURL == "http://127.0.0.1:2584/xrpc/")
        #expect(throws: SourceError.invalidBaseURL("ftp://appview.example")) { try BlueskyAPI(appView: "ftp://appview.example") }
    }

    @Test func findsTheActorOfAHandleOrProfileURL() throws {
        #expect(try BlueskyAPI.actor(from: "@camat.sungaijernih.example") == "camat.sungaijernih.example")
        #expect(try BlueskyAPI.actor(from: "did:plc:camatsungaijernih0001") == "did:plc:camatsungaijernih0001")
        #expect(try BlueskyAPI.actor(from: "https://bsky.app/profile/camat.sungaijernih.example/post/3kjx2aaaaaa2a") == "camat.sungaijernih.example")
        #expect(throws: SourceError.self) { try BlueskyAPI.actor(from: "https://bsky.app/search?q=x") }
        #expect(throws: SourceError.self) { try BlueskyAPI.actor(from: "dua kata") }
    }

    @Test func buildsPermalinks() {
        #expect(BlueskyAPI.permalink(uri: "at://did:plc:abc/app.bsky.feed.post/3kjx2", handle: "a.example") == "https://bsky.app/profile/a.example/post/3kjx2")
        #expect(BlueskyAPI.permalink(uri: "at://did:plc:abc/app.bsky.feed.post/3kjx2", handle: "handle.invalid") == "https://bsky.app/profile/did:plc:abc/post/3kjx2")
        #expect(BlueskyAPI.permalink(uri: "at://did:plc:abc/app.bsky.feed.repost/3kjx2", handle: "a.example") == nil)
        #expect(BlueskyAPI.permalink(uri: "https://bsky.app/x", handle: nil) == nil)
    }
}

@Suite struct BlueskyExtractorTests {
    let feedURL = "https://public.api.bsky.app/xrpc/app.bsky.feed.getAuthorFeed?actor=camat.sungaijernih.example&limit=50"

    func capture(_ body: Data, url: String? = nil) -> Capture {
        let url = url ?? feedURL
        return Capture(requestURL: url, finalURL: url, status: 200, headers: [HTTPHeader(name: "Content-Type", value: "application/json")], body: body, fetchedAt: Date(timeIntervalSince1970: 1_800_000_000))
    }

    func capture(_ json: String) -> Capture { capture(Data(json.utf8)) }

    @Test func readsAProfile() throws {
        let profile = try BlueskyExtractor().profile(from: sourceFixture("bluesky/profile.json"), sourceURL: "https://public.api.bsky.app/xrpc/app.bsky.actor.getProfile?actor=camat.sungaijernih.example")
        #expect(profile.did == "did:plc:camatsungaijernih0001")
        #expect(profile.handle == "camat.sungaijernih.example")
        #expect(profile.displayName == "Bambang Sutejo 🌾")
        #expect(profile.bio == "Camat Sungai Jernih | ASN Pemkab | akun pribadi")
        #expect(profile.postsCount == 87)
        #expect(profile.author == Author(name: "Bambang Sutejo 🌾", handle: "@camat.sungaijernih.example", profileURL: "https://bsky.app/profile/camat.sungaijernih.example", bio: profile.bio))
    }

    @Test func readsAnAuthorFeedWithFacetsEmbedsRepostsAndCursor() throws {
        let page = try BlueskyExtractor().feedPage(from: capture(sourceFixture("bluesky/author-feed.json")))
        #expect(page.cursor == "2024-01-20T01:30:00.000Z")
        #expect(page.warnings.isEmpty)
        #expect(page.items.count == 3)

        // A reply with an external card.
        let reply = page.items[0]
        #expect(reply.sourceURL == "https://bsky.app/profile/camat.sungaijernih.example/post/3kjz9cccccc2c")
        #expect(reply.body == "Kerja bakti di RT 04 pagi ini. Terima kasih warga! #GotongRoyong")
        #expect(reply.hashtags == ["#GotongRoyong"])
        #expect(reply.links == [Link(url: "https://kecamatan.sungaijernih.example/kerja-bakti", text: "Kerja Bakti RT 04")])
        #expect(reply.description == "Foto-foto kegiatan")
        #expect(reply.metadata["reply_to"] == "at://did:plc:camatsungaijernih0001/app.bsky.feed.post/3kjx2aaaaaa2a")
        #expect(reply.publishedAt == utc("2024-01-22T00:10:00Z"))

        // A repost is the original post by its author; the reposter is recorded.
        let repost = page.items[1]
        #expect(repost.author?.handle == "@relawan02.loapermai.example")
        #expect(repost.author?.name == "Relawan 02 Loa Permai")
        #expect(repost.sourceURL == "https://bsky.app/profile/relawan02.loapermai.example/post/3kjy7bbbbbb2b")
        #expect(repost.metadata["reposted_by"] == "@camat.sungaijernih.example")
        #expect(repost.metadata["reposted_at"] == "2024-01-21T03:00:00Z")
        // recordWithMedia: the image alt, and the quoted post's text as the description.
        #expect(repost.imageAlts == ["Spanduk relawan 02"])
        #expect(repost.description == "Ayo coblos nomor 2 tanggal 14 Februari")
        #expect(repost.metadata["quoted_uri"] == "at://did:plc:camatsungaijernih0001/app.bsky.feed.post/3kjx2aaaaaa2a")
        #expect(repost.metadata["quoted_author"] == "@camat.sungaijernih.example")
        // A createdAt without a zone (older records) is read as UTC.
        #expect(repost.publishedAt == utc("2024-01-21T02:00:00Z"))

        // Facets after emoji, a flag and an em dash: offsets are UTF-8 bytes.
        let post = page.items[2]
        #expect(post.platform == "bluesky")
        #expect(post.author?.name == "Bambang Sutejo 🌾")
        #expect(post.author?.profileURL == "https://bsky.app/profile/camat.sungaijernih.example")
        #expect(post.body.hasPrefix("Selamat pagi warga Sungai Jernih 🌞🇮🇩!"))
        #expect(post.hashtags == ["#PrabowoGibran2024"])
        #expect(post.links == [Link(url: "https://kecamatan.sungaijernih.example/pemilu", text: "kecamatan.sungaijernih.example/pemilu")])
        #expect(post.metadata["mentions"] == "@budi.sungaijernih.example")
        #expect(post.imageAlts == ["Camat salam dua jari di depan baliho"])
        #expect(post.language == "id")
        #expect(post.metadata["uri"] == "at://did:plc:camatsungaijernih0001/app.bsky.feed.post/3kjx2aaaaaa2a")
        #expect(post.metadata["read_from"] == feedURL)
    }

    @Test func facetOffsetsAreUTF8BytesNotCharacters() throws {
        let before = "Pagi 👋🏽 warga Désa — ayo ke TPS! "
        let tag = "#Pemilu2024"
        let between = " lihat "
        let link = "tps.example/lokasi"
        let text = before + tag + between + link
        let tagStart = before.utf8.count
        let linkStart = tagStart + tag.utf8.count + between.utf8.count
        let facets = [
            try FacetDTO.make(start: tagStart, end: tagStart + tag.utf8.count, type: "app.bsky.richtext.facet#tag", tag: "Pemilu2024"),
            try FacetDTO.make(start: linkStart, end: linkStart + link.utf8.count, type: "app.bsky.richtext.facet#link", uri: "https://tps.example/lokasi"),
        ]
        let reading = FacetReading(text: text, facets: facets)
        #expect(reading.tags == ["#Pemilu2024"])
        #expect(reading.links == [Link(url: "https://tps.example/lokasi", text: link)])
    }

    @Test func brokenFacetRangesAreIgnoredButTheirValuesKept() throws {
        let text = "Halo 👋 semua"
        let emojiStart = "Halo ".utf8.count
        let facets = [
            try FacetDTO.make(start: 0, end: 999, type: "app.bsky.richtext.facet#link", uri: "https://a.example"),
            try FacetDTO.make(start: 8, end: 2, type: "app.bsky.richtext.facet#link", uri: "https://b.example"),
            // Cuts the 4-byte emoji in half.
            try FacetDTO.make(start: emojiStart, end: emojiStart + 2, type: "app.bsky.richtext.facet#link", uri: "https://c.example"),
            try FacetDTO.make(start: -5, end: 3, type: "app.bsky.richtext.facet#tag", tag: "Aman"),
        ]
        let reading = FacetReading(text: text, facets: facets)
        #expect(reading.links.map(\.text) == ["https://a.example", "https://b.example", "https://c.example"])
        #expect(reading.tags == ["#Aman"])
    }

    @Test func readsASinglePostViewAThreadAndPosts() throws {
        let postView = try sourceFixture("bluesky/post-view.json")
        let single = try BlueskyExtractor().items(from: capture(postView, url: "file:///tmp/post.json"))
        #expect(single.items.count == 1)
        #expect(single.items[0].sourceURL == "https://bsky.app/profile/camat.sungaijernih.example/post/3kjx2aaaaaa2a")

        let postJSON = String(decoding: postView, as: UTF8.self)
        let thread = try BlueskyExtractor().items(from: capture(#"{"thread": {"$type": "app.bsky.feed.defs#threadViewPost", "post": "# + postJSON + #", "replies": []}}"#))
        #expect(thread.items.map(\.sourceURL) == single.items.map(\.sourceURL))

        let posts = try BlueskyExtractor().items(from: capture(#"{"posts": ["# + postJSON + ", " + postJSON + "]}"))
        #expect(posts.items.count == 2)

        let entry = try BlueskyExtractor().items(from: capture(#"{"post": "# + postJSON + "}"))
        #expect(entry.items.count == 1)

        let record = try BlueskyExtractor().items(from: capture(#"{"uri": "at://did:plc:x/app.bsky.feed.post/3k2", "cid": "bafy", "value": {"$type": "app.bsky.feed.post", "text": "Coblos 02", "createdAt": "2024-02-22T19:58:13.903293+00:00"}}"#))
        #expect(record.items.map(\.body) == ["Coblos 02"])
        #expect(record.items.first?.sourceURL == "https://bsky.app/profile/did:plc:x/post/3k2")
    }

    @Test func aSavedProfileIsOneProfileItem() throws {
        let extraction = try BlueskyExtractor().items(from: capture(sourceFixture("bluesky/profile.json")))
        #expect(extraction.items.count == 1)
        #expect(extraction.items[0].metadata["kind"] == "profile")
        #expect(extraction.items[0].author?.bio == "Camat Sungai Jernih | ASN Pemkab | akun pribadi")
    }

    @Test func wrongShapesAreClearErrors() throws {
        let objectForArray = try #require(throws: SourceError.self) {
            try BlueskyExtractor().feedPage(from: capture(#"{"feed": {"post": 1}}"#))
        }
        guard case let .unexpectedJSON(_, path, _) = objectForArray else {
            Issue.record("expected unexpectedJSON, got \(objectForArray)")
            return
        }
        #expect(path == "$.feed")

        #expect(throws: SourceError.apiError(source: feedURL, message: "InvalidRequest: Profile not found")) {
            try BlueskyExtractor().feedPage(from: capture(#"{"error": "InvalidRequest", "message": "Profile not found"}"#))
        }
        #expect(throws: SourceError.self) { try BlueskyExtractor().items(from: capture(#"{"apa": "ini"}"#)) }
        #expect(throws: SourceError.self) { try BlueskyExtractor().items(from: capture("[1, 2, 3]")) }
        #expect(throws: SourceError.self) { try BlueskyExtractor().feedPage(from: capture(#"{"feed": [{"post": {"uri": "at://x/app.bsky.feed.post/1", "record": "teks"}}]}"#)) }
    }

    @Test func numbersWhereStringsAndMissingFieldsStillGiveItems() throws {
        let json = #"{"feed": [{"post": {"uri": "at://did:plc:x/app.bsky.feed.post/1", "record": {"text": 2024}}}, {"post": {"uri": "at://did:plc:x/app.bsky.feed.post/2", "author": {"handle": "a.example"}, "record": {"text": "Coblos 02"}}}, {"reason": {}}], "cursor": 17}"#
        let page = try BlueskyExtractor().feedPage(from: capture(json))
        #expect(page.items.map(\.body) == ["2024", "Coblos 02"])
        #expect(page.items[0].sourceURL == "https://bsky.app/profile/did:plc:x/post/1")
        #expect(page.items[0].author == nil)
        #expect(page.cursor == "17")
        #expect(page.warnings.count == 1)
    }
}

extension FacetDTO {
    static func make(start: Int, end: Int, type: String, tag: String? = nil, uri: String? = nil) throws -> FacetDTO {
        var json: [String: Any] = ["$type": type]
        if let tag { json["tag"] = tag }
        if let uri { json["uri"] = uri }
        let facet: [String: Any] = ["index": ["byteStart": start, "byteEnd": end], "features": [json]]
        let data = try JSONSerialization.data(withJSONObject: facet)
        return try JSONDecoder().decode(FacetDTO.self, from: data)
    }
}
