import Foundation
import NetralModel
import NetralTestSupport
import NetralWARC
import Testing
@testable import NetralExtract

@Suite struct SourceKindTests {
    @Test func rawValuesAreWhatExplainAccepts() {
        #expect(SourceKind.allCases.map(\.rawValue) == ["html", "feed", "mastodon", "bluesky", "warc", "text"])
    }

    @Test func guessesFromTheMediaType() throws {
        let rss = try sourceFixture("feeds/rss2-kecamatan.xml")
        let statuses = try sourceFixture("mastodon/statuses.json")
        let authorFeed = try sourceFixture("bluesky/author-feed.json")
        #expect(SourceKind.guess(mediaType: "application/rss+xml", path: nil, body: Data()) == .feed)
        #expect(SourceKind.guess(mediaType: "application/atom+xml", path: nil, body: Data()) == .feed)
        #expect(SourceKind.guess(mediaType: "application/rdf+xml", path: nil, body: Data()) == .feed)
        #expect(SourceKind.guess(mediaType: "application/warc", path: nil, body: Data()) == .warc)
        #expect(SourceKind.guess(mediaType: "text/html", path: "x.rss", body: rss) == .html)
        #expect(SourceKind.guess(mediaType: "text/plain", path: nil, body: rss) == .text)
        #expect(SourceKind.guess(mediaType: "text/xml", path: nil, body: rss) == .feed)
        #expect(SourceKind.guess(mediaType: "application/json", path: nil, body: statuses) == .mastodon)
        #expect(SourceKind.guess(mediaType: "application/json", path: nil, body: authorFeed) == .bluesky)
        // An empty page says nothing by itself; the API path does.
        #expect(SourceKind.guess(mediaType: "application/json", path: "https://sosial.example/api/v1/accounts/1/statuses?max_id=5", body: Data("[]".utf8)) == .mastodon)
        #expect(SourceKind.guess(mediaType: "application/json", path: "https://public.api.bsky.app/xrpc/app.bsky.feed.getAuthorFeed?actor=a", body: Data(#"{"cursor": "x"}"#.utf8)) == .bluesky)
        #expect(SourceKind.guess(mediaType: "application/xml", path: nil, body: Data("<urlset><url><loc>https://a.example/</loc></url></urlset>".utf8)) == .text)
    }

    @Test func guessesFromTheFileNameOrURLPath() throws {
        #expect(SourceKind.guess(mediaType: nil, path: "berita.rss", body: Data()) == .feed)
        #expect(SourceKind.guess(mediaType: nil, path: "catatan.atom", body: Data()) == .feed)
        #expect(SourceKind.guess(mediaType: nil, path: "warta.RDF", body: Data()) == .feed)
        #expect(SourceKind.guess(mediaType: nil, path: "arsip/2024.warc", body: Data()) == .warc)
        #expect(SourceKind.guess(mediaType: nil, path: "arsip/2024.warc.gz", body: Data()) == .warc)
        #expect(SourceKind.guess(mediaType: nil, path: "https://a.example/berita.html?utm=feed.rss", body: Data()) == .html)
        #expect(SourceKind.guess(mediaType: nil, path: "feed.xml", body: try sourceFixture("feeds/atom-dinas.atom")) == .feed)
        #expect(SourceKind.guess(mediaType: nil, path: "simpan/profil.json", body: try sourceFixture("bluesky/profile.json")) == .bluesky)
        #expect(SourceKind.guess(mediaType: nil, path: "simpan/akun.json", body: try sourceFixture("mastodon/account-lookup.json")) == .mastodon)
        // Unchanged behaviour.
        #expect(SourceKind.guess(mediaType: nil, path: "a/b.HTML", body: Data()) == .html)
        #expect(SourceKind.guess(mediaType: nil, path: "catatan.txt", body: Data("<p>x".utf8)) == .text)
    }

    @Test func guessesFromTheFirstBytes() throws {
        #expect(SourceKind.guess(mediaType: nil, path: nil, body: try sourceFixture("feeds/rss2-kecamatan.xml")) == .feed)
        #expect(SourceKind.guess(mediaType: nil, path: nil, body: try sourceFixture("feeds/rss1-desa.rdf")) == .feed)
        #expect(SourceKind.guess(mediaType: nil, path: nil, body: try sourceFixture("feeds/atom-dinas.atom")) == .feed)
        // `<pubDate>` starts like `<p`, but an RSS document is a feed.
        #expect(SourceKind.guess(mediaType: nil, path: nil, body: Data("<rss version=\"2.0\"><channel><item><pubDate>x</pubDate></item></channel></rss>".utf8)) == .feed)
        #expect(SourceKind.guess(mediaType: nil, path: nil, body: try sourceFixture("warc/kampanye.warc")) == .warc)
        #expect(SourceKind.guess(mediaType: nil, path: nil, body: try sourceFixture("warc/kampanye.warc.gz")) == .warc)
        let gzippedPage = try Data(contentsOf: URL(fileURLWithPath: repositoryRoot + "/Fixtures/http/halaman.html.gz"))
        #expect(SourceKind.guess(mediaType: nil, path: nil, body: gzippedPage) == .text)
        #expect(SourceKind.guess(mediaType: nil, path: nil, body: try sourceFixture("mastodon/statuses.json")) == .mastodon)
        #expect(SourceKind.guess(mediaType: nil, path: nil, body: try sourceFixture("mastodon/status.json")) == .mastodon)
        #expect(SourceKind.guess(mediaType: nil, path: nil, body: try sourceFixture("bluesky/author-feed.json")) == .bluesky)
        #expect(SourceKind.guess(mediaType: nil, path: nil, body: try sourceFixture("bluesky/post-view.json")) == .bluesky)
        #expect(SourceKind.guess(mediaType: nil, path: nil, body: Data(#"{"nama": "bukan api"}"#.utf8)) == .text)
        #expect(SourceKind.guess(mediaType: nil, path: nil, body: Data("<html><body><a href=\"/feed\">&lt;rss&gt;</a> <feed></body></html>".utf8)) == .html)
        #expect(SourceKind.guess(mediaType: nil, path: nil, body: Data("{ rusak".utf8)) == .text)
        #expect(SourceKind.guess(mediaType: nil, path: nil, body: Data()) == .text)
    }
}

