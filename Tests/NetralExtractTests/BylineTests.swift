import Foundation
import NetralModel
import NetralTestSupport
import Testing
@testable import NetralExtract

/// The journalist as the author, never the publisher; the credit lines out of the body.
@Suite struct BylineTests {
    func capture(_ html: String, url: String = "https://wartatanahjernih.co.id/daerah/banjir") -> Capture {
        Capture(
            requestURL: url, finalURL: url, status: 200,
            headers: [HTTPHeader(name: "Content-Type", value: "text/html; charset=utf-8")],
            body: Data(html.utf8), fetchedAt: Date(timeIntervalSince1970: 1_800_000_000)
        )
    }

    let paragraph = "Warga Desa Loa Permai bergotong royong membersihkan saluran irigasi, mulai pagi hingga siang hari, bersama perangkat desa."

    @Test func thePrintedCreditBeatsThePublishersMeta() throws {
        let html = try String(contentsOfFile: (repositoryRoot as NSString).appendingPathComponent("Fixtures/extract/berita-pewarta.html"), encoding: .utf8)
        let item = try HTMLExtractor().extract(capture(html))
        #expect(item.author?.name == "Rina Maharani")
        #expect(item.author?.handle == "@wartatj", "a handle is a handle, not a name")
        #expect(item.metadata["site_name"] == "Warta Tanah Jernih")
        #expect(item.title == "Kepala Dinas Tinjau Banjir di Loa Permai")
        #expect(!item.body.contains("Pewarta"))
        #expect(!item.body.contains("Editor: Joko Susilo"))
        #expect(item.body.hasSuffix("hujan diperkirakan masih turun sampai akhir pekan."))
    }

    @Test func markedUpAuthorsAndLabelledCells() throws {
        let marked = "<html><body><article><h1>Judul Berita Desa</h1><div>Oleh <span itemprop='author'>Desi Anggraini</span></div><p>\(paragraph)</p></article></body></html>"
        #expect(try HTMLExtractor().extract(capture(marked)).author?.name == "Desi Anggraini")
        let table = """
        <html><head><meta name="author" content="Warta Tanah Jernih"><meta property="og:site_name" content="Warta Tanah Jernih"></head>
        <body><h1>Judul Berita Desa</h1><p>\(paragraph)</p><p>\(paragraph)</p>
        <table><tr><td>Penulis</td><td>: Kontributor Loa Permai, Andi Saputra</td></tr><tr><td>Editor</td><td>: Joko</td></tr></table></body></html>
        """
        #expect(try HTMLExtractor().extract(capture(table)).author?.name == "Andi Saputra")
        let byClass = "<html><body><h1>Judul Berita Desa</h1><div class='author'><strong>Fajar Nugroho</strong> - wartatanahjernih</div><p>\(paragraph)</p></body></html>"
        #expect(try HTMLExtractor().extract(capture(byClass)).author?.name == "Fajar Nugroho")
    }

    @Test func aPersonalBlogIsWrittenByItsNamesake() throws {
        let html = """
        <html><head><meta name="author" content="Siti Rahmawati"><meta property="og:site_name" content="Siti Rahmawati"></head>
        <body><h1>Catatan dari Loa Permai</h1><p>\(paragraph)</p></body></html>
        """
        #expect(try HTMLExtractor().extract(capture(html, url: "https://catatan.example/2024/jalan")).author?.name == "Siti Rahmawati")
    }

    @Test func creditLines() {
        #expect(BylineText.credit(in: "Oleh : Maya Sofia", next: nil) == "Maya Sofia")
        #expect(BylineText.credit(in: "Fotografer: Grandyos Zafna", next: nil) == "Grandyos Zafna")
        #expect(BylineText.credit(in: "Penulis", next: ": Nabilla Tashandra") == "Nabilla Tashandra")
        #expect(BylineText.credit(in: "By Dan Goodin - Mar 5, 2015", next: nil) == "Dan Goodin")
        #expect(BylineText.credit(in: "Oleh karena itu, warga diminta waspada.", next: nil) == nil, "a sentence, not a byline")
        #expect(BylineText.clean("@detikinet") == nil)
        #expect(BylineText.isCreditLine("Editor: Ade Marboen"))
        #expect(!BylineText.isCreditLine("Editor senior itu datang ke balai desa."))
    }
}
