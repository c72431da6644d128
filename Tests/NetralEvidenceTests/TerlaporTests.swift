import Foundation
import NetralModel
import Testing
@testable import NetralEvidence

/// Who the reports, the desk, the exports and the form name: the person who speaks or acts.
@Suite struct TerlaporTests {
    static let pack = PackReference(name: "asn", version: "1", sha256: String(repeating: "0", count: 64))

    /// A hit on the first occurrence of `word` in `text`.
    static func hit(_ word: String, in text: String, field: ItemField, kind: String = "asn", signal: String = "jabatan") -> Hit {
        let start = Array(text.utf8).firstRange(of: Array(word.utf8))!.lowerBound
        return Hit(signal: signal, kind: kind, term: word.lowercased(), field: field, fieldIndex: 0, start: start,
                   end: start + word.utf8.count, quote: word)
    }

    static func finding(_ hits: [Hit], class findingClass: FindingClass = .violation) -> Finding {
        Finding(id: "f", rule: "asn-kampanye-paslon", pack: pack, act: "A2", severity: .high, score: 1, description: "uji", hits: hits,
                fired: [], condition: "asn and ajakan", unless: nil, findingClass: findingClass)
    }

    @Test func aBioGivesThePositionAndTheOfficeWithWhereTheyCameFrom() {
        let bio = "Camat Sungai Jernih | melayani sepenuh hati"
        let item = Item(sourceURL: "https://sosial.test/@hartono/1", author: Author(name: "Hartono W.", handle: "@hartono", bio: bio),
                        body: "Ayo coblos nomor 2 tanggal 14 Februari!")
        let terlapor = Terlapor.of(item: item, findings: [Self.finding([Self.hit("Camat", in: bio, field: .authorBio)])])
        #expect(terlapor.name == Terlapor.Fact("Hartono W.", source: "akun/penulis unggahan"))
        #expect(terlapor.position == Terlapor.Fact("Camat Sungai Jernih", source: "bio akun"))
        #expect(terlapor.agency == Terlapor.Fact("Kecamatan Sungai Jernih", source: "bio akun"))
        #expect(!terlapor.isOffice && terlapor.uploader == nil)
    }

    @Test func onAVillageWebsiteTheQuotedVillageHeadIsNamedNotTheByline() {
        let body = "Dalam musyawarah desa, Kepala Desa Sukamaju, Ahmad Yani, mengajak warga memilih pasangan nomor 1."
        let item = Item(sourceURL: "https://sukamaju.desa.id/berita/musyawarah", author: Author(name: "Admin Desa"), body: body)
        let terlapor = Terlapor.of(item: item, findings: [Self.finding([Self.hit("Kepala Desa", in: body, field: .body)])])
        #expect(terlapor.name == Terlapor.Fact("Ahmad Yani", source: "teks unggahan"))
        #expect(terlapor.position?.value == "Kepala Desa Sukamaju")
        #expect(terlapor.agency?.value == "Pemerintah Desa Sukamaju")
        #expect(terlapor.isOffice)
        #expect(terlapor.uploader == "Admin Desa")
        #expect(terlapor.line == "Ahmad Yani (Kepala Desa Sukamaju, Pemerintah Desa Sukamaju)")
    }

    @Test func aNameBeforeTheTitleAndAPositionBeforeItsSchoolAreRead() {
        let body = "Saya Yusuf Hidayat, Guru SDN 3 Tenggarong, siap memenangkan 02."
        let item = Item(sourceURL: "https://blog.test/yusuf", author: Author(name: "yusuf_h"), body: body)
        let terlapor = Terlapor.of(item: item, findings: [Self.finding([Self.hit("Guru", in: body, field: .body)])])
        #expect(terlapor.name == Terlapor.Fact("Yusuf Hidayat", source: "teks unggahan"))
        #expect(terlapor.position?.value == "Guru")
        #expect(terlapor.agency?.value == "SDN 3 Tenggarong")
        #expect(terlapor.uploader == "yusuf_h")
    }

    @Test func anOfficeAccountWithoutANamedHeadNamesTheOfficeAndAsksForItsHead() {
        let body = "Dinas mendukung penuh paslon nomor 2 demi pembangunan!"
        let item = Item(sourceURL: "https://sosial.test/@humasdisdik/9", author: Author(name: "Humas Dinas Pendidikan Kukar", handle: "@humasdisdik"),
                        body: body)
        let terlapor = Terlapor.of(item: item, findings: [Self.finding([Self.hit("Dinas", in: body, field: .body)])])
        #expect(terlapor.isOffice)
        #expect(terlapor.agency == Terlapor.Fact("Dinas Pendidikan Kukar", source: "akun atau situs kantor"))
        #expect(terlapor.name?.value.hasPrefix("Pimpinan ") == true)
        #expect(terlapor.name?.value.contains("nama belum diketahui") == true)
    }

    @Test func theAnalystsSubjectWinsAndAReportNeverNamesItsUploader() {
        let body = "Camat Sungai Jernih ajak warga coblos 02."
        let subject = Subject(name: "Drs. Hartono Wibisono", role: "Camat", agency: "Kecamatan Sungai Jernih", nip: "196804111993031009")
        let known = Item(sourceURL: "https://sosial.test/@hartono/2", author: Author(name: "Hartono"), body: body, subject: subject)
        let named = Terlapor.of(item: known, findings: [Self.finding([Self.hit("Camat", in: body, field: .body)])])
        #expect(named.name == Terlapor.Fact("Drs. Hartono Wibisono", source: "data analis (target di netral.yaml)"))
        #expect(named.nipMasked?.hasSuffix("009") == true && named.nipMasked != subject.nip)

        let news = "Warga melaporkan camat yang mengajak memilih 02."
        let report = Item(sourceURL: "https://berita.test/1", author: Author(name: "Redaksi Berita"), body: news)
        let about = Terlapor.of(item: report, findings: [Self.finding([Self.hit("camat", in: news, field: .body)], class: .report)])
        #expect(about.isReportAboutOthers)
        #expect(about.name == nil, "a report names no one it cannot read from the text")
        #expect(about.uploader == "Redaksi Berita")
        #expect(!about.isOffice)
    }
}
