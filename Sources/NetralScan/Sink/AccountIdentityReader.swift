import Foundation
import NetralModel
import NetralRules

/// Reads who holds an account from what it says about itself: its profile (display name, bio,
/// profile fields, category, links to government sites), its own first-person posts, a
/// government office's name. The packs decide what is identity: a profile's words are judged
/// as the author's own fields, so the packs' qualifiers cancel retired, former and relatives'
/// identities ("pensiunan guru", "mantan kades", "istri PNS") exactly as they do in a bio.
/// Pure: the sink keeps what it reads.
struct AccountIdentityReader: Sendable {
    let ruleSet: RuleSet

    /// What one reading of a profile says.
    struct ProfileReading: Sendable {
        var account: String
        var handle: String?
        var facts: [AccountIdentity]
        /// The profile names an identity only as one its holder no longer has (retired,
        /// former, not): post facts from before it no longer apply.
        var retired: Bool
        var seenAt: Date
    }

    /// The most facts one profile or one post gives.
    static let maximumFactsPerReading = 6
    /// Signals whose hits say a post's words are someone else's (a journalist quoting,
    /// a victim of mobilisation telling): such a post teaches nothing about its account.
    static let quotingSignals: Set<String> = ["kutipan-berita", "pewarta-mengutip", "korban-mobilisasi"]

    func read(_ profile: AccountProfile, workspace: inout RuleSet.Workspace) -> ProfileReading? {
        guard let key = profile.key else { return nil }
        let seen = profile.observedAt ?? Date()
        var facts: [AccountIdentity] = []
        var cancelled = false
        func judge(_ source: AccountIdentity.Source, name: String? = nil, bio: String? = nil) {
            guard let text = name ?? bio, !text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else { return }
            let item = Item(sourceURL: profile.profileURL ?? key, platform: profile.platform, author: Author(name: name, bio: bio))
            for evidence in ruleSet.evaluate(item, workspace: &workspace).identity(limit: 64) {
                if evidence.standing == .cancelled { cancelled = true }
                guard evidence.standing.describesAuthor else { continue }
                let field = item.text(of: evidence.hit.field, index: evidence.hit.fieldIndex) ?? evidence.hit.quote
                let words = Self.phrase(in: field, from: evidence.hit.start, fallback: evidence.hit.quote)
                guard !facts.contains(where: { $0.source == source && $0.words == words }) else { continue }
                facts.append(
                    AccountIdentity(account: key, source: source, words: words, excerpt: field, sourceURL: profile.profileURL, seenAt: seen)
                )
            }
        }
        judge(.displayName, name: profile.displayName)
        judge(.bio, bio: profile.bio)
        for label in profile.fields.keys.sorted() { judge(.profileField, bio: "\(label): \(profile.fields[label] ?? "")") }
        judge(.category, bio: profile.category)
        for link in profile.links.prefix(10) where OfficeAccount.isGovernmentSite(link) { judge(.governmentLink, bio: link) }
        if let office = OfficeAccount.recognise(profile) {
            facts.insert(
                AccountIdentity(
                    account: key, kind: .office, source: office.source, words: office.name, excerpt: office.excerpt,
                    sourceURL: profile.profileURL, seenAt: seen, head: office.head), at: 0)
        }
        let kept = Array(Self.widest(facts).prefix(Self.maximumFactsPerReading))
        return ProfileReading(account: key, handle: profile.handle, facts: kept, retired: cancelled && kept.isEmpty, seenAt: seen)
    }

    /// What an item, judged, says of its author in the first person ("saya ASN di Dinas
    /// Pendidikan", "sy jg guru PNS"): facts for the author's later items. Nothing from a share,
    /// an interaction, an item without an account, or words someone else is quoted saying.
    func learn(from item: Item, evaluation: Evaluation, at now: Date = Date()) -> [AccountIdentity] {
        guard let key = item.authorAccountKey, item.sharedBy == nil, item.campaignInteraction == nil else { return [] }
        let identity = evaluation.identity(limit: 64)
        guard identity.contains(where: { $0.standing == .firstPerson }) else { return [] }
        if evaluation.findings.contains(where: { $0.findingClass == .report }) { return [] }
        if evaluation.hits(limit: 500).contains(where: { Self.quotingSignals.contains($0.signal) }) { return [] }
        var facts: [AccountIdentity] = []
        for evidence in identity where evidence.standing == .firstPerson && facts.count < Self.maximumFactsPerReading {
            guard let text = item.text(of: evidence.hit.field, index: evidence.hit.fieldIndex) else { continue }
            let words = Self.phrase(in: text, from: evidence.hit.start, fallback: evidence.hit.quote)
            guard !facts.contains(where: { $0.words == words }) else { continue }
            facts.append(
                AccountIdentity(
                    account: key, source: .post, words: words, excerpt: Self.sentence(in: text, around: evidence.hit.start),
                    sourceURL: item.identityURL, seenAt: item.publishedAt ?? now))
        }
        return Array(Self.widest(facts).prefix(2))
    }

