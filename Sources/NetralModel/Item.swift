public import Foundation

/// Who wrote an item, as far as the page or the analyst's target says.
public struct Author: Sendable, Codable, Equatable {
    public var name: String?
    public var handle: String?
    public var profileURL: String?
    public var bio: String?
    /// The platform's stable id of the account (a Mastodon account id, a Bluesky DID, a TikTok
    /// or X user id), when the answer gives one: handles change, this does not. Account
    /// identities are kept under it.
    public var accountID: String?

    public init(name: String? = nil, handle: String? = nil, profileURL: String? = nil, bio: String? = nil, accountID: String? = nil) {
        self.name = name
        self.handle = handle
        self.profileURL = profileURL
        self.bio = bio
        self.accountID = accountID
    }

    public var isEmpty: Bool { name == nil && handle == nil && profileURL == nil && bio == nil && accountID == nil }

    /// The handle as words for matching: without `@` and an instance or domain part, split at
    /// `_`, `-`, digits and lower-to-upper case changes (`KadesSukaMaju_2` -> "Kades Suka Maju 2").
    public var handleWords: String? {
        guard var handle, !handle.isEmpty else { return nil }
        if handle.hasPrefix("@") { handle.removeFirst() }
        if let at = handle.firstIndex(of: "@") { handle = String(handle[..<at]) }
        // A Bluesky handle is a domain: its first label is the chosen name.
        if let dot = handle.firstIndex(of: ".") { handle = String(handle[..<dot]) }
        var words = ""
        var previous: Character?
        for character in handle {
            if character == "_" || character == "." || character == "-" {
                words.append(" ")
            } else {
                if let previous,
                    (previous.isLowercase && character.isUppercase) || (previous.isLetter && character.isNumber)
                        || (previous.isNumber && character.isLetter)
                {
                    words.append(" ")
                }
                words.append(character)
            }
            previous = character
        }
        let trimmed = words.split(separator: " ").joined(separator: " ")
        return trimmed.isEmpty ? nil : trimmed
    }
}

/// What an analyst knows about the holder of an account: a known civil servant is the
/// strongest ASN signal there is. Set on a target in `netral.yaml`, copied onto its items.
public struct Subject: Sendable, Codable, Equatable {
    public var name: String?
    public var role: String?
    public var agency: String?
    /// The 18-digit NIP, when known. Shown masked in every output.
    public var nip: String?

    public init(name: String? = nil, role: String? = nil, agency: String? = nil, nip: String? = nil) {
        self.name = name
        self.role = role
        self.agency = agency
        self.nip = nip
    }

    /// The text rules match for the subject: role and agency (the name says nothing of status).
    public var matchText: String {
        [role, agency].compactMap { $0 }.joined(separator: ", ")
    }
}

/// A hyperlink found in an item.
public struct Link: Sendable, Codable, Equatable {
    public var url: String
    public var text: String

    public init(url: String, text: String) {
        self.url = url
        self.text = text
    }
}

/// The named text fields of an item that rules can match on.
public enum ItemField: String, Sendable, Codable, CaseIterable, Comparable {
    case title
    case description
    case body
    case imageAlt = "image_alt"
    case linkText = "link_text"
    case authorName = "author_name"
    case authorBio = "author_bio"
    /// The account handle, split into words (`kades_sukamaju` -> "kades sukamaju"). A handle
    /// is a name its holder chose, often a joke (`lurah_sosmed`), so rules treat identity in it
    /// as corroboration only (see Rules/README.md).
    case authorHandle = "author_handle"
    /// What the analyst knows about the account holder (the target's `subject`).
    case subject
    /// Words printed in one of the item's pictures, read by OCR (a twibbon frame, a poster,
    /// an overlay caption). Judged like alt text: the picture is the author's.
    case imageText = "image_text"
    /// Words said in the item's video, from the subtitle or caption track the platform
    /// publishes. Judged like the body: the author posted them.
    case transcript
    /// What the state knows of the account that wrote (or shared) the item: its profile, its
    /// earlier first-person posts, a watchlist subject (`Item.accountIdentities`).
    case accountIdentity = "account_identity"

