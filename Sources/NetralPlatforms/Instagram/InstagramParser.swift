import Foundation
import NetralModel

/// Reads Instagram post and profile data wherever a page or a captured answer carries it:
///
/// - pages of the older web format: `window._sharedData = {...}` with
///   `entry_data.PostPage[0].graphql.shortcode_media` or `entry_data.ProfilePage[0].graphql.user`;
/// - today's pages: `<script type="application/json">` Relay blocks holding
///   `xdt_api__v1__media__shortcode__web_info.items` (a post), `xdt_shortcode_media`,
///   `xdt_api__v1__feed__user_timeline_graphql_connection` (a profile's posts) or a user object;
/// - captured GraphQL and API answers with the same objects (`web_profile_info`'s
///   `data.user`, `api/v1/media/…/info`'s `items`);
/// - `application/ld+json` on a post page, when nothing else is there.
///
/// Two media shapes are read: GraphQL (`shortcode`, `edge_media_to_caption`,
/// `taken_at_timestamp`, `owner`, `display_url`) and API v1 (`code`, `caption.text`,
/// `taken_at`, `user`, `image_versions2`, `carousel_media`). Both give the caption, the owner
/// (id, username, full name), the time, the location, the pictures with their alt text
/// (`accessibility_caption`) and collaborators (`coauthor_producers`).
public struct InstagramParser: Sendable {
    public let limits: PlatformLimits

    public init(limits: PlatformLimits = .default) {
        self.limits = limits
    }

    public static func handles(url: String) -> Bool {
        guard let host = bareHost(url) else { return false }
        return host == "instagram.com" || host.hasSuffix(".instagram.com")
    }

    public static func profileURL(username: String) -> String { "https://www.instagram.com/\(username)/" }

    public func parse(_ input: PlatformInput) throws(PlatformParseError) -> PlatformPage {
        if let wall = CommonWalls.fromStatus(input)
            ?? CommonWalls.fromRedirect(input, loginPaths: ["/accounts/login"], challengePaths: ["/challenge", "/accounts/suspended"])
        {
            return PlatformPage(platform: .instagram, wall: wall)
        }
        var book = NoteBook(limits: limits)
        let body = input.body
        let first = body.first { $0 != 0x20 && $0 != 0x0A && $0 != 0x0D && $0 != 0x09 }
        guard first != nil else { throw PlatformParseError(platform: .instagram, url: input.url, reason: "the answer is empty") }
        var roots: [JSONNode] = []
        var ldJSON: [JSONNode] = []
        if first == UInt8(ascii: "{") || first == UInt8(ascii: "[") {
            let document = try JSONDocument(bytes: body, platform: .instagram, url: input.url, location: "the answer", limits: limits)
            if let note = document.repairNote { book.add(note) }
            if let wall = Self.answerWall(document.root) { return PlatformPage(platform: .instagram, wall: wall) }
            roots.append(document.root)
        } else {
            switch EmbeddedJSON.assignedObject(after: "window._sharedData = ", in: body) {
            case let .found(data):
                let document = try JSONDocument(
                    bytes: data, platform: .instagram, url: input.url, location: "window._sharedData", limits: limits)
                if let note = document.repairNote { book.add(note) }
                roots.append(document.root)
            case let .truncated(offset):
                book.add("\(input.url): window._sharedData at byte \(offset) never closes (truncated page); not read")
            case .missing:
                break
            }
            for script in EmbeddedJSON.jsonScripts(in: body, containingAny: Self.relayMarkers + ["schema.org"], ldJSON: true) {
                let isLinkedData = contains("schema.org", in: script) && !Self.relayMarkers.contains { contains($0, in: script) }
                do {
                    let document = try JSONDocument(
                        bytes: script, platform: .instagram, url: input.url,
                        location: isLinkedData ? "ld+json" : "a Relay script", limits: limits)
                    if let note = document.repairNote { book.add(note) }
                    if isLinkedData { ldJSON.append(document.root) } else { roots.append(document.root) }
                } catch {
                    book.add(error.description)
                }
            }
        }
        var reader = Reader(input: input, limits: limits, book: book)
        for root in roots { reader.read(root) }
        if reader.posts.isEmpty {
            for node in ldJSON { reader.readLinkedData(node) }
        }
        if reader.posts.isEmpty, reader.profiles.profiles.isEmpty {
            if let wall = reader.wall ?? Self.pageWall(body, input: input) {
                return PlatformPage(platform: .instagram, wall: wall, notes: reader.book.notes)
            }
            throw PlatformParseError(
                platform: .instagram, url: input.url,
                reason: roots.isEmpty
                    ? "no post or profile data in the page (no _sharedData, Relay or ld+json block)"
                    : "the answer holds no post or profile this parser knows")
        }
        return PlatformPage(
            platform: .instagram, wall: reader.posts.isEmpty ? reader.wall : nil, posts: reader.posts,
            profiles: reader.profiles.profiles, next: reader.next, notes: reader.book.notes)
    }

