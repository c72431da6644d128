import Foundation
import NetralModel

/// Reads Facebook: public page and group posts as `m.facebook.com` (and `mbasic.`) serves
/// them, and captured Comet GraphQL answers of `www.facebook.com`.
///
/// m.facebook.com: each story is an `<article>` or `data-sigil="story-div"` element whose
/// `data-ft` JSON names the post (`top_level_post_id`, `mf_story_key`), its author
/// (`content_owner_id_new`) and time (`page_insights.….post_context.publish_time`); inside its
/// `story_body_container` the header's first link is the author, the `data-ft {"tn":"*s"}` block
/// the text, pictures are `<img>` (with Facebook's generated alt text), a nested story is the
/// shared post. Comments under the post (`data-sigil="comment"`) become posts of kind
/// `comment` whose author id comes from `feed_story_ring<ID>`.
///
/// GraphQL: every `Story` node with `comet_sections` and a `post_id` (answers are one JSON
/// document per line, sometimes behind `for (;;);`): `content.story.message.text`, `actors`,
/// `creation_time`, attachments' photos with their `accessibility_caption`, and
/// `attached_story` as the shared post; `page_info.end_cursor` is the next page's token.
public struct FacebookParser: Sendable {
    public let limits: PlatformLimits

    public init(limits: PlatformLimits = .default) {
        self.limits = limits
    }

    public static func handles(url: String) -> Bool {
        guard let host = bareHost(url) else { return false }
        return host == "facebook.com" || host.hasSuffix(".facebook.com") || host == "fb.com"
    }

    public func parse(_ input: PlatformInput) throws(PlatformParseError) -> PlatformPage {
        if let wall = CommonWalls.fromStatus(input)
            ?? CommonWalls.fromRedirect(
                input, loginPaths: ["/login", "/login.php", "/home.php"], challengePaths: ["/checkpoint", "/captcha"])
        {
            return PlatformPage(platform: .facebook, wall: wall)
        }
        var body = input.body
        if body.starts(with: Array("for (;;);".utf8)) { body = body.subdata(in: 9..<body.count) }
        let first = body.first { $0 != 0x20 && $0 != 0x0A && $0 != 0x0D && $0 != 0x09 }
        guard let first else { throw PlatformParseError(platform: .facebook, url: input.url, reason: "the answer is empty") }
        if first == UInt8(ascii: "{") || first == UInt8(ascii: "[") {
            return try graphQL(body, input: input)
        }
        return try mobilePage(input)
    }

    // MARK: m.facebook.com

    func mobilePage(_ input: PlatformInput) throws(PlatformParseError) -> PlatformPage {
        guard input.body.count <= limits.maxBodyBytes else {
            throw PlatformParseError(platform: .facebook, url: input.url, reason: "a page of \(input.body.count) bytes is over the limit")
        }
        let tree: MarkupTree
        do {
            tree = try MarkupTree(data: input.body, mode: .html, url: input.url)
        } catch {
            throw PlatformParseError(platform: .facebook, url: input.url, reason: "cannot parse the page: \(error.reason)")
        }
        var book = NoteBook(limits: limits)
        if tree.repairedUTF8 { book.add("\(input.url): the page is not valid UTF-8; invalid bytes were replaced") }
        guard let root = tree.root else {
            throw PlatformParseError(platform: .facebook, url: input.url, reason: "the page has no root element")
        }
        var profiles = ProfileSet()
        var posts: [PlatformPost] = []
        let stories = tree.descendants(of: root, descendIntoMatches: false) { Self.isStory(tree, $0) }
        for story in stories {
            guard posts.count < limits.maxPostsPerAnswer else {
                book.add("\(input.url): stories past the first \(limits.maxPostsPerAnswer) left out")
                break
            }
            guard let post = mobileStory(tree, story, input: input, book: &book) else { continue }
            posts.append(post)
            profiles.add(Self.profile(of: post.item.author, input: input))
            // Comments under a story page.
            for comment in mobileComments(tree, root: root, storyNode: story, story: post, input: input, book: &book) {
                guard posts.count < limits.maxPostsPerAnswer else { break }
                posts.append(comment)
                profiles.add(Self.profile(of: comment.item.author, input: input))
            }
        }
        if posts.isEmpty {
            if let wall = Self.pageWall(tree, root: root) { return PlatformPage(platform: .facebook, wall: wall, notes: book.notes) }
            throw PlatformParseError(
                platform: .facebook, url: input.url,
                reason: "no story in the page (no article or story-div with data-ft and a story_body_container)")
        }
        return PlatformPage(
            platform: .facebook, posts: posts, profiles: profiles.profiles, next: Self.nextPage(tree, root: root, base: input.url),
            notes: book.notes)
    }

