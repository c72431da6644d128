public import Foundation
public import NetralModel

/// URLs of Bluesky's public AppView (no login needed). The HTTP loop and its page limit belong
/// to the caller:
///
/// ```swift
/// let api = try BlueskyAPI()
/// let actor = try BlueskyAPI.actor(from: "https://bsky.app/profile/camat.bsky.example")
/// var cursor: String? = nil
/// for _ in 0..<maxPages {
///     // `fetch` stands for the caller's HTTP loop, which returns a `Capture`.
///     let page = try BlueskyExtractor().feedPage(from: await fetch(api.authorFeedURL(actor: actor, cursor: cursor)))
///     items += page.items
///     guard let next = page.cursor else { break }
///     cursor = next
/// }
/// ```
///
/// - SeeAlso: https://docs.bsky.app/docs/api/app-bsky-feed-get-author-feed
public struct BlueskyAPI: Sendable, Equatable {
    public static let defaultAppView = "https://public.api.bsky.app/xrpc/"
    /// The most posts one `getAuthorFeed` page may hold.
    public static let maxPostsPerPage = 100

    /// The XRPC base, always ending in `/` (`https://public.api.bsky.app/xrpc/`).
    public let baseURL: String

    /// `appView` is the XRPC base of an AppView; `/xrpc/` is added when missing.
    ///
    /// - Throws: `SourceError.invalidBaseURL` for anything but an http(s) URL with a host.
    public init(appView: String = BlueskyAPI.defaultAppView) throws {
        let url = try normalizedBaseURL(appView)
        var base = url.absoluteString
        if !base.hasSuffix("/xrpc") { base += "/xrpc" }
        baseURL = base + "/"
    }

    /// `app.bsky.actor.getProfile?actor=` : display name, handle and bio of a handle or DID.
    public func profileURL(actor: String) -> String {
        "\(baseURL)app.bsky.actor.getProfile?actor=\(queryEscape(actor))"
    }

    /// `app.bsky.feed.getAuthorFeed?actor=&limit=&cursor=` : the actor's posts and reposts,
    /// newest first. `cursor` is the previous page's cursor; `filter` one of the lexicon's values
    /// (`posts_with_replies`, the server default, `posts_no_replies`, ...).
    public func authorFeedURL(actor: String, limit: Int = 50, cursor: String? = nil, filter: String? = nil) -> String {
        let clamped = min(max(limit, 1), Self.maxPostsPerPage)
        var url = "\(baseURL)app.bsky.feed.getAuthorFeed?actor=\(queryEscape(actor))&limit=\(clamped)"
        if let cursor, !cursor.isEmpty { url += "&cursor=\(queryEscape(cursor))" }
        if let filter, !filter.isEmpty { url += "&filter=\(queryEscape(filter))" }
        return url
    }

    /// The actor (handle or DID) of `@handle`, `handle`, `did:plc:...` or a profile or post URL
    /// on bsky.app.
    public static func actor(from text: String) throws -> String {
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        if trimmed.lowercased().hasPrefix("http://") || trimmed.lowercased().hasPrefix("https://") {
            let segments = URL(string: trimmed)?.path.split(separator: "/").map(String.init) ?? []
            guard let index = segments.firstIndex(of: "profile"), index + 1 < segments.count else {
                throw SourceError.invalidBaseURL(trimmed)
            }
            return segments[index + 1]
        }
        let actor = trimmed.hasPrefix("@") ? String(trimmed.dropFirst()) : trimmed
        guard !actor.isEmpty, !actor.contains(where: { $0 == " " || $0 == "/" || $0 == "?" || $0 == "#" }) else {
            throw SourceError.invalidBaseURL(trimmed)
        }
        return actor
    }

    /// `https://bsky.app/profile/<handle>/post/<rkey>` for a post's `at://` URI; the DID is used
    /// when the handle is unknown or invalid. Nil when the URI is not a post's.
    public static func permalink(uri: String, handle: String?) -> String? {
        guard uri.hasPrefix("at://") else { return nil }
        let parts = uri.dropFirst(5).split(separator: "/").map(String.init)
        guard parts.count == 3, parts[1] == "app.bsky.feed.post", !parts[2].isEmpty else { return nil }
        let who = handle.flatMap { $0.isEmpty || $0 == "handle.invalid" ? nil : $0 } ?? parts[0]
        return "https://bsky.app/profile/\(who)/post/\(parts[2])"
    }
}

