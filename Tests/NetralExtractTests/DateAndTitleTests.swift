import Foundation
import NetralModel
import NetralTestSupport
import Testing
@testable import NetralExtract

/// Publication dates as Indonesian pages print them, and titles without the site's name.
@Suite struct DateAndTitleTests {
    static var iso: ISO8601DateFormatter { ISO8601DateFormatter() }
    static let fetchedAt = Date(timeIntervalSince1970: 1_727_751_600) // 2024-10-01T03:00:00Z

    func capture(_ html: String, fetchedAt: Date = DateAndTitleTests.fetchedAt) -> Capture {
        let url = "https://wartatanahjernih.example/daerah/2024/09/pasar-rakyat"
        return Capture(
            requestURL: url, finalURL: url, status: 200,
            headers: [HTTPHeader(name: "Content-Type", value: "text/html; charset=utf-8")],
            body: Data(html.utf8), fetchedAt: fetchedAt
        )
    }

    func page(head: String = "", body: String) -> String {
        let paragraph = "Warga Desa Loa Permai bergotong royong membersihkan saluran irigasi, mulai pagi hingga siang hari, bersama perangkat desa."
        return "<html lang='id'><head>\(head)</head><body><h1>Gotong Royong di Loa Permai</h1>\(body)<p>\(paragraph)</p><p>\(paragraph)</p></body></html>"
    }

    @Test func readsThePrintedDateBelowTheHeadlineWithItsZone() throws {
        let item = try HTMLExtractor().extract(capture(try String(
            contentsOfFile: (repositoryRoot as NSString).appendingPathComponent("Fixtures/extract/berita-tanggal-wib.html"), encoding: .utf8)))
        // Not the masthead's "today", not the list beside the article; the date and time in
        // two elements join; WITA is UTC+8.
        #expect(item.publishedAt == DateAndTitleTests.iso.date(from: "2024-09-24T01:15:00Z"))
        #expect(item.title == "Bupati Resmikan Pasar Rakyat Muara Tenang")
        #expect(item.metadata["site_name"] == "Warta Tanah Jernih")
    }

    @Test func parsesIndonesianAndEnglishPrintedDates() {
        func instant(_ line: String) -> String? {
            VisibleDate.parse(line).map { DateAndTitleTests.iso.string(from: $0.instant) }
        }
        #expect(instant("Rabu, 4 November 2015 | 21:04 WIB") == "2015-11-04T14:04:00Z")
        #expect(instant("Kamis, 05 November 2015 | 11:13 WIB") == "2015-11-05T04:13:00Z")
        #expect(instant("5 November 2015 14:56 WIB | 1.229 Views") == "2015-11-05T07:56:00Z")
        #expect(instant("Selasa, 23/02/2016 15:32 WIB") == "2016-02-23T08:32:00Z")
        #expect(instant("Sabtu, 20 Jan 2024 pukul 19.30 WIT") == "2024-01-20T10:30:00Z")
        #expect(instant("Wednesday, 04 November, 2015 | 07:28 WIB") == "2015-11-04T00:28:00Z")
        #expect(instant("March 11, 2015 3:46 PM") == "2015-03-11T15:46:00Z", "English, no zone: UTC")
        #expect(instant("Kamis, 05 November 2015 11:52") == "2015-11-05T04:52:00Z", "Indonesian names, no zone: WIB")
        #expect(instant("2024-01-20 08:00 GMT+7") == "2024-01-20T01:00:00Z")
        #expect(instant("Jumat, 12 Maret 2021 10:00 +0800") == "2021-03-12T02:00:00Z")
        #expect(VisibleDate.parse("Kamis, 31 Februari 2024") == nil)
        #expect(VisibleDate.parse("Harga cabai naik 20 persen") == nil)
    }

