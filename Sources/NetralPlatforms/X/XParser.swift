import Foundation
import NetralModel

/// Reads X (Twitter): web GraphQL answers a browser capture holds (`TweetDetail`,
/// `UserTweets`, `UserTweetsAndReplies`, `SearchTimeline`, `TweetResultByRestId`,
/// `UserByScreenName`) and the public embed answer for one post
/// (`cdn.syndication.twimg.com/tweet-result?id=…`).
///
/// Timelines are read from their `instructions` (`TimelineAddEntries`, `TimelinePinEntry`,
/// `TimelineReplaceEntry`, `TimelineAddToModule`): each tweet result (also inside
/// `TweetWithVisibilityResults`) becomes a post with `note_tweet` long text in place of the
/// cut `legacy.full_text`, t.co links expanded, media with their alt text, the author from
/// `core.user_results.result` (`rest_id`; `legacy` or the newer `core` / `profile_bio`
/// blocks). A retweet becomes the original post by its author, shared by the retweeter; a
/// quote keeps the quoted post as `quoted` (and its text as the item's description). The
/// bottom cursor is the next page's token.
public struct XParser: Sendable {
    public let limits: PlatformLimits

    public init(limits: PlatformLimits = .default) {
        self.limits = limits
    }

    public static func handles(url: String) -> Bool {
        guard let host = bareHost(url) else { return false }
        return ["x.com", "twitter.com", "api.x.com", "api.twitter.com", "cdn.syndication.twimg.com", "syndication.twitter.com"].contains(
            host)
    }

    public static func permalink(screenName: String?, id: String) -> String {
        "https://x.com/\(screenName ?? "i/web")/status/\(id)"
    }

    public func parse(_ input: PlatformInput) throws(PlatformParseError) -> PlatformPage {
        if let wall = CommonWalls.fromStatus(input)
            ?? CommonWalls.fromRedirect(input, loginPaths: ["/login", "/i/flow/login"], challengePaths: ["/account/access"])
        {
            return PlatformPage(platform: .x, wall: wall)
        }
        let first = input.body.first { $0 != 0x20 && $0 != 0x0A && $0 != 0x0D && $0 != 0x09 }
        guard first == UInt8(ascii: "{") else {
            if first == nil { throw PlatformParseError(platform: .x, url: input.url, reason: "the answer is empty") }
            if contains("/i/flow/login", in: input.body) || contains("\"loginButton\"", in: input.body) {
                return PlatformPage(platform: .x, wall: PlatformWall(.loginRequired, "X served its login page"))
            }
            throw PlatformParseError(platform: .x, url: input.url, reason: "expected a JSON answer (GraphQL or tweet-result)")
        }
        var book = NoteBook(limits: limits)
        let document = try JSONDocument(bytes: input.body, platform: .x, url: input.url, location: "the answer", limits: limits)
        if let note = document.repairNote { book.add(note) }
        let root = document.root
        var reader = Reader(input: input, limits: limits, book: book)
        if root["data"].isObject {
            reader.readGraphQL(root["data"])
        } else if root["__typename"].exists || root["id_str"].exists {
            reader.readSyndication(root)
        }
        if reader.posts.isEmpty, reader.profiles.profiles.isEmpty {
            if let wall = reader.wall ?? Self.errorsWall(root) { return PlatformPage(platform: .x, wall: wall, notes: reader.book.notes) }
            if root["data"].isObject {
                // `{"data": {}}` is what UserByScreenName answers for a handle nobody has.
                if root["data"].keys.isEmpty || root.at("data", "user").exists == false && root["data"].keys == ["user"] {
                    return PlatformPage(platform: .x, wall: PlatformWall(.notFound, "the answer's data is empty (no such account or post)"))
                }
                return PlatformPage(platform: .x, next: reader.next, notes: reader.book.notes)
            }
            throw PlatformParseError(
                platform: .x, url: input.url, location: "$",
                reason: "neither a GraphQL answer (data) nor a tweet-result (keys: \(root.keys.sorted().prefix(8).joined(separator: ", ")))"
            )
        }
        return PlatformPage(
            platform: .x, wall: reader.posts.isEmpty ? reader.wall : nil, posts: reader.posts,
            profiles: reader.profiles.profiles, next: reader.next, notes: reader.book.notes)
    }

