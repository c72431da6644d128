import Foundation
import NetralModel
import NetralTestSupport
import Testing
@testable import NetralExtract

@Suite struct BoilerplateTests {
    func capture(_ html: String, url: String = "https://warta.sungaijernih.example/daerah/panen") -> Capture {
        Capture(
            requestURL: url, finalURL: url, status: 200,
            headers: [HTTPHeader(name: "Content-Type", value: "text/html; charset=utf-8")],
            body: Data(html.utf8), fetchedAt: ISO8601DateFormatter().date(from: "2024-03-10T00:00:00Z")!
        )
    }

    func fixture(_ name: String) throws -> String {
        try String(contentsOfFile: (repositoryRoot as NSString).appendingPathComponent("Fixtures/html/\(name)"), encoding: .utf8)
    }

    @Test func newsPageKeepsTheArticleAndReadsItsCaptionAndAuthorBoxIntoTheirFields() throws {
        let item = try HTMLExtractor().extract(capture(try fixture("berita-lengkap.html")))
        let body = item.body
        // The headline is the item's title, and the byline line is the author's: neither is the
        // article's text. The photo's caption is read with the photo's alt text, and the author
        // box into the author's bio: rules still read both, as the picture's and the author's.
        #expect(item.title == "Camat Hadiri Panen Raya di Padang Lestari")
        #expect(body.hasPrefix("PADANG LESTARI — Panen raya padi di Desa Padang Lestari"))
        #expect(item.author?.name == "Ratna Dewi Lestari")
        #expect(!body.contains("ikut memanen padi bersama kelompok tani Sri Rejeki."), "a caption is the picture's, not the body's")
        #expect(body.contains("Camat Sungai Jernih, Drs. Bambang Sutrisno, hadir bersama penyuluh pertanian lapangan."))
        #expect(body.contains("“Alhamdulillah, tidak ada serangan wereng seperti tahun lalu,” ujarnya."))
        #expect(!body.contains("adalah wartawan Warta Tanah Jernih"), "the author box is the author's bio")
        for boilerplate in [
            "kuki", "Beranda", "Olahraga", "Bagikan ke Facebook", "Baca juga", "Harga gabah", "IKLAN", "Berita terkait",
            "Irigasi", "komentar", "coblos nomor 2", "Kirim", "Terpopuler", "Langganan", "Pedoman Media Siber", "notifikasi",
        ] {
            #expect(!body.contains(boilerplate), "\(boilerplate) is boilerplate")
        }
        #expect(item.imageAlts == [
            "Camat dan petani memanen padi di sawah Padang Lestari",
            "Camat Sungai Jernih ikut memanen padi bersama kelompok tani Sri Rejeki.",
        ])
        #expect(item.links.map(\.url) == ["https://warta.sungaijernih.example/penulis/ratna"])
        #expect(item.hashtags == ["#PanenRaya", "#SungaiJernih"])
        #expect(item.author?.bio == "Ratna Dewi Lestari adalah wartawan Warta Tanah Jernih untuk wilayah Sungai Jernih dan Loa Permai.")
    }

    @Test func blogFromTheDemoSiteReadsItsAuthorBoxAsTheAuthorsBio() throws {
        let path = (repositoryRoot as NSString).appendingPathComponent("Fixtures/demo-site/camat-sungai-jernih.html")
        let item = try HTMLExtractor().extract(capture(try String(contentsOfFile: path, encoding: .utf8)))
        #expect(!item.body.contains("adalah Camat Sungai Jernih, Kabupaten Tanah Jernih."), "the author box is the author's bio")
        #expect(item.body.contains("ayo coblos nomor 2, Prabowo–Gibran!"))
        #expect(!item.body.contains("Catatan Warga"), "navigation")
        #expect(!item.body.contains("© 2024"), "footer")
        #expect(!item.body.contains("dataLayer"), "script")
        #expect(item.author?.bio?.hasPrefix("Drs. Bambang Sutrisno, M.Si. adalah Camat Sungai Jernih") == true)
    }

    @Test func linkHeavyBlocksLoseToProse() throws {
        let links = (1...30).map { "<li><a href=\"/b/\($0)\">Berita nomor \($0) yang sangat menarik, jangan dilewatkan</a></li>" }.joined()
        let html = """
        <html><body>
        <div id="x1"><ul>\(links)</ul></div>
        <div id="x2">
          <p>Warga Desa Loa Permai bergotong royong membersihkan saluran irigasi, mulai pagi hingga siang hari, bersama perangkat desa.</p>
          <p>Kepala desa berharap kegiatan ini rutin, terutama menjelang musim hujan, agar sawah tidak kebanjiran lagi.</p>
        </div>
        </body></html>
        """
        let body = try HTMLExtractor().extract(capture(html)).body
        #expect(body.hasPrefix("Warga Desa Loa Permai bergotong royong"))
        #expect(!body.contains("Berita nomor"))
    }

    @Test func shortPostsAreNotLostToScoring() throws {
        // A page of short posts has no block of 25 characters with commas to score: all of it stays.
        let html = "<html><body><div class='menu'><a href='/'>Beranda</a></div>"
            + "<div class='feed'><div>Ayo coblos 02!</div><div>Setuju pak lurah</div><div>Mantap</div></div></body></html>"
        let body = try HTMLExtractor().extract(capture(html)).body
        #expect(body == "Ayo coblos 02!\nSetuju pak lurah\nMantap")
    }

    @Test func aPageThatIsAllBoilerplateStillGivesItsText() throws {
        let html = "<html><body><section id='comments'><div class='comment'>Lurah Loa Permai: ayo pilih nomor 2, warga!</div></section></body></html>"
        let body = try HTMLExtractor().extract(capture(html)).body
        #expect(body == "Lurah Loa Permai: ayo pilih nomor 2, warga!")
    }

    @Test func pageBuilderClassNamesDoNotHideContent() throws {
        // Elementor wraps everything in "elementor-widget-*": "widget" there is not a sidebar widget.
        let paragraph = "Bupati meresmikan jembatan gantung baru di Desa Muara Tenang, yang menghubungkan dua dusun, dan warga menyambutnya gembira."
        let html = """
        <html><body>
        <div class="elementor-element elementor-widget elementor-widget-text-editor"><div class="elementor-widget-container">
        <p>\(paragraph)</p><p>\(paragraph)</p></div></div>
        <div class="elementor-widget elementor-widget-share-buttons"><a href="/s">Bagikan</a></div>
        <section class="widget widget_recent"><p>Tulisan terbaru lainnya di blog ini, silakan dibaca, ada banyak sekali.</p></section>
        </body></html>
        """
        let body = try HTMLExtractor().extract(capture(html)).body
        #expect(body == "\(paragraph)\n\(paragraph)")
    }

    @Test func hiddenElementsAreNeverText() throws {
        let html = """
        <html><body><article><p>Teks yang terlihat oleh pengunjung halaman ini, cukup panjang untuk dinilai.</p>
        <p hidden>teks tersembunyi satu</p><div style="DISPLAY : none">teks tersembunyi dua</div>
        <template><p>teks templat</p></template><select><option>pilihan</option></select>
        <span class="sr-only">label pembaca layar</span></article></body></html>
        """
        let body = try HTMLExtractor().extract(capture(html)).body
        #expect(body == "Teks yang terlihat oleh pengunjung halaman ini, cukup panjang untuk dinilai.")
    }

    @Test func inlineBoilerplateDoesNotSplitASentence() throws {
        let html = "<html><body><article><p>Camat hadir <span class='share'>Bagikan</span> bersama warga, panen raya di Padang Lestari berjalan lancar.</p></article></body></html>"
        #expect(try HTMLExtractor().extract(capture(html)).body == "Camat hadir bersama warga, panen raya di Padang Lestari berjalan lancar.")
    }

    @Test func classHints() {
        func hints(_ value: String) -> ClassHints {
            var bytes = Array(value.utf8)
            bytes.append(0)
            return bytes.withUnsafeBufferPointer { ClassHints.scan($0.baseAddress!) }
        }
        #expect(hints("post-comments").contains(.decisiveNegative))
        #expect(hints("entry-content").contains(.positive))
        #expect(hints("left-sidebar").contains(.weakNegative))
        #expect(hints("elementor-widget-container").isEmpty)
        #expect(hints("widget widget_text").contains(.weakNegative))
        #expect(hints("author-box").isAuthorBox)
        #expect(hints("about-author").isAuthorBox)
        #expect(!hints("author").isAuthorBox)
        #expect(hints("ad-slot").contains(.decisiveNegative))
        #expect(!hints("header-shadow road").contains(.decisiveNegative), "'ad' only as a whole word")
        #expect(hints("Baca-Juga").contains(.decisiveNegative))
        #expect(!hints("commentary").isNegative, "a whole word, never a substring")
        #expect(!hints("has-recommendations").isNegative)
        #expect(hints("recommended-posts").contains(.decisiveNegative))
        #expect(hints("entry-content no-share").contains([.strongPositive, .softNegative]))
        #expect(hints("with-sidebar-right karma-below-banner") == .weakNegative)
    }
}
