import Foundation
import NetralModel
import NetralYAML
import NetralTestSupport
import Testing
@testable import NetralRules

/// Identity counts for a violation only when it describes the author; a post about someone
/// else is a report. Judged with the shipped packs, as a user runs them.
@Suite struct SpeakerAttributionTests {
    // Loaded per test (a suite instance per test), not in a static: nothing outlives a test.
    let shipped: RuleSet

    init() throws {
        shipped = try PackLoader.load(paths: [(repositoryRoot as NSString).appendingPathComponent("Rules")])
    }

    func judge(_ text: String, bio: String? = nil, handle: String? = nil, published: String = "2023-12-01") -> Evaluation {
        let date = ISO8601DateFormatter().date(from: published + "T10:00:00Z")
        let author = (bio != nil || handle != nil) ? Author(handle: handle, bio: bio) : nil
        return shipped.evaluate(Item(sourceURL: "https://contoh.example/\(text.hashValue)", platform: "test", author: author,
                                          publishedAt: date, body: text, imageAlts: [], hashtags: []))
    }

    func classes(_ evaluation: Evaluation) -> Set<FindingClass> { Set(evaluation.findings.map(\.findingClass)) }

    @Test func aThirdPersonMentionIsAReportNotAViolation() {
        let about = judge("Perangkat desa dimobilisasi dukung Prabowo - Gibran")
        #expect(about.findings(of: .violation).isEmpty)
        #expect(about.findings(of: .report).map(\.rule) == ["laporan-asn-berpihak"])
        #expect(about.identity.allSatisfy { $0.standing == .thirdPerson })

        let own = judge("Perangkat desa dimobilisasi dukung Prabowo - Gibran, saya ikut dukung", bio: "Kaur Keuangan Desa Ngudi Rejo")
        #expect(own.findings(of: .violation).map(\.rule) == ["asn-kampanye-paslon"])
        #expect(own.identity.contains { $0.standing == .ownField && $0.hit.field == .authorBio })
    }

    @Test func firstPersonSelfIdentificationDescribesTheAuthor() {
        for text in ["Saya PNS, tapi tetap ayo coblos Prabowo!", "sy guru honorer, yuk dukung Anies", "Kami ASN Kukar siap menangkan Ganjar, coblos!",
                     "Sebagai ASN saya ajak pilih Prabowo Gibran"] {
            let evaluation = judge(text)
            #expect(!evaluation.findings(of: .violation).isEmpty, "\(text)")
            #expect(evaluation.identity.contains { $0.standing == .firstPerson && $0.marker != nil }, "\(text)")
        }
        // The same words about someone else.
        let other = judge("Kemarin lihat PNS di pasar ajak pilih Prabowo, parah")
        #expect(other.findings(of: .violation).isEmpty)
    }

    @Test func aFeelingMarkerAfterTheUniformDescribesTheAuthor() {
        let evaluation = judge("Seragam PNS boleh khaki, pilihan hati tetap 01 Anies, ayo coblos")
        #expect(!evaluation.findings(of: .violation).isEmpty)
    }

    @Test func aHandleAloneIsNotIdentity() {
        let alone = judge("Jangan lupa coblos Prabowo Gibran ya gaes", handle: "lurah_sosmed")
        #expect(alone.findings(of: .violation).isEmpty)
        #expect(alone.identity.map(\.standing) == [.handleOnly])
        let corroborated = judge("Jangan lupa coblos Prabowo Gibran ya gaes", bio: "Lurah Sungai Jernih", handle: "lurah_sungaijernih")
        #expect(!corroborated.findings(of: .violation).isEmpty)
        #expect(corroborated.identity.contains { $0.standing == .handleCorroborated })
    }

