import Foundation
import NetralModel
import NetralTestSupport
import Testing
@testable import NetralExtract

/// Main-text selection on pages where a class word, the block structure or widget text used to
/// mislead it (Fixtures/extract/, written for these tests).
@Suite struct MainTextTests {
    static let fetchedAt = ISO8601DateFormatter().date(from: "2024-10-01T03:00:00Z")!

    func capture(_ html: String, url: String = "https://kabar.loapermai.example/2024/09/berita") -> Capture {
        Capture(
            requestURL: url, finalURL: url, status: 200,
            headers: [HTTPHeader(name: "Content-Type", value: "text/html; charset=utf-8")],
            body: Data(html.utf8), fetchedAt: MainTextTests.fetchedAt
        )
    }

    func fixture(_ name: String) throws -> String {
        try String(contentsOfFile: (repositoryRoot as NSString).appendingPathComponent("Fixtures/extract/\(name)"), encoding: .utf8)
    }

    @Test func aWeakClassWordOnTheWrapperDoesNotThrowAwayTheArticle() throws {
        // The whole page sits in `with-sidebar-right karma-below-banner`: "sidebar" and "banner"
        // name the layout, not the element. The text overrules them; the real sidebar still goes.
        let item = try HTMLExtractor().extract(capture(try fixture("kelas-pembungkus.html")))
        let body = item.body
        #expect(item.title == "Posyandu Kenanga Raih Juara Lomba Tingkat Kabupaten")
        #expect(body.hasPrefix("Posyandu Kenanga dari Dusun Sumber Rejeki"), "the headline is the title, not the body")
        #expect(body.hasSuffix("“Kami tidak menyangka, karena alat kami sederhana, tetapi kader di sini rajin dan warga mau datang,” ujarnya sambil tersenyum."))
        for boilerplate in ["Arsip", "September 2024", "Tweets by", "Masukkan alamat email", "telah dilihat", "Dikelola oleh", "Kontak"] {
            #expect(!body.contains(boilerplate), "\(boilerplate) is boilerplate")
        }
    }

    @Test func aContentClassOutweighsASoftNegativeOne() throws {
        let body = try HTMLExtractor().extract(capture(try fixture("konten-tanpa-bagikan.html"))).body
        #expect(body.hasPrefix("Sudah tiga bulan"))
        #expect(body.contains("Pak Darman, tukang kayu yang paling tua"))
        for boilerplate in ["Bagikan ke Facebook", "WhatsApp", "komentar", "Mantap", "Komentar ditutup", "blog warga", "Beranda"] {
            #expect(!body.contains(boilerplate), "\(boilerplate) is boilerplate")
        }
    }

    @Test func classWordsMatchWholeWordsOnly() throws {
        // "commentary" is an opinion column, "has-recommendations" a layout flag: neither is a
        // comment thread or a recommendation box.
        let paragraph = "Kepala desa menjelaskan rencana perbaikan jalan usaha tani, yang akan dikerjakan bertahap, mulai dari dusun paling jauh."
        for wrapper in ["commentary", "story has-recommendations"] {
            let html = """
            <html><body><div class="\(wrapper)"><p>\(paragraph)</p><p>\(paragraph)</p><p>\(paragraph)</p></div>
            <div class="recommended-posts"><p>Tulisan lain yang mungkin Anda suka, dari penulis yang sama, dan masih banyak lagi.</p></div>
            </body></html>
            """
            let body = try HTMLExtractor().extract(capture(html)).body
            #expect(body == [paragraph, paragraph, paragraph].joined(separator: "\n"), "wrapper \(wrapper)")
        }
    }

    @Test func anArticleOnlyInNoscriptIsRead() throws {
        let body = try HTMLExtractor().extract(capture(try fixture("noscript-artikel.html"))).body
        #expect(body.hasPrefix("Pasar murah digelar di halaman kantor kecamatan"))
        #expect(body.contains("Bu Wartini, mengaku senang"))
        #expect(!body.contains("Ekonomi"), "navigation")
        #expect(!body.contains("dimuat oleh skrip"), "script")
    }

    @Test func noscriptStaysHiddenWhenThePageHasItsText() throws {
        let paragraph = "Warga Desa Loa Permai bergotong royong membersihkan saluran irigasi, mulai pagi hingga siang hari, bersama perangkat desa."
        let html = "<html><body><article><p>\(paragraph)</p><p>\(paragraph)</p><p>\(paragraph)</p><p>\(paragraph)</p></article>"
            + "<noscript><p>Aktifkan JavaScript untuk melihat peta lokasi kegiatan ini dengan lengkap dan jelas.</p></noscript></body></html>"
        let body = try HTMLExtractor().extract(capture(html)).body
        #expect(!body.contains("JavaScript"))
    }