    /// Facts whose words lie inside another fact's words left out ("Dinas Pendidikan" inside
    /// "PNS di Dinas Pendidikan"): one identity, said once.
    static func widest(_ facts: [AccountIdentity]) -> [AccountIdentity] {
        facts.filter { fact in
            !facts.contains { other in other.source == fact.source && other.words != fact.words && other.words.contains(fact.words) }
        }
    }

    /// The identity words starting at a hit: up to the end of the clause, at most six words
    /// ("Guru SDN 4 Sukamaju" of "Guru SDN 4 Sukamaju | pecinta kopi").
    static func phrase(in text: String, from start: Int, fallback: String) -> String {
        let utf8 = text.utf8
        guard start >= 0, start < utf8.count, let index = utf8.index(utf8.startIndex, offsetBy: start, limitedBy: utf8.endIndex),
            let from = index.samePosition(in: text)
        else { return fallback }
        let rest = text[from...]
        let clause = rest.prefix { !",.;|•·\n()[]!?:/\"“”".contains($0) }
        let words = clause.split(whereSeparator: \.isWhitespace).prefix(6).joined(separator: " ")
        return words.isEmpty ? fallback : words
    }

    /// The sentence around a hit, for a reviewer.
    static func sentence(in text: String, around start: Int) -> String {
        let utf8 = text.utf8
        guard let index = utf8.index(utf8.startIndex, offsetBy: max(0, min(start, utf8.count)), limitedBy: utf8.endIndex),
            let at = index.samePosition(in: text)
        else { return String(text.prefix(AccountIdentity.maximumExcerpt)) }
        let ends: Set<Character> = [".", "!", "?", "\n"]
        let before = text[..<at].lastIndex(where: { ends.contains($0) }).map { text.index(after: $0) } ?? text.startIndex
        let after = text[at...].firstIndex(where: { ends.contains($0) }) ?? text.endIndex
        return text[before..<after].trimmingCharacters(in: .whitespacesAndNewlines)
    }
}

/// A government office's own account, recognised from how offices name themselves: an office
/// word first, then its place ("Kecamatan Sukamaju", "Pemerintah Desa Mekarjaya", "SDN 4
/// Cibadak", `@kec.sukamaju`, `puskesmas_cibadak`), a government category on the profile, or
/// a bio that says it is an office's official account ("Akun resmi Pemerintah Desa ...").
/// The office word must lead: "Info Kecamatan Sukamaju" or "Alumni SDN 4" are run by citizens.
enum OfficeAccount {
    struct Recognised: Equatable {
        var name: String
        var source: AccountIdentity.Source
        var excerpt: String
        var head: String?
    }

    /// Leading words of an office's name, lowercased, one form a line (the words as tokens).
    static let forms: [[String]] = [
        ["kecamatan"], ["kec"], ["pemerintah", "kecamatan"], ["kantor", "camat"], ["kantor", "kecamatan"],
        ["desa"], ["pemdes"], ["pemerintah", "desa"], ["pemerintahan", "desa"], ["kantor", "desa"], ["kelurahan"], ["kantor", "kelurahan"],
        ["nagari"], ["pemerintah", "nagari"], ["kampung"], ["pemerintah", "kampung"], ["gampong"], ["pemerintah", "gampong"],
        ["dinas"], ["badan"], ["kantor"], ["sekretariat", "daerah"], ["setda"], ["inspektorat"], ["bappeda"], ["bapenda"], ["bpbd"],
        ["bkpsdm"], ["bkd"], ["bpkad"], ["disdik"], ["disdikbud"], ["dinkes"], ["dinsos"], ["dukcapil"], ["disdukcapil"], ["diskominfo"],
        ["kominfo"], ["dishub"], ["dlh"], ["dpmd"], ["dpmptsp"], ["pemkab"], ["pemkot"], ["pemprov"], ["pemerintah", "kabupaten"],
        ["pemerintah", "kota"], ["pemerintah", "provinsi"], ["satpol", "pp"], ["satuan", "polisi", "pamong", "praja"], ["puskesmas"],
        ["uptd"], ["upt"], ["rsud"], ["rumah", "sakit", "umum", "daerah"], ["sdn"], ["smpn"], ["sman"], ["smkn"], ["slbn"],
        ["sd", "negeri"], ["smp", "negeri"], ["sma", "negeri"], ["smk", "negeri"], ["sekolah", "dasar", "negeri"], ["mtsn"],
        ["madrasah", "ibtidaiyah", "negeri"], ["madrasah", "tsanawiyah", "negeri"], ["madrasah", "aliyah", "negeri"], ["kua"],
        ["kantor", "urusan", "agama"],
    ]
    /// Second words after which a leading `desa`, `kampung` or `kantor` is not an office
    /// ("Desa Wisata", "Kampung Inggris", "Kantor Hukum").
    static let notOffice: Set<String> = ["wisata", "inggris", "kreatif", "hukum", "notaris", "pos", "advokat", "berita", "digital"]
    /// Profile categories an office's page shows.
    static let categories = [
        "government organization", "government organisation", "government office", "organisasi pemerintah", "kantor pemerintah",
        "instansi pemerintah", "lembaga pemerintah", "layanan pemerintah", "pemerintahan",
    ]
    /// Words that name the head of an office in a profile field's label or a bio line ("Camat:
    /// Drs. H. Ahmad", "Kepala Desa: Budi Santoso").
    static let headLabels = [
        "camat", "kepala", "kades", "lurah", "kadis", "kepsek", "pimpinan", "direktur", "bupati", "walikota", "wali kota",
    ]

