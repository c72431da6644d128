import Foundation
import NetralModel
import NetralTestSupport
import Testing
@testable import NetralEvidence

@Suite struct ReportTests {
    static func render(_ caseFile: CaseFile = Sample.caseFile(), supersedes: CaseManifest.Supersedes? = nil) -> String {
        let writer = CaseFileWriter(root: "/tidak-dipakai")
        let manifest = writer.manifest(for: caseFile, supersedes: supersedes, now: Date(timeIntervalSince1970: 1_705_760_000), files: [])
        return ReportRenderer.render(caseFile, manifest: manifest)
    }

    @Test func templatesParse() {
        #expect(ReportRenderer.template != nil)
        #expect(EvidenceIndex.template != nil)
    }

    @Test func showsWhoLabelsRegionAndLocalTimesWithUTC() {
        let html = Self.render()
        // Each fact of the terlapor says where it came from (here: the target's subject).
        let source = " <small class=\"note\">(sumber: data analis (target di netral.yaml))</small>"
        #expect(html.contains("<th>Nama</th><td>Budi Santoso\(source)</td>"))
        #expect(html.contains("<th>Jabatan</th><td>Camat\(source)</td>"))
        #expect(html.contains("<th>Instansi</th><td>Kecamatan Sungai Jernih\(source)</td>"))
        #expect(html.contains("<th>NIP</th><td>•••••••••••••••009</td>"))
        #expect(html.contains("02 Prabowo Subianto – Gibran Rakabuming Raka"))
        #expect(html.contains("Kabupaten Kutai Kartanegara, Kalimantan Timur"))
        // 1705750000 is 2024-01-20 11:26:40 UTC, 19.26 in WITA (UTC+8).
        #expect(html.contains("20 Januari 2024 19.26 WITA (11.26 UTC)"))
        // The deadline: 7 days after the case file was made (2024-01-20 14:13 UTC).
        #expect(html.contains("27 Januari 2024 (WITA)"))
        #expect(html.contains("<a href=\"https://contoh.test/a\">https://contoh.test/a</a>"))
        #expect(html.contains("<a href=\"capture.warc.gz\">"))
    }

    @Test func everyActIsListedWithItsConditionInWords() {
        let html = Self.render()
        #expect(html.contains("A2: Sosialisasi/kampanye melalui media sosial"))
        #expect(html.contains("A6: Membuat posting, comment, share"))
        #expect(html.contains("identitas ASN dan peserta pemilu (calon atau partai) dan «Ajakan memilih»"))
        #expect(!html.contains("asn and peserta"))
    }

    @Test func highlightsByKindMergeOverlapsAndEscape() {
        let html = Self.render()
        #expect(html.contains("<mark class=\"k-asn\" title=\"identitas-asn\">Camat</mark>"))
        #expect(html.contains("<mark class=\"k-support\" title=\"ajakan\">coblos</mark>"))
        // Two signals on the same word give one mark naming both.
        #expect(html.contains("<mark class=\"k-candidate\" title=\"02 Prabowo Subianto – Gibran Rakabuming Raka; nomor-paslon\">Prabowo</mark>"))
        // The compact list: one row per signal, a repeated word counted once per act.
        #expect(html.contains("«Prabowo»"))
        #expect(!html.contains("<script>alert(1)</script>"))
        #expect(html.contains("&lt;script&gt;"))
        #expect(html.contains("Judul &lt;i&gt;miring&lt;/i&gt;"))
        #expect(!html.contains("19680411"))
        #expect(!html.contains("src="))
        #expect(!html.contains("<link"))
    }

    @Test func aLongTextIsQuotedAroundItsHitsOnly() {
        let filler = String(repeating: "kalimat pengisi yang panjang sekali ", count: 200)
        let body = filler + "Camat ajak coblos Prabowo" + filler
        let html = Self.render(Sample.caseFile(body: body, acts: ["A2"]))
        #expect(html.contains("<span class=\"cut\"> … </span>"))
        #expect(html.utf8.count < body.utf8.count)
    }

    @Test func aSupersedingReportSaysWhatChanged() {
        let html = Self.render(supersedes: .init(caseID: "abc", path: "ab/abc", manifestDigest: "00", changes: ["Isi berubah (10 → 20 karakter)."]))
        #expect(html.contains("Berkas ini menggantikan <a href=\"../../ab/abc/report.html\">"))
        #expect(html.contains("<li>Isi berubah (10 → 20 karakter).</li>"))
    }

    @Test func masksGroupedAndPlainNIPs() {
        #expect(NIPMasking.mask("NIP 19680411 199303 1 009.") == "NIP •••••••• •••••• • 009.")
        #expect(NIPMasking.mask("NIP 196804111993031009") == "NIP •••••••••••••••009")
        #expect(NIPMasking.mask("telp 0812345678") == "telp 0812345678")
    }
}

@Suite struct ConditionWordsTests {
    @Test func nearReadsAsWordsAndAShortConditionIsSafe() {
        let labels = ["foto-bersama": "Berfoto dengan calon"]
        #expect(ReportRenderer.conditionInWords("asn and (near(foto-bersama, candidate, 8) or gesture[alt])", labels: labels)
                == "identitas ASN dan (\u{AB}Berfoto dengan calon\u{BB} dekat calon (≤ 8 kata) atau gestur (di teks alt gambar))")
        // A truncated call must not read past the end.
        #expect(ReportRenderer.conditionInWords("near(a, b", labels: [:]) == "near (a, b")
        #expect(ReportRenderer.conditionInWords("not context", labels: [:]) == "bukan konteks netralitas")
    }

    @Test func aNamedPersonReadsAsWordsForTheReviewer() {
        // A call to vote for someone no pack knows (`person`): the reviewer reads words, not the kind's name.
        #expect(
            ReportRenderer.conditionInWords("asn[self] and near(ajakan, person, 2)", labels: ["ajakan": "Ajakan memilih"])
                == "identitas ASN (menggambarkan penulis sendiri) dan \u{AB}Ajakan memilih\u{BB} dekat orang yang disebut namanya "
                + "(≤ 2 kata)")
        #expect(ReportRenderer.conditionInWords("candidate[tag] and candidate[window]", labels: [:])
                == "calon (sebagai tagar) dan calon (dalam masa pemilihannya)")
        #expect(SignalKindLabel.label(of: "person") == "orang yang disebut namanya")
        #expect(ReportRenderer.kindOrder.contains("person"), "a person hit has a place and a colour in the legend")
    }
}

@Suite struct ZoneDayTests {
    @Test func aDayIsMidnightInItsZoneAndAnImpossibleDayIsRefused() {
        #expect(IndonesianZone.wib.startOfDay("2024-01-20") == Date(timeIntervalSince1970: 1_705_683_600))  // 2024-01-19T17:00:00Z
        #expect(IndonesianZone.wita.startOfDay("2024-01-20") == Date(timeIntervalSince1970: 1_705_680_000))
        for bad in ["2024-02-30", "2024-13-01", "2024-1-20", "20-01-2024", "2024-01-20T00:00", "", "abcd-ef-gh"] {
            #expect(IndonesianZone.wib.startOfDay(bad) == nil, "\(bad)")
        }
    }
}