    /// `{"errors": [{"code": 88, "message": "Rate limit exceeded"}]}` and the other codes X
    /// answers with instead of data.
    static func errorsWall(_ root: JSONNode) -> PlatformWall? {
        guard let error = root["errors"].array.first else { return nil }
        let code = error["code"].int ?? 0
        let message = error["message"].text ?? "no message"
        let said = "X error \(code): \(message)"
        switch code {
        case 88: return PlatformWall(.rateLimited, said)
        case 326, 366: return PlatformWall(.challenge, said)
        case 32, 89, 99, 200, 215, 239, 353: return PlatformWall(.loginRequired, said)
        case 179: return PlatformWall(.privateContent, said)
        case 34, 50, 63, 144, 421, 422: return PlatformWall(.notFound, said)
        default:
            let lowered = message.lowercased()
            if lowered.contains("rate limit") { return PlatformWall(.rateLimited, said) }
            if lowered.contains("authenticat") || lowered.contains("login") { return PlatformWall(.loginRequired, said) }
            return PlatformWall(.notFound, said)
        }
    }

    struct Reader {
        let input: PlatformInput
        let limits: PlatformLimits
        var book: NoteBook
        var posts: [PlatformPost] = []
        var seen = Set<String>()
        var profiles = ProfileSet()
        var next: PageCursor?
        var wall: PlatformWall?
        var dropped = 0

        init(input: PlatformInput, limits: PlatformLimits, book: NoteBook) {
            self.input = input
            self.limits = limits
            self.book = book
        }

        // MARK: GraphQL

        mutating func readGraphQL(_ data: JSONNode) {
            for holder in data.all(withKey: "instructions") {
                for instruction in holder["instructions"].array { readInstruction(instruction) }
            }
            // A single tweet (TweetResultByRestId) or a user (UserByScreenName).
            if let result = data.at("tweetResult", "result").exists ? data.at("tweetResult", "result") : nil {
                addTweet(result, path: "$.data.tweetResult.result")
            }
            let user = data.at("user", "result")
            if user.exists {
                if user["__typename"].text == "UserUnavailable" {
                    let reason = user["reason"].text ?? user["message"].text ?? "unavailable"
                    wall = PlatformWall(reason.lowercased().contains("protect") ? .privateContent : .notFound, "the account is \(reason)")
                } else {
                    addUser(user)
                    if (user.at("legacy", "protected").bool ?? user.at("privacy", "protected").bool) == true, posts.isEmpty {
                        wall = PlatformWall(.privateContent, "the account's posts are protected")
                    }
                }
            }
        }

        mutating func readInstruction(_ instruction: JSONNode) {
            let type = instruction["type"].text ?? ""
            switch type {
            case "TimelineAddEntries":
                for entry in instruction["entries"].array { readEntry(entry) }
            case "TimelinePinEntry", "TimelineReplaceEntry":
                readEntry(instruction["entry"])
            case "TimelineAddToModule":
                for item in instruction["moduleItems"].array {
                    readItemContent(item.at("item", "itemContent"), path: item["entryId"].text ?? "module item")
                }
            default:
                break
            }
        }

        mutating func readEntry(_ entry: JSONNode) {
            let content = entry["content"]
            let entryID = entry["entryId"].text ?? "entry"
            if content["cursorType"].text == "Bottom" || entryID.hasPrefix("cursor-bottom"), let value = content["value"].text {
                next = PageCursor(token: value)
                return
            }
            if content["itemContent"].exists { readItemContent(content["itemContent"], path: entryID) }
            for item in content["items"].array { readItemContent(item.at("item", "itemContent"), path: item["entryId"].text ?? entryID) }
        }

        mutating func readItemContent(_ content: JSONNode, path: String) {
            if content["tweet_results"].exists { addTweet(content.at("tweet_results", "result"), path: path) }
            if content["user_results"].exists { addUser(content.at("user_results", "result")) }
            if content["cursorType"].text == "Bottom", let value = content["value"].text { next = PageCursor(token: value) }
        }

