public import Foundation
public import NetralModel

/// The public AppView listings of who interacted with one post: who liked it and who reposted
/// it (both paged by cursor) and its replies (the post thread).
///
/// - SeeAlso: https://docs.bsky.app/docs/api/app-bsky-feed-get-likes
extension BlueskyAPI {
    /// The most actors one `getLikes` or `getRepostedBy` page may hold.
    public static let maxActorsPerPage = 100

    /// `app.bsky.feed.getLikes?uri=&limit=&cursor=` : who liked the post.
    public func likesURL(uri: String, limit: Int = BlueskyAPI.maxActorsPerPage, cursor: String? = nil) -> String {
        listingURL("app.bsky.feed.getLikes", uri: uri, limit: limit, cursor: cursor)
    }

    /// `app.bsky.feed.getRepostedBy?uri=&limit=&cursor=` : who reposted the post.
    public func repostedByURL(uri: String, limit: Int = BlueskyAPI.maxActorsPerPage, cursor: String? = nil) -> String {
        listingURL("app.bsky.feed.getRepostedBy", uri: uri, limit: limit, cursor: cursor)
    }

    /// `app.bsky.feed.getPostThread?uri=&depth=&parentHeight=0` : the post and its replies.
    public func postThreadURL(uri: String, depth: Int = 1) -> String {
        "\(baseURL)app.bsky.feed.getPostThread?uri=\(queryEscape(uri))&depth=\(min(max(depth, 0), 1000))&parentHeight=0"
    }

    private func listingURL(_ method: String, uri: String, limit: Int, cursor: String?) -> String {
        var url = "\(baseURL)\(method)?uri=\(queryEscape(uri))&limit=\(min(max(limit, 1), Self.maxActorsPerPage))"
        if let cursor, !cursor.isEmpty { url += "&cursor=\(queryEscape(cursor))" }
        return url
    }
}

/// One page of a `getLikes` or `getRepostedBy` listing: the actors, the next page's cursor (nil
/// at the end) and the entries that could not be read.
public struct BlueskyActorPage: Sendable, Equatable {
    public var actors: [BlueskyProfile]
    public var cursor: String?
    public var warnings: [String]
}

extension BlueskyExtractor {
    /// The actors of a `getLikes` (`likes[].actor`) or `getRepostedBy` (`repostedBy[]`) answer.
    public func actorPage(from capture: Capture) throws -> BlueskyActorPage {
        let reader = try JSONReader(data: capture.body, source: capture.finalURL)
        let shape = try reader.shape()
        try reader.rejectErrorAnswer(shape)
        var warnings = reader.repairWarning.map { [$0] } ?? []
        var actors: [BlueskyProfile] = []
        func add(_ profile: ProfileDTO?, at path: String) {
            if let profile = profile?.profile { actors.append(profile) } else { warnings.append("\(capture.finalURL): actor at \(path) has no did or handle; skipped") }
        }
        let answer = try reader.decode(InteractionListDTO.self)
        if let likes = answer.likes {
            for (index, like) in likes.enumerated() {
                switch like.result {
                case let .success(entry): add(entry.actor, at: "$.likes[\(index)].actor")
                case let .failure(error):
                    let (path, reason) = JSONReader.describe(error)
                    warnings.append("\(capture.finalURL): like at \(path) skipped: \(reason)")
                }
            }
        } else if let reposts = answer.repostedBy {
            for (index, entry) in reposts.enumerated() {
                switch entry.result {
                case let .success(profile): add(profile, at: "$.repostedBy[\(index)]")
                case let .failure(error):
                    let (path, reason) = JSONReader.describe(error)
                    warnings.append("\(capture.finalURL): actor at \(path) skipped: \(reason)")
                }
            }
        } else {
            throw SourceError.unexpectedJSON(source: capture.finalURL, path: "$", reason: "expected 'likes' or 'repostedBy', found \(shape.name)")
        }
        return BlueskyActorPage(actors: actors, cursor: answer.cursor.flatMap { nonEmpty($0.value) }, warnings: warnings)
    }

    /// The replies of a `getPostThread` answer (`thread.replies`, and replies to them, breadth
    /// first, at most `limit`) as items, each with its author's DID in `metadata["did"]`.
    public func replies(from capture: Capture, limit: Int) throws -> SourceExtraction {
        let reader = try JSONReader(data: capture.body, source: capture.finalURL)
        let shape = try reader.shape()
        try reader.rejectErrorAnswer(shape)
        guard shape.keys.contains("thread") else {
            throw SourceError.unexpectedJSON(source: capture.finalURL, path: "$.thread", reason: "expected a post thread, found \(shape.name)")
        }
        let answer = try reader.decode(ThreadRepliesDTO.self)
        var warnings = reader.repairWarning.map { [$0] } ?? []
        var items: [Item] = []
        // Breadth first, so the cap keeps the direct replies; each node is visited once.
        var queue: [(node: ThreadRepliesDTO.Node, path: String)] = (answer.thread?.replies ?? []).enumerated().map { ($1.value, "$.thread.replies[\($0)]") }
        var next = 0
        while next < queue.count, items.count < limit {
            let (node, path) = queue[next]
            next += 1
            guard let post = node.post else { continue }  // blocked or not found: nothing to read
            guard var item = makeItem(post, reason: nil, parent: nil, readFrom: capture.finalURL) else {
                warnings.append("\(capture.finalURL): reply at \(path) has no readable post; skipped")
                continue
            }
            if let did = post.author?.did?.value { item.metadata["did"] = did }
            items.append(item)
            for (index, child) in (node.replies ?? []).enumerated() { queue.append((child.value, "\(path).replies[\(index)]")) }
        }
        return SourceExtraction(items: items, warnings: warnings)
    }
}

struct InteractionListDTO: Decodable {
    var likes: [Failable<LikeDTO>]?
    var repostedBy: [Failable<ProfileDTO>]?
    var cursor: LenientString?

    struct LikeDTO: Decodable {
        var actor: ProfileDTO?
    }
}

struct ThreadRepliesDTO: Decodable {
    var thread: Node?

    struct Node: Decodable {
        var post: PostViewDTO?
        var replies: [Box<Node>]?
    }
}