    @Test func homographsAreNotIdentityPartiesOrSupport() {
        // "kasi" as kasih, not the title Kasi.
        #expect(judge("jangan kasi kendor, prabowogibran satu putaran").identity.isEmpty)
        // PP (a regulation), PKK and PPK are not PPP or PPPK.
        let regulation = judge("Sesuai PP 99 Tahun 2000 dan rapat PKK serta PPK kecamatan")
        #expect(!regulation.hits.contains { $0.signal == "partai-ppp" || $0.term == "pppk" })
        // PKS as perjanjian kerja sama, before or after the word.
        let agreement = judge("Penandatanganan PKS antara Pemkab dan universitas untuk mendukung program beasiswa")
        #expect(!agreement.findings.contains { $0.hits.contains { $0.signal == "partai-pks" } })
        let agreementAfter = judge("Kami ASN siap: PKS antara dinas dan sekolah, coblos dukungan program")
        #expect(agreementAfter.findings.allSatisfy { !$0.hits.contains { $0.signal == "partai-pks" } })
        // "undang-undang" is not inviting; "guna mendukung kelancaran" is not support for a candidate.
        let law = judge("Saya PNS, undang-undang melarang; guna mendukung kelancaran Pemilu Prabowo datang")
        #expect(law.findings(of: .violation).isEmpty)
    }

    @Test func theCheckerRequiresSelfInViolationsAndKnownActs() throws {
        let folder = try TemporaryFolder()
        let file = try folder.write("p.yaml", """
        format: 1
        pack: p
        version: "1"
        signals:
          jabatan:
            kind: asn
            terms: [camat]
          calon:
            kind: candidate
            terms: [prabowo]
        rules:
          - id: tanpa-self
            act: A2
            severity: high
            when: jabatan and calon
          - id: tindakan-salah
            act: A99
            severity: high
            when: jabatan[self] and calon
          - id: kelas-salah
            class: pelanggaran
            act: A2
            severity: high
            when: jabatan[self] and calon
          - id: laporan
            class: report
            act: A8
            severity: low
            when: jabatan and calon
        """)
        do {
            _ = try PackLoader.load(paths: [file])
            Issue.record("a pack with these mistakes must not load")
        } catch {
            let lines = error.diagnostics.map(\.description)
            #expect(lines.contains { $0.hasPrefix("\(file):15:11: rule 'tanpa-self' is a violation but uses identity 'jabatan' without [self]") }, "\(lines)")
            #expect(lines.contains { $0.hasPrefix("\(file):17:10: unknown act 'A99'") }, "\(lines)")
            #expect(lines.contains { $0.hasPrefix("\(file):21:12: class must be violation or report") }, "\(lines)")
            #expect(lines.count == 3, "\(lines)")
        }
    }

    @Test func deeplyNestedConditionsGiveAPositionNotACrash() throws {
        for condition in [String(repeating: "(", count: 5_000) + "a" + String(repeating: ")", count: 5_000),
                          String(repeating: "not ", count: 5_000) + "a"] {
            let folder = try TemporaryFolder()
            let file = try folder.write("p.yaml", """
            format: 1
            pack: p
            version: "1"
            signals:
              a: {kind: candidate, terms: [prabowo]}
            rules:
              - {id: r, class: report, act: A2, severity: low, when: "\(condition)"}
            """)
            #expect(throws: DiagnosticsError.self) { _ = try PackLoader.load(paths: [file]) }
            do {
                _ = try PackLoader.load(paths: [file])
            } catch {
                #expect(error.diagnostics.first?.description.contains("\(file):7:") == true, "\(error.diagnostics)")
                #expect(error.diagnostics.first?.message.contains("nests more than") == true)
            }
        }
    }

    @Test func aFoldedConditionsErrorPointsAtItsRealLineAndColumn() throws {
        let folder = try TemporaryFolder()
        let file = try folder.write("p.yaml", """
        format: 1
        pack: p
        version: "1"
        signals:
          a: {kind: candidate, terms: [prabowo]}
        rules:
          - id: r
            class: report
            act: A2
            severity: low
            when: >-
              a or a
              or a and ) a
        """)
        do {
            _ = try PackLoader.load(paths: [file])
            Issue.record("a bad condition must not load")
        } catch {
            // The stray ')' is on line 13, column 16.
            #expect(error.diagnostics.map(\.description).contains { $0.hasPrefix("\(file):13:16: invalid condition") }, "\(error.diagnostics)")
        }
    }

