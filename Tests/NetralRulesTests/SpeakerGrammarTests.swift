import Foundation
import NetralModel
import NetralTestSupport
import Testing
@testable import NetralRules

/// How real civil servants introduce themselves, judged with the shipped packs: fillers between
/// the pronoun and the title, names without a comma, aliases, offices that speak in captions,
/// plural voices and regional languages; and the cancellers that still hold.
@Suite struct SpeakerGrammarTests {
    let shipped: RuleSet

    init() throws {
        shipped = try PackLoader.load(paths: [(repositoryRoot as NSString).appendingPathComponent("Rules")])
    }

    func judge(_ text: String, bio: String? = nil, published: String = "2024-01-20") -> Evaluation {
        let date = ISO8601DateFormatter().date(from: published + "T10:00:00Z")
        return shipped.evaluate(Item(sourceURL: "https://contoh.example/\(text.hashValue)", platform: "test", author: bio.map { Author(bio: $0) },
                                     publishedAt: date, body: text, imageAlts: [], hashtags: []))
    }

    func isViolation(_ text: String, bio: String? = nil, published: String = "2024-01-20") -> Bool {
        !judge(text, bio: bio, published: published).findings(of: .violation).isEmpty
    }

    @Test func aFillerBetweenThePronounAndTheTitleKeepsTheSpeaker() {
        for text in ["sy jg ASN, tp tetap coblos Prabowo Gibran", "saya juga guru PNS, ayo dukung Anies Muhaimin",
                     "saya kan PNS, tapi ajak keluarga coblos Ganjar Mahfud", "aku yo PNS, ojo lali nyoblos Prabowo",
                     "kami yang tergabung dalam PPDI siap dukung Prabowo Gibran, coblos!"] {
            let evaluation = judge(text)
            #expect(!evaluation.findings(of: .violation).isEmpty, "\(text)")
            #expect(evaluation.identity.contains { $0.standing == .firstPerson }, "\(text)")
        }
        // The end of a sentence after the filler ends the reach.
        let ended = judge("Saya juga. PNS di kantor sebelah ajak coblos Prabowo")
        #expect(ended.findings(of: .violation).isEmpty)
        #expect(ended.identity.allSatisfy { $0.standing != .firstPerson })
    }

    @Test func aNameWithoutACommaOrWithAnAliasLeadsToTheTitle() {
        #expect(isViolation("Saya Budi Santoso Kades Mekarjaya mengajak warga coblos Prabowo Gibran"))
        #expect(isViolation("Assalamualaikum, saya Rahmat alias Ucok, Kepala Desa Sukamaju, siap mendukung Bapak Ganjar Pranowo"))
        #expect(isViolation("Saya Drs. H. Ahmad Yani, M.Si, Camat Loa Indah mengajak pilih Anies Baswedan"))
        // Capitalised words that hold another term are a headline, not a name.
        let headline = judge("Saya Dukung Kades Yang Ajak Warga Coblos Prabowo")
        #expect(headline.findings(of: .violation).isEmpty)
    }

    @Test func anOfficeSpeaksInItsCaptionAndInPluralVoices() {
        #expect(isViolation("Kades Mekarjaya beserta perangkat siap mendukung Prabowo-Gibran menang satu putaran"))
        #expect(isViolation("Kami Pemerintah Desa Sukamaju mendukung penuh Anies Muhaimin, coblos nomor 1"))
        #expect(isViolation("Keluarga besar UPTD Puskesmas Loa Indah mendukung Ganjar Mahfud, ayo coblos 3"))
        #expect(isViolation("Kami para kepala desa se-Kecamatan Sukamaju ikut kiai, 02 sekali putaran"))
        #expect(isViolation("Kami dari Forum Komunikasi Bantuan Polisi Pamong Praja menyatakan kita butuh pemimpin muda seperti Mas Gibran"))
    }

