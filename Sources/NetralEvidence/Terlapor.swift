public import Foundation
public import NetralModel

/// The person a case is about (the *terlapor* of a report to Bawaslu), decided once from the
/// item and its findings so the report, the desk, the exports and the report form all name the
/// same person: the one who speaks or acts in the item. Each fact says where it came from.
///
/// In order: the analyst's subject (the target in `netral.yaml`); the identity words the rules
/// matched (a bio "Camat Sungai Jernih" gives jabatan and instansi; a quoted "Kepala Desa
/// Sukamaju, Ahmad Yani" gives the name too); an office account (a village website, a
/// "Humas Dinas" account) makes the office the instansi and its head the one named; else the
/// account's owner. A post only *about* someone else (every finding a report) names the
/// person reported, never its uploader.
public struct Terlapor: Sendable, Equatable, Codable {
    /// A value and where it came from, in Bahasa Indonesia (`bio akun`, `teks unggahan`).
    public struct Fact: Sendable, Equatable, Codable {
        public var value: String
        public var source: String

        public init(_ value: String, source: String) {
            self.value = value
            self.source = source
        }
    }

    public var name: Fact?
    public var position: Fact?
    public var agency: Fact?
    /// Masked (all but the last digits), when the analyst knows it.
    public var nipMasked: String?
    public var accountName: String?
    public var accountHandle: String?
    public var profileURL: String?
    /// The item came from an office's account or website: the office answers through its head.
    public var isOffice: Bool
    /// The byline or account that posted, when the terlapor is someone else (a quoted head, a
    /// person a report names).
    public var uploader: String?
    /// Every finding is a report about someone else: the uploader is not the one reported.
    public var isReportAboutOthers: Bool

    public init(name: Fact? = nil, position: Fact? = nil, agency: Fact? = nil, nipMasked: String? = nil, accountName: String? = nil,
                accountHandle: String? = nil, profileURL: String? = nil, isOffice: Bool = false, uploader: String? = nil,
                isReportAboutOthers: Bool = false) {
        self.name = name
        self.position = position
        self.agency = agency
        self.nipMasked = nipMasked
        self.accountName = accountName
        self.accountHandle = accountHandle
        self.profileURL = profileURL
        self.isOffice = isOffice
        self.uploader = uploader
        self.isReportAboutOthers = isReportAboutOthers
    }

    /// One line: `Ahmad Yani (Kepala Desa Sukamaju, Pemerintah Desa Sukamaju)`.
    public var line: String {
        var text = name?.value ?? accountHandle ?? "(belum diketahui)"
        let roles = [position?.value, agency?.value].compactMap { $0 }.filter { !text.contains($0) }
        if !roles.isEmpty { text += " (" + roles.joined(separator: ", ") + ")" }
        return NIPMasking.mask(text)
    }

    enum Source {
        static let subject = "data analis (target di netral.yaml)"
        static let account = "akun/penulis unggahan"
        static let office = "akun atau situs kantor"
        static func field(_ field: ItemField) -> String {
            switch field {
            case .authorBio: "bio akun"
            case .authorName, .authorHandle: "nama akun"
            case .imageText: "teks dalam gambar unggahan"
            case .transcript: "ucapan dalam video unggahan"
            case .imageAlt: "teks alt gambar unggahan"
            default: "teks unggahan"
            }
        }
    }

    /// The terlapor of `item` given the findings on it.
    public static func of(item: Item, findings: [Finding]) -> Terlapor {
        let reportOnly = !findings.isEmpty && findings.allSatisfy { $0.findingClass == .report }
        let author = item.author
        var result = Terlapor(accountName: author?.name, accountHandle: author?.handle, profileURL: author?.profileURL,
                              isReportAboutOthers: reportOnly)
        let byline = author?.name ?? author?.handle
        if let subject = item.subject, !reportOnly {
            result.name = subject.name.map { Fact($0, source: Source.subject) }
            result.position = subject.role.map { Fact($0, source: Source.subject) }
            result.agency = subject.agency.map { Fact($0, source: Source.subject) }
            result.nipMasked = subject.nip.map(NIPMasking.mask)
        }
        let office = reportOnly ? nil : officeName(of: item)
        // Identity words the findings rest on: the author's own fields first, then the text.
        let texts = Dictionary(item.fieldTexts.map { (FieldKey(field: $0.field, index: $0.index), $0.text) }) { first, _ in first }
        let counted = findings.filter { reportOnly || $0.findingClass == .violation }
        let identity = counted.flatMap(\.hits).filter { $0.kind == "asn" }
            .sorted { (authorRank($0.field), $0.field, $0.fieldIndex, $0.start) < (authorRank($1.field), $1.field, $1.fieldIndex, $1.start) }
        var nameFromText: Fact?
        for hit in identity {
            let key = FieldKey(field: hit.field, index: hit.fieldIndex)
            guard let text = texts[key], let phrase = IdentityPhrase(text: text, hit: hit) else { continue }
            let source = Source.field(hit.field)
            if result.position == nil, let position = phrase.position { result.position = Fact(position, source: source) }
            if result.agency == nil, let agency = phrase.agency { result.agency = Fact(agency, source: source) }
            if nameFromText == nil, let name = phrase.name, !isAuthorField(hit.field) { nameFromText = Fact(name, source: source) }
        }
        if let office {
            result.isOffice = true
            // The office's own name beats a bare word of the text ("Dinas"); a fuller one stays.
            if result.agency == nil || (result.agency?.source != Source.subject && (result.agency?.value.split(separator: " ").count ?? 0) < 2) {
                result.agency = Fact(office, source: Source.office)
            }
        }
        if result.name == nil {
            if let nameFromText {
                result.name = nameFromText
            } else if result.isOffice {
                result.name = Fact("Pimpinan \(result.agency?.value ?? office ?? "instansi") (nama belum diketahui)", source: Source.office)
            } else if !reportOnly, let byline {
                result.name = Fact(byline, source: Source.account)
            }
        }
        if let byline, result.name?.value != byline { result.uploader = byline }
        return result
    }

