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
        let body = try HTMLExtractor().extract(capture(try fixture("kelas-pembungkus.html"))).body
        #expect(body.hasPrefix("Posyandu Kenanga Raih Juara Lomba Tingkat Kabupaten\nPosyandu Kenanga dari Dusun Sumber Rejeki"))
        #expect(body.hasSuffix("“Kami tidak menyangka, karena alat kami sederhana, tetapi kader di sini rajin dan warga mau datang,” ujarnya sambil tersenyum."))
        for boilerplate in ["Arsip", "September 2024", "Tweets by", "Masukkan alamat email", "telah dilihat", "Dikelola oleh", "Kontak"] {
            #expect(!body.contains(boilerplate), "\(boilerplate) is boilerplate")
        }
    }

    @Test func aContentClassOutweighsASoftNegativeOne() throws {
        let body = try HTMLExtractor().extract(capture(try fixture("konten-tanpa-bagikan.html"))).body
        #expect(body.hasPrefix("Jembatan Gantung Muara Tenang Diperbaiki Warga\nSudah tiga bulan"))
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
        #expect(body.hasPrefix("Pasar Murah di Kecamatan Sungai Jernih\nPasar murah digelar di halaman kantor kecamatan"))
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