    static func recognise(_ profile: AccountProfile) -> Recognised? {
        let head = Self.head(in: profile)
        if let name = profile.displayName, let office = leadingOffice(name) {
            return Recognised(name: office, source: .displayName, excerpt: name, head: head)
        }
        if let category = profile.category?.lowercased(), categories.contains(where: { category.contains($0) }),
            let name = profile.displayName ?? profile.handle
        {
            return Recognised(name: name, source: .category, excerpt: "\(name) (\(profile.category ?? ""))", head: head)
        }
        if let handle = handleWords(profile), let office = leadingOffice(handle) {
            return Recognised(name: office, source: .handle, excerpt: profile.handle ?? handle, head: head)
        }
        if let bio = profile.bio {
            let lower = bio.lowercased()
            for marker in ["akun resmi", "akun official", "official account", "kanal resmi", "laman resmi"] {
                guard let range = lower.range(of: marker) else { continue }
                var rest = String(bio[range.upperBound...]).trimmingCharacters(in: .whitespacesAndNewlines.union(.punctuationCharacters))
                for filler in ["dari ", "milik ", "of "] where rest.lowercased().hasPrefix(filler) {
                    rest = String(rest.dropFirst(filler.count))
                }
                if let office = leadingOffice(rest) { return Recognised(name: office, source: .bio, excerpt: bio, head: head) }
            }
        }
        return nil
    }

    /// The office's name when `text` starts with an office word and a place follows it
    /// (at most six words, to the end of the clause).
    static func leadingOffice(_ text: String) -> String? {
        let clause = text.prefix { !",;|•·\n()[]!?:\"“”".contains($0) }
        let words = clause.split(whereSeparator: { $0.isWhitespace || $0 == "_" }).map(String.init)
        let keys = words.map { $0.lowercased().trimmingCharacters(in: .punctuationCharacters) }
        for form in forms where keys.count > form.count && Array(keys.prefix(form.count)) == form {
            let next = keys[form.count]
            if notOffice.contains(next) || next.isEmpty { continue }
            return words.prefix(form.count + 5).joined(separator: " ")
        }
        return nil
    }

    /// The handle's words: a Bluesky handle is a domain whose first label is the chosen name;
    /// elsewhere the name before `@host` with its dots, `_` and `-` as spaces (`kec.sukamaju`).
    static func handleWords(_ profile: AccountProfile) -> String? {
        guard var handle = profile.handle, profile.platform != "bluesky" else { return Author(handle: profile.handle).handleWords }
        if handle.hasPrefix("@") { handle.removeFirst() }
        if let at = handle.firstIndex(of: "@") { handle = String(handle[..<at]) }
        let words = handle.split(whereSeparator: { $0 == "." || $0 == "_" || $0 == "-" }).joined(separator: " ")
        return words.isEmpty ? nil : words
    }

    static func head(in profile: AccountProfile) -> String? {
        func isHead(_ label: String) -> Bool {
            let lower = label.lowercased()
            return label.split(separator: " ").count <= 4 && headLabels.contains { lower.contains($0) }
        }
        for label in profile.fields.keys.sorted() where isHead(label) {
            if let value = profile.fields[label]?.trimmingCharacters(in: .whitespaces), !value.isEmpty { return "\(label): \(value)" }
        }
        for line in (profile.bio ?? "").split(whereSeparator: \.isNewline) {
            let parts = line.split(separator: ":", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            if parts.count == 2, isHead(parts[0]), !parts[1].isEmpty { return "\(parts[0]): \(parts[1])" }
        }
        return nil
    }

    /// A link to a government site: a host under go.id or desa.id.
    static func isGovernmentSite(_ link: String) -> Bool {
        guard let host = URLComponents(string: link.contains("://") ? link : "https://" + link)?.host?.lowercased() else { return false }
        return host.hasSuffix(".go.id") || host.hasSuffix(".desa.id")
    }
}
