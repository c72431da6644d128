import Foundation
import NetralModel
import NetralTestSupport
import Testing
@testable import NetralExtract

@Suite struct JSONLDTests {
    let fetchedAt = ISO8601DateFormatter().date(from: "2024-03-10T00:00:00Z")!

    func extract(_ head: String, body: String = "<p>Isi singkat.</p>") throws -> Item {
        let html = "<html><head>\(head)</head><body>\(body)</body></html>"
        return try HTMLExtractor().extract(Capture(
            requestURL: "https://kabar.example/a", finalURL: "https://kabar.example/a", status: 200,
            body: Data(html.utf8), fetchedAt: fetchedAt
        ))
    }

    func script(_ json: String) -> String { "<script type=\"application/ld+json\">\(json)</script>" }

    @Test func graphWithAnAuthorReference() throws {
        let path = (repositoryRoot as NSString).appendingPathComponent("Fixtures/html/berita-lengkap.html")
        let html = try String(contentsOfFile: path, encoding: .utf8)
        let item = try HTMLExtractor().extract(Capture(
            requestURL: "https://warta.sungaijernih.example/x", finalURL: "https://warta.sungaijernih.example/x", status: 200,
            body: Data(html.utf8), fetchedAt: fetchedAt
        ))
        #expect(item.author?.name == "Ratna Dewi Lestari")
        #expect(item.author?.profileURL == "https://warta.sungaijernih.example/penulis/ratna")
        #expect(item.author?.handle == "@wartatj")
        #expect(item.publishedAt == ISO8601DateFormatter().date(from: "2024-03-05T02:15:00Z"))
        #expect(item.metadata["jsonld:type"] == "NewsArticle")
        #expect(item.metadata["jsonld:headline"] == "Camat Hadiri Panen Raya di Padang Lestari")
        #expect(item.canonicalURL == "https://warta.sungaijernih.example/daerah/panen-raya-padang-lestari")
        #expect(item.metadata["twitter:card"] == "summary_large_image")
    }

    @Test func authorAsStringObjectOrArray() throws {
        let string = try extract(script(#"{"@type": "BlogPosting", "author": "Sri Wahyuningsih"}"#))
        #expect(string.author?.name == "Sri Wahyuningsih")
        let object = try extract(script(#"{"@type": "SocialMediaPosting", "author": {"@type": "Person", "name": "Suparman", "url": "/profil/suparman"}}"#))
        #expect(object.author?.name == "Suparman")
        #expect(object.author?.profileURL == "https://kabar.example/profil/suparman")
        let array = try extract(script(#"[{"@type": ["NewsArticle"], "author": [{"name": "Dedi"}, {"name": "Rina"}, "Andi"]}]"#))
        #expect(array.author?.name == "Dedi, Rina, Andi")
    }

    @Test func headlineDescriptionAndDateFillGaps() throws {
        let item = try extract(script(#"{"@context": "https://schema.org", "@type": "schema:BlogPosting", "headline": "Jalan Sehat Bersama Warga", "description": "Cerita akhir pekan.", "datePublished": "2024-01-21"}"#))
        #expect(item.title == "Jalan Sehat Bersama Warga")
        #expect(item.description == "Cerita akhir pekan.")
        #expect(item.publishedAt == ISO8601DateFormatter().date(from: "2024-01-21T00:00:00Z"))
    }

    /// Metas win over JSON-LD for the author and the date; for the title the JSON-LD headline
    /// comes first (readability's order), when it shares a word with the page's other titles.
    @Test func metasWinOverJSONLD() throws {
        let item = try extract(
            "<title>Judul Halaman</title><meta name=\"author\" content=\"Penulis Meta\"><meta property=\"article:published_time\" content=\"2024-02-01T08:00:00Z\">"
                + script(#"{"@type": "NewsArticle", "headline": "Judul JSON", "author": "Penulis JSON", "datePublished": "2024-01-01T00:00:00Z"}"#)
        )
        #expect(item.title == "Judul JSON")
        #expect(item.author?.name == "Penulis Meta")
        #expect(item.publishedAt == ISO8601DateFormatter().date(from: "2024-02-01T08:00:00Z"))
    }

    @Test func articleBodyReplacesAnEmptyScriptRenderedPage() throws {
        let item = try extract(
            script(#"{"@type": "NewsArticle", "articleBody": "Lurah Loa Permai mengajak warga: mari dukung Rudy–Seno di Pilgub Kaltim."}"#),
            body: "<div id=\"app\"></div><script>render()</script>"
        )
        #expect(item.body == "Lurah Loa Permai mengajak warga: mari dukung Rudy–Seno di Pilgub Kaltim.")
    }

    @Test func aFutureDateIsRejectedAndTheNextOneUsed() throws {
        let item = try extract(
            script(#"{"@type": "NewsArticle", "datePublished": "2031-01-01T00:00:00Z"}"#),
            body: "<article><time datetime=\"2024-03-09T23:00:00+07:00\">kemarin</time><p>Isi.</p></article>"
        )
        #expect(item.publishedAt == ISO8601DateFormatter().date(from: "2024-03-09T16:00:00Z"))
    }

    @Test func malformedJSONLDIsSkippedSilently() throws {
        let item = try extract(
            script("{ \"@type\": \"NewsArticle\", \"author\": ") + script("<!-- {\"@type\": \"BlogPosting\", \"author\": \"Sesudah Rusak\"} -->")
                + script("[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]")
        )
        #expect(item.author?.name == "Sesudah Rusak", "the broken block is skipped and the next one read")
        #expect(item.body == "Isi singkat.")
    }

    @Test func otherTypesAreIgnored() throws {
        let item = try extract(script(#"{"@type": "Organization", "name": "Dinas Kominfo", "author": "Bukan Penulis"}"#))
        #expect(item.author == nil)
        #expect(item.metadata["jsonld:type"] == nil)
    }

    @Test func timestampForms() {
        let iso = ISO8601DateFormatter()
        #expect(parseTimestamp("2024-01-20T19:30:00+08:00") == iso.date(from: "2024-01-20T11:30:00Z"))
        #expect(parseTimestamp(" 2024-01-20T19:30:00.250Z ")?.timeIntervalSince1970 == iso.date(from: "2024-01-20T19:30:00Z")!.timeIntervalSince1970 + 0.25)
        #expect(parseTimestamp("2024-01-20 19:30+0700") == iso.date(from: "2024-01-20T12:30:00Z"))
        #expect(parseTimestamp("2024-02-29") == iso.date(from: "2024-02-29T00:00:00Z"))
        #expect(parseTimestamp("2023-02-29") == nil)
        #expect(parseTimestamp("2024-13-01") == nil)
        #expect(parseTimestamp("20 Januari 2024") == nil)
        #expect(parseTimestamp("2024-01-20T19:30:00+08:00 sisa") == nil)
        #expect(parseHumanTimestamp("Sabtu, 20 Januari 2024 19.30 WIB") == iso.date(from: "2024-01-20T12:30:00Z"))
        #expect(parseHumanTimestamp("5 Agu 2024") == iso.date(from: "2024-08-05T00:00:00Z"))
        #expect(parseHumanTimestamp("20/01/2024 07:15 WIT") == iso.date(from: "2024-01-19T22:15:00Z"))
        #expect(parseHumanTimestamp("kemarin sore") == nil)
    }
}