    @Test func relativeDatesCountBackFromTheFetch() throws {
        let item = try HTMLExtractor().extract(capture(page(body: "<div class='waktu'>3 jam yang lalu</div>")))
        #expect(item.publishedAt == DateAndTitleTests.fetchedAt.addingTimeInterval(-3 * 3600))
        #expect(VisibleDate.relative("45 menit lalu", fetchedAt: DateAndTitleTests.fetchedAt) == DateAndTitleTests.fetchedAt.addingTimeInterval(-2700))
        #expect(VisibleDate.relative("2 days ago", fetchedAt: DateAndTitleTests.fetchedAt) == DateAndTitleTests.fetchedAt.addingTimeInterval(-2 * 86_400))
    }

    @Test func theStatedZoneAppliesToOffsetlessMachineDates() throws {
        let json = #"<script type="application/ld+json">{"@type":"NewsArticle","headline":"Gotong Royong di Loa Permai","datePublished":"2024-09-24 13:30:08"}</script>"#
        let item = try HTMLExtractor().extract(capture(page(head: json, body: "<div>Selasa, 24 September 2024 | 13:30 WIB</div>")))
        #expect(item.publishedAt == DateAndTitleTests.iso.date(from: "2024-09-24T06:30:08Z"))
        // A "Z" on what is the printed local time is local time.
        let meta = #"<meta name="pubdate" content="2024-09-24 T13:30:08Z">"#
        let zulu = try HTMLExtractor().extract(capture(page(head: meta, body: "<div>Selasa, 24/09/2024 13:30 WIB</div>")))
        #expect(zulu.publishedAt == DateAndTitleTests.iso.date(from: "2024-09-24T06:30:08Z"))
        // With an explicit offset the machine date is taken as written.
        let explicit = #"<meta property="article:published_time" content="2024-09-24T13:30:08+07:00">"#
        let written = try HTMLExtractor().extract(capture(page(head: explicit, body: "<div>Selasa, 24/09/2024 13:30 WITA</div>")))
        #expect(written.publishedAt == DateAndTitleTests.iso.date(from: "2024-09-24T06:30:08Z"))
    }

    @Test func aDateIsNeverLaterThanTheFetch() throws {
        let future = #"<meta property="article:published_time" content="2024-10-01T12:00:00+07:00">"#
        let item = try HTMLExtractor().extract(capture(page(head: future, body: "<div>Senin, 30 September 2024 | 08:00 WIB</div>")))
        #expect(item.publishedAt == DateAndTitleTests.iso.date(from: "2024-09-30T01:00:00Z"))
        let printedFuture = try HTMLExtractor().extract(capture(page(body: "<div>Rabu, 2 Oktober 2024 | 08:00 WIB</div>")))
        #expect(printedFuture.publishedAt == nil)
    }

