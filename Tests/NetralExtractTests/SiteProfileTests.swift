import Foundation
import NetralModel
import NetralTestSupport
import NetralYAML
import Testing
@testable import NetralExtract

@Suite struct SiteProfileTests {
    let sitesFolder = (repositoryRoot as NSString).appendingPathComponent("Rules/sites")

    func fixture(_ name: String, url: String) throws -> Capture {
        let path = (repositoryRoot as NSString).appendingPathComponent("Fixtures/html/\(name)")
        return Capture(
            requestURL: url, finalURL: url, status: 200,
            headers: [HTTPHeader(name: "Content-Type", value: "text/html; charset=utf-8")],
            body: try Data(contentsOf: URL(fileURLWithPath: path)),
            fetchedAt: ISO8601DateFormatter().date(from: "2024-03-10T00:00:00Z")!
        )
    }

    func date(_ text: String) -> Date? { ISO8601DateFormatter().date(from: text) }

    /// Loads one profile written inline; the file name appears in diagnostics.
    func loadErrors(_ yaml: String) throws -> [String] {
        let folder = try TemporaryFolder()
        let path = try folder.write("profil.yaml", yaml)
        do {
            _ = try SiteProfileLoader.load(paths: [path])
            return []
        } catch {
            return error.diagnostics.map { "\(($0.file as NSString).lastPathComponent):\($0.line):\($0.column): \($0.message)" }
        }
    }

    @Test func shippedProfilesLoadAndAreFoundByName() throws {
        let profiles = try SiteProfileLoader.load(paths: [sitesFolder])
        #expect(profiles.map(\.name).sorted() == ["forum-warga", "linimasa"])
        let forum = try #require(profiles.named("forum-warga"))
        #expect(forum.file.hasSuffix("forum-warga.yaml"))
        #expect(profiles.named("tidak-ada") == nil)
        #expect(profiles.matching(url: "https://forum.sungaijernih.example/utas/412")?.name == "forum-warga")
        #expect(profiles.matching(url: "https://kicauwarga.example/beranda")?.name == "linimasa")
        #expect(profiles.matching(url: "https://warta.sungaijernih.example/daerah/x") == nil)
    }

    @Test func forumThreadGivesOnePostPerItem() throws {
        let profile = try #require(try SiteProfileLoader.load(paths: [sitesFolder]).named("forum-warga"))
        let url = "https://forum.sungaijernih.example/utas/412-jalan-usaha-tani-watu-asri"
        let items = try HTMLExtractor().extract(try fixture("forum-warga.html", url: url), profile: profile)
        #expect(items.count == 4)
        #expect(items.map { $0.author?.name } == ["Hartono_SJ", "PakSekdes_WA", "Nurlaila", "Moderator_SJ"])
        #expect(items[1].author?.profileURL == "https://forum.sungaijernih.example/anggota/pak-sekdes-wa")
        #expect(items.map(\.canonicalURL) == (101...104).map { "https://forum.sungaijernih.example/utas/412-jalan-usaha-tani-watu-asri#pos-\($0)" })
        #expect(items[0].publishedAt == date("2024-01-22T12:15:00Z"))
        // The third post has no datetime attribute: its Indonesian text and WITA zone are read.
        #expect(items[2].publishedAt == date("2024-01-22T23:40:00Z"))

        let sekdes = items[1]
        #expect(sekdes.body.hasPrefix("Saya Yusuf Hidayat, Sekretaris Desa Watu Asri."))
        #expect(sekdes.body.contains("Ayo coblos nomor 2, Prabowo–Gibran"))
        #expect(sekdes.body.split(separator: "\n").count == 2)
        #expect(!sekdes.body.contains("Kutip"), "action links are outside the text selector")
        #expect(!sekdes.body.contains("PNS Kabupaten"), "the signature is outside the text selector")
        #expect(sekdes.hashtags == ["#PrabowoGibran2024"])
        #expect(sekdes.imageAlts == ["Baliho pasangan nomor 2 di simpang Watu Asri"])
        #expect(sekdes.metadata["profile"] == "forum-warga")
        #expect(sekdes.sourceURL == url)
        #expect(sekdes.language == "id")
        #expect(items.allSatisfy { !$0.body.contains("Utas populer") && !$0.body.contains("window.forum") })
    }