    /// Reviewer-facing label, in Bahasa Indonesia.
    public var label: String {
        switch self {
        case .title: "Judul"
        case .description: "Deskripsi"
        case .body: "Isi"
        case .imageAlt: "Teks alt gambar"
        case .linkText: "Teks tautan"
        case .authorName: "Nama penulis"
        case .authorBio: "Bio penulis"
        case .authorHandle: "Nama akun penulis"
        case .subject: "Subjek (data analis)"
        case .imageText: "Teks dalam gambar"
        case .transcript: "Ucapan dalam video"
        case .accountIdentity: "Identitas akun (tersimpan)"
        }
    }

    public static func < (lhs: ItemField, rhs: ItemField) -> Bool {
        allCases.firstIndex(of: lhs)! < allCases.firstIndex(of: rhs)!
    }
}

/// One text to match: a field of an item and, for list fields, which element.
public struct FieldText: Sendable, Equatable {
    public var field: ItemField
    public var index: Int
    public var text: String

    public init(field: ItemField, index: Int = 0, text: String) {
        self.field = field
        self.index = index
        self.text = text
    }

    /// The field's label, numbered for fields an item can have several of ("Teks alt gambar 2").
    public var label: String {
        switch field {
        case .imageAlt, .linkText, .imageText, .accountIdentity: "\(field.label) \(index + 1)"
        default: field.label
        }
    }
}

/// One post or page, platform-neutral. Produced by `NetralExtract`, judged by `NetralRules`.
public struct Item: Sendable, Codable, Equatable {
    /// The URL the item was read from (the capture's final URL, or a file URL).
    public var sourceURL: String
    /// `<link rel=canonical>` or `og:url`, when the page declares one.
    public var canonicalURL: String?
    /// `web`, `feed`, `mastodon`, `bluesky`, ...
    public var platform: String
    public var author: Author?
    public var publishedAt: Date?
    public var language: String?
    public var title: String?
    public var description: String?
    /// Visible main text, whitespace collapsed, paragraphs separated by newlines.
    public var body: String
    public var imageAlts: [String]
    public var links: [Link]
    public var hashtags: [String]
    /// The page's own metas worth keeping (`og:*`, `twitter:*`, `site_name`), by property name,
    /// and the provenance values declared in `ItemKey` (read them through `share`,
    /// `archiveRecord`, `post`, `feedEntry`, `campaignInteraction`).
    public var metadata: [String: String]
    /// What the analyst knows about the account holder, from the target.
    public var subject: Subject?
    /// Words read from the item's pictures (OCR), each with its picture.
    public var imageTexts: [ImageText]
    /// Words said in the item's video, from a published subtitle or caption track.
    public var transcript: Transcript?
    /// What the state knew of the author's account (or, for a share, the sharer's) when the
    /// item was judged: applied as the account holder's own identity, kept in `item.json`.
    public var accountIdentities: [AccountIdentity]

    public init(
        sourceURL: String,
        canonicalURL: String? = nil,
        platform: String = "web",
        author: Author? = nil,
        publishedAt: Date? = nil,
        language: String? = nil,
        title: String? = nil,
        description: String? = nil,
        body: String = "",
        imageAlts: [String] = [],
        links: [Link] = [],
        hashtags: [String] = [],
        metadata: [String: String] = [:],
        subject: Subject? = nil,
        imageTexts: [ImageText] = [],
        transcript: Transcript? = nil,
        accountIdentities: [AccountIdentity] = []
    ) {
        self.sourceURL = sourceURL
        self.canonicalURL = canonicalURL
        self.platform = platform
        self.author = author
        self.publishedAt = publishedAt
        self.language = language
        self.title = title
        self.description = description
        self.body = body
        self.imageAlts = imageAlts
        self.links = links
        self.hashtags = hashtags
        self.metadata = metadata
        self.subject = subject
        self.imageTexts = imageTexts
        self.transcript = transcript
        self.accountIdentities = accountIdentities
    }

