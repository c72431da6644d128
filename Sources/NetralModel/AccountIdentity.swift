public import Foundation

/// One fact about who holds an account, kept in the state with where it came from and applied
/// as the author's own (`[self]`) identity to the account's later items: "Guru SDN 4 Sukamaju"
/// in its bio, "saya ASN di Dinas Pendidikan" in an earlier post, an analyst's watchlist
/// subject, or an account that is a government office's own.
public struct AccountIdentity: Sendable, Codable, Equatable {
    /// What the fact says the holder is.
    public enum Kind: String, Sendable, Codable, CaseIterable {
        /// A civil servant, village official or honorary staff member.
        case asn
        /// A government office's own account (kecamatan, desa, dinas, sekolah negeri,
        /// puskesmas, RSUD, pemkab, satpol PP ...): the office is the one reported.
        case office
    }

    /// Where the fact was read.
    public enum Source: String, Sendable, Codable, CaseIterable {
        case bio
        case displayName = "display_name"
        case profileField = "profile_field"
        case category
        /// A link in the profile to a government site (go.id, desa.id).
        case governmentLink = "gov_link"
        case handle
        /// The account's own earlier post, in the first person.
        case post
        /// The watchlist subject of a target that reads the account.
        case subject
    }

    /// The account's key (`AccountKey`): `platform:id` or `platform:@handle`.
    public var account: String
    public var kind: Kind
    public var source: Source
    /// The identity words as found ("Guru SDN 4 Sukamaju", "ASN", "Kecamatan Sukamaju").
    public var words: String
    /// The words around them, for a reviewer (capped at `maximumExcerpt` characters).
    public var excerpt: String
    /// The profile or the post the fact was read from.
    public var sourceURL: String?
    /// When the profile was read, or when the post was published (else first seen).
    public var seenAt: Date
    /// The case file the post became, if it became one.
    public var caseID: String?
    /// The head of the office, when the profile names one (`office` facts only).
    public var head: String?

    public static let maximumExcerpt = 200

    public init(
        account: String, kind: Kind = .asn, source: Source, words: String, excerpt: String? = nil, sourceURL: String? = nil,
        seenAt: Date, caseID: String? = nil, head: String? = nil
    ) {
        self.account = account
        self.kind = kind
        self.source = source
        self.words = words
        self.excerpt = Self.cap(excerpt ?? words)
        self.sourceURL = sourceURL
        self.seenAt = seenAt
        self.caseID = caseID
        self.head = head
    }

    static func cap(_ text: String) -> String {
        let flat = text.split(whereSeparator: \.isNewline).joined(separator: " / ")
        return flat.count <= maximumExcerpt ? flat : String(flat.prefix(maximumExcerpt - 1)) + "…"
    }

    /// Where the fact came from, for a reviewer: "identitas dari bio akun", "dari unggahan 12
    /// Jan 2024".
    public var provenance: String {
        switch source {
        case .bio: "identitas dari bio akun"
        case .displayName: "identitas dari nama akun"
        case .profileField: "identitas dari kolom profil akun"
        case .category: "identitas dari kategori profil akun"
        case .governmentLink: "identitas dari tautan situs pemerintah di profil akun"
        case .handle: "identitas dari nama pengguna akun"
        case .post: "identitas dari unggahan \(Self.day(seenAt))"
        case .subject: "identitas dari daftar pantauan (subjek target)"
        }
    }

    /// One line for a report, `explain` and the desk: provenance, the words, the link.
    public var description: String { describe(masking: { $0 }) }

    /// The line with `mask` applied to the words (a NIP in a bio), not to the link: a post's
    /// id in it may look like a NIP and the link must stay usable.
    public func describe(masking mask: (String) -> String) -> String {
        var line = "\(provenance): «\(mask(excerpt))»"
        if kind == .office { line += " (akun resmi instansi pemerintah)" }
        if source != .post { line += ", dilihat \(Self.day(seenAt))" }
        if let sourceURL { line += " \(sourceURL)" }
        if let caseID { line += " (berkas \(caseID.prefix(12)))" }
        return line
    }

    private static let months = ["Jan", "Feb", "Mar", "Apr", "Mei", "Jun", "Jul", "Agu", "Sep", "Okt", "Nov", "Des"]

    /// "12 Jan 2024", in WIB (UTC+7), the zone most reviewers count in.
    public static func day(_ date: Date) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(secondsFromGMT: 7 * 3600)!
        let parts = calendar.dateComponents([.year, .month, .day], from: date)
        return "\(parts.day ?? 1) \(months[(parts.month ?? 1) - 1]) \(parts.year ?? 1970)"
    }

    /// Whether this fact describes the holder at `date`: a fact read from a post holds for
    /// what the account published from then on; a profile, a category or a subject for every
    /// item (an item without a date included).
    public func applies(at date: Date?) -> Bool {
        guard source == .post, let date else { return true }
        return date >= seenAt
    }
}