    @Test func widgetLinesAreDroppedOnlyWhenShort() {
        #expect(BoilerplateLines.isBoilerplate("Artikel ini telah dilihat 1.204 kali"))
        #expect(BoilerplateLines.isBoilerplate("dibaca 20.796 kali"))
        #expect(BoilerplateLines.isBoilerplate("Tweets by @kabarloapermai"))
        #expect(BoilerplateLines.isBoilerplate("Kommentare geschlossen."))
        #expect(BoilerplateLines.isBoilerplate("Gib deine E-Mail-Adresse ein"))
        #expect(!BoilerplateLines.isBoilerplate("Camat mengatakan jalan itu sudah dilihat warga setiap hari."))
        let long = "Pak Lurah bercerita, balai desa ini telah dilihat 300 kali oleh tamu dari luar daerah, dan setiap tamu selalu memuji taman bunga di depannya."
        #expect(!BoilerplateLines.isBoilerplate(long[...]), "a long sentence is article text")
        #expect(BoilerplateLines.removing(from: "Satu\nTweets by @a\nDua") == "Satu\nDua")
    }
}

extension MainTextTests {
    @Test func anUnnamedLinkListInsideTheArticleIsCut() throws {
        // No class word names these lists; their text is all links and has no commas.
        let paragraph = "Panitia pemilihan kepala desa Loa Permai memasang papan pengumuman di balai desa, berisi jadwal, syarat, dan tata cara pendaftaran."
        let html = """
        <html><body><div class="wrap">
        <h1>Pendaftaran Calon Kepala Desa Dibuka</h1>
        <p>\(paragraph)</p><p>\(paragraph)</p><p>\(paragraph)</p>
        <div><strong>Lainnya</strong><div><a href="/a">Harga cabai naik lagi di pasar kecamatan</a></div>
        <div><a href="/b">Sungai meluap, dua dusun terendam banjir</a></div><div><a href="/c">Turnamen voli antardesa dimulai pekan depan</a></div></div>
        <ul><li><a href="/d">Lowongan guru honorer</a></li><li><a href="/e">Jadwal posyandu bulan ini</a></li></ul>
        <ul><li>Syarat pertama: warga desa, dibuktikan dengan <a href="/ktp">KTP</a>, berusia paling rendah 25 tahun.</li></ul>
        </div></body></html>
        """
        let body = try HTMLExtractor().extract(capture(html)).body
        #expect(body.hasPrefix("Pendaftaran Calon Kepala Desa Dibuka\n\(paragraph)"))
        #expect(body.contains("Syarat pertama: warga desa"), "a list of prose with a link stays")
        for boilerplate in ["Lainnya", "Harga cabai", "Sungai meluap", "Lowongan guru", "posyandu"] {
            #expect(!body.contains(boilerplate), "\(boilerplate) is a link list")
        }
    }
}

extension MainTextTests {
    @Test func aWrapperAroundTheMainArticleIsNeverBoilerplate() throws {
        // "ad" is a decisive word, but this element wraps the page's main <article>; the small
        // teaser <article>s in the "populer" box protect nothing.
        let paragraph = "Camat Sungai Jernih membuka lomba perahu naga di sungai desa, yang diikuti dua belas regu dari empat kecamatan, pada Minggu pagi."
        let teasers = (1...6).map { "<article><p>Berita lain nomor \($0) dengan judul panjang sekali agar terbaca sebagai paragraf yang utuh.</p></article>" }
        let html = """
        <html><body><div id="ad-portal"><div class="wrapper">
        <article><h1>Lomba Perahu Naga Dibuka</h1><p>\(paragraph)</p><p>\(paragraph)</p><p>\(paragraph)</p></article>
        <section class="populer">\(teasers.joined())</section>
        </div></div></body></html>
        """
        let body = try HTMLExtractor().extract(capture(html)).body
        #expect(body == "Lomba Perahu Naga Dibuka\n\(paragraph)\n\(paragraph)\n\(paragraph)")
    }
}