    /// Keys that mark a Relay script worth parsing (pages carry dozens of other scripts).
    static let relayMarkers = [
        "xdt_api__v1__media__shortcode__web_info", "xdt_shortcode_media", "xdt_api__v1__feed__user_timeline_graphql_connection",
        "\"biography\"",
    ]

    /// `{"status":"fail", "message": ..., "require_login": true}` and friends.
    static func answerWall(_ root: JSONNode) -> PlatformWall? {
        let message = root["message"].text
        let lowered = message?.lowercased() ?? ""
        if root["checkpoint_url"].exists || lowered.contains("checkpoint") || lowered.contains("challenge") {
            return PlatformWall(.challenge, "Instagram asks for a checkpoint: \(message ?? "checkpoint_url")")
        }
        if root["spam"].bool == true || lowered.contains("wait a few minutes") || lowered.contains("rate limit") {
            return PlatformWall(.rateLimited, "Instagram: \(message ?? "spam")")
        }
        if root["require_login"].bool == true || lowered.contains("login_required") || lowered.contains("login required") {
            return PlatformWall(.loginRequired, "Instagram requires a login: \(message ?? "require_login")")
        }
        if root["status"].text == "fail", !root["data"].exists {
            return PlatformWall(.notFound, "Instagram answered status fail: \(message ?? "no message")")
        }
        if root["data"].isObject, root["data"].keys.contains("user"), !root.at("data", "user").exists {
            return PlatformWall(.notFound, "data.user is null (no such account)")
        }
        return nil
    }

    /// A login page or the "page isn't available" page served with a 200.
    static func pageWall(_ page: Data, input: PlatformInput) -> PlatformWall? {
        if contains("Sorry, this page isn&#039;t available", in: page) || contains("Sorry, this page isn't available", in: page)
            || contains("Page Not Found &bull; Instagram", in: page) || contains("HttpErrorPage", in: page)
        {
            return PlatformWall(.notFound, "Instagram's \"page isn't available\" page")
        }
        if contains("/challenge/", in: page) && contains("checkpoint", in: page) {
            return PlatformWall(.challenge, "Instagram's checkpoint page")
        }
        if contains("loginForm", in: page) || contains("\"LoginAndSignupPage\"", in: page) || contains("/accounts/login/", in: page) {
            return PlatformWall(.loginRequired, "Instagram served its login page instead of the post or profile")
        }
        return nil
    }

    // MARK: Reading

    struct Reader {
        let input: PlatformInput
        let limits: PlatformLimits
        var book: NoteBook
        var posts: [PlatformPost] = []
        var seenPosts = Set<String>()
        var profiles = ProfileSet()
        var next: PageCursor?
        var wall: PlatformWall?
        var dropped = 0

        init(input: PlatformInput, limits: PlatformLimits, book: NoteBook) {
            self.input = input
            self.limits = limits
            self.book = book
        }

        static let keys: Set<String> = [
            "shortcode_media", "xdt_shortcode_media", "xdt_api__v1__media__shortcode__web_info",
            "xdt_api__v1__feed__user_timeline_graphql_connection", "biography",
        ]

        mutating func read(_ root: JSONNode) {
            let holders = root.all(withKeys: Self.keys)
            // Post pages and answers.
            for holder in holders["shortcode_media"] ?? [] { addGraphQLMedia(holder["shortcode_media"]) }
            for holder in holders["xdt_shortcode_media"] ?? [] { addGraphQLMedia(holder["xdt_shortcode_media"]) }
            for holder in holders["xdt_api__v1__media__shortcode__web_info"] ?? [] {
                for media in holder.at("xdt_api__v1__media__shortcode__web_info", "items").array { addV1Media(media) }
            }
            // A profile's posts.
            for holder in holders["xdt_api__v1__feed__user_timeline_graphql_connection"] ?? [] {
                let connection = holder["xdt_api__v1__feed__user_timeline_graphql_connection"]
                for edge in connection["edges"].array { addV1Media(edge["node"]) }
                readPageInfo(connection["page_info"])
            }
            // API v1 answers (`media/…/info`, `feed/user/…`): a top-level items array.
            if root["items"].isArray {
                for media in root["items"].array where media["taken_at"].exists || media["code"].exists { addV1Media(media) }
                if root["more_available"].bool == true, let maxID = root["next_max_id"].text { next = PageCursor(token: maxID) }
            }
            // Users: a profile page's owner, `web_profile_info`'s `data.user`.
            for holder in holders["biography"] ?? [] where holder["username"].exists {
                addProfile(holder)
                let timeline = holder["edge_owner_to_timeline_media"]
                for edge in timeline["edges"].array { addGraphQLMedia(edge["node"], owner: holder) }
                readPageInfo(timeline["page_info"])
                if holder["is_private"].bool == true, timeline["edges"].array.isEmpty {
                    wall = PlatformWall(.privateContent, "the account is private (is_private)")
                }
            }
        }

