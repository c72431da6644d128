import Foundation
import NetralModel
import NetralTestSupport
import Testing
@testable import NetralScan

/// `netral targets import`: a watchlist CSV becomes targets with a subject, added to a
/// configuration only when every row is good.
@Suite struct WatchlistTests {
    let fixtures = (repositoryRoot as NSString).appendingPathComponent("Fixtures/watchlist")

    static let config = """
        format: 1
        # Konfigurasi pengawasan Kukar
        fetch:
          user_agent: "Netral/0.1 (+https://bawaslu-contoh.example/kontak)"
        targets:
          - id: sri-wahyuni-mastodon       # sudah dipantau
            kind: mastodon
            url: "@sri.wahyuni@sosial.example"

        evidence: bukti
        """

    @Test func aWatchlistBecomesTargetsWithSubjectsAddedToTheConfiguration() throws {
        let folder = try TemporaryFolder()
        let configPath = try folder.write("netral.yaml", Self.config)
        let watchlist = try Watchlist.read(path: fixtures + "/daftar-asn-kukar.csv", takenIDs: Watchlist.targetIDs(inConfig: configPath))
        #expect(watchlist.people.map(\.line) == [2, 3, 5])
        let kinds = watchlist.targets.map { "\($0.id) \($0.kind.rawValue) \($0.url)" }
        #expect(
            kinds == [
                "sri-wahyuni-mastodon-2 mastodon @sri.wahyuni@sosial.example",
                "sri-wahyuni-bluesky bluesky sriwahyuni.bsky.social",
                "drs-bambang-sutejo-m-si-feed feed https://kecamatan.sungaijernih.example/feed",
                "drs-bambang-sutejo-m-si-mastodon mastodon https://sosial.example/@camat.sungaijernih",
                "syamsul-bahri-web page https://loapermai.desa.example/profil-lurah.html",
            ])
        let sri = try #require(watchlist.targets.first)
        #expect(
            sri.subject
                == Subject(
                    name: "Sri Wahyuni", role: "Guru", agency: "Dinas Pendidikan Kabupaten Kutai Kartanegara", nip: "19780512 200501 2 003")
        )
        #expect(sri.region == "Kabupaten Kutai Kartanegara")

        // Printed, the NIP is masked.
        let printed = watchlist.yamlItems(maskNIPs: true)
        #expect(!printed.contains("19780512") && printed.contains("003"))

        #expect(try watchlist.merge(intoConfig: configPath) == 5)
        let merged = try String(contentsOfFile: configPath, encoding: .utf8)
        // Comments and the keys after the list are kept; the file holds the NIP in full.
        #expect(
            merged.contains("# Konfigurasi pengawasan Kukar") && merged.contains("# sudah dipantau") && merged.hasSuffix("evidence: bukti"))
        #expect(merged.contains("nip: \"19780512 200501 2 003\""))
        let config = try ScanConfig.load(path: configPath)
        #expect(config.targets.count == 6)
        let camat = try #require(config.targets.first { $0.id == "drs-bambang-sutejo-m-si-feed" })
        #expect(camat.kind == .feed && camat.subject?.role == "Camat" && camat.subject?.name == "Drs. Bambang Sutejo, M.Si.")
    }

    @Test func anIndonesianHeaderReadsAsTheEnglishOne() throws {
        let folder = try TemporaryFolder()
        let list = try folder.write(
            "daftar.csv",
            """
            nama;nip;jabatan;instansi;wilayah;akun
            Sri Wahyuni;19780512 200501 2 003;Guru;Dinas Pendidikan Kabupaten Kutai Kartanegara;Kabupaten Kutai Kartanegara;@sri@sosial.example

            """)
        let watchlist = try Watchlist.read(path: list, takenIDs: [])
        let sri = try #require(watchlist.targets.first)
        #expect(sri.kind == .mastodon && sri.region == "Kabupaten Kutai Kartanegara")
        #expect(sri.subject?.role == "Guru" && sri.subject?.agency == "Dinas Pendidikan Kabupaten Kutai Kartanegara")
    }

    @Test func aWatchlistWithABadRowWritesNothingAndNamesTheRow() throws {
        let folder = try TemporaryFolder()
        let configPath = try folder.write("netral.yaml", Self.config)
        let before = try Data(contentsOf: URL(fileURLWithPath: configPath))
        let path = fixtures + "/daftar-baris-salah.csv"
        do {
            _ = try Watchlist.read(path: path)
            Issue.record("must not read")
        } catch {
            let lines = error.problems.map(\.description)
            // Line 5: the quoted role of the row before spans lines 3 and 4.
            #expect(lines.count == 2, "\(lines)")
            #expect(lines.contains { $0.hasPrefix("\(path):5: nip •••••••• •••••• • 004: not a valid NIP") }, "\(lines)")
            #expect(
                lines.contains(
                    "\(path):5: account 'hendra@sosial.example': write a Mastodon account as @hendra@sosial.example, a Bluesky handle "
                        + "without '@' inside"
                ), "\(lines)")
            #expect(!lines.joined().contains("19780512"))
        }
        #expect(try Data(contentsOf: URL(fileURLWithPath: configPath)) == before)
    }

    @Test func aHeaderWithoutTheColumnsIsRefusedAtLineOne() throws {
        do {
            _ = try Watchlist.parse("nama;nip;jabatan;kantor\nSri;;Guru;Dinas\n", file: "daftar.csv")
            Issue.record("must not read")
        } catch {
            #expect(
                error.problems.map(\.description) == [
                    "daftar.csv:1: the header must name the columns name,nip,role,agency,region,accounts; missing: agency, "
                        + "region, accounts; unknown: kantor"
                ])
        }
    }

    @Test func aMergeThatWouldMakeTheConfigurationInvalidLeavesItUntouched() throws {
        let folder = try TemporaryFolder()
        // No user agent: with fetched targets added, `scan` would refuse this configuration.
        let configPath = try folder.write("netral.yaml", "format: 1\ntargets: []\n")
        let before = try Data(contentsOf: URL(fileURLWithPath: configPath))
        let watchlist = try Watchlist.parse(
            "name,nip,role,agency,region,accounts\nSri Wahyuni,,Guru,,,sriwahyuni.bsky.social\n", file: "daftar.csv")
        #expect(throws: Watchlist.MergeError.self) { try watchlist.merge(intoConfig: configPath) }
        #expect(try Data(contentsOf: URL(fileURLWithPath: configPath)) == before)
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path) == ["netral.yaml"])
    }

    /// `text` in full-width digits, as a phone keyboard set to another script types them.
    static func fullWidth(_ text: String) -> String {
        String(
            String.UnicodeScalarView(
                text.unicodeScalars.map { $0.properties.numericType == .decimal ? Unicode.Scalar($0.value - 0x30 + 0xFF10)! : $0 }))
    }

    @Test func aNIPInOtherDigitsIsReadAsDigitsAndMaskedInProblems() throws {
        let header = "name,nip,role,agency,region,accounts\n"
        let valid = try Watchlist.parse(
            header + "Budi Santoso,\(Self.fullWidth("19680411 199303 1 009")),Camat,,,budisantoso.bsky.social\n", file: "daftar.csv")
        #expect(valid.people.first?.subject.nip == "19680411 199303 1 009")
        // The gender digit (15th) is 3: no NIP. The problem shows the last three digits only.
        for digits in [Self.fullWidth("197805122003123004"), "١٩٧٨٠٥١٢٢٠٠٣١٢٣٠٠٤"] {
            do {
                _ = try Watchlist.parse(header + "Hendra,\(digits),Guru,,,hendra.bsky.social\n", file: "daftar.csv")
                Issue.record("must not read")
            } catch {
                let text = error.description
                #expect(text.hasPrefix("daftar.csv:2: nip •••••••••••••••004: not a valid NIP"), "\(text)")
                #expect(!text.contains("1978") && !text.contains(Self.fullWidth("1978")) && !text.contains("١٩٧٨"))
            }
        }
    }

    @Test func aControlCharacterIsReportedAtItsLineAndColumn() throws {
        let text =
            "name,nip,role,agency,region,accounts\nSri Wahyuni,,Guru,,,sriwahyuni.bsky.social\n"
            + "Sri\u{0}Rahayu,,Guru,,,\"srirahayu.bsky.social\"\r\nBu\u{1B}di,,Camat,,,budi.bsky.social\n"
        do {
            _ = try Watchlist.parse(text, file: "daftar.csv")
            Issue.record("must not read")
        } catch {
            #expect(
                error.problems.map(\.description) == [
                    "daftar.csv:3:4: control character NUL in the file; no field may hold one (a damaged or binary export?)",
                    "daftar.csv:4:3: control character U+001B in the file; no field may hold one (a damaged or binary export?)",
                ])
        }
    }
}