    private enum CodingKeys: String, CodingKey {
        case sourceURL, canonicalURL, platform, author, publishedAt, language, title, description, body, imageAlts, links
        case hashtags, metadata, subject, imageTexts, transcript, accountIdentities
    }

    // Written by hand so an item without pictures' words, a transcript or account identities encodes exactly as
    // before (case files stay byte-identical) and item.json files written before these fields
    // existed still read.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        sourceURL = try container.decode(String.self, forKey: .sourceURL)
        canonicalURL = try container.decodeIfPresent(String.self, forKey: .canonicalURL)
        platform = try container.decode(String.self, forKey: .platform)
        author = try container.decodeIfPresent(Author.self, forKey: .author)
        publishedAt = try container.decodeIfPresent(Date.self, forKey: .publishedAt)
        language = try container.decodeIfPresent(String.self, forKey: .language)
        title = try container.decodeIfPresent(String.self, forKey: .title)
        description = try container.decodeIfPresent(String.self, forKey: .description)
        body = try container.decode(String.self, forKey: .body)
        imageAlts = try container.decode([String].self, forKey: .imageAlts)
        links = try container.decode([Link].self, forKey: .links)
        hashtags = try container.decode([String].self, forKey: .hashtags)
        metadata = try container.decode([String: String].self, forKey: .metadata)
        subject = try container.decodeIfPresent(Subject.self, forKey: .subject)
        imageTexts = try container.decodeIfPresent([ImageText].self, forKey: .imageTexts) ?? []
        transcript = try container.decodeIfPresent(Transcript.self, forKey: .transcript)
        accountIdentities = try container.decodeIfPresent([AccountIdentity].self, forKey: .accountIdentities) ?? []
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(sourceURL, forKey: .sourceURL)
        try container.encodeIfPresent(canonicalURL, forKey: .canonicalURL)
        try container.encode(platform, forKey: .platform)
        try container.encodeIfPresent(author, forKey: .author)
        try container.encodeIfPresent(publishedAt, forKey: .publishedAt)
        try container.encodeIfPresent(language, forKey: .language)
        try container.encodeIfPresent(title, forKey: .title)
        try container.encodeIfPresent(description, forKey: .description)
        try container.encode(body, forKey: .body)
        try container.encode(imageAlts, forKey: .imageAlts)
        try container.encode(links, forKey: .links)
        try container.encode(hashtags, forKey: .hashtags)
        try container.encode(metadata, forKey: .metadata)
        try container.encodeIfPresent(subject, forKey: .subject)
        if !imageTexts.isEmpty { try container.encode(imageTexts, forKey: .imageTexts) }
        try container.encodeIfPresent(transcript, forKey: .transcript)
        if !accountIdentities.isEmpty { try container.encode(accountIdentities, forKey: .accountIdentities) }
    }

    /// Every non-empty text field, in a fixed order, for matching and for reports.
    public var fieldTexts: [FieldText] {
        var texts: [FieldText] = []
        func add(_ field: ItemField, _ value: String?, index: Int = 0) {
            if let value, !value.isEmpty { texts.append(FieldText(field: field, index: index, text: value)) }
        }
        add(.title, title)
        add(.description, description)
        add(.body, body)
        for (index, alt) in imageAlts.enumerated() { add(.imageAlt, alt, index: index) }
        for (index, link) in links.enumerated() { add(.linkText, link.text, index: index) }
        add(.authorName, author?.name)
        add(.authorBio, author?.bio)
        add(.authorHandle, author?.handleWords)
        if let subject, !subject.matchText.isEmpty { add(.subject, subject.matchText) }
        for (index, imageText) in imageTexts.enumerated() { add(.imageText, imageText.text, index: index) }
        add(.transcript, transcript?.text)
        return texts
    }

    /// The text of one field, as `fieldTexts` lists it.
    public func text(of field: ItemField, index: Int) -> String? {
        fieldTexts.first { $0.field == field && $0.index == index }?.text
    }

    /// The identity of the item across scans: its canonical URL, else its source URL.
    public var identityURL: String { canonicalURL ?? sourceURL }
}