    static func isStory(_ tree: MarkupTree, _ node: Int) -> Bool {
        guard let dataFT = tree.attribute("data-ft", of: node) else { return false }
        guard dataFT.contains("top_level_post_id") || dataFT.contains("mf_story_key") else { return false }
        return tree.name(node) == "article" || (tree.attribute("data-sigil", of: node) ?? "").contains("story-div")
    }

    func mobileStory(_ tree: MarkupTree, _ story: Int, input: PlatformInput, book: inout NoteBook) -> PlatformPost? {
        let facts =
            tree.attribute("data-ft", of: story).flatMap {
                try? JSONDocument(
                    bytes: Data($0.utf8), platform: .facebook, url: input.url,
                    location: "data-ft", limits: limits)
            }?.root ?? .missing
        guard let postID = facts["top_level_post_id"].text ?? facts["mf_story_key"].text ?? facts["tl_objid"].text else {
            book.add("\(input.url): a story whose data-ft names no post id; skipped")
            return nil
        }
        let container = tree.firstWithClass("story_body_container", in: story) ?? story
        // A story inside this one is the shared post.
        let inner = tree.descendants(of: container, descendIntoMatches: false) { Self.isStory(tree, $0) }.first
        let header = tree.first(in: container) { tree.name($0) == "header" && (inner == nil || !tree.isInside($0, inner!)) }
        let authorLink = header.flatMap { header in
            tree.first(in: header) { tree.name($0) == "a" && tree.attribute("href", of: $0) != nil && !tree.text(of: $0).isEmpty }
        }
        let ownerID = facts["content_owner_id_new"].text ?? facts["actor_id"].text
        var author = authorLink.map {
            Self.author(name: tree.text(of: $0), href: tree.attribute("href", of: $0), accountID: ownerID, base: input.url)
        }
        if author == nil, let ownerID { author = Author(accountID: ownerID) }
        // The story text: the `*s` block, else the container's text without header and footer.
        let textBlock = tree.first(in: container) {
            (inner == nil || !tree.isInside($0, inner!)) && (tree.attribute("data-ft", of: $0) ?? "").contains("\"tn\":\"*s\"")
        }
        var text =
            textBlock.map { tree.text(of: $0) } ?? tree.text(of: container) { ["header", "footer"].contains(tree.name($0)) || $0 == inner }
        text = book.cap(text, "\(input.url): text of post \(postID)")
        var links: [Link] = []
        if let textBlock {
            for anchor in tree.descendants(of: textBlock, where: { tree.name($0) == "a" }) {
                guard let url = Self.unwrapLink(tree.attribute("href", of: anchor), base: input.url) else { continue }
                if url.contains("facebook.com/hashtag/") { continue }
                links.append(Link(url: url, text: tree.text(of: anchor)))
            }
        }
        var pictures: [MediaRef] = []
        for image in tree.descendants(of: container, where: { tree.name($0) == "img" }) {
            guard pictures.count < limits.maxMediaPerPost else { break }
            if tree.hasClass("profpic", image) || (header.map { tree.isInside(image, $0) } ?? false) { continue }
            if let inner, tree.isInside(image, inner) { continue }
            guard let url = absoluteURL(tree.attribute("src", of: image), base: input.url), !url.hasPrefix("data:") else { continue }
            let alt = nonEmptyText(tree.attribute("alt", of: image)).flatMap { $0 == "No photo description available." ? nil : $0 }
            pictures.append(MediaRef(url: url, kind: .image, alt: alt))
        }
        // The time: `publish_time` in data-ft (Unix seconds), as the page's own timestamp.
        let published = unixDate(facts.first { $0["publish_time"].exists }?["publish_time"].int)
        if published == nil { book.add("\(input.url): post \(postID): no publish_time in data-ft; time unknown") }
        let timeLink = header.flatMap { header in tree.first(in: header) { tree.name($0) == "abbr" } }.map { tree.nodes[$0].parent }
        let permalink =
            timeLink.flatMap { Self.cleanPermalink(tree.attribute("href", of: $0), base: input.url) }
            ?? "https://m.facebook.com/story.php?story_fbid=\(postID)" + (ownerID.map { "&id=\($0)" } ?? "")
        var quoted: PostReference?
        if let inner {
            let innerFacts =
                tree.attribute("data-ft", of: inner).flatMap {
                    try? JSONDocument(bytes: Data($0.utf8), platform: .facebook, url: input.url, location: "data-ft", limits: limits)
                }?.root ?? .missing
            let innerContainer = tree.firstWithClass("story_body_container", in: inner) ?? inner
            let innerLink = tree.first(in: innerContainer) { tree.name($0) == "header" }.flatMap { header in
                tree.first(in: header) { tree.name($0) == "a" && tree.attribute("href", of: $0) != nil && !tree.text(of: $0).isEmpty }
            }
            let innerAuthor = innerLink.map {
                Self.author(
                    name: tree.text(of: $0), href: tree.attribute("href", of: $0), accountID: innerFacts["content_owner_id_new"].text,
                    base: input.url)
            }
            let innerText =
                tree.first(in: innerContainer) { (tree.attribute("data-ft", of: $0) ?? "").contains("\"tn\":\"*s\"") }
                .map { tree.text(of: $0) } ?? tree.text(of: innerContainer) { tree.name($0) == "header" }
            quoted = PostReference(
                postID: innerFacts["top_level_post_id"].text, accountID: innerAuthor?.accountID,
                accountHandle: innerAuthor?.handle, accountName: innerAuthor?.name,
                text: book.cap(innerText, "\(input.url): shared post in \(postID)"))
        }
        let item = Item(
            sourceURL: permalink, canonicalURL: permalink, platform: Platform.facebook.rawValue, author: author,
            publishedAt: published, description: quoted?.text, body: text, imageAlts: pictures.compactMap(\.alt),
            links: links, hashtags: hashtags(in: [text]))
        return PlatformPost(item: item, postID: postID, media: pictures, quoted: quoted)
    }

