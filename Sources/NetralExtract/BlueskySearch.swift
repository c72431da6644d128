public import Foundation
public import NetralModel

/// Bluesky keyword search (`app.bsky.feed.searchPosts`), which needs a signed-in session: an
/// app password exchanged once for an access token (`com.atproto.server.createSession`).
///
/// - SeeAlso: https://docs.bsky.app/docs/api/app-bsky-feed-search-posts
extension BlueskyAPI {
    /// The most posts one `searchPosts` page may hold.
    public static let maxSearchResultsPerPage = 100

    /// `com.atproto.server.createSession` (POST `{"identifier", "password"}`).
    public var createSessionURL: String { "\(baseURL)com.atproto.server.createSession" }

    /// `app.bsky.feed.searchPosts?q=&sort=latest&limit=&cursor=` : posts matching the query,
    /// newest first.
    public func searchPostsURL(query: String, limit: Int = 50, cursor: String? = nil) -> String {
        var url = "\(baseURL)app.bsky.feed.searchPosts?q=\(queryEscape(query))&sort=latest&limit=\(min(max(limit, 1), Self.maxSearchResultsPerPage))"
        if let cursor, !cursor.isEmpty { url += "&cursor=\(queryEscape(cursor))" }
        return url
    }

    /// The JSON body that signs in with an app password. The caller keeps it out of logs.
    public static func sessionRequest(identifier: String, appPassword: String) -> Data {
        (try? JSONEncoder().encode(["identifier": identifier, "password": appPassword])) ?? Data()
    }
}

/// A signed-in session: the access token for later calls and the account's DID. Its
/// description never shows the token.
public struct BlueskySession: Sendable, CustomStringConvertible {
    public var accessToken: String
    public var did: String
    public var description: String { "session of \(did)" }
}

/// One page of search results and the next page's cursor.
public struct BlueskySearchPage: Sendable, Equatable {
    public var items: [Item]
    public var cursor: String?
    public var warnings: [String]
}

extension BlueskyExtractor {
    /// The session of a `createSession` answer. Errors name the place, never a token.
    public func session(from capture: Capture) throws -> BlueskySession {
        let reader = try JSONReader(data: capture.body, source: capture.finalURL)
        let shape = try reader.shape()
        try reader.rejectErrorAnswer(shape)
        let answer = try reader.decode(SessionDTO.self)
        guard let token = answer.accessJwt.flatMap({ nonEmpty($0.value) }), let did = answer.did.flatMap({ nonEmpty($0.value) }) else {
            throw SourceError.unexpectedJSON(source: capture.finalURL, path: "$.accessJwt", reason: "the session answer has no access token or did")
        }
        return BlueskySession(accessToken: token, did: did)
    }

    /// The posts of a `searchPosts` answer and its cursor.
    public func searchPage(from capture: Capture) throws -> BlueskySearchPage {
        let reader = try JSONReader(data: capture.body, source: capture.finalURL)
        let shape = try reader.shape()
        try reader.rejectErrorAnswer(shape)
        guard shape.keys.contains("posts") else {
            throw SourceError.unexpectedJSON(source: capture.finalURL, path: "$.posts", reason: "expected search results, found \(shape.name)")
        }
        let answer = try reader.decode(SearchDTO.self)
        var warnings = reader.repairWarning.map { [$0] } ?? []
        var items: [Item] = []
        for (index, entry) in (answer.posts ?? []).enumerated() {
            switch entry.result {
            case let .success(post):
                guard var item = makeItem(post, reason: nil, parent: nil, readFrom: capture.finalURL) else {
                    warnings.append("\(capture.finalURL): post at $.posts[\(index)] has no uri; skipped")
                    continue
                }
                if let did = post.author?.did?.value { item.metadata["did"] = did }
                items.append(item)
            case let .failure(error):
                let (path, reason) = JSONReader.describe(error)
                warnings.append("\(capture.finalURL): post at \(path) skipped: \(reason)")
            }
        }
        return BlueskySearchPage(items: items, cursor: answer.cursor.flatMap { nonEmpty($0.value) }, warnings: warnings)
    }
}

struct SessionDTO: Decodable {
    var accessJwt: LenientString?
    var did: LenientString?
}

struct SearchDTO: Decodable {
    var posts: [Failable<PostViewDTO>]?
    var cursor: LenientString?
}
