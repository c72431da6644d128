import Foundation
import NetralModel
import NetralTestSupport
import Testing
@testable import NetralExtract

@Suite struct HTMLExtractorTests {
    func capture(_ html: String, url: String = "https://contoh.test/blog/post.html", contentType: String? = "text/html; charset=utf-8") -> Capture {
        Capture(
            requestURL: url, finalURL: url, status: 200,
            headers: contentType.map { [HTTPHeader(name: "Content-Type", value: $0)] } ?? [],
            body: Data(html.utf8), fetchedAt: Date(timeIntervalSince1970: 1_800_000_000)
        )
    }

    @Test func readsTitleMetasTextAltsAndLinks() throws {
        let html = """
        <!doctype html><html lang="id"><head>
        <title>Catatan  Camat</title>
        <meta name="description" content="Ajakan akhir pekan">
        <meta name="author" content="Drs. Bambang">
        <meta property="og:title" content="OG judul">
        <meta property="article:published_time" content="2024-01-20T19:30:00+08:00">
        <link rel="canonical" href="/kanonik.html">
        <script>var x = "coblos prabowo";</script><style>.a{}</style>
        </head><body>
        <nav><a href="/">Beranda</a> menu navigasi</nav>
        <article><h1>Judul Tulisan</h1><p>Paragraf   pertama,<br>baris dua.</p>
        <p>Paragraf kedua #PrabowoGibran2024 dan #Kaltim</p>
        <img src="a.jpg" alt="Foto  bersama warga"><img src="b.jpg">
        <a href="https://contoh.test/lain">tautan lain</a></article>
        <noscript>aktifkan javascript</noscript>
        </body></html>
        """
        let item = try HTMLExtractor().extract(capture(html))
        #expect(item.title == "OG judul", "og:title before <title>")
        #expect(item.description == "Ajakan akhir pekan")
        #expect(item.author?.name == "Drs. Bambang")
        #expect(item.language == "id")
        #expect(item.canonicalURL == "https://contoh.test/kanonik.html")
        #expect(item.metadata["og:title"] == "OG judul")
        #expect(item.publishedAt == ISO8601DateFormatter().date(from: "2024-01-20T11:30:00Z"))
        #expect(item.body == "Judul Tulisan\nParagraf pertama,\nbaris dua.\nParagraf kedua #PrabowoGibran2024 dan #Kaltim\ntautan lain")
        #expect(!item.body.contains("coblos"))
        #expect(!item.body.contains("menu navigasi"))
        #expect(!item.body.contains("javascript"))
        #expect(item.imageAlts == ["Foto bersama warga"])
        #expect(item.links.contains(Link(url: "https://contoh.test/lain", text: "tautan lain")))
        #expect(!item.links.contains { $0.text == "Beranda" })
        #expect(item.hashtags == ["#PrabowoGibran2024", "#Kaltim"])
    }

    @Test func rejectsPublishedDatesInTheFuture() throws {
        let html = "<html><head><meta property=\"article:published_time\" content=\"2099-01-01T00:00:00Z\"></head><body><p>x</p></body></html>"
        let item = try HTMLExtractor().extract(capture(html))
        #expect(item.publishedAt == nil)
    }

    @Test func survivesBrokenMarkup() throws {
        let html = "<html><body><div><p>satu <b>dua <i>tiga</p></div><table><tr><td>empat"
        let item = try HTMLExtractor().extract(capture(html))
        #expect(item.body.contains("satu dua tiga"))
        #expect(item.body.contains("empat"))
    }

    @Test func deepNestingDoesNotExhaustTheStack() throws {
        let depth = 10_000
        let html = String(repeating: "<div>", count: depth) + "dalam" + String(repeating: "</div>", count: depth)
        let item = try HTMLExtractor().extract(capture(html))
        // libxml2 halts at depth 256 unless told otherwise; the text must survive.
        #expect(item.body == "dalam")
    }

    @Test func emptyBodyIsAClearError() {
        #expect(throws: ExtractError.emptyDocument(url: "https://contoh.test/blog/post.html")) {
            try HTMLExtractor().extract(capture(""))
        }
    }

    @Test func binaryGarbageGivesAnItemOrAnError() {
        var generator = SystemRandomNumberGenerator()
        let bytes = (0..<4096).map { _ in UInt8.random(in: 0...255, using: &generator) }
        let garbage = Capture(requestURL: "https://contoh.test/x", finalURL: "https://contoh.test/x", status: 200, body: Data(bytes), fetchedAt: Date())
        _ = try? HTMLExtractor().extract(garbage)
    }

    @Test func guessesKinds() {
        #expect(SourceKind.guess(mediaType: "text/html", path: nil, body: Data()) == .html)
        #expect(SourceKind.guess(mediaType: nil, path: "a/b.HTML", body: Data()) == .html)
        #expect(SourceKind.guess(mediaType: nil, path: "catatan.txt", body: Data("<p>x".utf8)) == .text)
        #expect(SourceKind.guess(mediaType: nil, path: nil, body: Data("<!DOCTYPE html><p>x".utf8)) == .html)
    }
}