    /// Comments shown under a story (`data-sigil="comment"`), each by its commenter.
    func mobileComments(
        _ tree: MarkupTree, root: Int, storyNode: Int, story: PlatformPost, input: PlatformInput,
        book: inout NoteBook
    ) -> [PlatformPost] {
        var comments: [PlatformPost] = []
        let nodes = tree.descendants(of: root, descendIntoMatches: false) { tree.attribute("data-sigil", of: $0) == "comment" }
        for node in nodes {
            guard let bodyNode = tree.first(in: node, where: { tree.attribute("data-sigil", of: $0) == "comment-body" }) else { continue }
            let commentID = tree.attribute("data-uniqueid", of: node) ?? tree.attribute("id", of: node)
            let token = tree.attribute("data-commentid", of: bodyNode) ?? commentID ?? ""
            // Comments of this story only: inside its element, or (on a story page, where they
            // follow it) whose token starts with its id.
            let belongs = tree.isInside(node, storyNode) || story.postID.map { token.hasPrefix($0 + "_") } == true
            guard belongs else { continue }
            let ring = tree.first(in: node) { (tree.attribute("data-sigil", of: $0) ?? "").hasPrefix("feed_story_ring") }
            let accountID = ring.flatMap { tree.attribute("data-sigil", of: $0) }.map { String($0.dropFirst("feed_story_ring".count)) }
            let nameNode = tree.first(in: node) {
                tree.name($0) == "div" && tree.nodes[$0].children.count <= 2
                    && tree.nodes[tree.nodes[$0].parent].children.contains(bodyNode) && $0 != bodyNode
            }
            let link = nameNode.flatMap { tree.first(in: $0) { tree.name($0) == "a" } }
            let name = nameNode.map { tree.text(of: $0) }
            let author = Self.author(
                name: name ?? "", href: link.flatMap { tree.attribute("href", of: $0) }, accountID: accountID, base: input.url)
            let text = book.cap(tree.text(of: bodyNode), "\(input.url): comment \(commentID ?? "")")
            guard !text.isEmpty else { continue }
            let url = story.item.sourceURL + (story.item.sourceURL.contains("?") ? "&" : "?") + "comment_id=\(commentID ?? token)"
            let item = Item(
                sourceURL: url, canonicalURL: url, platform: Platform.facebook.rawValue, author: author, body: text,
                hashtags: hashtags(in: [text]))
            comments.append(
                PlatformPost(
                    item: item, postID: commentID,
                    replyTo: PostReference(
                        postID: story.postID, url: story.item.sourceURL, accountID: story.item.author?.accountID,
                        accountHandle: story.item.author?.handle, accountName: story.item.author?.name),
                    kind: "comment"))
        }
        return comments
    }