    /// A page that repeats a campaign phrase is judged in linear time, and what a finding
    /// keeps is capped with a note.
    @Test func aRepetitivePageIsJudgedWithBoundedFindings() {
        let text = String(repeating: "saya PNS ayo coblos 02 prabowo dukung gibran ", count: 25_000) // about 1.1 MB
        let evaluation = judge(text)
        let violations = evaluation.findings(of: .violation)
        #expect(!violations.isEmpty)
        for finding in evaluation.findings {
            #expect(finding.hits.count <= Finding.maximumHits)
            #expect(finding.omittedHits > 0)
            #expect(finding.scoreNotes.contains { $0.contains("tidak disimpan") })
        }
    }
}

/// Words printed on the author's picture or said in the author's video speak for the author,
/// as the body does; the same words with no first-person marker are about someone else.
@Suite struct MediaWordsAttributionTests {
    let shipped: RuleSet

    init() throws {
        shipped = try PackLoader.load(paths: [(repositoryRoot as NSString).appendingPathComponent("Rules")])
    }

    func item(body: String = "Semangat pagi semuanya", imageText: String? = nil, transcript: String? = nil) -> Item {
        let image = imageText.map { [ImageText(imageURL: "https://contoh.example/poster.jpg", imageHash: String(repeating: "a", count: 64), text: $0,
                                               engine: "uji")] } ?? []
        let track = transcript.map { Transcript(sourceURL: "https://contoh.example/sub.vtt", language: "id", kind: "subtitle",
                                                 cues: [Transcript.Cue(start: 0, end: 3.5, text: $0)]) }
        return Item(sourceURL: "https://contoh.example/p/\(body.hashValue)", platform: "test",
                    publishedAt: ISO8601DateFormatter().date(from: "2023-12-01T10:00:00Z"), body: body, imageTexts: image, transcript: track)
    }

    @Test func aSelfIntroductionPrintedOnThePictureIsTheAuthors() {
        let evaluation = shipped.evaluate(item(imageText: "Saya ASN, ayo coblos Prabowo Gibran"))
        // A campaign call on the author's own picture is also a campaign prop posted (A7).
        #expect(evaluation.findings(of: .violation).map(\.rule).contains("asn-kampanye-paslon"))
        #expect(evaluation.identity.contains { $0.standing == .firstPerson && $0.hit.field == .imageText })
    }

    @Test func aSelfIntroductionSaidInTheVideoIsTheAuthors() {
        let evaluation = shipped.evaluate(item(transcript: "saya guru PNS, pilih Anies Muhaimin ya"))
        #expect(!evaluation.findings(of: .violation).isEmpty)
        #expect(evaluation.findings(of: .violation).allSatisfy { finding in finding.hits.contains { $0.field == .transcript } })
    }

    @Test func aPictureAboutSomeoneElseIsNotTheAuthorsAct() {
        let evaluation = shipped.evaluate(item(imageText: "Oknum PNS ajak coblos Prabowo Gibran, Bawaslu diminta usut"))
        #expect(evaluation.findings(of: .violation).isEmpty)
    }

    @Test func anItemWithoutMediaWordsEncodesAsBeforeAndOldItemsStillRead() throws {
        let plain = Item(sourceURL: "https://contoh.example/a", body: "Isi")
        let json = String(decoding: try NetralJSON.encoder().encode(plain), as: UTF8.self)
        #expect(!json.contains("image_texts") && !json.contains("transcript") && !json.contains("account_id"))
        let old = #"{"body":"Isi","hashtags":[],"image_alts":[],"links":[],"metadata":{},"platform":"web","source_url":"https://contoh.example/a"}"#
        #expect(try NetralJSON.decoder().decode(Item.self, from: Data(old.utf8)) == plain)
        let rich = item(imageText: "Dukung nomor 2", transcript: "halo semua")
        #expect(try NetralJSON.decoder().decode(Item.self, from: try NetralJSON.encoder().encode(rich)) == rich)
    }
}
