import Foundation
import NetralModel
import NetralTestSupport
import Testing
@testable import NetralExtract

/// Reads a file of `Fixtures/sources/`.
func sourceFixture(_ name: String) throws -> Data {
    try Data(contentsOf: URL(fileURLWithPath: repositoryRoot + "/Fixtures/sources/" + name))
}

func utc(_ text: String) -> Date? {
    ISO8601DateFormatter().date(from: text)
}

@Suite struct FeedExtractorTests {
    func capture(_ body: Data, url: String = "https://kecamatan.sungaijernih.example/feed/", contentType: String? = "application/rss+xml") -> Capture {
        Capture(
            requestURL: url, finalURL: url, status: 200,
            headers: contentType.map { [HTTPHeader(name: "Content-Type", value: $0)] } ?? [],
            body: body, fetchedAt: Date(timeIntervalSince1970: 1_800_000_000)
        )
    }

    func capture(_ text: String) -> Capture { capture(Data(text.utf8)) }

    @Test func aHugeFeedIsCappedWithAWarning() throws {
        let entries = (0...FeedExtractor.maxEntries).map { "<item><title>Warta \($0)</title><link>https://desa.example/\($0)</link></item>" }
        let rss = "<rss version=\"2.0\"><channel><title>Desa</title>" + entries.joined() + "</channel></rss>"
        let result = try FeedExtractor().extract(capture(rss))
        #expect(result.items.count == FeedExtractor.maxEntries)
        #expect(result.warnings.contains { $0.contains("only the first \(FeedExtractor.maxEntries) were read") })
    }

    @Test func readsRSS2EntriesWithContentAuthorsDatesAndMedia() throws {
        let result = try FeedExtractor().extract(capture(sourceFixture("feeds/rss2-kecamatan.xml")))
        #expect(result.format == .rss)
        #expect(result.title == "Kabar Kecamatan Sungai Jernih")
        #expect(result.warnings.isEmpty)
        #expect(result.items.count == 3)

        let first = result.items[0]
        #expect(first.platform == "feed")
        #expect(first.title == "Ngopi Sore Bersama Camat & Para Ketua RT")
        #expect(first.sourceURL == "https://kecamatan.sungaijernih.example/2024/01/ngopi-sore/")
        #expect(first.canonicalURL == first.sourceURL)
        #expect(first.author?.name == "Drs. Bambang Sutejo")
        #expect(first.publishedAt == utc("2024-01-20T12:30:00Z"))
        #expect(first.language == "id")
        // content:encoded is the body, the description the summary; scripts are never text.
        #expect(first.body.contains("Ayo coblos nomor 2 tanggal 14 Februari!\nJangan lupa ajak keluarga."))
        #expect(!first.body.contains("coblos nomor 1"))
        #expect(first.description == "Ringkasan: camat bertemu para ketua RT di balai desa.")
        #expect(first.imageAlts.contains("Baliho pasangan nomor 2 di depan kantor kecamatan"))
        #expect(first.imageAlts.contains("Camat Bambang berfoto dengan dua jari bersama warga"))
        #expect(first.links.contains(Link(url: "https://kecamatan.sungaijernih.example/2024/01/jalan-desa/", text: "perbaikan jalan desa")))
        // A one-word category is a tag; "Kegiatan Warga" is not.
        #expect(first.hashtags == ["#PrabowoGibran2024"])
        #expect(first.metadata["categories"] == "Kegiatan Warga; PrabowoGibran2024")
        #expect(first.metadata["media_urls"]?.contains("https://kecamatan.sungaijernih.example/wp-content/uploads/ngopi.jpg") == true)
        #expect(first.metadata["feed_url"] == "https://kecamatan.sungaijernih.example/feed/")
        #expect(first.metadata["feed_title"] == "Kabar Kecamatan Sungai Jernih")

        let second = result.items[1]
        #expect(second.sourceURL == "https://kecamatan.sungaijernih.example/2024/02/posyandu/")
        #expect(second.author?.name == "Siti Rahmawati")
        // "Kamis, 1 Februari 2024 08.00 WIB": Indonesian names, a dot in the time, WIB is +07:00.
        #expect(second.publishedAt == utc("2024-02-01T01:00:00Z"))
        #expect(second.body == "Posyandu Melati buka pukul 08.00 di balai RW 03.\nBawa buku KIA dan kartu BPJS. #SungaiJernihSehat")
        #expect(second.description == nil)
        #expect(second.hashtags == ["#Kesehatan", "#SungaiJernihSehat"])

        let third = result.items[2]
        #expect(third.body == "Musyawarah dusun berjalan lancar.")
        #expect(third.publishedAt == utc("2024-02-03T02:00:00Z"))
    }