/// A Bluesky profile as `getProfile` gives it.
public struct BlueskyProfile: Sendable, Equatable {
    public var did: String
    public var handle: String
    public var displayName: String?
    /// The profile `description`.
    public var bio: String?
    public var postsCount: Int?

    public var profileURL: String { "https://bsky.app/profile/\(handle == "handle.invalid" ? did : handle)" }

    public var author: Author {
        Author(name: displayName ?? handle, handle: "@" + handle, profileURL: profileURL, bio: bio)
    }
}

/// One page of an author feed: its items, the cursor of the next page (nil at the end), and the
/// entries that could not be read.
public struct BlueskyFeedPage: Sendable, Equatable {
    public var items: [Item]
    public var cursor: String?
    public var warnings: [String]
}

/// Turns Bluesky AppView answers into items (platform `bluesky`).
///
/// A post becomes an item whose `sourceURL` and `canonicalURL` are its bsky.app permalink; the
/// body is `record.text` unchanged (so facet offsets still point into it); facets give hashtags,
/// links (text cut at the facet's UTF-8 byte offsets) and mentions (`metadata["mentions"]`);
/// image embeds give image alts; a quoted post's text becomes the description. A repost becomes
/// the original post by its original author, with the reposter in `metadata["reposted_by"]`
/// (handle) and `metadata["reposted_at"]`. `metadata["uri"]` is the `at://` URI and
/// `metadata["read_from"]` the API URL.
public struct BlueskyExtractor: Sendable {
    public init() {}

    /// The profile of a `getProfile` answer.
    public func profile(from data: Data, sourceURL: String) throws -> BlueskyProfile {
        let reader = try JSONReader(data: data, source: sourceURL)
        let shape = try reader.shape()
        try reader.rejectErrorAnswer(shape)
        guard case .object = shape else {
            throw SourceError.unexpectedJSON(source: sourceURL, path: "$", reason: "expected a profile object, found \(shape.name)")
        }
        let dto = try reader.decode(ProfileDTO.self)
        guard let profile = dto.profile else {
            throw SourceError.unexpectedJSON(source: sourceURL, path: "$.did", reason: "a profile needs a did and a handle")
        }
        return profile
    }

    /// The posts of a `getAuthorFeed` answer (also `getTimeline`, `getFeed`) and its cursor.
    public func feedPage(from capture: Capture) throws -> BlueskyFeedPage {
        let reader = try JSONReader(data: capture.body, source: capture.finalURL)
        let shape = try reader.shape()
        try reader.rejectErrorAnswer(shape)
        guard shape.keys.contains("feed") else {
            throw SourceError.unexpectedJSON(source: capture.finalURL, path: "$.feed", reason: "expected an author feed, found \(shape.name)")
        }
        let dto = try reader.decode(FeedDTO.self)
        var warnings = reader.repairWarning.map { [$0] } ?? []
        var items: [Item] = []
        let entries = dto.feed ?? []
        for (index, entry) in entries.enumerated() {
            switch entry.result {
            case let .success(feedPost):
                guard let post = feedPost.post, let item = makeItem(post, reason: feedPost.reason, parent: feedPost.reply?.parent, readFrom: capture.finalURL) else {
                    warnings.append("\(capture.finalURL): entry at $.feed[\(index)] has no readable post; skipped")
                    continue
                }
                items.append(item)
            case let .failure(error):
                let (path, reason) = JSONReader.describe(error)
                warnings.append("\(capture.finalURL): entry at \(path) skipped: \(reason)")
            }
        }
        if items.isEmpty, let first = entries.first, case let .failure(error) = first.result {
            throw reader.sourceError(error)
        }
        let cursor = dto.cursor.flatMap { nonEmpty($0.value) }
        return BlueskyFeedPage(items: items, cursor: cursor, warnings: warnings)
    }