        /// The tweet object under `TweetWithVisibilityResults` and the like.
        static func unwrap(_ result: JSONNode) -> JSONNode {
            result["tweet"].isObject && !result["legacy"].isObject ? result["tweet"] : result
        }

        mutating func addTweet(_ raw: JSONNode, path: String) {
            let result = Self.unwrap(raw)
            switch result["__typename"].text {
            case "TweetTombstone", "TweetUnavailable":
                let text = result.at("tombstone", "text", "text").text ?? result["reason"].text ?? "unavailable"
                book.add("\(input.url): \(path): a post X shows as unavailable (\(text)); skipped")
                return
            default:
                break
            }
            let legacy = result["legacy"]
            guard legacy.isObject, let id = result["rest_id"].text ?? legacy["id_str"].text else {
                book.add("\(input.url): \(path): a tweet result without rest_id or legacy; skipped")
                return
            }
            let userNode = result.at("core", "user_results", "result")
            let author = Self.author(userNode, book: &book)
            addUser(userNode)
            // A retweet: the post is the original, shared by this account.
            let retweeted = Self.unwrap(legacy.at("retweeted_status_result", "result"))
            if retweeted["legacy"].isObject {
                let before = posts.count
                addTweet(retweeted, path: path + ".retweeted_status_result")
                if posts.count > before, let sharer = author {
                    posts[posts.count - 1].sharedBy = sharer
                    posts[posts.count - 1].item.metadata["reposted_by"] = sharer.handle
                }
                return
            }
            guard seen.insert(id).inserted else { return }
            guard posts.count < limits.maxPostsPerAnswer else {
                dropped += 1
                if dropped == 1 { book.add("\(input.url): posts past the first \(limits.maxPostsPerAnswer) left out") }
                return
            }
            let note = result.at("note_tweet", "note_tweet_results", "result")
            let text: String
            let entities: JSONNode
            if let long = note["text"].string {
                text = long
                entities = note["entity_set"]
            } else {
                text = legacy["full_text"].string ?? legacy["text"].string ?? ""
                entities = legacy["entities"]
            }
            let mediaEntities =
                legacy.at("extended_entities", "media").isArray ? legacy.at("extended_entities", "media") : legacy.at("entities", "media")
            let (body, links) = Self.expand(text, entities: entities, media: mediaEntities)
            let cappedBody = book.cap(body, "\(input.url): text of post \(id)")
            var pictures: [MediaRef] = []
            for media in mediaEntities.array {
                guard pictures.count < limits.maxMediaPerPost, let url = absoluteURL(media["media_url_https"].text, base: input.url) else {
                    continue
                }
                let kind: MediaRef.Kind = media["type"].text == "photo" ? .image : .videoCover
                pictures.append(MediaRef(url: url, kind: kind, alt: nonEmptyText(media["ext_alt_text"].string)))
            }
            var quoted: PostReference?
            let quotedResult = Self.unwrap(result.at("quoted_status_result", "result"))
            if quotedResult["legacy"].isObject {
                let quotedUser = quotedResult.at("core", "user_results", "result")
                let quotedAuthor = Self.author(quotedUser, book: &book)
                let quotedText =
                    quotedResult.at("note_tweet", "note_tweet_results", "result", "text").string
                    ?? quotedResult.at("legacy", "full_text").string ?? ""
                let quotedID = quotedResult["rest_id"].text
                quoted = PostReference(
                    postID: quotedID,
                    url: quotedID.map { XParser.permalink(screenName: quotedAuthor?.handle.map { String($0.dropFirst()) }, id: $0) },
                    accountID: quotedAuthor?.accountID, accountHandle: quotedAuthor?.handle, accountName: quotedAuthor?.name,
                    text: book.cap(
                        Self.expand(quotedText, entities: quotedResult.at("legacy", "entities"), media: .missing).0,
                        "\(input.url): quoted text in post \(id)"))
                addUser(quotedUser)
            }
            var replyTo: PostReference?
            if let parent = legacy["in_reply_to_status_id_str"].text {
                let parentHandle = legacy["in_reply_to_screen_name"].text
                replyTo = PostReference(
                    postID: parent, url: XParser.permalink(screenName: parentHandle, id: parent),
                    accountID: legacy["in_reply_to_user_id_str"].text, accountHandle: parentHandle.map { "@" + $0 })
            }
            let listedTags = entities["hashtags"].array.compactMap { $0["text"].text }
            let screenName = author?.handle.map { String($0.dropFirst()) }
            let permalink = XParser.permalink(screenName: screenName, id: id)
            let item = Item(
                sourceURL: permalink,
                canonicalURL: permalink,
                platform: Platform.x.rawValue,
                author: author,
                publishedAt: Self.twitterDate(legacy["created_at"].text),
                language: legacy["lang"].text.flatMap { ["und", "zxx", "qme", "qht"].contains($0) ? nil : $0 },
                description: quoted?.text,
                body: cappedBody,
                imageAlts: pictures.compactMap(\.alt),
                links: links,
                hashtags: hashtags(in: [cappedBody], listed: listedTags)
            )
            let counts = EngagementCounts(
                likes: legacy["favorite_count"].int, comments: legacy["reply_count"].int,
                shares: (legacy["retweet_count"].int ?? 0) + (legacy["quote_count"].int ?? 0),
                views: result.at("views", "count").int, saves: legacy["bookmark_count"].int)
            posts.append(
                PlatformPost(
                    item: item, postID: id, media: pictures, counts: counts, replyTo: replyTo, quoted: quoted,
                    kind: replyTo == nil ? "post" : "reply"))
        }