    @Test func readsRSS1RDFItemsBesideTheChannel() throws {
        let result = try FeedExtractor().extract(capture(sourceFixture("feeds/rss1-desa.rdf"), url: "https://desa-watuasri.example/rss"))
        #expect(result.format == .rdf)
        #expect(result.title == "Warta Desa Watu Asri")
        #expect(result.items.count == 2)
        let first = result.items[0]
        #expect(first.title == "Kades Watu Asri Hadiri Kampanye Akbar")
        #expect(first.sourceURL == "https://desa-watuasri.example/warta/17")
        #expect(first.author?.name == "Admin Desa")
        #expect(first.publishedAt == utc("2024-01-28T02:15:00Z"))
        #expect(first.body.contains("Menangkan 02!"))
        #expect(first.hashtags == ["#Pemilu2024"])
        #expect(first.language == "id")
        // No <link>: the item's rdf:about is its address. A plain date is midnight UTC.
        let second = result.items[1]
        #expect(second.sourceURL == "https://desa-watuasri.example/warta/18")
        #expect(second.publishedAt == utc("2024-02-02T00:00:00Z"))
    }

    @Test func readsAtomTextConstructsBaseAndAuthors() throws {
        let result = try FeedExtractor().extract(capture(sourceFixture("feeds/atom-dinas.atom"), url: "https://blog.guru-tanahjernih.example/atom.xml"))
        #expect(result.format == .atom)
        #expect(result.title == "Catatan Bu Guru Ratna")
        #expect(result.items.count == 2)

        let first = result.items[0]
        #expect(first.title == "Semangat Pagi Anak-anak")
        #expect(first.sourceURL == "https://blog.guru-tanahjernih.example/2024/02/semangat-pagi")
        #expect(first.publishedAt == utc("2024-02-04T23:00:00Z"))
        #expect(first.author?.name == "Ratna Dewi, S.Pd.")
        #expect(first.author?.profileURL == "https://blog.guru-tanahjernih.example/tentang")
        #expect(first.body == "Sebagai guru PNS saya ajak wali murid: yuk dukung Pak Ganjar!")
        #expect(first.description == "Upacara bendera di SD Negeri 3 Tanah Jernih.")
        #expect(first.imageAlts == ["Murid-murid upacara bendera"])
        #expect(first.hashtags == ["#Pendidikan", "#GanjarMahfud2024"])
        #expect(first.language == "id")
        #expect(first.metadata["guid"] == "tag:blog.guru-tanahjernih.example,2024:post-7")

        let second = result.items[1]
        #expect(second.author?.name == "Pak Hendra")
        #expect(second.body == "Rapat komite membahas seragam baru.\nHadir 40 orang tua.")
        #expect(second.publishedAt == utc("2024-01-30T13:00:00Z"))
    }

    @Test func readsRSS091WithoutNamespacesAndKeepsEntriesWithoutLinksDistinct() throws {
        let feed = """
        <?xml version="1.0" encoding="ISO-8859-1"?>
        <rss version="0.91"><channel><title>Warta RT</title><link>https://rt04.example/</link>
        <item><title>Arisan Ibu-ibu</title><description>Arisan bulan ini di rumah Bu Sri.</description></item>
        <item><title>Ronda Malam</title><description>Jadwal ronda minggu ini.</description></item>
        </channel></rss>
        """
        let result = try FeedExtractor().extract(capture(Data(feed.utf8), url: "https://rt04.example/rss"))
        #expect(result.items.map(\.title) == ["Arisan Ibu-ibu", "Ronda Malam"])
        #expect(result.items.map(\.sourceURL) == ["https://rt04.example/rss#item-1", "https://rt04.example/rss#item-2"])
        #expect(result.items.allSatisfy { $0.canonicalURL == nil })
    }

