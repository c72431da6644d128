import Foundation
import NetralModel
import NetralTestSupport
import Testing
@testable import NetralExtract

/// The main text of pages that are not one article (Fixtures/extract/, written for these tests):
/// a village website's front page lists its news, a forum page is a thread of posts, a
/// WordPress post marks itself with its tags. What the main text of such a page is: see
/// Sources/NetralExtract/README.md.
@Suite struct NonArticlePageTests {
    func capture(_ name: String, url: String) throws -> Capture {
        let path = (repositoryRoot as NSString).appendingPathComponent("Fixtures/extract/\(name)")
        return Capture(
            requestURL: url, finalURL: url, status: 200,
            headers: [HTTPHeader(name: "Content-Type", value: "text/html; charset=utf-8")],
            body: try Data(contentsOf: URL(fileURLWithPath: path)),
            fetchedAt: ISO8601DateFormatter().date(from: "2024-03-20T00:00:00Z")!
        )
    }

    @Test func aVillageFrontPageReadsEveryNewsItemIncludingTheHeadmansAnnouncement() throws {
        let item = try HTMLExtractor().extract(try capture("desa-beranda.html", url: "https://watuasri.desa.example/"))
        let body = item.body
        // Every item of the list, its headline and its lead: the announcement is one of three.
        #expect(body.contains("Posyandu Balita Dusun Krajan Kembali Dibuka"))
        #expect(body.contains("Pengumuman Kepala Desa: Ayo Ramaikan Alun-Alun Sabtu Ini"))
        #expect(body.contains("menitipkan pesan agar warga mencoblos nomor 2 pada 14 Februari."))
        #expect(body.contains("tidak lagi terhambat lumpur."))
        for boilerplate in ["Profil Desa", "Layanan Surat", "Aparatur Desa", "Statistik Pengunjung", "Arsip Artikel",
                            "Halaman berikutnya", "Selengkapnya", "© 2024"] {
            #expect(!body.contains(boilerplate), "\(boilerplate) is the site's, not the page's")
        }
    }

    @Test func aForumPageKeepsEveryPostAndItsAuthorButNotSignaturesOrMenus() throws {
        let item = try HTMLExtractor().extract(try capture("forum-utas.html", url: "https://forum.sungaijernih.example/t/1203"))
        let body = item.body
        for post in [
            "pak sekdes terang-terangan membagikan stiker calon legislatif",
            "Laporkan saja ke Panwascam, sertakan tangkapan layarnya.",
            "sudah saya teruskan ke panwas kecamatan kemarin sore.",
        ] {
            #expect(body.contains(post), "every post is read: \(post)")
        }
        // The thread's author is the item's; the replies keep who wrote them.
        #expect(item.author?.name == "warga_loa")
        for author in ["Bu_Ratna", "pakde_joyo"] {
            #expect(body.contains(author), "each reply keeps who wrote it: \(author)")
        }
        for boilerplate in ["jual bibit durian", "Moderator subforum", "Daftar", "Indeks", "Kembali ke Seputar Pemilu", "phpBB"] {
            #expect(!body.contains(boilerplate), "\(boilerplate) is a signature or the forum's chrome")
        }
    }

    @Test func aWordPressPostMarkedWithItsTagsIsStillTheArticle() throws {
        // `tag-literasi` on the post's own element is WordPress's taxonomy marker, not a tag list.
        let item = try HTMLExtractor().extract(try capture("wordpress-kelas-tag.html", url: "https://catatanbuguru.example/2024/03/12/pelatihan"))
        let body = item.body
        #expect(body.hasPrefix("Sabtu lalu dua puluh guru honorer"))
        #expect(body.hasSuffix("hasilnya akan kami bagikan lagi di blog ini bulan depan."))
        #expect(item.imageAlts == [
            "Guru-guru berlatih membuat bahan ajar di laboratorium komputer",
            "Peserta pelatihan di laboratorium komputer SDN 3 Loa Permai.",
        ], "the caption is read with the picture")
        #expect(item.author?.name == "Wulan Sari")
        #expect(item.author?.bio == "Wulan Sari adalah guru kelas IV di SDN 3 Loa Permai dan menulis catatan mengajar sejak 2019.")
        for boilerplate in ["Tulisan terkait", "pojok baca dari kardus", "Keren, Bu!", "blog pribadi", "Tag:", "Diposting pada"] {
            #expect(!body.contains(boilerplate), "\(boilerplate) is not the post's text")
        }
    }
}
