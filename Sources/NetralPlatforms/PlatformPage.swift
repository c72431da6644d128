public import Foundation
public import NetralModel

/// The platforms this module reads.
public enum Platform: String, Sendable, Codable, CaseIterable {
    case tiktok, instagram, facebook, x, youtube, telegram, whatsapp
}

/// One answer as it was received: the bytes and where they came from. Parsers never fetch:
/// a source (or a capture reader) hands them this and gets a `PlatformPage` back.
public struct PlatformInput: Sendable {
    public var body: Data
    /// The URL the answer came from (after redirects), with credentials in its query
    /// (`key`, `access_token`, ...) removed: nothing a parser outputs can echo them.
    public var url: String
    /// The URL that was asked for, when it differs (a redirect to a login page is a wall).
    public var requestURL: String?
    /// The `Content-Type` header's media type, when known.
    public var contentType: String?
    /// The HTTP status; 0 for a file or a capture without one.
    public var status: Int
    /// The `Retry-After` header, when the answer had one.
    public var retryAfter: String?
    /// When the answer was received; stamped on the profiles read from it.
    public var receivedAt: Date?

    public init(
        body: Data, url: String, requestURL: String? = nil, contentType: String? = nil, status: Int = 200,
        retryAfter: String? = nil, receivedAt: Date? = nil
    ) {
        self.body = body
        self.url = removingQueryItems(PlatformInput.credentialParameters, from: url)
        self.requestURL = requestURL.map { removingQueryItems(PlatformInput.credentialParameters, from: $0) }
        self.contentType = contentType
        self.status = status
        self.retryAfter = retryAfter
        self.receivedAt = receivedAt
    }

    /// Query parameters that carry credentials; removed from every URL an input keeps.
    public static let credentialParameters: Set<String> = ["key", "api_key", "apikey", "access_token", "token", "oauth_token"]

    /// The answer of a fetch.
    public init(capture: Capture) {
        self.init(
            body: capture.body, url: capture.finalURL, requestURL: capture.requestURL, contentType: capture.mediaType,
            status: capture.status, retryAfter: capture.header("Retry-After"), receivedAt: capture.fetchedAt)
    }
}

/// Why a platform gave no content: never an empty account. The scan stores the reason and
/// tries the target again later (a wall is not a failure of the parser).
public struct PlatformWall: Sendable, Equatable, Codable, CustomStringConvertible {
    public enum Kind: String, Sendable, Codable, CaseIterable {
        /// The platform wants a logged-in session (a login page, a redirect to one, an
        /// "authorization required" answer, a refused API key).
        case loginRequired = "login_required"
        /// A captcha, a bot check, a consent interstitial or an account checkpoint.
        case challenge
        /// Too many requests (HTTP 429, a quota, a "please wait" answer).
        case rateLimited = "rate_limited"
        /// The post or account does not exist or was removed.
        case notFound = "not_found"
        /// The post or account exists but only its followers or members may see it.
        case privateContent = "private"
    }

    public var kind: Kind
    /// What in the answer showed it (a status, a field, a page marker), for the operator.
    public var reason: String
    /// The `Retry-After` value, for a rate limit that gave one.
    public var retryAfter: String?

    public init(_ kind: Kind, _ reason: String, retryAfter: String? = nil) {
        self.kind = kind
        self.reason = reason
        self.retryAfter = retryAfter
    }

    public var description: String {
        "\(kind.rawValue): \(reason)" + (retryAfter.map { " (retry after \($0))" } ?? "")
    }
}

/// A picture or video of a post worth fetching (for OCR and for the case file).
public struct MediaRef: Sendable, Equatable, Codable {
    public enum Kind: String, Sendable, Codable {
        case image
        /// The still a video is shown with (TikTok cover, YouTube thumbnail, Telegram video thumb).
        case videoCover = "video_cover"
        case video
    }

    public var url: String
    public var kind: Kind
    /// The alt text or accessibility caption the platform gives, when any.
    public var alt: String?

    public init(url: String, kind: Kind, alt: String? = nil) {
        self.url = url
        self.kind = kind
        self.alt = alt
    }
}