@Suite struct SourceKindExtractorTests {
    func capture(_ body: Data, url: String, contentType: String? = nil) -> Capture {
        Capture(
            requestURL: url, finalURL: url, status: 200,
            headers: contentType.map { [HTTPHeader(name: "Content-Type", value: $0)] } ?? [],
            body: body, fetchedAt: Date(timeIntervalSince1970: 1_800_000_000)
        )
    }

    @Test func dispatchesEachKind() throws {
        let feed = try Extractor().items(from: capture(sourceFixture("feeds/rss2-kecamatan.xml"), url: "https://kecamatan.sungaijernih.example/feed/"), kind: .feed)
        #expect(feed.count == 3)
        #expect(feed.allSatisfy { $0.platform == "feed" })
        let mastodon = try Extractor().items(from: capture(sourceFixture("mastodon/statuses.json"), url: "https://sosial.example/api/v1/accounts/1/statuses"), kind: .mastodon)
        #expect(mastodon.count == 3)
        let bluesky = try Extractor().items(from: capture(sourceFixture("bluesky/author-feed.json"), url: "https://public.api.bsky.app/xrpc/app.bsky.feed.getAuthorFeed?actor=a"), kind: .bluesky)
        #expect(bluesky.count == 3)
        let text = try Extractor().items(from: capture(Data("Ayo #Coblos".utf8), url: "file:///catatan.txt"), kind: .text)
        #expect(text == [Item(sourceURL: "file:///catatan.txt", platform: "text", body: "Ayo #Coblos", hashtags: ["#Coblos"])])
        let html = try Extractor().items(from: capture(Data("<html><head><title>Judul</title></head><body><p>Isi</p></body></html>".utf8), url: "https://a.example/"), kind: .html)
        #expect(html.map(\.title) == ["Judul"])
    }

    @Test func aWARCGivesTheItemsOfItsUsefulResponses() throws {
        for name in ["warc/kampanye.warc", "warc/kampanye.warc.gz"] {
            let extraction = try Extractor().extract(capture(sourceFixture(name), url: "file:///arsip/" + name), kind: .warc)
            #expect(extraction.warnings.isEmpty)
            // The page, the feed's one entry and the Mastodon status; not the image, the 404,
            // the request, metadata or revisit records.
            #expect(extraction.items.map(\.platform) == ["web", "feed", "mastodon"])
            let page = extraction.items[0]
            #expect(page.title == "Camat Ajak Warga Coblos Nomor 2")
            #expect(page.sourceURL == "https://kecamatan.sungaijernih.example/berita/camat-ajak-warga")
            #expect(page.imageAlts == ["Camat berpose salam dua jari"])
            #expect(page.metadata["warc_file"] == "file:///arsip/" + name)
            #expect(page.metadata["warc_record_id"] == "<urn:uuid:00000000-0000-0000-0000-000000000003>")
            #expect(extraction.items[1].title == "Jadwal Posyandu")
            #expect(extraction.items[2].hashtags == ["#PrabowoGibran2024"])
        }
        let gz = try Extractor().extract(capture(sourceFixture("warc/kampanye.warc.gz"), url: "file:///arsip.warc.gz"), kind: .warc)
        #expect(gz.items.map { $0.metadata["warc_record_offset"] } == ["567", "1299", "3066"])
    }

    @Test func aDamagedWARCGivesTheItemsBeforeTheDamageAndSaysWhere() throws {
        let cut = try sourceFixture("warc/kampanye.warc.gz").prefix(2000)
        let extraction = try Extractor().extract(capture(Data(cut), url: "file:///putus.warc.gz"), kind: .warc)
        #expect(extraction.items.map(\.platform) == ["web", "feed"])
        #expect(extraction.warnings.contains { $0.contains("byte offset 1758") && $0.contains("cut short") })
        #expect(throws: WARCReadError.self) {
            try Extractor().items(from: capture(Data("bukan warc sama sekali".utf8), url: "file:///x.warc"), kind: .warc)
        }
    }

    @Test func readsLocalFilesAndStreamsWARCs() throws {
        let warc = try Extractor().extractFile(atPath: repositoryRoot + "/Fixtures/sources/warc/kampanye.warc.gz")
        #expect(warc.items.count == 3)
        #expect(warc.items[0].metadata["warc_file"] == repositoryRoot + "/Fixtures/sources/warc/kampanye.warc.gz")
        let feed = try Extractor().extractFile(atPath: repositoryRoot + "/Fixtures/sources/feeds/rss1-desa.rdf")
        #expect(feed.items.count == 2)
        let folder = try TemporaryFolder()
        let saved = try folder.write("jawaban.json", String(decoding: try sourceFixture("bluesky/post-view.json"), as: UTF8.self))
        #expect(try Extractor().extractFile(atPath: saved).items.first?.platform == "bluesky")
        #expect(throws: SourceError.fileTooLarge(path: saved, size: Int64(try sourceFixture("bluesky/post-view.json").count), limit: 100)) {
            try Extractor().extractFile(atPath: saved, kind: .bluesky, maxBytes: 100)
        }
        #expect(throws: SourceError.self) { try Extractor().extractFile(atPath: folder.path + "/tidak-ada.json") }
    }
}