    struct FieldKey: Hashable {
        var field: ItemField
        var index: Int
    }

    static func isAuthorField(_ field: ItemField) -> Bool {
        field == .authorBio || field == .authorName || field == .authorHandle
    }

    static func authorRank(_ field: ItemField) -> Int { isAuthorField(field) ? 0 : 1 }

    /// Words that begin an office's name (`Dinas …`, `SDN 3 …`, `Pemerintah Desa …`).
    static let agencyWords: Set<String> = [
        "dinas", "dinkes", "disdik", "disdikbud", "bappeda", "bapenda", "bkpsdm", "bkd", "bpbd", "inspektorat", "sekretariat", "setda",
        "kantor", "badan", "puskesmas", "rsud", "uptd", "upt", "sd", "sdn", "smp", "smpn", "sma", "sman", "smk", "smkn", "mi", "min", "mts",
        "mtsn", "man", "tk", "paud", "kecamatan", "kelurahan", "desa", "pemerintah", "pemdes", "pemkab", "pemkot", "pemprov", "kabupaten",
        "satpol", "bagian", "kemenag", "polsek", "koramil", "universitas", "politeknik",
    ]
    /// Who runs an office's account ("Admin Desa", "Humas Dinas ..."), not the office itself.
    static let rolePrefixes = ["admin", "humas", "operator", "redaksi", "pengelola", "tim"]
    static let subdistrictHeads: Set<String> = ["camat", "sekcam", "sekretaris camat"]
    static let villageHeads: Set<String> = [
        "kepala desa", "kades", "pambakal", "kuwu", "perbekel", "keuchik", "geuchik", "wali nagari", "klebun", "petinggi", "sekdes",
        "sekretaris desa", "perangkat desa", "kaur", "kadus", "kepala dusun", "kasi", "pj kades", "penjabat kepala desa",
    ]
    static let wardHeads: Set<String> = ["lurah", "sekretaris lurah", "seklur"]

    /// The office an account or website speaks for, if it is one: a name that reads as an office
    /// (`Pemerintah Desa Sukamaju`, `Humas Dinas Pendidikan`), the site's name, or a village's
    /// `.desa.id` address.
    public static func officeName(of item: Item) -> String? {
        let siteName = item.metadata["site_name"] ?? item.metadata["og:site_name"]
        func officeLike(_ text: String?) -> Bool {
            guard let words = text?.lowercased().split(whereSeparator: { !$0.isLetter }).map(String.init), let first = words.first else {
                return false
            }
            if rolePrefixes.contains(first) {
                return words.dropFirst().contains { agencyWords.contains($0) }
            }
            return agencyWords.contains(first) && words.count >= 2
        }
        let host = URL(string: item.identityURL)?.host?.lowercased() ?? ""
        if let siteName, officeLike(siteName) { return officeTitle(siteName) }
        if let name = item.author?.name, officeLike(name) {
            let lower = name.lowercased()
            guard let prefix = rolePrefixes.first(where: { lower.hasPrefix($0 + " ") }) else { return officeTitle(name) }
            if host.hasSuffix(".desa.id") { return villageOffice(host) }
            // "Humas Dinas Pendidikan" speaks for "Dinas Pendidikan".
            return siteName ?? officeTitle(String(name.dropFirst(prefix.count + 1)))
        }
        if host.hasSuffix(".desa.id") { return villageOffice(host) }
        return nil
    }

    static func villageOffice(_ host: String) -> String {
        let labels = host.split(separator: ".")
        let village = labels.count >= 3 ? String(labels[labels.count - 3]) : host
        return "Pemerintah Desa " + village.split(separator: "-").map { $0.prefix(1).uppercased() + $0.dropFirst() }.joined(separator: " ")
    }

    static func officeTitle(_ text: String) -> String {
        text.trimmingCharacters(in: .whitespacesAndNewlines)
    }
}