    /// Whatever a saved Bluesky answer holds: an author feed, `getPosts` or `searchPosts`
    /// (`posts`), a `getPostThread` answer (its main post), one post view or feed entry, a
    /// `com.atproto.repo.getRecord` post record (no author), or a profile (one profile item).
    public func items(from capture: Capture) throws -> SourceExtraction {
        let reader = try JSONReader(data: capture.body, source: capture.finalURL)
        let shape = try reader.shape()
        try reader.rejectErrorAnswer(shape)
        let keys = shape.keys
        let readFrom = capture.finalURL
        var warnings = reader.repairWarning.map { [$0] } ?? []
        if keys.contains("feed") {
            let page = try feedPage(from: capture)
            return SourceExtraction(items: page.items, warnings: page.warnings)
        }
        if keys.contains("posts") {
            let dto = try reader.decode(PostsDTO.self)
            var items: [Item] = []
            for entry in dto.posts ?? [] {
                switch entry.result {
                case let .success(post):
                    if let item = makeItem(post, reason: nil, parent: nil, readFrom: readFrom) { items.append(item) }
                case let .failure(error):
                    let (path, reason) = JSONReader.describe(error)
                    warnings.append("\(readFrom): post at \(path) skipped: \(reason)")
                }
            }
            return SourceExtraction(items: items, warnings: warnings)
        }
        if keys.contains("thread") {
            let dto = try reader.decode(ThreadDTO.self)
            guard let post = dto.thread?.post, let item = makeItem(post, reason: nil, parent: dto.thread?.parent?.value.post, readFrom: readFrom) else {
                throw SourceError.unexpectedJSON(source: readFrom, path: "$.thread.post", reason: "the thread has no readable post")
            }
            return SourceExtraction(items: [item], warnings: warnings)
        }
        if keys.contains("post") {
            let dto = try reader.decode(FeedViewPostDTO.self)
            guard let post = dto.post, let item = makeItem(post, reason: dto.reason, parent: dto.reply?.parent, readFrom: readFrom) else {
                throw SourceError.unexpectedJSON(source: readFrom, path: "$.post", reason: "the entry has no readable post")
            }
            return SourceExtraction(items: [item], warnings: warnings)
        }
        if keys.contains("uri") && keys.contains("record") {
            let post = try reader.decode(PostViewDTO.self)
            guard let item = makeItem(post, reason: nil, parent: nil, readFrom: readFrom) else {
                throw SourceError.unexpectedJSON(source: readFrom, path: "$.record", reason: "the post has no readable record")
            }
            return SourceExtraction(items: [item], warnings: warnings)
        }
        if keys.contains("uri") && keys.contains("value") {
            // `com.atproto.repo.getRecord`: a bare post record, without a hydrated author.
            let answer = try reader.decode(RecordAnswerDTO.self)
            let post = PostViewDTO(uri: answer.uri, cid: answer.cid, record: answer.value)
            guard answer.value?.text != nil, let item = makeItem(post, reason: nil, parent: nil, readFrom: readFrom) else {
                throw SourceError.unexpectedJSON(source: readFrom, path: "$.value", reason: "the record is not a post")
            }
            return SourceExtraction(items: [item], warnings: warnings)
        }
        if keys.contains("did") && keys.contains("handle") {
            let profile = try profile(from: capture.body, sourceURL: readFrom)
            let item = Item(
                sourceURL: profile.profileURL,
                canonicalURL: profile.profileURL,
                platform: "bluesky",
                author: profile.author,
                body: "",
                hashtags: Hashtags.find(in: [profile.bio ?? ""]),
                metadata: ["kind": "profile", "did": profile.did, "read_from": readFrom]
            )
            return SourceExtraction(items: [item], warnings: warnings)
        }
        throw SourceError.unexpectedJSON(
            source: readFrom, path: "$",
            reason: "expected an author feed, posts, a thread, a post, a post record or a profile, found \(shape.name)"
        )
    }

    // MARK: Items

