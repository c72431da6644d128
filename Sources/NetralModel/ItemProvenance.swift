import Foundation

/// What an item says about where it came from and how it relates to other posts and accounts,
/// declared once. Each value is kept in `Item.metadata` under the keys below, so `item.json`
/// reads as it always has; stages read and write these values through the typed views on
/// `Item` (`share`, `archiveRecord`, `post`, `feedEntry`, `campaignInteraction`,
/// `authorAccountID`), never through loose strings. A page's own metas (`og:*`, `twitter:*`,
/// `site_name`, `jsonld:*`) stay plain metadata: they are what the page declared.
public enum ItemKey {
    // A boost (Mastodon) or repost (Bluesky): `Item.share`.
    public static let boostedBy = "boosted_by"
    public static let boostedByName = "boosted_by_name"
    public static let boostedByURL = "boosted_by_url"
    public static let boostedAt = "boosted_at"
    public static let boostURI = "boost_uri"
    public static let repostedBy = "reposted_by"
    public static let repostedByName = "reposted_by_name"
    public static let repostedAt = "reposted_at"
    // A record of a WARC file: `Item.archiveRecord`.
    public static let warcFile = "warc_file"
    public static let warcRecordOffset = "warc_record_offset"
    public static let warcRecordID = "warc_record_id"
    public static let warcPayloadDigest = "warc_payload_digest"
    // A post on a platform: `Item.post`.
    public static let postID = "id"
    public static let postURI = "uri"
    public static let postCID = "cid"
    public static let visibility = "visibility"
    public static let editedAt = "edited_at"
    public static let pinned = "pinned"
    public static let inReplyToID = "in_reply_to_id"
    public static let replyTo = "reply_to"
    public static let quotedURI = "quoted_uri"
    public static let quotedAuthor = "quoted_author"
    public static let mentions = "mentions"
    public static let mediaURLs = "media_urls"
    /// The API answers an item was read from, space-separated.
    public static let readFrom = "read_from"
    // An entry of a feed: `Item.feedEntry`.
    public static let feedTitle = "feed_title"
    public static let feedURL = "feed_url"
    public static let guid = "guid"
    public static let categories = "categories"
    // An interaction with a campaign account's post: `Item.campaignInteraction`.
    public static let interaction = "interaction"
    public static let interactionPost = "interaction_post"
    public static let interactionAccount = "interaction_account"
    /// The author's account id as the Mastodon and Bluesky parsers still write it; new code sets
    /// `Author.accountID` (see `Item.authorAccountID`).
    public static let accountID = "account_id"
    public static let did = "did"
}

/// A post shared by an account that did not write it: a Mastodon boost or a Bluesky repost. The
/// item's author is the original author; the sharer is the account that was scanned.
public struct Share: Sendable, Equatable {
    public enum Kind: Sendable, Equatable {
        case boost
        case repost
    }

    public var kind: Kind
    /// The sharer's handle (`@budi@sosial.example`, `@budi.bsky.social`).
    public var by: String
    public var byName: String?
    public var byURL: String?
    /// When it was shared (ISO 8601, as the platform said).
    public var at: String?
    /// The boost's own URI (Mastodon).
    public var uri: String?

    public init(kind: Kind, by: String, byName: String? = nil, byURL: String? = nil, at: String? = nil, uri: String? = nil) {
        self.kind = kind
        self.by = by
        self.byName = byName
        self.byURL = byURL
        self.at = at
        self.uri = uri
    }
}

/// Where in a WARC file an item's record is.
public struct ArchiveRecord: Sendable, Equatable {
    /// The WARC file as the target named it.
    public var file: String
    /// The record's byte offset in the file.
    public var offset: Int64
    public var recordID: String?
    public var payloadDigest: String?

    public init(file: String, offset: Int64, recordID: String? = nil, payloadDigest: String? = nil) {
        self.file = file
        self.offset = offset
        self.recordID = recordID
        self.payloadDigest = payloadDigest
    }
}

/// A post's identity on its platform and its place among other posts.
public struct PostReference: Sendable, Equatable {
    /// The platform's id (a Mastodon status id).
    public var id: String?
    /// The post's URI (`at://…` on Bluesky, the ActivityPub id on Mastodon).
    public var uri: String?
    /// Bluesky's content id.
    public var cid: String?
    /// The post it answers (a Mastodon status id or a Bluesky `at://` URI).
    public var repliesTo: String?
    /// The post it quotes and its author's handle.
    public var quotes: String?
    public var quotedAuthor: String?
    public var mentions: [String]
    public var mediaURLs: [String]

    public init(
        id: String? = nil, uri: String? = nil, cid: String? = nil, repliesTo: String? = nil, quotes: String? = nil,
        quotedAuthor: String? = nil, mentions: [String] = [], mediaURLs: [String] = []
    ) {
        self.id = id
        self.uri = uri
        self.cid = cid
        self.repliesTo = repliesTo
        self.quotes = quotes
        self.quotedAuthor = quotedAuthor
        self.mentions = mentions
        self.mediaURLs = mediaURLs
    }
}