/// What identity words say around a hit: `Camat Sungai Jernih` → jabatan `Camat Sungai Jernih`,
/// instansi `Kecamatan Sungai Jernih`; `guru SDN 3 Tenggarong` → jabatan `Guru`, instansi
/// `SDN 3 Tenggarong`; `Kepala Desa Sukamaju, Ahmad Yani,` or `Ahmad Yani, Kepala Desa
/// Sukamaju` → also the name.
struct IdentityPhrase {
    var position: String?
    var agency: String?
    var name: String?

    /// Words that may stand capitalised before a name or a place without being one.
    static let notNames: Set<String> = [
        "saya", "kami", "aku", "kita", "oleh", "dan", "yang", "di", "ke", "dari", "menurut", "kata", "ujar", "ucap", "bersama", "ini",
        "itu", "hari", "pada", "selamat", "salam", "mari", "ayo", "ayok", "dukung", "pilih", "coblos", "bapak", "ibu", "pak", "bu",
    ]
    static let titles: Set<String> = ["bapak", "pak", "ibu", "bu", "h", "hj", "drs", "dr", "ir", "sdr", "saudara", "saudari"]

    init?(text: String, hit: Hit) {
        let bytes = Array(text.utf8)
        guard hit.start >= 0, hit.end <= bytes.count, hit.start < hit.end else { return nil }
        let core = String(decoding: bytes[hit.start..<hit.end], as: UTF8.self).trimmingCharacters(in: .whitespaces)
        let after = String(decoding: bytes[hit.end...], as: UTF8.self)
        let before = String(decoding: bytes[..<hit.start], as: UTF8.self)
        guard !core.isEmpty else { return nil }
        let (place, rest) = Self.capitalisedRun(after, limit: 5)
        let coreLower = core.lowercased()
        let coreWords = coreLower.split(whereSeparator: { !$0.isLetter }).map(String.init)
        let placeFirst = place.first.map { $0.lowercased().filter(\.isLetter) }
        let title = core.prefix(1).uppercased() + core.dropFirst()
        if let first = coreWords.first, Terlapor.agencyWords.contains(first) {
            // The hit names an office itself (`Dinkes Kukar`).
            agency = ([title] + place).joined(separator: " ")
        } else if let placeFirst, Terlapor.agencyWords.contains(placeFirst) {
            position = title
            agency = place.joined(separator: " ")
        } else if !place.isEmpty {
            let placeText = place.joined(separator: " ")
            position = title + " " + placeText
            if Terlapor.subdistrictHeads.contains(coreLower) {
                agency = "Kecamatan " + placeText
            } else if Terlapor.villageHeads.contains(coreLower) {
                agency = "Pemerintah Desa " + placeText
            } else if Terlapor.wardHeads.contains(coreLower) {
                agency = "Kelurahan " + placeText
            }
        } else {
            position = title
        }
        // A name right after the phrase's comma, else right before the phrase's comma.
        if rest.hasPrefix(",") {
            let (words, _) = Self.capitalisedRun(String(rest.dropFirst()), limit: 5)
            name = Self.personName(words)
        }
        if name == nil {
            var head = before.trimmingCharacters(in: .whitespaces)
            if head.hasSuffix(",") {
                head.removeLast()
                let words = head.split(separator: " ").suffix(5).map(String.init)
                var run: [String] = []
                for word in words.reversed() {
                    guard let first = word.first, first.isUppercase, !word.contains(where: { ",.;:!?".contains($0) }) else { break }
                    run.insert(word, at: 0)
                }
                name = Self.personName(run)
            }
        }
    }

    /// Capitalised words (or numbers) at the start of `text`, up to `limit`, stopping at
    /// punctuation; and what follows them.
    static func capitalisedRun(_ text: String, limit: Int) -> ([String], Substring) {
        var words: [String] = []
        var rest = Substring(text)
        while words.count < limit {
            let trimmed = rest.drop { $0 == " " || $0 == "\u{00A0}" }
            guard let first = trimmed.first, first.isUppercase || first.isNumber else { return (words, trimmed) }
            let word = trimmed.prefix { !$0.isWhitespace && !",.;:!?|()\"“”/·".contains($0) }
            guard !word.isEmpty else { return (words, trimmed) }
            words.append(String(word))
            rest = trimmed.dropFirst(word.count)
            if let next = rest.first, next != " " && next != "\u{00A0}" { return (words, rest) }
        }
        return (words, rest.drop { $0 == " " })
    }

    /// Words that read as a person's name: titles dropped, at least one word of two letters or
    /// more that is not a pronoun or a verb.
    static func personName(_ words: [String]) -> String? {
        var words = words
        while let first = words.first?.lowercased().filter(\.isLetter), titles.contains(first) || notNames.contains(first) {
            words.removeFirst()
        }
        words = Array(words.prefix { !notNames.contains($0.lowercased()) && !$0.allSatisfy(\.isNumber) })
        guard !words.isEmpty, words.allSatisfy({ $0.count >= 2 || $0.hasSuffix(".") }),
              !words.contains(where: { Terlapor.agencyWords.contains($0.lowercased()) }) else { return nil }
        return words.joined(separator: " ")
    }
}