    @Test func brokenFeedGivesWhatCanBeReadAndAWarning() throws {
        let feed = """
        <?xml version="1.0" encoding="UTF-8"?>
        <rss version="2.0"><channel><title>Putus</title>
        <item><title>Berita pertama</title><link>https://putus.example/1</link><description>Isi lengkap.</description></item>
        <item><title>Berita kedua</title><link>https://putus.example/2</link><description>Isi yang terpot
        """
        let result = try FeedExtractor().extract(capture(feed))
        #expect(result.items.first?.title == "Berita pertama")
        #expect(result.items.first?.body == "Isi lengkap.")
        #expect(result.warnings.contains { $0.contains("not well-formed") })
    }

    @Test func entryWithNothingToReadIsSkippedWithAWarning() throws {
        let feed = "<rss version=\"2.0\"><channel><item><title>Ada</title></item><item><category>x</category></item></channel></rss>"
        let result = try FeedExtractor().extract(capture(feed))
        #expect(result.items.count == 1)
        #expect(result.warnings.contains { $0.contains("entry 2") && $0.contains("skipped") })
    }

    @Test func unreadableDateIsAWarningNotALoss() throws {
        let feed = "<rss version=\"2.0\"><channel><item><title>Ada</title><pubDate>kemarin sore</pubDate></item></channel></rss>"
        let result = try FeedExtractor().extract(capture(feed))
        #expect(result.items.count == 1)
        #expect(result.items[0].publishedAt == nil)
        #expect(result.warnings.contains { $0.contains("kemarin sore") })
    }

    @Test func aPageIsNotAFeed() {
        #expect(throws: SourceError.notAFeed(source: "https://kecamatan.sungaijernih.example/feed/", rootElement: "html")) {
            try FeedExtractor().extract(capture("<html><body><p>bukan feed</p></body></html>"))
        }
    }

    @Test func emptyAndGarbageInputsAreClearErrors() {
        #expect(throws: SourceError.emptySource(source: "https://kecamatan.sungaijernih.example/feed/")) {
            try FeedExtractor().extract(capture(""))
        }
        var generator = SystemRandomNumberGenerator()
        let bytes = Data((0..<4096).map { _ in UInt8.random(in: 0...255, using: &generator) })
        #expect(throws: SourceError.self) {
            try FeedExtractor().extract(capture(bytes))
        }
    }

    @Test func externalEntitiesAreNeverRead() throws {
        let folder = try TemporaryFolder()
        let secret = try folder.write("rahasia.txt", "RAHASIA-XXE-7731")
        let parameterFile = try folder.write("param.dtd", "<!ENTITY bocor \"RAHASIA-PARAM-7731\">")
        let feed = """
        <?xml version="1.0"?>
        <!DOCTYPE rss [
          <!ENTITY xxe SYSTEM "file://\(secret)">
          <!ENTITY % luar SYSTEM "file://\(parameterFile)">
          %luar;
        ]>
        <rss version="2.0"><channel><title>Judul &xxe;</title>
        <item><title>Isi &xxe; &bocor;</title><description>teks &xxe;</description><link>https://xxe.example/1</link></item>
        </channel></rss>
        """
        let result = try FeedExtractor().extract(capture(feed))
        let texts = result.items.flatMap { $0.fieldTexts.map(\.text) } + [result.title ?? ""]
        #expect(!texts.contains { $0.contains("RAHASIA") })
        #expect(result.items.first?.sourceURL == "https://xxe.example/1")
    }

    @Test func billionLaughsDoesNotExpand() throws {
        var declarations = "<!ENTITY lol \"lol\">\n"
        var previous = "lol"
        for level in 1...9 {
            let name = "lol\(level)"
            declarations += "<!ENTITY \(name) \"" + String(repeating: "&\(previous);", count: 10) + "\">\n"
            previous = name
        }
        let feed = """
        <?xml version="1.0"?>
        <!DOCTYPE rss [\n\(declarations)]>
        <rss version="2.0"><channel><item><title>Tawa &lol9;</title><link>https://lol.example/1</link></item></channel></rss>
        """
        // Either the entry is read without the expansion, or the document is refused: never a
        // billion "lol"s in memory.
        if let result = try? FeedExtractor().extract(capture(feed)) {
            let total = result.items.reduce(0) { $0 + $1.fieldTexts.reduce(0) { $0 + $1.text.utf8.count } }
            #expect(total < 10_000)
        }
    }

    @Test func tenThousandDeepNestingStopsWithAWarning() throws {
        let depth = 10_000
        let feed = "<rss version=\"2.0\"><channel><item><title>Sebelum</title><link>https://dalam.example/1</link></item><item><title>Dalam</title><description>"
            + String(repeating: "<x>", count: depth) + "teks" + String(repeating: "</x>", count: depth)
            + "</description></item></channel></rss>"
        let result = try FeedExtractor().extract(capture(feed))
        #expect(result.items.first?.title == "Sebelum")
        #expect(!result.warnings.isEmpty)
    }

    @Test func invalidUTF8IsReplacedWithAWarning() throws {
        var bytes = Data("<?xml version=\"1.0\" encoding=\"UTF-8\"?><rss version=\"2.0\"><channel><item><title>Camat ".utf8)
        bytes.append(contentsOf: [0xFF, 0xFE, 0x41])
        bytes.append(contentsOf: Data(" Sungai Jernih</title><link>https://utf.example/1</link></item></channel></rss>".utf8))
        let result = try FeedExtractor().extract(capture(bytes))
        #expect(result.items.count == 1)
        #expect(result.items[0].title?.hasPrefix("Camat ") == true)
        #expect(result.items[0].title?.hasSuffix("Sungai Jernih") == true)
        #expect(result.warnings.contains { $0.contains("UTF-8") })
    }

    @Test func declaredLatin1IsDecoded() throws {
        var bytes = Data("<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?><rss version=\"2.0\"><channel><item><title>Caf".utf8)
        bytes.append(0xE9)
        bytes.append(contentsOf: Data(" Desa</title></item></channel></rss>".utf8))
        let result = try FeedExtractor().extract(capture(bytes))
        #expect(result.items.first?.title == "Café Desa")
        #expect(result.warnings.isEmpty)
    }
}