    static func author(name: String, href: String?, accountID: String?, base: String) -> Author {
        var handle: String?
        var profileURL: String?
        var id = accountID
        if let href, let url = absoluteURL(href, base: base), let components = URLComponents(string: url) {
            let segments = components.path.split(separator: "/").map(String.init)
            if segments.first == "profile.php" {
                id = id ?? components.queryItems?.first { $0.name == "id" }?.value
                profileURL = id.map { "https://www.facebook.com/profile.php?id=\($0)" }
            } else if let first = segments.first, !["groups", "story.php", "photo.php", "permalink.php", "pages"].contains(first) {
                handle = first
                profileURL = "https://www.facebook.com/\(first)"
            } else if segments.first == "groups", segments.count >= 4, segments[2] == "user" {
                id = id ?? segments[3]
                profileURL = "https://www.facebook.com/profile.php?id=\(segments[3])"
            }
        }
        return Author(name: nonEmptyText(name), handle: handle, profileURL: profileURL, accountID: id)
    }

    static func profile(of author: Author?, input: PlatformInput) -> AccountProfile? {
        guard let author else { return nil }
        return AccountProfile(
            platform: Platform.facebook.rawValue, accountID: author.accountID, handle: author.handle, displayName: author.name,
            profileURL: author.profileURL, observedAt: input.receivedAt)
    }

    /// `lm.facebook.com/l.php?u=…` leads to `u`; other links are made absolute.
    static func unwrapLink(_ href: String?, base: String) -> String? {
        guard let url = absoluteURL(href, base: base) else { return nil }
        if let host = URL(string: url)?.host, host.hasPrefix("l.") || host.hasPrefix("lm."), let target = queryValue("u", in: url) {
            return absoluteURL(target, base: base)
        }
        return url
    }

    /// A post link without Facebook's tracking parameters.
    static func cleanPermalink(_ href: String?, base: String) -> String? {
        guard let url = absoluteURL(href, base: base) else { return nil }
        return removingQueryItems(["refid", "__tn__", "_ft_", "__xts__", "__cft__", "refsrc", "_rdr", "paipv", "eav", "ref"], from: url)
    }

    static func nextPage(_ tree: MarkupTree, root: Int, base: String) -> PageCursor? {
        let holders = tree.descendants(of: root, descendIntoMatches: false) {
            ["see_more_cards_id", "m_more_item", "m_group_stories_container"].contains(tree.attribute("id", of: $0) ?? "")
        }
        for holder in holders {
            for anchor in tree.descendants(of: holder, where: { tree.name($0) == "a" }) {
                if let href = tree.attribute("href", of: anchor),
                    href.contains("cursor") || href.contains("bacr=") || href.contains("more"),
                    let url = absoluteURL(href, base: base)
                {
                    return PageCursor(url: url)
                }
            }
        }
        return nil
    }

    static func pageWall(_ tree: MarkupTree, root: Int) -> PlatformWall? {
        let text = tree.text(of: root)
        let lowered = text.lowercased()
        if lowered.contains("temporarily blocked") || lowered.contains("you can't use this feature right now")
            || lowered.contains("diblokir sementara")
        {
            return PlatformWall(.rateLimited, "Facebook says the viewer is temporarily blocked")
        }
        if lowered.contains("content isn't available") || lowered.contains("page isn't available")
            || lowered.contains("konten ini tidak tersedia")
            || lowered.contains("halaman ini tidak tersedia")
        {
            return PlatformWall(.notFound, "Facebook's \"content isn't available\" page")
        }
        if tree.first(in: root, where: { tree.attribute("id", of: $0) == "login_form" || tree.attribute("name", of: $0) == "login" }) != nil
            || lowered.contains("log in to continue") || lowered.contains("masuk untuk melanjutkan")
        {
            return PlatformWall(.loginRequired, "Facebook served its login form")
        }
        if lowered.contains("security check") || lowered.contains("pemeriksaan keamanan") {
            return PlatformWall(.challenge, "Facebook's security check")
        }
        return nil
    }

    // MARK: GraphQL (Comet)