/// Related lists, datelines, credit tables and the headline printed inside the article
/// (Fixtures/extract/berita-tautan-terkait.html), and two block-structure cases Readability
/// handles (berita-teks-lepas.html, artikel-bersekat.html).
extension MainTextTests {
    @Test func relatedListsAndPageFurnitureLeaveTheArticle() throws {
        let item = try HTMLExtractor().extract(capture(try fixture("berita-tautan-terkait.html")))
        let body = item.body
        #expect(item.title == "Bupati Resmikan Pasar Desa Loa Permai")
        #expect(body.hasPrefix("LOA PERMAI — Bupati Tanah Jernih meresmikan pasar desa"), "kicker, headline and dateline are not text")
        #expect(body.contains("Kepala desa mengatakan lapak akan dibagi lewat undian terbuka"))
        #expect(body.hasSuffix("yang baru mulai berjualan."))
        for furniture in [
            "DAERAH", "Senin, 30 September 2024", "Baca juga", "Jalan Dusun Sumber Rejeki", "Jangan Lewatkan", "Harga Cabai",
            "Sungai Meluap", "Turnamen Voli", "Berita Terkait", "Pasar Kaget", "Penulis", "Rina Maharani", "Editor", "Joko Susilo",
            "© 2024",
        ] {
            #expect(!body.contains(furniture), "\(furniture) is not the article's text")
        }
        #expect(item.author?.name == "Rina Maharani", "the credit table still names the author")
        #expect(item.publishedAt == ISO8601DateFormatter().date(from: "2024-09-30T03:15:00Z"), "the dateline still dates the page")
    }

    @Test func aRunOfHeadlineLinksIsCutButNotShortLinksOrOneLinkInASentence() throws {
        let paragraph = "Warga Desa Loa Permai bergotong royong memperbaiki jembatan kayu di ujung dusun, mulai pagi sampai sore, bersama perangkat desa."
        let shortLinks = ["Satu", "Dua", "Tiga"].map { "<a href=\"/\($0)\">\($0)</a><br>" }.joined()
        let html = """
        <html><body><div class="isi"><p>\(paragraph)</p><p>\(paragraph)</p><p>\(paragraph)</p>
        <p>Dokumen lengkap: </p>\(shortLinks)
        <p>Menurut <a href="/camat">Camat Sungai Jernih yang baru dilantik</a>, jembatan itu akan diganti tahun depan.</p>
        </div></body></html>
        """
        let body = try HTMLExtractor().extract(capture(html)).body
        #expect(body.contains("Satu\nDua\nTiga"), "one-word links (file names, pages) are not headlines")
        #expect(body.contains("Menurut Camat Sungai Jernih yang baru dilantik, jembatan itu akan diganti tahun depan."))
    }

    @Test func aDivOfLooseTextBesideBlocksIsItsOwnParagraphsParent() throws {
        // The article's text sits directly in a div (lines separated by <br>) that also holds a
        // <p>. Scored as Readability does, the div itself is the article, not its parent with
        // the sign-up box beside it.
        let body = try HTMLExtractor().extract(capture(try fixture("berita-teks-lepas.html"))).body
        #expect(body.hasPrefix("Tanah Jernih (Kabar Lokal) - Lurah Sumber Rejeki mengajak warga"))
        #expect(body.contains("kata lurah kepada warga yang berkumpul."))
        #expect(!body.contains("Dapatkan kabar pilihan"), "the sign-up box beside the article")
    }

    @Test func anArticleInWrappedSectionsIsReadWhole() throws {
        // Each section sits in wrappers with one child; the best section climbs to its wrapper,
        // so the sibling step finds the other section.
        let body = try HTMLExtractor().extract(capture(try fixture("artikel-bersekat.html"))).body
        #expect(body.hasPrefix("Di rumah panggung di tepi sungai, Bu Sarinah sudah menenun sejak subuh."))
        #expect(body.contains("Setiap motif punya nama"))
        #expect(body.hasSuffix("saat pesta panen."))
        #expect(!body.contains("Majalah Hulu"))
    }
}

extension MainTextTests {
    @Test func aShortBlockHoldingTheBylineIsNotAKicker() throws {
        // Above the headline, like a section label, but it names the author.
        let paragraph = "Posyandu Kenanga membuka kelas gizi untuk ibu hamil dan ibu menyusui, setiap Kamis pagi, di balai dusun Sumber Rejeki."
        let html = """
        <html><head><title>Posyandu Kenanga Buka Kelas Gizi</title></head><body><article>
        <div class="kanal">KESEHATAN</div>
        <div class="info"><span class="nama-penulis">Rina Maharani</span></div>
        <h1>Posyandu Kenanga Buka Kelas Gizi</h1>
        <div class="isi"><p>\(paragraph)</p><p>\(paragraph)</p><p>\(paragraph)</p></div>
        </article></body></html>
        """
        let item = try HTMLExtractor().extract(capture(html))
        #expect(item.author?.name == "Rina Maharani")
        #expect(!item.body.contains("KESEHATAN"), "the section label is a kicker")
    }
}