    @Test func timelineGivesOneStatusPerItemAndRejectsFutureTimes() throws {
        let profile = try #require(try SiteProfileLoader.load(paths: [sitesFolder]).named("linimasa"))
        let items = try HTMLExtractor().extract(try fixture("linimasa.html", url: "https://kicauwarga.example/beranda"), profile: profile)
        #expect(items.map { $0.author?.name } == ["Siti Rahmawati", "Wulan Sari, S.Pd.", "Lapak Pasar Loa Permai", "Dimas Pratama", "Akun Uji Waktu"])
        #expect(!items.contains { $0.body.contains("Servis AC") }, "the inserted ad is not a status")
        let guru = items[1]
        #expect(guru.body == "Sebagai guru PNS saya cuma mau bilang: yuk dukung Pak Ganjar dan Prof. Mahfud, coblos 03 ya bapak ibu wali murid! #GanjarMahfud2024")
        #expect(guru.author?.profileURL == "https://kicauwarga.example/@bu_guru_wulan")
        #expect(guru.canonicalURL == "https://kicauwarga.example/@bu_guru_wulan/status/90018")
        #expect(guru.publishedAt == date("2024-02-03T02:40:00Z"))
        #expect(guru.imageAlts == ["Spanduk 03 di depan gerbang SD Negeri 5 Loa Permai"])
        #expect(items[4].publishedAt == nil, "a time after the fetch is rejected")
    }

    @Test func withoutAProfileThePageIsOneItem() throws {
        let items = try HTMLExtractor().extract(try fixture("linimasa.html", url: "https://kicauwarga.example/beranda"), profile: nil)
        #expect(items.count == 1)
        #expect(items[0].body.contains("yuk dukung Pak Ganjar"))
    }

    @Test func aProfileThatSelectsNothingFallsBackToThePageItem() throws {
        let profile = try SiteProfileLoader.parse("""
        format: 1
        profile: kosong
        item: "//div[@class='tidak-ada']"
        fields:
          text: "."
        """, file: "kosong.yaml")
        let items = try HTMLExtractor().extract(try fixture("forum-warga.html", url: "https://forum.sungaijernih.example/utas/412"), profile: profile)
        #expect(items.count == 1)
        #expect(items[0].metadata["profile"] == nil)
        #expect(items[0].body.contains("Ayo coblos nomor 2"))
    }

    @Test func matchCoversHostsSubdomainsAndPrefixes() {
        let profile = SiteProfile(
            name: "uji", match: ["forum.example", "https://warga.example/utas/", "kabar.example/pos/"],
            item: "//div", fields: .init(text: ".")
        )
        #expect(profile.applies(to: "https://forum.example/a"))
        #expect(profile.applies(to: "http://m.forum.example/a"))
        #expect(!profile.applies(to: "https://notforum.example/a"))
        #expect(profile.applies(to: "https://warga.example/utas/12"))
        #expect(!profile.applies(to: "http://warga.example/utas/12"), "a prefix with a scheme matches that scheme only")
        #expect(!profile.applies(to: "https://warga.example/berita/12"))
        #expect(profile.applies(to: "http://kabar.example/pos/9"))
        #expect(!profile.applies(to: "https://sub.kabar.example/pos/9"), "a prefix with a path names one host")
        #expect(!profile.applies(to: "bukan url"))
    }

    @Test func unknownKeysAndWrongTypesArePositioned() throws {
        let errors = try loadErrors("""
        format: 1
        profile: uji
        itme: "//div"
        match: 42
        fields:
          text: ".//p"
          penulis: ".//b"
          time: [".//time"]
        """)
        #expect(errors.contains("profil.yaml:3:1: unknown key 'itme' in the site profile; did you mean 'item'?"))
        // The misspelt required key is one mistake, reported once (not also as missing).
        #expect(!errors.contains { $0.contains("missing key 'item'") })
        #expect(errors.contains("profil.yaml:4:8: each 'match' entry must be a string, found a number (quote it to use it as text)"))
        #expect(errors.contains { $0.hasPrefix("profil.yaml:7:3: unknown key 'penulis' in 'fields'") })
        #expect(errors.contains("profil.yaml:8:9: 'fields.time' must be a string, found a list"))
    }