        // MARK: Syndication (embed)

        mutating func readSyndication(_ root: JSONNode) {
            if root["__typename"].text == "TweetTombstone" {
                wall = PlatformWall(.notFound, root.at("tombstone", "text", "text").text ?? "the post is unavailable (TweetTombstone)")
                return
            }
            guard let id = root["id_str"].text else {
                book.add("\(input.url): a tweet-result without id_str; skipped")
                return
            }
            let user = root["user"]
            let author = Self.author(user, book: &book)
            if let author {
                profiles.add(
                    AccountProfile(
                        platform: Platform.x.rawValue, accountID: author.accountID, handle: author.handle,
                        displayName: author.name, profileURL: author.profileURL, observedAt: input.receivedAt))
            }
            let (body, links) = Self.expand(root["text"].string ?? "", entities: root["entities"], media: root.at("entities", "media"))
            let cappedBody = book.cap(body, "\(input.url): text of post \(id)")
            var pictures: [MediaRef] = []
            for media in root["mediaDetails"].array {
                guard pictures.count < limits.maxMediaPerPost, let url = absoluteURL(media["media_url_https"].text, base: input.url) else {
                    continue
                }
                pictures.append(
                    MediaRef(
                        url: url, kind: media["type"].text == "photo" ? .image : .videoCover,
                        alt: nonEmptyText(media["ext_alt_text"].string)))
            }
            var quoted: PostReference?
            let quotedNode = root["quoted_tweet"]
            if quotedNode.isObject {
                let quotedHandle = quotedNode.at("user", "screen_name").text
                quoted = PostReference(
                    postID: quotedNode["id_str"].text,
                    url: quotedNode["id_str"].text.map { XParser.permalink(screenName: quotedHandle, id: $0) },
                    accountID: quotedNode.at("user", "id_str").text, accountHandle: quotedHandle.map { "@" + $0 },
                    accountName: quotedNode.at("user", "name").text,
                    text: quotedNode["text"].string.map { book.cap(decodeEntities($0), "\(input.url): quoted text") })
            }
            var replyTo: PostReference?
            if let parent = root["in_reply_to_status_id_str"].text {
                let parentHandle = root["in_reply_to_screen_name"].text
                replyTo = PostReference(
                    postID: parent, url: XParser.permalink(screenName: parentHandle, id: parent),
                    accountID: root.at("parent", "user", "id_str").text, accountHandle: parentHandle.map { "@" + $0 },
                    text: root.at("parent", "text").string)
            }
            let permalink = XParser.permalink(screenName: author?.handle.map { String($0.dropFirst()) }, id: id)
            let item = Item(
                sourceURL: permalink, canonicalURL: permalink, platform: Platform.x.rawValue, author: author,
                publishedAt: parseISODate(root["created_at"].text) ?? Self.twitterDate(root["created_at"].text),
                language: root["lang"].text, description: quoted?.text, body: cappedBody,
                imageAlts: pictures.compactMap(\.alt), links: links,
                hashtags: hashtags(in: [cappedBody], listed: root.at("entities", "hashtags").array.compactMap { $0["text"].text }))
            let counts = EngagementCounts(likes: root["favorite_count"].int, comments: root["conversation_count"].int)
            posts.append(
                PlatformPost(
                    item: item, postID: id, media: pictures, counts: counts.isEmpty ? nil : counts, replyTo: replyTo,
                    quoted: quoted, kind: replyTo == nil ? "post" : "reply"))
        }