/// A published subtitle or caption track to fetch; `TranscriptParser` reads the answer.
public struct TranscriptTrack: Sendable, Equatable, Codable {
    public enum Format: String, Sendable, Codable {
        case webVTT = "webvtt"
        /// YouTube's timedtext XML (`<transcript><text start dur>` or `<timedtext><body><p t d>`).
        case timedTextXML = "timedtext_xml"
        /// YouTube's `fmt=json3`.
        case json3
    }

    public var url: String
    /// As published ("id", "ind-ID", "en").
    public var language: String?
    /// `subtitle` (the uploader's), `auto-caption` (speech recognition) or `auto-translation`.
    public var kind: String
    public var format: Format
    /// Whether the track is in the video's own language (not a translation): the one to read.
    public var isOriginalLanguage: Bool

    public init(url: String, language: String?, kind: String, format: Format, isOriginalLanguage: Bool) {
        self.url = url
        self.language = language
        self.kind = kind
        self.format = format
        self.isOriginalLanguage = isOriginalLanguage
    }
}

/// Where the next page of an account or a thread is: a URL to fetch as it is, or a cursor the
/// source puts into its own request (an API key or signed parameters never pass through here).
public struct PageCursor: Sendable, Equatable, Codable {
    public var url: String?
    public var token: String?

    public init(url: String? = nil, token: String? = nil) {
        self.url = url
        self.token = token
    }
}

/// Counts a platform shows beside a post. Absent counts are nil, never zero.
public struct EngagementCounts: Sendable, Equatable, Codable {
    public var likes: Int?
    public var comments: Int?
    public var shares: Int?
    public var views: Int?
    public var saves: Int?

    public init(likes: Int? = nil, comments: Int? = nil, shares: Int? = nil, views: Int? = nil, saves: Int? = nil) {
        self.likes = likes
        self.comments = comments
        self.shares = shares
        self.views = views
        self.saves = saves
    }

    public var isEmpty: Bool { likes == nil && comments == nil && shares == nil && views == nil && saves == nil }
}

/// What a post answers or quotes: a YouTube comment's video and channel (a comment by an ASN
/// under a candidate's video is act A6), a reply's parent, a quoted or shared post.
public struct PostReference: Sendable, Equatable, Codable {
    public var postID: String?
    public var url: String?
    /// The account the referenced post belongs to (a YouTube channel id, an X user id).
    public var accountID: String?
    public var accountHandle: String?
    public var accountName: String?
    /// The referenced post's own words, when the answer carries them.
    public var text: String?

    public init(
        postID: String? = nil, url: String? = nil, accountID: String? = nil, accountHandle: String? = nil,
        accountName: String? = nil, text: String? = nil
    ) {
        self.postID = postID
        self.url = url
        self.accountID = accountID
        self.accountHandle = accountHandle
        self.accountName = accountName
        self.text = text
    }
}

/// One post, comment or message read from an answer, with what `Item` has no field for.
public struct PlatformPost: Sendable, Equatable, Codable {
    public var item: Item
    /// The platform's id of the post (TikTok item id, Instagram shortcode, tweet id, ...).
    public var postID: String?
    public var media: [MediaRef]
    public var transcriptTracks: [TranscriptTrack]
    public var counts: EngagementCounts?
    /// The account that shared this post without writing it (a retweet, a Telegram forward
    /// shown in a channel): the item's author is the original author.
    public var sharedBy: Author?
    /// The post this one replies to (a YouTube comment's video, an X reply's parent).
    public var replyTo: PostReference?
    /// The post this one quotes or shares (an X quote, a Facebook shared post).
    public var quoted: PostReference?
    /// A place the post names (Instagram location, TikTok's country of creation).
    public var location: String?
    /// Accounts that published the post together with its author (Instagram collabs): each
    /// of them posted it.
    public var coAuthors: [Author]
    /// `post`, `video`, `comment`, `reply`, `message`.
    public var kind: String