    @Test func theJSONLDNameOrHeadlineThePageTitleRepeatsIsTheTitle() throws {
        func title(name: String, headline: String, pageTitle: String) throws -> String? {
            let json = #"<script type="application/ld+json">{"@type":"Article","name":"\#(name)","headline":"\#(headline)"}</script>"#
            let html = "<html><head><title>\(pageTitle)</title>\(json)</head><body><p>Warga Desa Loa Permai bergotong royong membersihkan saluran irigasi, mulai pagi hingga siang hari.</p></body></html>"
            return try HTMLExtractor().extract(capture(html)).title
        }
        // An encyclopedia: `name` is the article, `headline` a description sharing one word.
        #expect(try title(name: "Sungai Jernih", headline: "sungai di Kabupaten Tanah Jernih yang bermuara ke Selat Makassar",
                          pageTitle: "Sungai Jernih - Ensiklopedia Warga") == "Sungai Jernih")
        // A news site: `name` is the site, which the title repeats too; the headline stays.
        #expect(try title(name: "Warta Tanah Jernih", headline: "Bupati Resmikan Pasar Rakyat Muara Tenang",
                          pageTitle: "Bupati Resmikan Pasar Rakyat Muara Tenang - Warta Tanah Jernih") == "Bupati Resmikan Pasar Rakyat Muara Tenang")
    }

    @Test func titlesLoseTheSiteName() {
        func clean(_ title: String, sites: [String] = [], headings: [String] = []) -> String {
            PageTitle.clean(title, siteNames: sites, host: "www.wartatanahjernih.example", headings: headings)
        }
        #expect(clean("Samsul Arif Tak Beban Lawan Arema - Kompas.com") == "Samsul Arif Tak Beban Lawan Arema")
        #expect(clean("Ini 7 Alasan Mengapa Orang Malas Bergerak | Tempo Gaya", sites: ["Tempo Gaya"]) == "Ini 7 Alasan Mengapa Orang Malas Bergerak")
        #expect(clean("Pasar Rakyat Dibuka | Daerah | WartaTanahJernih :: Portal Berita") == "Pasar Rakyat Dibuka", "the host's name, and a section before it")
        #expect(clean("Brandon Salim | Brandon Salim Makin Dekat dengan Sivia - KapanLagi.com",
                      headings: ["Brandon Salim Makin Dekat dengan Sivia"]) == "Brandon Salim Makin Dekat dengan Sivia")
        #expect(clean("KapanLagi.com: Bikin Gaduh Kota, Rumah Penyanyi Digrebek") == "Bikin Gaduh Kota, Rumah Penyanyi Digrebek")
        #expect(clean("Evolve: Shared Mutable History — evolve extension for Mercurial") == "Evolve: Shared Mutable History — evolve extension for Mercurial",
                "no site named: the title stays whole")
        #expect(clean("Harga Cabai - Naik Lagi") == "Harga Cabai - Naik Lagi")
    }

    @Test func aTitleElementIsReadAsReadabilityReadsIt() throws {
        func title(head: String, body: String = "") throws -> String? {
            try HTMLExtractor().extract(capture(page(head: head, body: body))).title
        }
        // No meta title: the last part of a <title> goes, named site or not.
        #expect(try title(head: "<title>Catatan Rapat Warga Dusun Sumber Rejeki – Buku Harian Pak RT</title>")
                == "Catatan Rapat Warga Dusun Sumber Rejeki")
        // With only a colon, the part after it, unless a heading prints the whole title.
        #expect(try title(head: "<title>Rapat Desa: Anggaran Jalan Usaha Tani Disepakati</title>")
                == "Anggaran Jalan Usaha Tani Disepakati")
        #expect(try title(head: "<title>Rapat Desa: Anggaran Jalan Usaha Tani Disepakati</title>",
                          body: "<h2>Rapat Desa: Anggaran Jalan Usaha Tani Disepakati</h2>")
                == "Rapat Desa: Anggaran Jalan Usaha Tani Disepakati")
        // Four words or fewer left: the whole title was the headline.
        #expect(try title(head: "<title>Profil Desa - Loa Permai</title>") == "Profil Desa - Loa Permai")
        // A meta title, parsely's included, is the title as declared (less the site's name).
        #expect(try title(head: "<title>Kabar Desa</title><meta name='parsely-title' content='Jadwal Posyandu Bulan Oktober'>")
                == "Jadwal Posyandu Bulan Oktober")
    }

    @Test func aDatelineIsTheDateAloneNotASentenceNorTheStorysOpening() {
        #expect(VisibleDate.isDateLine("Kamis, 5 November 2015 14:56 WIB | 1.229 Views"))
        #expect(VisibleDate.isDateLine("Selasa, 23/02/2016 15:32 WIB"))
        #expect(VisibleDate.isDateLine("Updated April 29, 2019 at 3:33 pm"))
        #expect(!VisibleDate.isDateLine("LOA PERMAI, 30 September 2024 (Kabar Lokal) -"), "a news dateline opens the story")
        #expect(!VisibleDate.isDateLine(". Warta Desa. Diakses 6 Mei 2024."), "a reference")
        #expect(!VisibleDate.isDateLine("Pada 5 November 2015 warga memilih kepala desa baru"))
        #expect(!VisibleDate.isDateLine("7773"), "a number is not a date")
    }
}