        mutating func readPageInfo(_ info: JSONNode) {
            guard info["has_next_page"].bool == true, let cursor = info["end_cursor"].text else { return }
            next = PageCursor(token: cursor)
        }

        mutating func reserve(_ code: String) -> Bool {
            guard seenPosts.insert(code).inserted else { return false }
            guard posts.count < limits.maxPostsPerAnswer else {
                dropped += 1
                if dropped == 1 { book.add("\(input.url): posts past the first \(limits.maxPostsPerAnswer) left out") }
                return false
            }
            return true
        }

        // MARK: GraphQL media

        mutating func addGraphQLMedia(_ media: JSONNode, owner fallbackOwner: JSONNode = .missing) {
            guard media.isObject else { return }
            guard let code = media["shortcode"].text else {
                book.add("\(input.url): a GraphQL media without a shortcode; skipped")
                return
            }
            guard reserve(code) else { return }
            // A profile's own posts name their owner by id only: the profile says the rest.
            var ownerNode = media["owner"].isObject ? media["owner"] : fallbackOwner
            if fallbackOwner.isObject, ownerNode["full_name"].text == nil,
                ownerNode["id"].text == nil || ownerNode["id"].text == fallbackOwner["id"].text
            {
                ownerNode = fallbackOwner
            }
            let author = author(ownerNode)
            if ownerNode["username"].exists { addProfile(ownerNode) }
            let caption = media.at("edge_media_to_caption", "edges", 0, "node", "text").string ?? ""
            var pictures: [MediaRef] = []
            let children = media.at("edge_sidecar_to_children", "edges").array.map { $0["node"] }
            for node in children.isEmpty ? [media] : children {
                guard pictures.count < limits.maxMediaPerPost else { break }
                let alt = nonEmptyText(node["accessibility_caption"].string)
                if let url = absoluteURL(node["display_url"].text, base: input.url) {
                    pictures.append(MediaRef(url: url, kind: node["is_video"].bool == true ? .videoCover : .image, alt: alt))
                }
            }
            let counts = EngagementCounts(
                likes: media.at("edge_media_preview_like", "count").int ?? media.at("edge_liked_by", "count").int,
                comments: media.at("edge_media_to_parent_comment", "count").int ?? media.at("edge_media_to_comment", "count").int,
                views: media["video_view_count"].int ?? media["video_play_count"].int)
            let coAuthors = media["coauthor_producers"].array.compactMap { self.author($0) }
            for coAuthor in media["coauthor_producers"].array { addProfile(coAuthor) }
            addPost(
                code: code, author: author, caption: caption, title: media["title"].text,
                takenAt: media["taken_at_timestamp"].int, pictures: pictures, counts: counts,
                location: media.at("location", "name").text, coAuthors: coAuthors,
                isVideo: media["is_video"].bool == true || media["product_type"].text == "clips")
        }

        // MARK: API v1 media

        mutating func addV1Media(_ media: JSONNode) {
            guard media.isObject else { return }
            guard let code = media["code"].text else {
                book.add("\(input.url): an API media without a code; skipped")
                return
            }
            guard reserve(code) else { return }
            let ownerNode = media["user"].isObject ? media["user"] : media["owner"]
            let author = author(ownerNode)
            if ownerNode["username"].exists { addProfile(ownerNode) }
            let caption = media.at("caption", "text").string ?? ""
            var pictures: [MediaRef] = []
            let carousel = media["carousel_media"].array
            for node in carousel.isEmpty ? [media] : carousel {
                guard pictures.count < limits.maxMediaPerPost else { break }
                let alt = nonEmptyText(node["accessibility_caption"].string)
                if let url = absoluteURL(node.at("image_versions2", "candidates", 0, "url").text, base: input.url) {
                    pictures.append(MediaRef(url: url, kind: node["video_versions"].isArray ? .videoCover : .image, alt: alt))
                }
            }
            let counts = EngagementCounts(
                likes: media["like_count"].int, comments: media["comment_count"].int,
                views: media["play_count"].int ?? media["view_count"].int)
            let coAuthors = media["coauthor_producers"].array.compactMap { self.author($0) }
            for coAuthor in media["coauthor_producers"].array { addProfile(coAuthor) }
            addPost(
                code: code, author: author, caption: caption, title: media["title"].text,
                takenAt: media["taken_at"].int, pictures: pictures, counts: counts, location: media.at("location", "name").text,
                coAuthors: coAuthors, isVideo: media["media_type"].int == 2 || media["product_type"].text == "clips")
        }

