import Foundation
import NetralModel
import NetralTestSupport
import Testing
@testable import NetralExtract

/// Pages built to hurt: each must give items or a clear `ExtractError`, never a crash. Leaks
/// and memory errors in the same paths are caught by `.ci/asan-extract`, which runs this suite
/// under AddressSanitizer and LeakSanitizer.
@Suite struct HostileInputTests {
    let url = "https://jahat.example/halaman"

    func capture(_ bytes: [UInt8], contentType: String? = "text/html") -> Capture {
        Capture(
            requestURL: url, finalURL: url, status: 200,
            headers: contentType.map { [HTTPHeader(name: "Content-Type", value: $0)] } ?? [],
            body: Data(bytes), fetchedAt: Date()
        )
    }

    /// A generator with a fixed seed, so a failure can be reproduced.
    struct SplitMix: RandomNumberGenerator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
    }

    static let profile = SiteProfile(name: "uji-jahat", item: "//div[@class='pos']", fields: .init(text: ".", author: ".//b", time: ".//time", permalink: ".//a/@href"))

    @Test func tenThousandNestedElements() throws {
        let depth = 10_000
        let html = "<html><body>" + String(repeating: "<div class='pos'><b>x</b>", count: depth) + "dalam sekali" + String(repeating: "</div>", count: depth)
        let item = try HTMLExtractor().extract(capture(Array(html.utf8)))
        #expect(item.body.contains("dalam sekali"))
        // The same page through a profile: XPath over every level, text of deep subtrees.
        let items = try HTMLExtractor().extract(capture(Array(html.utf8)), profile: Self.profile)
        #expect(!items.isEmpty)
        #expect(items.contains { $0.body.contains("dalam sekali") })
    }

    @Test func deeplyNestedInlineAndTablesToo() throws {
        let html = "<html><body>" + String(repeating: "<span><table><tr><td><a href='/x'>", count: 3_000) + "isi"
        let item = try HTMLExtractor().extract(capture(Array(html.utf8)))
        #expect(item.body.contains("isi"))
    }

    @Test func twentyMegabytePage() throws {
        var html = "<html><head><title>Halaman besar</title></head><body><article>"
        let paragraph = "<p>Warga Sungai Jernih bergotong royong membersihkan saluran, lalu makan bersama di balai desa. <a href=\"/tautan\">tautan</a></p>\n"
        html.reserveCapacity(20_000_000 + paragraph.utf8.count)
        while html.utf8.count < 20_000_000 { html += paragraph }
        html += "<p>Paragraf terakhir #AkhirHalaman</p></article></body></html>"
        let item = try HTMLExtractor().extract(capture(Array(html.utf8)))
        #expect(item.title == "Halaman besar")
        #expect(item.body.hasSuffix("Paragraf terakhir #AkhirHalaman"))
        #expect(item.hashtags == ["#AkhirHalaman"])
        #expect(item.links.count > 100_000)
    }

    @Test(arguments: [1, 2, 3, 4, 5, 6, 7, 8])
    func binaryGarbage(seed: UInt64) throws {
        var generator = SplitMix(state: seed)
        let bytes = (0..<65_536).map { _ in UInt8.random(in: 0...255, using: &generator) }
        for contentType in [nil, "text/html; charset=utf-8", "text/html; charset=windows-1252", "text/html; charset=shift_jis", "text/html; charset=utf-16"] {
            do {
                let item = try HTMLExtractor().extract(capture(bytes, contentType: contentType))
                #expect(item.sourceURL == url)
                let items = try HTMLExtractor().extract(capture(bytes, contentType: contentType), profile: Self.profile)
                #expect(items.count >= 1)
            } catch let error as ExtractError {
                // Acceptable: a clear error with the URL in it.
                #expect(error.description.hasPrefix(url))
            }
        }
    }

    @Test func garbageMarkupSoup() throws {
        var generator = SplitMix(state: 42)
        let pieces = ["<div", "<p>", "</p>", "<a href='", "'>", "<script>", "</script>", "<!--", "-->", "<![CDATA[", "]]>", "&amp;", "&#x", ";",
                      "<table>", "<td>", "</tr>", "<meta charset=", "utf-8>", "\"", "'", "<", ">", "/", "=", "kata ", "“kutip” ", "\u{0}", "<style>", "\u{FFFD}"]
        for _ in 0..<20 {
            let html = (0..<4_000).map { _ in pieces[Int.random(in: 0..<pieces.count, using: &generator)] }.joined()
            do {
                _ = try HTMLExtractor().extract(capture(Array(html.utf8)))
                _ = try HTMLExtractor().extract(capture(Array(html.utf8)), profile: Self.profile)
            } catch let error as ExtractError {
                #expect(error.description.hasPrefix(url))
            }
        }
    }

    @Test func invalidUTF8Everywhere() throws {
        var bytes = Array("<html><head><title>Judul ".utf8) + [0xC0, 0xAF] + Array("</title></head><body><p class=\"".utf8) + [0xFF]
        bytes += Array("\">awal ".utf8) + [0xED, 0xA0, 0x80] + Array(" tengah ".utf8) + [0xF4, 0x90, 0x80, 0x80] + Array(" akhir</p></body></html>".utf8)
        let item = try HTMLExtractor().extract(capture(bytes, contentType: "text/html; charset=utf-8"))
        #expect(item.title?.hasPrefix("Judul \u{FFFD}") == true)
        #expect(item.body.hasPrefix("awal \u{FFFD}"))
        #expect(item.body.hasSuffix("akhir"))
    }

    @Test func truncatedMarkup() throws {
        let full = "<html><head><title>Judul</title><meta name=\"author\" content=\"Lurah Loa Permai\"></head><body><article><p>Ayo dukung nomor 2, warga Loa Permai! Kita menangkan bersama.</p><p>Paragraf kedua yang terpotong di tengah"
        for cut in stride(from: 1, through: full.utf8.count, by: 7) {
            let bytes = Array(full.utf8.prefix(cut))
            do {
                _ = try HTMLExtractor().extract(capture(bytes))
            } catch let error as ExtractError {
                #expect(error.description.hasPrefix(url))
            }
        }
        let item = try HTMLExtractor().extract(capture(Array(full.utf8)))
        #expect(item.body.hasSuffix("Paragraf kedua yang terpotong di tengah"))
        #expect(item.author?.name == "Lurah Loa Permai")
        // Cut inside an attribute and inside a tag name.
        _ = try HTMLExtractor().extract(capture(Array("<html><body><a href=\"https://x.example/".utf8)))
        _ = try HTMLExtractor().extract(capture(Array("<html><body><p>teks</p><scr".utf8)))
    }

    @Test func aPageThatIsOnlyAScript() throws {
        let item = try HTMLExtractor().extract(capture(Array("<script>document.write('coblos prabowo, pilih ganjar, dukung anies')</script>".utf8)))
        #expect(item.body.isEmpty)
        #expect(item.links.isEmpty)
        #expect(item.hashtags.isEmpty)
    }

    @Test func nulBytes() throws {
        let bytes = Array("<html><body><p>sebelum".utf8) + [0, 0, 0] + Array("sesudah</p><p>".utf8) + [0] + Array("lagi</p></body></html>".utf8)
        let item = try HTMLExtractor().extract(capture(bytes))
        #expect(item.body.contains("sebelum"))
        #expect(item.body.hasSuffix("lagi"))
        let onlyNUL = [UInt8](repeating: 0, count: 4096)
        do {
            let item = try HTMLExtractor().extract(capture(onlyNUL))
            #expect(item.body.isEmpty)
        } catch let error as ExtractError {
            #expect(error.description.hasPrefix(url))
        }
    }

    @Test func emptyAndByteOrderMarkOnly() {
        #expect(throws: ExtractError.emptyDocument(url: url)) { try HTMLExtractor().extract(capture([])) }
        #expect(throws: ExtractError.emptyDocument(url: url)) { try HTMLExtractor().extract(capture([0xEF, 0xBB, 0xBF])) }
        #expect(throws: ExtractError.emptyDocument(url: url)) { try HTMLExtractor().extract(capture([0xEF, 0xBB, 0xBF]), profile: Self.profile) }
    }

    @Test func manyAttributesAndHugeAttributeValues() throws {
        let attributes = (0..<5_000).map { "data-a\($0)=\"\($0)\"" }.joined(separator: " ")
        let bigClass = String(repeating: "sidebar-content comment-", count: 20_000)
        let html = "<html><body><div \(attributes) class=\"\(bigClass)\"><p>Isi utama halaman dengan cukup banyak kata, supaya dinilai.</p></div>"
            + "<img alt=\"\(String(repeating: "panjang ", count: 50_000))\"></body></html>"
        let item = try HTMLExtractor().extract(capture(Array(html.utf8)))
        #expect(item.body.contains("Isi utama halaman"))
    }

    @Test func manyJSONLDBlocksAndHugeOnes() throws {
        let nested = String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000)
        let blocks = (0..<100).map { _ in "<script type='application/ld+json'>{\"@type\": \"NewsArticle\", \"headline\": </script>" }.joined()
        let html = "<html><head>\(blocks)<script type='application/ld+json'>\(nested)</script></head><body><p>isi</p></body></html>"
        let item = try HTMLExtractor().extract(capture(Array(html.utf8)))
        #expect(item.body == "isi")
    }
}