    @Test func regionalPronounsTitlesAndNumbersAreUnderstood() {
        #expect(isViolation("Abdi salaku kapala desa, mangga dukung nomer hiji, Anies Muhaimin"))
        #expect(isViolation("Aku iki PNS, pilihen nomer loro Prabowo Gibran"))
        #expect(isViolation("Ulun pambakal, pilih nomor 2 Rudy Seno", published: "2024-10-20"))
        #expect(isViolation("Ambo ko guru honorer, jan lupo piliah Anies Muhaimin"))
        #expect(isViolation("Aye mah PNS, tapi coblos Prabowo Gibran dah"))
    }

    @Test func theCancellersStillHold() {
        #expect(!isViolation("Setahu saya kepala desa tidak boleh berpihak, tapi coblos Prabowo kata tetangga"))
        #expect(!isViolation("Sepupu saya kerja di Puskesmas, katanya kepala Puskesmasnya minta pegawai kumpulin KTP buat caleg Golkar"))
        #expect(!isViolation("Yang pakai batik Korpri di panggung itu ajak coblos Ganjar Mahfud"))
        #expect(!isViolation("Saya pensiunan PNS, ayo coblos Anies Muhaimin"))
        #expect(!isViolation("Saya mantan kades, ajak warga coblos Prabowo Gibran"))
        #expect(!isViolation("Bojoku PNS, aku dhewe milih Prabowo Gibran"))
        // A journalist quoting the words is reporting them.
        let quoted = judge("\"Kami kepala desa se-Kecamatan Buduran ikut kiai, 02 sekali putaran,\" ujar mereka dalam video tersebut.")
        #expect(quoted.findings(of: .violation).isEmpty)
        #expect(quoted.findings(of: .report).map(\.rule) == ["laporan-asn-berpihak"])
    }

    @Test func praiseAndArgumentForACandidateIsSupport() {
        #expect(isViolation("Kita butuh pemimpin muda seperti mas Gibran", bio: "Guru PNS SDN 3"))
        #expect(isViolation("Kabupaten ini harus tetap dipimpin oleh Bapak Irwan Hamid", bio: "ASN BKPSDM", published: "2024-11-07"))
        #expect(isViolation("Semua orang Lampung, cuma paslon nomor 01 yang sudah terbukti", bio: "Kepala Kampung Sukamaju",
                            published: "2024-10-15"))
        #expect(isViolation("Satu komando, harus pilih pak Musa Ahmad", bio: "Kepala Kampung Sukamaju", published: "2024-10-15"))
        #expect(isViolation("#PrabowoGibran2024", bio: "PPPK Dinas Kesehatan"))
        // Outside the race's window the same praise is of an official, not a candidate.
        #expect(!isViolation("Kita butuh pemimpin muda seperti mas Gibran", bio: "Guru PNS SDN 3", published: "2025-02-01"))
        // Polls, questions, criticism and votes that are not elections.
        #expect(!isViolation("Survei terbaru: paslon nomor 02 sudah terbukti unggul", bio: "Guru PNS SDN 3"))
        #expect(!isViolation("Apakah benar paslon nomor 01 yang sudah terbukti?", bio: "Guru PNS SDN 3"))
        #expect(!isViolation("Dua periode apanya, Prabowo terbukti gagal 🤡", bio: "Guru PNS SDN 3"))
        #expect(!isViolation("Ayo pilih Pak Budi Santoso jadi ketua RT yang baru!", bio: "Guru PNS SDN 3"))
        #expect(!isViolation("Siapa pun yang terpilih jadi bupati, mari kita dukung bersama", bio: "Camat Sukamaju", published: "2024-11-28"))
    }

    @Test func pakLurahAsThePresidentsNicknameIsNotAVillageHead() {
        let evaluation = judge("Pak Lurah udah kasih kode keras, anaknya pasti menang, coblos 02!")
        #expect(evaluation.findings.isEmpty)
        #expect(evaluation.identity.allSatisfy { $0.standing == .cancelled })
        // A real lurah is still one.
        #expect(!judge("Pak lurah Sukamaju kumpulkan warga, ajak coblos 02 Prabowo").findings(of: .report).isEmpty)
    }
}