    @Test func invalidXPathIsReportedAtItsPositionInTheValue() throws {
        let errors = try loadErrors("""
        format: 1
        profile: uji
        item: //div[@class='pos'
        fields:
          text: ".//p[@class='isi]"
          author: "nama-fungsi-asing(.)"
        """)
        #expect(errors == [
            // libxml2 stops where the predicate should have closed: the end of the value.
            "profil.yaml:3:25: invalid XPath expression in 'item': invalid predicate",
            // Inside a quoted value the column counts the quote too.
            "profil.yaml:5:27: invalid XPath expression in 'fields.text': unfinished literal",
            // Only evaluation finds an unknown function: reported at the value.
            "profil.yaml:6:11: invalid XPath expression in 'fields.author': unregistered function",
        ])
    }

    @Test func itemMustSelectNodesAndFormatAndNameAreChecked() throws {
        let errors = try loadErrors("""
        format: 2
        profile: Forum Warga
        item: "count(//div)"
        match: ["ftp://forum.example/", "/utas/"]
        fields:
          text: "string(.)"
        """)
        #expect(errors.contains("profil.yaml:1:9: unsupported profile format 2; this version reads format 1"))
        #expect(errors.contains("profil.yaml:2:10: 'profile' must be a name of lowercase letters, digits and '-', found 'Forum Warga'"))
        #expect(errors.contains("profil.yaml:3:7: 'item' must select nodes (a path such as //article), not a string, number or boolean"))
        #expect(errors.contains { $0.hasPrefix("profil.yaml:4:9: a 'match' URL must start with http:// or https://") })
        #expect(errors.contains { $0.hasPrefix("profil.yaml:4:33: a 'match' entry is a host") })
        #expect(!errors.contains { $0.contains("fields.text") }, "a string-valued field is fine")
    }

    @Test func duplicateNamesAcrossFilesAreRejected() throws {
        let folder = try TemporaryFolder()
        let yaml = "format: 1\nprofile: sama\nitem: //div\nfields:\n  text: .\n"
        try folder.write("a.yaml", yaml)
        try folder.write("b.yaml", yaml)
        #expect {
            _ = try SiteProfileLoader.load(paths: [folder.path])
        } throws: { error in
            guard let error = error as? DiagnosticsError, error.diagnostics.count == 1 else { return false }
            return error.diagnostics[0].file.hasSuffix("b.yaml") && error.diagnostics[0].line == 2
                && error.diagnostics[0].message.hasPrefix("profile 'sama' is already defined in")
        }
    }

    @Test func syntaxErrorsAndMissingFilesAreDiagnostics() throws {
        #expect(try loadErrors("format: 1\nprofile: [uji\n").first?.hasPrefix("profil.yaml:") == true)
        #expect(throws: DiagnosticsError.self) {
            _ = try SiteProfileLoader.load(paths: ["/tidak/ada/profil.yaml"])
        }
    }

    @Test func aSelectorThatRunsAwayFailsClearly() throws {
        // Quadratic on purpose: every div counts every div. libxml2's operation limit stops it.
        let profile = SiteProfile(name: "boros", item: "//div[count(//div) > 0][count(//div//div) > 0]", fields: .init(text: "."))
        let html = "<html><body>" + String(repeating: "<div><div>x</div></div>", count: 3_000) + "</body></html>"
        let capture = Capture(requestURL: "https://uji.example/", finalURL: "https://uji.example/", status: 200, body: Data(html.utf8), fetchedAt: Date())
        #expect {
            _ = try HTMLExtractor().extract(capture, profile: profile)
        } throws: { error in
            guard case .selectorFailed(_, "boros", "item", let message)? = error as? ExtractError else { return false }
            return message == "operation limit exceeded"
        }
    }
}