    func graphQL(_ body: Data, input: PlatformInput) throws(PlatformParseError) -> PlatformPage {
        var book = NoteBook(limits: limits)
        var roots: [JSONNode] = []
        // One JSON document per line (streamed answers); a single document is one line too.
        var start = 0
        var lineNumber = 0
        while start < body.count {
            lineNumber += 1
            let end = find("\n", in: body, from: start) ?? body.count
            let line = body.subdata(in: start..<end)
            start = end + 1
            guard line.contains(where: { $0 != 0x20 && $0 != 0x0D && $0 != 0x09 }) else { continue }
            do {
                let document = try JSONDocument(
                    bytes: line, platform: .facebook, url: input.url, location: "line \(lineNumber)", limits: limits)
                if let note = document.repairNote { book.add(note) }
                roots.append(document.root)
            } catch {
                if lineNumber == 1 && end == body.count { throw error }
                book.add(error.description)
            }
        }
        for root in roots where !root["data"].exists {
            if let wall = Self.errorWall(root) { return PlatformPage(platform: .facebook, wall: wall, notes: book.notes) }
        }
        var reader = CometReader(input: input, limits: limits, book: book)
        for root in roots { reader.read(root) }
        if reader.posts.isEmpty {
            if let wall = roots.lazy.compactMap(Self.errorWall).first {
                return PlatformPage(platform: .facebook, wall: wall, notes: reader.book.notes)
            }
            guard roots.contains(where: { $0["data"].exists }) else {
                throw PlatformParseError(platform: .facebook, url: input.url, location: "$", reason: "not a GraphQL answer (no data)")
            }
        }
        return PlatformPage(
            platform: .facebook, posts: reader.posts, profiles: reader.profiles.profiles, next: reader.next, notes: reader.book.notes)
    }

    /// `{"errors": [...]}` or the `{"error": 1357001, "errorSummary": ...}` of the older endpoints.
    static func errorWall(_ root: JSONNode) -> PlatformWall? {
        var messages: [String] = []
        var codes: [Int] = []
        for error in root["errors"].array {
            if let message = error["message"].text ?? error["summary"].text { messages.append(message) }
            if let code = error["code"].int { codes.append(code) }
        }
        if let code = root["error"].int { codes.append(code) }
        if let summary = root["errorSummary"].text { messages.append(summary) }
        if let description = root["errorDescription"].text { messages.append(description) }
        guard !messages.isEmpty || !codes.isEmpty else { return nil }
        let said = "Facebook: " + (messages.first ?? "error") + (codes.first.map { " (code \($0))" } ?? "")
        let lowered = messages.joined(separator: " ").lowercased()
        if codes.contains(1675004) || codes.contains(368) || lowered.contains("rate limit") || lowered.contains("too many")
            || lowered.contains("blocked")
        {
            return PlatformWall(.rateLimited, said)
        }
        if codes.contains(1357001) || lowered.contains("log in") || lowered.contains("login") { return PlatformWall(.loginRequired, said) }
        if lowered.contains("checkpoint") || lowered.contains("security check") { return PlatformWall(.challenge, said) }
        if lowered.contains("not available") || lowered.contains("does not exist") || lowered.contains("not found") {
            return PlatformWall(.notFound, said)
        }
        return nil
    }

    struct CometReader {
        let input: PlatformInput
        let limits: PlatformLimits
        var book: NoteBook
        var posts: [PlatformPost] = []
        var seen = Set<String>()
        var profiles = ProfileSet()
        var next: PageCursor?

        init(input: PlatformInput, limits: PlatformLimits, book: NoteBook) {
            self.input = input
            self.limits = limits
            self.book = book
        }

        mutating func read(_ root: JSONNode) {
            let stories = root.all(withKey: "comet_sections").filter { $0["post_id"].exists || $0["__typename"].text == "Story" }
            // Shared posts appear as stories of their own inside `attached_story`: keep them there.
            var attached = Set<String>()
            for story in stories {
                if let id = story.at("comet_sections", "content", "story", "attached_story", "post_id").text
                    ?? story.at("attached_story", "post_id").text
                {
                    attached.insert(id)
                }
            }
            for story in stories {
                guard let id = story["post_id"].text ?? story["id"].text, !attached.contains(id) || stories.count == 1 else { continue }
                guard seen.insert(id).inserted else { continue }
                guard posts.count < limits.maxPostsPerAnswer else {
                    book.add("\(input.url): stories past the first \(limits.maxPostsPerAnswer) left out")
                    break
                }
                addStory(story, id: id)
            }
            for holder in root.all(withKey: "page_info") {
                let info = holder["page_info"]
                if info["has_next_page"].bool == true, let cursor = info["end_cursor"].text { next = PageCursor(token: cursor) }
            }
        }