        mutating func addPost(
            code: String, author: Author?, caption: String, title: String?, takenAt: Int?,
            pictures: [MediaRef], counts: EngagementCounts, location: String?, coAuthors: [Author], isVideo: Bool
        ) {
            let permalink = "https://www.instagram.com/\(isVideo ? "reel" : "p")/\(code)/"
            let body = book.cap(tidy(caption), "\(input.url): caption of \(code)")
            let alts = pictures.compactMap(\.alt).map { book.cap($0, "\(input.url): alt text of \(code)") }
            let item = Item(
                sourceURL: permalink,
                canonicalURL: permalink,
                platform: Platform.instagram.rawValue,
                author: author,
                publishedAt: unixDate(takenAt),
                title: title.map { book.cap(tidy($0), "\(input.url): title of \(code)") },
                body: body,
                imageAlts: alts,
                hashtags: hashtags(in: [body])
            )
            posts.append(
                PlatformPost(
                    item: item, postID: code, media: pictures, counts: counts.isEmpty ? nil : counts,
                    location: location, coAuthors: coAuthors, kind: isVideo ? "video" : "post"))
        }

        // MARK: Accounts

        func author(_ node: JSONNode) -> Author? {
            guard node.isObject, let username = node["username"].text else { return nil }
            return Author(
                name: node["full_name"].text, handle: "@" + username, profileURL: InstagramParser.profileURL(username: username),
                bio: node["biography"].text.map { tidy($0) }, accountID: node["pk"].text ?? node["id"].text ?? node["pk_id"].text)
        }

        mutating func addProfile(_ node: JSONNode) {
            guard var author = author(node) else { return }
            author.bio = author.bio.map { book.cap(tidy($0), "\(input.url): biography of \(author.handle ?? "")") }
            var links: [String] = []
            if let external = node["external_url"].text { links.append(external) }
            for link in node["bio_links"].array { if let url = link["url"].text, !links.contains(url) { links.append(url) } }
            var fields: [String: String] = [:]
            if node["is_verified"].bool == true { fields["verified"] = "true" }
            if node["is_private"].bool == true { fields["private"] = "true" }
            if let followers = node.at("edge_followed_by", "count").int ?? node["follower_count"].int {
                fields["followers"] = String(followers)
            }
            if let address = node["business_address_json"].text { fields["business_address"] = address }
            let category = node["category_name"].text ?? node["business_category_name"].text ?? node["category"].text
            profiles.add(
                AccountProfile(
                    platform: Platform.instagram.rawValue, accountID: author.accountID, handle: author.handle,
                    displayName: author.name, bio: author.bio, links: links, category: category, fields: fields,
                    profileURL: author.profileURL, observedAt: input.receivedAt))
        }

        // MARK: ld+json

        /// A post page's `ImageObject` / `VideoObject` (or a `SocialMediaPosting`): caption,
        /// author handle, upload date. The last resort, with no account id.
        mutating func readLinkedData(_ node: JSONNode) {
            let candidates = node.isArray ? node.array : [node]
            for object in candidates {
                let type = object["@type"].text ?? ""
                guard ["ImageObject", "VideoObject", "SocialMediaPosting"].contains(type) else { continue }
                let page = object.at("mainEntityofPage", "@id").text ?? object.at("mainEntityOfPage", "@id").text ?? input.url
                let code = pathSegments(page).dropFirst().first ?? page
                guard reserve(code) else { continue }
                let handle = (object.at("author", "alternateName").text ?? object.at("author", "identifier", "value").text)
                    .map { $0.hasPrefix("@") ? $0 : "@" + $0 }
                let author = handle.map {
                    Author(
                        name: object.at("author", "name").text, handle: $0,
                        profileURL: InstagramParser.profileURL(username: String($0.dropFirst())))
                }
                let caption = object["caption"].string ?? object["articleBody"].string ?? ""
                let body = book.cap(tidy(caption), "\(input.url): ld+json caption")
                let date =
                    parseISODate(object["uploadDate"].text ?? object["dateCreated"].text)
                    ?? parseISODate((object["uploadDate"].text).map { $0 + "Z" })
                let item = Item(
                    sourceURL: page, canonicalURL: page, platform: Platform.instagram.rawValue, author: author,
                    publishedAt: date, body: body, hashtags: hashtags(in: [body]))
                posts.append(PlatformPost(item: item, postID: code, location: object.at("contentLocation", "name").text))
            }
        }
    }
}
