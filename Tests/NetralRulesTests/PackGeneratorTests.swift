import Foundation
import NetralModel
import NetralTestSupport
import NetralYAML
import Testing
@testable import NetralRules

/// `netral rules generate` on the small KPU-shaped lists of `Fixtures/kpu/`: names read as
/// people write them, packs that load and are byte-identical from run to run, and candidates
/// that count only inside their race.
@Suite struct PackGeneratorTests {
    static let fixtures = (repositoryRoot as NSString).appendingPathComponent("Fixtures/kpu")
    static let overlay = (fixtures as NSString).appendingPathComponent("overlay")

    static let vocabulary: NameVocabulary = {
        var vocabulary = NameVocabulary()
        vocabulary.honorifics = ["h", "hj", "dr", "drs", "ir", "komjen", "pol", "purn", "jenderal", "tni", "prof"]
        vocabulary.degrees = ["sh", "se"]
        vocabulary.prefixes = ["muhammad", "moch", "muh", "abd"]
        return vocabulary
    }()

    // MARK: - Names

    @Test func titlesDegreesAndInitialsAreDroppedFromNames() {
        func words(_ raw: String) -> [String] { NameReader.read(raw, vocabulary: Self.vocabulary).words }
        #expect(words("H. M. RIDWAN KAMIL") == ["ridwan", "kamil"])
        #expect(words("Komjen Pol. (Purn). DHARMA PONGREKUN, S.I.K., M.M., M.Hum.") == ["dharma", "pongrekun"])
        #expect(words("Dr. Ir. R. KUN WARDANA ABYOTO, M.T.") == ["kun", "wardana", "abyoto"])
        #expect(words("Jenderal TNI (Purn.) H. ANDIKA M PERKASA, S.E., M.A., M.Sc.") == ["andika", "perkasa"])
        #expect(words("H. MUH. RUKMAN BASRI, S.E") == ["rukman", "basri"])
        #expect(words("ROBINSAR.") == ["robinsar"])
        #expect(words("H. RUDY MAS'UD, S.E., M.E.") == ["rudy", "mas'ud"])
        // A name that is the word "alias": nothing before it, so it is no nickname marker.
        #expect(words("H. ALIAS WELLO, S.I.P.") == ["alias", "wello"])
        // Degrees written without a comma.
        #expect(words("KOMANDO TARIGAN SE") == ["komando", "tarigan"])
        // A name written against an initial or a title.
        #expect(words("MUSLEM.D, S.E") == ["muslem"])
        #expect(words("Drs. H.RUSLAN, M.Pd.") == ["ruslan"])
        // Titles with a comma of their own before the name.
        #expect(words("Dr., Drs. DEDING ISHAK, S.H., M.M.") == ["deding", "ishak"])
    }

    @Test func nicknamesComeFromParenthesesAndAlias() {
        let rano = NameReader.read("H. RANO KARNO, S.IP. (SI DOEL)", vocabulary: Self.vocabulary)
        #expect(rano.words == ["rano", "karno"])
        #expect(rano.nicknames == [["si", "doel"]])
        let hendi = NameReader.read("Dr. H. HENDRAR PRIHADI ALIAS HENDI, S.E., M.M.", vocabulary: Self.vocabulary)
        #expect(hendi.words == ["hendrar", "prihadi"])
        #expect(hendi.nicknames == [["hendi"]])
        let risma = NameReader.read("Dr. (H.C) Ir. TRI RISMAHARINI, M.T.", vocabulary: Self.vocabulary)
        #expect(risma.words == ["tri", "rismaharini"])
        #expect(risma.nicknames.isEmpty)
        #expect(rano.display == "Rano Karno")
    }