    func makeItem(_ post: PostViewDTO, reason: ReasonDTO?, parent: PostViewDTO?, readFrom: String) -> Item? {
        guard let uri = post.uri.flatMap({ nonEmpty($0.value) }) else { return nil }
        let record = post.record
        let text = record?.text?.value ?? ""
        let author = post.author?.author
        let handle = post.author?.handle?.value
        let permalink = BlueskyAPI.permalink(uri: uri, handle: handle)

        let facets = FacetReading(text: text, facets: record?.facets ?? [])
        var links = facets.links
        var imageAlts: [String] = []
        var description: String?
        var metadata: [String: String] = ["uri": uri, "read_from": readFrom]
        if let cid = post.cid?.value { metadata["cid"] = cid }

        // Embedded media and quotes, from the view (hydrated) or else from the record itself.
        var embeds: [EmbedDTO] = []
        if let embed = post.embed { embeds.append(embed) } else if let embed = record?.embed { embeds.append(embed) }
        var visited = 0
        while let embed = embeds.popLast(), visited < 16 {
            visited += 1
            for image in embed.images ?? [] {
                if let alt = image.alt.flatMap({ nonEmpty(collapseWhitespace($0.value)) }) { imageAlts.append(alt) }
            }
            if let alt = embed.alt.flatMap({ nonEmpty(collapseWhitespace($0.value)) }) { imageAlts.append(alt) }
            if let external = embed.external, let url = external.uri.flatMap({ nonEmpty($0.value) }) {
                if !links.contains(where: { $0.url == url }) {
                    links.append(Link(url: url, text: external.title.map { collapseWhitespace($0.value) } ?? ""))
                }
                if description == nil { description = external.description.flatMap { nonEmpty(collapseWhitespace($0.value)) } }
            }
            if let media = embed.media?.value { embeds.append(media) }
            if let quoted = embed.record?.value {
                // `record#view` holds a viewRecord; `recordWithMedia#view` a record#view holding one.
                let viewRecord = quoted.record?.value ?? quoted
                if let quotedURI = viewRecord.uri?.value, quotedURI != uri {
                    metadata["quoted_uri"] = quotedURI
                    if let quotedHandle = viewRecord.author?.handle?.value { metadata["quoted_author"] = "@" + quotedHandle }
                    if let quotedText = viewRecord.value?.text.flatMap({ nonEmpty($0.value) }) {
                        description = quotedText
                    }
                }
            }
        }
        if let parentURI = parent?.uri?.value ?? record?.reply?.parent?.uri?.value { metadata["reply_to"] = parentURI }
        if !facets.mentions.isEmpty { metadata["mentions"] = facets.mentions.joined(separator: " ") }
        if let reason, let type = reason.type?.value {
            if type.hasSuffix("#reasonRepost"), let by = reason.by {
                if let reposter = by.handle?.value { metadata["reposted_by"] = "@" + reposter }
                if let name = by.displayName.flatMap({ nonEmpty($0.value) }) { metadata["reposted_by_name"] = name }
                if let at = reason.indexedAt?.value {
                    metadata["reposted_at"] = ISODate.parse(at).map(formatISO8601) ?? at
                }
            } else if type.hasSuffix("#reasonPin") {
                metadata["pinned"] = "true"
            }
        }
        let recordTags = (record?.tags ?? []).map(\.value)
        let hashtags = mergeHashtags(facets.tags, recordTags, Hashtags.find(in: [text] + imageAlts))
        let created = record?.createdAt.flatMap { ISODate.parse($0.value) } ?? post.indexedAt.flatMap { ISODate.parse($0.value) }
        return Item(
            sourceURL: permalink ?? uri,
            canonicalURL: permalink,
            platform: "bluesky",
            author: author,
            publishedAt: created,
            language: record?.langs?.first.map(\.value),
            description: description,
            body: text,
            imageAlts: imageAlts,
            links: links,
            hashtags: hashtags,
            metadata: metadata
        )
    }
}

/// Reads facets against the post text. Facet ranges are UTF-8 byte offsets (the lexicon says so),
/// never character or UTF-16 offsets; a range that is out of bounds or cuts a character is
/// ignored, but its feature value (tag, link, DID) is still used.
struct FacetReading {
    var tags: [String] = []
    var links: [Link] = []
    var mentions: [String] = []

    init(text: String, facets: [FacetDTO]) {
        let bytes = Array(text.utf8)
        for facet in facets {
            var slice: String?
            if let start = facet.index?.byteStart, let end = facet.index?.byteEnd, start >= 0, start < end, end <= bytes.count {
                slice = String(bytes: bytes[start..<end], encoding: .utf8)
            }
            for feature in facet.features ?? [] {
                let type = feature.type?.value ?? ""
                if type.hasSuffix("#tag"), let tag = feature.tag.flatMap({ nonEmpty($0.value) }) {
                    tags.append(tag.hasPrefix("#") ? tag : "#" + tag)
                } else if type.hasSuffix("#link"), let uri = feature.uri.flatMap({ nonEmpty($0.value) }) {
                    links.append(Link(url: uri, text: slice ?? uri))
                } else if type.hasSuffix("#mention"), let did = feature.did.flatMap({ nonEmpty($0.value) }) {
                    mentions.append(slice.flatMap { $0.hasPrefix("@") ? $0 : nil } ?? did)
                }
            }
        }
    }
}

// MARK: - Answer shapes (only the fields Netral reads; all optional, so missing fields are fine)