@Suite struct FeedDateTests {
    @Test(arguments: [
        ("Sat, 20 Jan 2024 19:30:00 +0700", "2024-01-20T12:30:00Z"),
        ("Sat, 20 Jan 2024 19:30:00 +07:00", "2024-01-20T12:30:00Z"),
        ("20 Jan 2024 19:30 WIB", "2024-01-20T12:30:00Z"),
        ("Sabtu, 20 Januari 2024 19.30 WITA", "2024-01-20T11:30:00Z"),
        ("Sab, 20 Jan 2024 19:30:00 WIT", "2024-01-20T10:30:00Z"),
        ("Mon, 05 Aug 2024 08:00:00 GMT", "2024-08-05T08:00:00Z"),
        ("5 Agu 24 08:00:00 -0500", "2024-08-05T13:00:00Z"),
        ("Tue, 10 Des 2024 23:59:59 Z", "2024-12-10T23:59:59Z"),
        ("Wed, 02 Oct 2002 13:00:00 EST", "2002-10-02T18:00:00Z"),
    ])
    func readsRFC822Dates(text: String, expected: String) {
        #expect(parseRFC822Date(text) == utc(expected))
    }

    @Test(arguments: [
        ("2024-01-20T19:30:00+07:00", "2024-01-20T12:30:00Z"),
        ("2024-01-20T12:30:00Z", "2024-01-20T12:30:00Z"),
        ("2024-01-20T12:30:00.123456Z", "2024-01-20T12:30:00Z"),
        ("2024-02-22T19:58:13.903293+00:00", "2024-02-22T19:58:13Z"),
        ("2023-07-21T01:33:51.481951", "2023-07-21T01:33:51Z"),
        ("2024-01-20 19:30:00+0700", "2024-01-20T12:30:00Z"),
        ("2024-01-20", "2024-01-20T00:00:00Z"),
    ])
    func readsISO8601Dates(text: String, expected: String) throws {
        let date = try #require(ISODate.parse(text))
        let want = try #require(utc(expected))
        #expect(abs(date.timeIntervalSince(want)) < 1)
    }

    @Test(arguments: ["", "kemarin", "2024-13-01", "2024-01-20T25:00:00Z", "32 Jan 2024", "Sat, 20 Foo 2024 10:00", "2024-01-20T10:00:00+07:00junk"])
    func refusesNonsense(text: String) {
        #expect(parseFeedDate(text) == nil)
    }
}