    public init(
        item: Item, postID: String? = nil, media: [MediaRef] = [], transcriptTracks: [TranscriptTrack] = [],
        counts: EngagementCounts? = nil, sharedBy: Author? = nil, replyTo: PostReference? = nil,
        quoted: PostReference? = nil, location: String? = nil, coAuthors: [Author] = [], kind: String = "post"
    ) {
        self.item = item
        self.postID = postID
        self.media = media
        self.transcriptTracks = transcriptTracks
        self.counts = counts
        self.sharedBy = sharedBy
        self.replyTo = replyTo
        self.quoted = quoted
        self.location = location
        self.coAuthors = coAuthors
        self.kind = kind
    }
}

/// Everything one answer gave: its posts, the accounts seen in it, where the next page is, or
/// the wall the platform put up instead. Items skipped or cut are named in `notes`.
public struct PlatformPage: Sendable, Equatable, Codable {
    public var platform: Platform
    /// Set when the answer is a login wall, a challenge, a rate limit, a removed or private
    /// post or account: then `posts` is empty and the target is not "empty".
    public var wall: PlatformWall?
    public var posts: [PlatformPost]
    /// Every account seen: a profile page's owner and each post's author, deduplicated by key.
    public var profiles: [AccountProfile]
    public var next: PageCursor?
    /// What was skipped or cut, and why, each naming where in the answer.
    public var notes: [String]

    public init(
        platform: Platform, wall: PlatformWall? = nil, posts: [PlatformPost] = [], profiles: [AccountProfile] = [],
        next: PageCursor? = nil, notes: [String] = []
    ) {
        self.platform = platform
        self.wall = wall
        self.posts = posts
        self.profiles = profiles
        self.next = next
        self.notes = notes
    }

    /// The posts as items, for the rules.
    public var items: [Item] { posts.map(\.item) }
    /// Every picture and video of every post.
    public var media: [MediaRef] { posts.flatMap(\.media) }
    /// Every subtitle or caption track of every post.
    public var transcriptTracks: [TranscriptTrack] { posts.flatMap(\.transcriptTracks) }
}

/// Why an answer could not be read at all (as opposed to a wall, which is read fine).
public struct PlatformParseError: Error, Sendable, Equatable, CustomStringConvertible {
    public var platform: Platform
    public var url: String
    /// Where in the answer: a JSON path (`$.data.user`), a script name, a byte offset, a line.
    public var location: String?
    public var reason: String

    public init(platform: Platform, url: String, location: String? = nil, reason: String) {
        self.platform = platform
        self.url = url
        self.location = location
        self.reason = reason
    }

    public var description: String {
        "\(url): \(platform.rawValue) answer" + (location.map { " at \($0)" } ?? "") + ": \(reason)"
    }
}

/// Caps on what one answer may cost and store. Every parser takes one; the defaults hold for
/// the scan.
public struct PlatformLimits: Sendable, Equatable {
    /// Larger answers are refused before parsing.
    public var maxBodyBytes: Int
    /// JSON nested deeper than this is refused before parsing (a linear scan checks it).
    public var maxJSONDepth: Int
    /// Each stored text field (caption, bio, comment, transcript cue) is cut to this many
    /// characters; the cut is named in the page's notes.
    public var maxTextCharacters: Int
    /// Posts (comments, messages) kept from one answer; the rest are named in the notes.
    public var maxPostsPerAnswer: Int
    /// Pictures kept per post.
    public var maxMediaPerPost: Int
    /// Cues kept per transcript.
    public var maxCues: Int

    public init(
        maxBodyBytes: Int = 32 * 1024 * 1024, maxJSONDepth: Int = 256, maxTextCharacters: Int = 100_000,
        maxPostsPerAnswer: Int = 1_000, maxMediaPerPost: Int = 50, maxCues: Int = 20_000
    ) {
        self.maxBodyBytes = maxBodyBytes
        self.maxJSONDepth = maxJSONDepth
        self.maxTextCharacters = maxTextCharacters
        self.maxPostsPerAnswer = maxPostsPerAnswer
        self.maxMediaPerPost = maxMediaPerPost
        self.maxCues = maxCues
    }

    public static let `default` = PlatformLimits()
}