struct ProfileDTO: Decodable {
    var did: LenientString?
    var handle: LenientString?
    var displayName: LenientString?
    var description: LenientString?
    var postsCount: Int?

    var profile: BlueskyProfile? {
        guard let did = did.flatMap({ nonEmpty($0.value) }), let handle = handle.flatMap({ nonEmpty($0.value) }) else { return nil }
        return BlueskyProfile(
            did: did,
            handle: handle,
            displayName: displayName.flatMap { nonEmpty(collapseWhitespace($0.value)) },
            bio: description.flatMap { nonEmpty($0.value) },
            postsCount: postsCount
        )
    }

    /// The author of a post: handle, display name, profile URL (bio only if the view has it).
    var author: Author? {
        guard let handle = handle.flatMap({ nonEmpty($0.value) }) else { return nil }
        let who = handle == "handle.invalid" ? (did?.value ?? handle) : handle
        return Author(
            name: displayName.flatMap { nonEmpty(collapseWhitespace($0.value)) } ?? handle,
            handle: "@" + handle,
            profileURL: "https://bsky.app/profile/\(who)",
            bio: description.flatMap { nonEmpty($0.value) }
        )
    }
}

struct FeedDTO: Decodable {
    var feed: [Failable<FeedViewPostDTO>]?
    var cursor: LenientString?
}

struct PostsDTO: Decodable {
    var posts: [Failable<PostViewDTO>]?
}

struct ThreadDTO: Decodable {
    var thread: ThreadViewDTO?

    struct ThreadViewDTO: Decodable {
        var post: PostViewDTO?
        var parent: Box<ThreadViewDTO>?
    }
}

struct FeedViewPostDTO: Decodable {
    var post: PostViewDTO?
    var reason: ReasonDTO?
    var reply: ReplyDTO?

    struct ReplyDTO: Decodable {
        var parent: PostViewDTO?
    }
}

struct ReasonDTO: Decodable {
    var type: LenientString?
    var by: ProfileDTO?
    var indexedAt: LenientString?

    enum CodingKeys: String, CodingKey {
        case type = "$type"
        case by, indexedAt
    }
}

struct PostViewDTO: Decodable {
    var uri: LenientString?
    var cid: LenientString?
    var author: ProfileDTO?
    var record: PostRecordDTO?
    var embed: EmbedDTO?
    var indexedAt: LenientString?
}

struct RecordAnswerDTO: Decodable {
    var uri: LenientString?
    var cid: LenientString?
    var value: PostRecordDTO?
}

struct PostRecordDTO: Decodable {
    var text: LenientString?
    var createdAt: LenientString?
    var langs: [LenientString]?
    var facets: [FacetDTO]?
    var tags: [LenientString]?
    var embed: EmbedDTO?
    var reply: ReplyRefDTO?

    struct ReplyRefDTO: Decodable {
        var parent: StrongRefDTO?
    }

    struct StrongRefDTO: Decodable {
        var uri: LenientString?
    }
}

struct FacetDTO: Decodable {
    var index: ByteSliceDTO?
    var features: [FeatureDTO]?

    struct ByteSliceDTO: Decodable {
        var byteStart: Int?
        var byteEnd: Int?
    }

    struct FeatureDTO: Decodable {
        var type: LenientString?
        var did: LenientString?
        var uri: LenientString?
        var tag: LenientString?

        enum CodingKeys: String, CodingKey {
            case type = "$type"
            case did, uri, tag
        }
    }
}

/// Any embed, view or record form: images (`images[].alt`), video (`alt`), external card,
/// quoted record, and record-with-media (`media` plus `record`).
struct EmbedDTO: Decodable {
    var type: LenientString?
    var images: [ImageDTO]?
    var alt: LenientString?
    var external: ExternalDTO?
    var media: Box<EmbedDTO>?
    var record: Box<EmbedRecordDTO>?

    enum CodingKeys: String, CodingKey {
        case type = "$type"
        case images, alt, external, media, record
    }

    struct ImageDTO: Decodable {
        var alt: LenientString?
    }

    struct ExternalDTO: Decodable {
        var uri: LenientString?
        var title: LenientString?
        var description: LenientString?
    }
}

/// `app.bsky.embed.record#view` (whose `record` is a viewRecord) or a viewRecord itself.
struct EmbedRecordDTO: Decodable {
    var uri: LenientString?
    var author: ProfileDTO?
    var value: PostRecordDTO?
    var record: Box<EmbedRecordDTO>?
}