        static func message(of story: JSONNode) -> String? {
            let content = story.at("comet_sections", "content", "story")
            return content.at("message", "text").string
                ?? content.at("comet_sections", "message", "story", "message", "text").string
                ?? content.at("comet_sections", "message_container", "story", "message", "text").string
                ?? story.at("message", "text").string
        }

        static func actor(of story: JSONNode) -> JSONNode {
            let content = story.at("comet_sections", "content", "story")
            if content.at("actors", 0).isObject { return content.at("actors", 0) }
            if story.at("actors", 0).isObject { return story.at("actors", 0) }
            return story.at("comet_sections", "context_layout", "story", "comet_sections", "actor_photo", "story", "actors", 0)
        }

        static func author(_ actor: JSONNode) -> Author? {
            guard actor.isObject else { return nil }
            let url = actor["url"].text ?? actor["profile_url"].text
            var handle: String?
            if let url, let first = pathSegments(url).first, !["profile.php", "people", "groups"].contains(first) { handle = first }
            return Author(name: actor["name"].text, handle: handle, profileURL: url, accountID: actor["id"].text)
        }

        mutating func addStory(_ story: JSONNode, id: String) {
            let content = story.at("comet_sections", "content", "story")
            let actor = Self.actor(of: story)
            let author = Self.author(actor)
            if let author {
                profiles.add(
                    AccountProfile(
                        platform: Platform.facebook.rawValue, accountID: author.accountID, handle: author.handle,
                        displayName: author.name, profileURL: author.profileURL, observedAt: input.receivedAt))
            }
            let text = book.cap(tidy(Self.message(of: story) ?? ""), "\(input.url): text of post \(id)")
            let created = story.first(budget: 20_000) { $0["creation_time"].int != nil }?["creation_time"].int
            var pictures: [MediaRef] = []
            let attachments = content["attachments"].isArray ? content["attachments"] : story["attachments"]
            for attachment in attachments.array {
                let styled = attachment.at("styles", "attachment")
                var medias = [styled["media"], attachment["media"]]
                medias += styled.at("all_subattachments", "nodes").array.map { $0["media"] }
                medias += attachment.at("all_subattachments", "nodes").array.map { $0["media"] }
                for media in medias where media.isObject {
                    guard pictures.count < limits.maxMediaPerPost else { break }
                    let uri = media.at("photo_image", "uri").text ?? media.at("image", "uri").text ?? media.at("viewer_image", "uri").text
                    guard let url = absoluteURL(uri, base: input.url), !pictures.contains(where: { $0.url == url }) else { continue }
                    let kind: MediaRef.Kind = media["__typename"].text == "Video" ? .videoCover : .image
                    pictures.append(MediaRef(url: url, kind: kind, alt: nonEmptyText(media["accessibility_caption"].string)))
                }
            }
            var quoted: PostReference?
            let attached = content["attached_story"].isObject ? content["attached_story"] : story["attached_story"]
            if attached.isObject {
                let attachedAuthor = Self.author(Self.actor(of: attached))
                quoted = PostReference(
                    postID: attached["post_id"].text,
                    url: attached["url"].text ?? attached.at("comet_sections", "content", "story", "wwwURL").text,
                    accountID: attachedAuthor?.accountID, accountHandle: attachedAuthor?.handle, accountName: attachedAuthor?.name,
                    text: Self.message(of: attached).map { book.cap(tidy($0), "\(input.url): shared post in \(id)") })
            }
            let permalink = content["wwwURL"].text ?? content["url"].text ?? story["url"].text ?? "https://www.facebook.com/\(id)"
            let item = Item(
                sourceURL: permalink, canonicalURL: permalink, platform: Platform.facebook.rawValue, author: author,
                publishedAt: unixDate(created), description: quoted?.text, body: text, imageAlts: pictures.compactMap(\.alt),
                hashtags: hashtags(in: [text]))
            posts.append(PlatformPost(item: item, postID: id, media: pictures, quoted: quoted))
        }
    }
}
