import Foundation
import NetralModel
import NetralTestSupport
import Testing
@testable import NetralExtract

/// Feed fields beyond RSS 2.0's and Atom 1.0's own (Fixtures/extract/feeds/).
@Suite struct FeedFieldTests {
    func capture(_ name: String) throws -> Capture {
        let path = (repositoryRoot as NSString).appendingPathComponent("Fixtures/extract/feeds/\(name)")
        let url = "https://desa.example/\(name)"
        return Capture(requestURL: url, finalURL: url, status: 200, body: try Data(contentsOf: URL(fileURLWithPath: path)),
                       fetchedAt: Date(timeIntervalSince1970: 1_800_000_000))
    }

    @Test func dublinCoreTitlesAndDescriptions() throws {
        let result = try FeedExtractor().extract(capture("rss1-dublin-core.xml"))
        #expect(result.title == "Kabar Desa Loa Permai")
        #expect(result.items.count == 1)
        #expect(result.items.first?.title == "Musyawarah Desa Bahas Anggaran Jalan Tani")
        #expect(result.items.first?.body == "Warga dan perangkat desa sepakat memperbaiki jalan tani sepanjang dua kilometer tahun depan.")
    }

    @Test func itunesSummaryAndInlineXHTMLBodies() throws {
        let items = try FeedExtractor().extract(capture("podcast-itunes-xhtml.xml")).items
        #expect(items.map(\.body) == [
            "Obrolan bersama nelayan keramba tentang harga pakan yang terus naik.",
            "Anak-anak belajar mengenal ikan sungai bersama guru dari desa sebelah.",
        ])
        #expect(items.last?.links.map(\.url) == ["https://suaramuaratenang.example/guru"])
    }

    @Test func atom03Base64TitlesAreDecoded() throws {
        let result = try FeedExtractor().extract(capture("atom03-base64.xml"))
        #expect(result.title == "Catatan Lurah Sumber Rejeki")
        #expect(result.items.first?.title == "Kerja Bakti Membersihkan Parit")
        #expect(result.items.first?.body == "Minggu pagi warga membersihkan parit di sepanjang jalan desa.")
    }

    @Test func aFeedWithoutEntriesKeepsItsTitle() throws {
        let extraction = try Extractor().extract(capture("rss-tanpa-entri.xml"), kind: .feed)
        #expect(extraction.items.isEmpty)
        #expect(extraction.feedTitle == "Pengumuman Kecamatan Sungai Jernih")
    }
}