        // MARK: Users

        static func author(_ user: JSONNode, book: inout NoteBook) -> Author? {
            guard user.isObject else { return nil }
            let legacy = user["legacy"]
            guard let screenName = user.at("core", "screen_name").text ?? legacy["screen_name"].text ?? user["screen_name"].text else {
                return nil
            }
            let name = user.at("core", "name").text ?? legacy["name"].text ?? user["name"].text
            let bio = user.at("profile_bio", "description").string ?? legacy["description"].string
            return Author(
                name: name, handle: "@" + screenName, profileURL: "https://x.com/\(screenName)",
                bio: nonEmptyText(bio).map { book.cap(decodeEntities($0), "bio of @\(screenName)") },
                accountID: user["rest_id"].text ?? legacy["id_str"].text ?? user["id_str"].text)
        }

        mutating func addUser(_ user: JSONNode) {
            guard let author = Self.author(user, book: &book) else { return }
            let legacy = user["legacy"]
            var links: [String] = []
            for url in legacy.at("entities", "url", "urls").array + user.at("profile_bio", "entities", "url", "urls").array
                + legacy.at("entities", "description", "urls").array
            {
                if let expanded = url["expanded_url"].text, !links.contains(expanded) { links.append(expanded) }
            }
            var fields: [String: String] = [:]
            if let location = user.at("location", "location").text ?? legacy["location"].text { fields["location"] = location }
            if (legacy["protected"].bool ?? user.at("privacy", "protected").bool) == true { fields["protected"] = "true" }
            if let followers = legacy["followers_count"].int ?? user.at("relationship_counts", "followers").int {
                fields["followers"] = String(followers)
            }
            if let type = user.at("verification", "verified_type").text { fields["verified_type"] = type }
            let category = user.at("professional", "category", 0, "name").text
            profiles.add(
                AccountProfile(
                    platform: Platform.x.rawValue, accountID: author.accountID, handle: author.handle,
                    displayName: author.name, bio: author.bio, links: links, category: category, fields: fields,
                    profileURL: author.profileURL, observedAt: input.receivedAt))
        }

        // MARK: Text

        /// The text with t.co links replaced by where they lead, media links removed and
        /// HTML entities (`&amp;`) decoded; the links it holds.
        static func expand(_ text: String, entities: JSONNode, media: JSONNode) -> (String, [Link]) {
            var result = text
            var links: [Link] = []
            for url in entities["urls"].array {
                guard let short = url["url"].text else { continue }
                let expanded = url["expanded_url"].text ?? short
                result = result.replacingOccurrences(of: short, with: expanded)
                links.append(Link(url: expanded, text: url["display_url"].text ?? expanded))
            }
            for item in media.array {
                if let short = item["url"].text { result = result.replacingOccurrences(of: short, with: "") }
            }
            return (tidy(decodeEntities(result)), links)
        }

        /// `Thu Apr 20 23:21:13 +0000 2023`.
        static func twitterDate(_ text: String?) -> Date? {
            guard let parts = text?.split(separator: " "), parts.count == 6 else { return nil }
            let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
            guard let monthIndex = months.firstIndex(of: String(parts[1])), let day = Int(parts[2]), let year = Int(parts[5]) else {
                return nil
            }
            let iso = String(format: "%04d-%02d-%02dT%@%@", year, monthIndex + 1, day, String(parts[3]), Self.offset(String(parts[4])))
            return parseISODate(iso)
        }

        private static func offset(_ text: String) -> String {
            guard text.count == 5 else { return "Z" }
            return String(text.prefix(3)) + ":" + String(text.suffix(2))
        }
    }
}