    @Test func formsAreFullNameFirstTwoFirstAndLastAndWithoutLeadingNames() {
        let names = ["H. MUHAMMAD BOBBY AFIF NASUTION, S.E.", "BUDI SANTOSO", "BUDI SANTOSO", "SRI BUDI"].map {
            NameReader.read($0, vocabulary: Self.vocabulary)
        }
        var vocabulary = Self.vocabulary
        vocabulary.commonThreshold = 2
        vocabulary.famous = ["taj yasin"]
        let forms = NameForms(vocabulary: vocabulary, names: names)
        #expect(forms.multiWordForms(names[0]).map(NameForms.text) == [
            "muhammad bobby afif nasution", "muhammad bobby", "muhammad nasution", "bobby afif nasution", "bobby afif", "bobby nasution",
        ])
        #expect(forms.shortName(names[0]) == "bobby")
        // "budi" and "santoso" are in two names each: a form of only those needs its race.
        #expect(!forms.isDistinctive(["budi", "santoso"]))
        #expect(forms.isDistinctive(["bobby", "nasution"]))
        #expect(!forms.isDistinctive(["taj", "yasin"]))
    }

    /// Plain terms skip the tokenizer when packs are compiled: their words must be the ones it gives.
    @Test func plainTermWordsAreTheTokenizersWords() {
        for term in ["budi santoso", "Kabupaten Sleman", "nomor urut 2", "coblos 02", "rt  07", "DPR RI"] {
            #expect(TermMatcherBuilder.plainWords(term) == Tokenizer.tokens(of: term).map(\.normalized), "\(term)")
        }
        for term in ["rudy mas'ud", "#rudyseno", "pr4bowo", "ganjar-mahfud", "gedé", "✌️", "  "] {
            #expect(TermMatcherBuilder.plainWords(term) == nil, "\(term)")
        }
    }

    // MARK: - Generating

    func generate() throws -> GeneratedPacks {
        try PackGenerator.generate(kpuDirectory: Self.fixtures, overlayDirectory: Self.overlay)
    }

    @Test func theSameInputGivesByteIdenticalPacks() throws {
        let first = try generate(), second = try generate()
        #expect(first.files == second.files)
        #expect(first.files.map(\.path) == [
            "wilayah.yaml", "nomor-urut.yaml", "pilkada-2024-jawa-tengah.yaml", "pilkada-2024-daerah-istimewa-yogyakarta.yaml",
            "pilkada-2024-kalimantan-timur.yaml", "dpr-2024-jawa-tengah.yaml", "dpr-2024-daerah-istimewa-yogyakarta.yaml", "dpd-2024.yaml",
        ])
        for file in first.files { #expect(file.text.hasPrefix(PackGenerator.header)) }
    }

    @Test func badRecordsAndUnusedOverlayEntriesAreReportedAndSkipped() throws {
        let packs = try generate()
        let messages = packs.warnings.map(\.description)
        #expect(messages.contains { $0.contains("pkwkk.json") && $0.contains("race 3318") && $0.contains("'CALON - WAKIL'") })
        #expect(messages.contains { $0.contains("TANPA PARTAI") || $0.contains("Tanpa Partai") })
        #expect(messages.contains { $0.contains("pemilu.yaml") && $0.contains("'35/1'") })
        #expect(messages.contains { $0.contains("kosakata.yaml") && $0.contains("alias:3333") })
        // Pati's only record was bad: no race, no pack signal for it.
        let pilkada = try #require(packs.files.first { $0.path == "pilkada-2024-jawa-tengah.yaml" })
        #expect(!pilkada.text.contains("pilbup-pati"))
    }

    @Test func theOverlayKeepsSignalNamesAndAddsTermsSignalsAndExamples() throws {
        let kaltim = try #require(try generate().files.first { $0.path == "pilkada-2024-kalimantan-timur.yaml" }).text
        #expect(kaltim.contains("  paslon-kaltim-02:\n"))
        #expect(kaltim.contains("[gratispol, \"#rudyseno\","))
        #expect(kaltim.contains("  slogan-kaltim:\n    kind: slogan"))
        #expect(kaltim.contains("examples:\n  - text: \"Ayo dukung Rudy-Seno! #rudyseno\""))
        #expect(kaltim.contains("window: {from: 2024-08-27, to: 2024-12-09}"))
        // The governor race's context: the province, which includes its regencies and cities.
        #expect(kaltim.contains("context: [wilayah-64]\n"))
        let regions = try #require(try generate().files.first { $0.path == "wilayah.yaml" }).text
        #expect(regions.contains("  wilayah-64:\n    kind: race\n    label: Provinsi Kalimantan Timur\n    includes: [wilayah-6402, wilayah-6472]\n"))
        #expect(regions.contains("    cancels: {target: wilayah-3322, within: 0}\n"))
    }

    @Test func badOverlayIsReportedWithItsPosition() throws {
        let folder = try TemporaryFolder()
        let text = try String(contentsOfFile: (Self.overlay as NSString).appendingPathComponent("kosakata.yaml"), encoding: .utf8)
        try folder.write("kosakata.yaml", text.replacingOccurrences(of: "  common_threshold: 2", with: "  common_treshold: 2"))
        try folder.write("pemilu.yaml", try String(contentsOfFile: (Self.overlay as NSString).appendingPathComponent("pemilu.yaml"), encoding: .utf8))
        #expect {
            try PackGenerator.generate(kpuDirectory: Self.fixtures, overlayDirectory: folder.path)
        } throws: { error in
            let description = (error as? DiagnosticsError)?.description ?? ""
            return description.contains("kosakata.yaml:4:3: unknown key 'common_treshold' in names; did you mean 'common_threshold'?")
        }
    }

    @Test func missingListsAreAnErrorNamingTheFile() throws {
        let folder = try TemporaryFolder()
        #expect {
            try PackGenerator.generate(kpuDirectory: folder.path, overlayDirectory: Self.overlay)
        } throws: { error in
            ((error as? DiagnosticsError)?.description ?? "").contains("pilkada2024/province.json:1:1: cannot read file")
        }
    }

    @Test func writingReplacesOnlyGeneratedFiles() throws {
        let packs = try generate()
        let folder = try TemporaryFolder()
        #expect(try packs.write(to: folder.path).count == packs.files.count)
        #expect(packs.differences(in: folder.path).isEmpty)
        #expect(try packs.write(to: folder.path).isEmpty)
        // Someone's own file of the same name is never replaced.
        try folder.write("dpd-2024.yaml", "format: 1\npack: milik-saya\nversion: \"1\"\n")
        #expect(packs.differences(in: folder.path) == ["dpd-2024.yaml"])
        #expect(throws: DiagnosticsError.self) { try packs.write(to: folder.path) }
        #expect(try String(contentsOfFile: (folder.path as NSString).appendingPathComponent("dpd-2024.yaml"), encoding: .utf8).hasPrefix("format: 1"))
    }

    /// Generated packs loaded without the party pack they name: one error per missing name
    /// and pack, not one per candidate.
    @Test func aMissingPartyPackIsOneErrorPerPack() throws {
        let folder = try TemporaryFolder()
        _ = try generate().write(to: folder.path)
        #expect {
            try PackLoader.load(paths: [folder.path])
        } throws: { error in
            let lines = (error as? DiagnosticsError)?.diagnostics.map(\.description) ?? []
            let pdip = lines.filter { $0.contains("unknown signal 'partai-pdip'") }
            return pdip.count == 2 && pdip.contains { $0.contains("dpr-2024-daerah-istimewa-yogyakarta.yaml") && $0.contains("(as do 2 more signals of this pack)") }
        }
    }

    // MARK: - Judging with the generated packs

    /// The generated packs, the two parties they name, and one rule that reports any candidate.
    func ruleSet() throws -> RuleSet {
        let folder = try TemporaryFolder()
        _ = try generate().write(to: folder.path)
        try folder.write("partai.yaml", """
        format: 1
        pack: partai-uji
        version: "1"
        signals:
          partai-pdip: {kind: party, number: 3, terms: [pdip, pdi perjuangan]}
          partai-golkar: {kind: party, number: 4, terms: [golkar]}
        rules:
          - id: calon-disebut
            class: report
            act: A8
            severity: low
            when: candidate
        """)
        return try PackLoader.load(paths: [folder.path])
    }

    /// The candidates that count in an item (the test rule fires on them), but for the one
    /// any ballot-number phrase names (`calon-bernomor-urut`).
    func candidates(_ ruleSet: RuleSet, _ body: String, bio: String? = nil, published: String? = "2024-11-10", region: String? = nil,
                    generic: Bool = false) -> [String] {
        let item = Item(sourceURL: "https://contoh.test/\(body.hashValue)", author: bio.map { Author(bio: $0) },
                        publishedAt: published.map(date), body: body, metadata: region.map { [RaceScope.targetRegionKey: $0] } ?? [:])
        let finding = ruleSet.evaluate(item).findings.first { $0.rule == "calon-disebut" }
        let signals = Set((finding?.hits ?? []).filter { $0.kind == "candidate" }.map(\.signal))
        return signals.filter { generic || $0 != "calon-bernomor-urut" }.sorted()
    }

    @Test func aBallotNumberCountsOnlyInsideItsRace() throws {
        let rules = try ruleSet()
        // No race named: the number is no candidate's.
        #expect(candidates(rules, "Ayo coblos nomor 2, jangan lupa!").isEmpty)
        // Sleman named: Sleman's pair 2, not Kota Yogyakarta's (whose 2 is the empty box) or Kaltim's.
        #expect(candidates(rules, "Warga Sleman, ayo coblos nomor 2!") == ["pilbup-sleman-02"])
        // The region in the author's bio (an ASN of that regency) scopes it too.
        #expect(candidates(rules, "Ayo coblos nomor 2!", bio: "ASN Pemkab Sleman") == ["pilbup-sleman-02"])
        // Or the target's configured region; and it changes no finding id.
        #expect(candidates(rules, "Ayo coblos nomor 2!", region: "Kabupaten Sleman") == ["pilbup-sleman-02"])
        let plain = Item(sourceURL: "https://contoh.test/id", body: "Pilbup Sleman: coblos nomor 2!")
        var configured = plain
        configured.metadata[RaceScope.targetRegionKey] = "Kabupaten Sleman"
        #expect(rules.evaluate(plain).findings.map(\.id) == rules.evaluate(configured).findings.map(\.id))
        // A governor race: any region of the province.
        #expect(candidates(rules, "Kukar kompak, coblos nomor urut 1!") == ["pilbup-kutai-kartanegara-01", "pilgub-kalimantan-timur-01"])
        // Dated outside the Pilkada window: another election's number.
        #expect(candidates(rules, "Warga Sleman, ayo coblos nomor 2!", published: "2020-11-01").isEmpty)
        // A number alone is no ballot phrase.
        #expect(candidates(rules, "Rapat RT 02 di Sleman besok pagi", generic: true).isEmpty)
        // A pair named by number is some candidate even where the race is unknown.
        #expect(candidates(rules, "Debat paslon 02 tadi malam", generic: true) == ["calon-bernomor-urut"])
        // The pair named by its own name makes the number theirs without a region.
        #expect(candidates(rules, "Harjanto Wiradikusumo nomor urut 2, mantap!") == ["pilbup-sleman-02"])
    }

    @Test func aRegionInsideAnotherRegionsNameDoesNotCount() throws {
        let rules = try ruleSet()
        // "Kota Semarang" also holds "Semarang", the regency's name: only the city counts.
        #expect(candidates(rules, "Warga Kota Semarang, coblos nomor 1!") == ["pilgub-jawa-tengah-01", "pilwalkot-semarang-01"])
        #expect(candidates(rules, "Warga Kabupaten Semarang, coblos nomor 1!") == ["pilbup-semarang-01", "pilgub-jawa-tengah-01"])
        // The name alone is both.
        #expect(candidates(rules, "Warga Semarang, coblos nomor 1!") == ["pilbup-semarang-01", "pilgub-jawa-tengah-01", "pilwalkot-semarang-01"])
    }

    @Test func aCommonNameNeedsItsRaceAndADistinctiveOneDoesNot() throws {
        let rules = try ruleSet()
        // Budi Santoso: a common name (two candidates have it); Harjanto Wiradikusumo: distinctive.
        #expect(candidates(rules, "Selamat ulang tahun Pak Budi Santoso, sehat selalu.").isEmpty)
        #expect(candidates(rules, "Pak Budi Santoso blusukan ke pasar Sleman hari ini.") == ["pilbup-sleman-01"])
        #expect(candidates(rules, "Pak Harjanto Wiradikusumo blusukan ke pasar.") == ["pilbup-sleman-02"])
        // The pair's joined short names, as a hashtag too.
        #expect(candidates(rules, "#HarjantoAgus menang!") == ["pilbup-sleman-02"])
        // A single common given name is never a term alone; with its role word it needs the race.
        #expect(candidates(rules, "Pak Agus sudah datang").isEmpty)
        #expect(candidates(rules, "Cawabup Agus hadir di Sleman") == ["pilbup-sleman-02"])
        // Famous people's names need the race (the overlay lists "taj yasin").
        #expect(candidates(rules, "Ceramah Taj Yasin malam ini").isEmpty)
    }

    @Test func aLegislativeCandidateNeedsPartyOrBodyAndTheNumberPartyAndDistrict() throws {
        let rules = try ruleSet()
        #expect(candidates(rules, "Anindya Kusumawardhani datang ke pengajian").isEmpty)
        #expect(candidates(rules, "Anindya Kusumawardhani dari PDIP datang ke pengajian") == ["dpr-3401-03-02"])
        #expect(candidates(rules, "Caleg Anindya Kusumawardhani datang") == ["dpr-3401-03-02"])
        // Party and district: the candidate with that number; party or district alone: nobody.
        #expect(candidates(rules, "Coblos PDIP caleg nomor 2, warga Bantul!", published: "2024-02-01") == ["dpr-3401-03-02"])
        #expect(candidates(rules, "Coblos PDIP caleg nomor 2!", published: "2024-02-01").isEmpty)
        #expect(candidates(rules, "Warga Bantul, coblos caleg nomor 2!", published: "2024-02-01").isEmpty)
        // A one-word name only after the role word.
        #expect(candidates(rules, "Bu Suparti datang, PDIP").isEmpty)
        #expect(candidates(rules, "Dukung caleg Suparti dari PDIP") == ["dpr-3401-03-03"])
        // DPD: the body's words, then the province for the number.
        #expect(candidates(rules, "Calon DPD Didik Wijayanto blusukan") == ["dpd-34-02"])
        #expect(candidates(rules, "Calon DPD nomor 2 untuk Jogja!", published: "2024-02-01") == ["dpd-34-02"])
    }

    /// A common name that counts only inside its race is still a personal name: an author who
    /// introduces themselves as "Budi Santoso" keeps their title, and "Pak Budi Santoso" is a
    /// person whom a call to vote may name.
    @Test func aCommonCandidateNameStaysAPersonalName() throws {
        let folder = try TemporaryFolder()
        _ = try generate().write(to: folder.path)
        try folder.write("uji.yaml", """
        format: 1
        pack: uji-nama
        version: "1"
        signals:
          partai-pdip: {kind: party, number: 3, terms: [pdip]}
          partai-golkar: {kind: party, number: 4, terms: [golkar]}
          saya: {kind: speaker, identifies: {target: asn, after: 1}, terms: [saya]}
          kades: {kind: asn, terms: [kades]}
          ajakan: {kind: support, terms: [coblos, pilih]}
          sapaan: {kind: person, terms: [pak]}
        rules:
          - id: asn-mengajak
            class: violation
            act: A2
            severity: high
            when: asn[self] and ajakan
          - id: ajakan-orang-bernama
            class: violation
            act: A2
            severity: medium
            when: near(ajakan, sapaan, 2)
        """)
        let rules = try PackLoader.load(paths: [folder.path])
        func fired(_ body: String) -> [String] {
            rules.evaluate(Item(sourceURL: "https://contoh.test/\(body.hashValue)", publishedAt: date("2024-11-10"), body: body))
                .findings.map(\.rule).sorted()
        }
        #expect(fired("Saya Budi Santoso Kades Mekarjaya mengajak warga coblos Harjanto Wiradikusumo") == ["asn-mengajak"])
        #expect(fired("Warga semua, pilih Pak Budi Santoso!") == ["ajakan-orang-bernama"])
        // Without the name's own term the grammar is as before.
        #expect(fired("Saya Rahmat Hidayat Kades Mekarjaya mengajak warga coblos Harjanto Wiradikusumo") == ["asn-mengajak"])
    }

    func date(_ text: String) -> Date {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withFullDate]
        return formatter.date(from: text)!
    }
}