/// An entry of an RSS or Atom feed.
public struct FeedEntry: Sendable, Equatable {
    public var feedTitle: String?
    /// The feed the entry was read from.
    public var feedURL: String?
    public var guid: String?
    public var categories: [String]

    public init(feedTitle: String? = nil, feedURL: String? = nil, guid: String? = nil, categories: [String] = []) {
        self.feedTitle = feedTitle
        self.feedURL = feedURL
        self.guid = guid
        self.categories = categories
    }
}

extension Item {
    /// The boost or repost this item is, when it is one.
    public var share: Share? {
        get {
            if let by = metadata[ItemKey.boostedBy] {
                return Share(
                    kind: .boost, by: by, byName: metadata[ItemKey.boostedByName], byURL: metadata[ItemKey.boostedByURL],
                    at: metadata[ItemKey.boostedAt], uri: metadata[ItemKey.boostURI])
            }
            guard let by = metadata[ItemKey.repostedBy] else { return nil }
            return Share(kind: .repost, by: by, byName: metadata[ItemKey.repostedByName], at: metadata[ItemKey.repostedAt])
        }
        set {
            for key in [
                ItemKey.boostedBy, ItemKey.boostedByName, ItemKey.boostedByURL, ItemKey.boostedAt, ItemKey.boostURI,
                ItemKey.repostedBy, ItemKey.repostedByName, ItemKey.repostedAt,
            ] {
                metadata[key] = nil
            }
            guard let share = newValue else { return }
            switch share.kind {
            case .boost:
                metadata[ItemKey.boostedBy] = share.by
                metadata[ItemKey.boostedByName] = share.byName
                metadata[ItemKey.boostedByURL] = share.byURL
                metadata[ItemKey.boostedAt] = share.at
                metadata[ItemKey.boostURI] = share.uri
            case .repost:
                metadata[ItemKey.repostedBy] = share.by
                metadata[ItemKey.repostedByName] = share.byName
                metadata[ItemKey.repostedAt] = share.at
            }
        }
    }

    /// The account that shared this post without writing it (see `share`).
    public var sharedBy: String? { share?.by }

    /// The WARC record the item was read from, when it was read from one.
    public var archiveRecord: ArchiveRecord? {
        get {
            guard let file = metadata[ItemKey.warcFile] else { return nil }
            return ArchiveRecord(
                file: file, offset: Int64(metadata[ItemKey.warcRecordOffset] ?? "") ?? 0, recordID: metadata[ItemKey.warcRecordID],
                payloadDigest: metadata[ItemKey.warcPayloadDigest])
        }
        set {
            metadata[ItemKey.warcFile] = newValue?.file
            metadata[ItemKey.warcRecordOffset] = newValue.map { String($0.offset) }
            metadata[ItemKey.warcRecordID] = newValue?.recordID
            metadata[ItemKey.warcPayloadDigest] = newValue?.payloadDigest
        }
    }

    /// The post's identity on its platform, when the parser read one.
    public var post: PostReference? {
        guard metadata[ItemKey.postID] != nil || metadata[ItemKey.postURI] != nil else { return nil }
        func list(_ key: String) -> [String] { metadata[key].map { $0.split(separator: " ").map(String.init) } ?? [] }
        return PostReference(
            id: metadata[ItemKey.postID], uri: metadata[ItemKey.postURI], cid: metadata[ItemKey.postCID],
            repliesTo: metadata[ItemKey.inReplyToID] ?? metadata[ItemKey.replyTo], quotes: metadata[ItemKey.quotedURI],
            quotedAuthor: metadata[ItemKey.quotedAuthor], mentions: list(ItemKey.mentions), mediaURLs: list(ItemKey.mediaURLs))
    }

    /// The feed entry this item is, when read from a feed.
    public var feedEntry: FeedEntry? {
        guard metadata[ItemKey.feedTitle] != nil || metadata[ItemKey.feedURL] != nil || metadata[ItemKey.guid] != nil else { return nil }
        let categories = metadata[ItemKey.categories].map { $0.components(separatedBy: "; ") } ?? []
        return FeedEntry(
            feedTitle: metadata[ItemKey.feedTitle], feedURL: metadata[ItemKey.feedURL], guid: metadata[ItemKey.guid], categories: categories
        )
    }

    /// The API answers the item was read from.
    public var readFrom: [String] {
        get { metadata[ItemKey.readFrom].map { $0.split(separator: " ").map(String.init) } ?? [] }
        set { metadata[ItemKey.readFrom] = newValue.isEmpty ? nil : newValue.joined(separator: " ") }
    }

    /// The platform's stable id of the author's account: `Author.accountID`, else the id the
    /// Mastodon and Bluesky parsers keep in the metadata.
    public var authorAccountID: String? {
        author?.accountID ?? metadata[ItemKey.accountID] ?? metadata[ItemKey.did]
    }
}
