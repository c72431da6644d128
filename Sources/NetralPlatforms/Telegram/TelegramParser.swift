import Foundation
import NetralModel

/// Reads Telegram's public web previews: a channel's posts at `t.me/s/NAME` (paged to older
/// posts with `?before=ID`) and its card at `t.me/NAME`.
///
/// Each `tgme_widget_message` block becomes a post: `data-post` (`name/id`) names it, the
/// `tgme_widget_message_text` is the body, `time[datetime]` the time, photos and video thumbs
/// come from their `background-image:url(…)`, the views count, a link preview's title and
/// description, a poll's question and options. A forwarded post is the original author's,
/// shared by the channel. The channel's stable id is the `c` of the block's `data-view`
/// (base64 JSON); the channel header (or the card's title and description) is its profile,
/// the description its bio. The next (older) page is `link[rel=prev]`, else `?before=` the
/// oldest post shown.
public struct TelegramParser: Sendable {
    public let limits: PlatformLimits

    public init(limits: PlatformLimits = .default) {
        self.limits = limits
    }

    public static func handles(url: String) -> Bool {
        guard let host = bareHost(url) else { return false }
        return host == "t.me" || host == "telegram.me" || host == "telegram.dog"
    }

    /// `https://t.me/s/NAME`: the preview of a channel's latest posts.
    public static func previewURL(channel: String) -> String {
        "https://t.me/s/\(channel.hasPrefix("@") ? String(channel.dropFirst()) : channel)"
    }

    public func parse(_ input: PlatformInput) throws(PlatformParseError) -> PlatformPage {
        if let wall = CommonWalls.fromStatus(input) { return PlatformPage(platform: .telegram, wall: wall) }
        guard input.body.count <= limits.maxBodyBytes else {
            throw PlatformParseError(platform: .telegram, url: input.url, reason: "a page of \(input.body.count) bytes is over the limit")
        }
        let tree: MarkupTree
        do {
            tree = try MarkupTree(data: input.body, mode: .html, url: input.url)
        } catch {
            throw PlatformParseError(platform: .telegram, url: input.url, reason: "cannot parse the page: \(error.reason)")
        }
        guard let root = tree.root else {
            throw PlatformParseError(platform: .telegram, url: input.url, reason: "the page has no root element")
        }
        var book = NoteBook(limits: limits)
        if tree.repairedUTF8 { book.add("\(input.url): the page is not valid UTF-8; invalid bytes were replaced") }
        var profiles = ProfileSet()
        let messages = tree.descendants(of: root, descendIntoMatches: false) {
            tree.hasClass("tgme_widget_message", $0) && tree.attribute("data-post", of: $0) != nil
        }
        var channelID: String?
        var posts: [PlatformPost] = []
        var oldest: Int?
        for message in messages {
            guard posts.count < limits.maxPostsPerAnswer else {
                book.add("\(input.url): posts past the first \(limits.maxPostsPerAnswer) left out")
                break
            }
            guard let post = self.message(tree, message, input: input, book: &book) else { continue }
            if channelID == nil { channelID = post.sharedBy?.accountID ?? post.item.author?.accountID }
            if let number = post.postID.flatMap({ $0.split(separator: "/").last }).flatMap({ Int($0) }) {
                oldest = min(oldest ?? number, number)
            }
            posts.append(post)
        }
        // The channel: the preview's header, or the card's title and description.
        if let info = tree.firstWithClass("tgme_channel_info", in: root) {
            let title = tree.firstWithClass("tgme_channel_info_header_title", in: info).map { tree.text(of: $0) }
            let username = tree.firstWithClass("tgme_channel_info_header_username", in: info).map { tree.text(of: $0) }
            let description = tree.firstWithClass("tgme_channel_info_description", in: info)
            profiles.add(
                profile(tree, title: title, username: username, description: description, accountID: channelID, input: input, book: &book))
        } else if let titleNode = tree.firstWithClass("tgme_page_title", in: root) {
            let description = tree.firstWithClass("tgme_page_description", in: root)
            let extra = tree.firstWithClass("tgme_page_extra", in: root).map { tree.text(of: $0) }
            let username = pathSegments(input.url).last.map { "@" + $0 }
            var card = profile(
                tree, title: tree.text(of: titleNode), username: extra?.hasPrefix("@") == true ? extra : username,
                description: description, accountID: channelID, input: input, book: &book)
            if let extra { card?.fields["extra"] = extra }
            profiles.add(card)
            // Asked for the preview, given the card: the channel shows no public preview.
            if posts.isEmpty, input.requestURL.map({ pathSegments($0).first == "s" }) == true, pathSegments(input.url).first != "s" {
                return PlatformPage(
                    platform: .telegram, wall: PlatformWall(.privateContent, "no public preview: t.me/s/ redirected to the card"),
                    profiles: profiles.profiles, notes: book.notes)
            }
        } else if posts.isEmpty {
            if tree.firstWithClass("tgme_page", in: root) != nil || tree.firstWithClass("tgme_page_wrap", in: root) != nil {
                return PlatformPage(
                    platform: .telegram, wall: PlatformWall(.notFound, "t.me shows no channel or user of this name"), notes: book.notes)
            }
            throw PlatformParseError(platform: .telegram, url: input.url, reason: "neither a t.me/s/ preview nor a t.me channel card")
        }
        for post in posts { profiles.add(Self.authorProfile(post.sharedBy ?? post.item.author, input: input)) }
        var next: PageCursor?
        if !posts.isEmpty {
            let previous = tree.first(in: root) { tree.name($0) == "link" && tree.attribute("rel", of: $0) == "prev" }
            if let href = previous.flatMap({ tree.attribute("href", of: $0) }), let url = absoluteURL(href, base: input.url),
                href.contains("before=")
            {
                next = PageCursor(url: url)
            } else if let oldest, oldest > 1, let channel = posts.first?.postID?.split(separator: "/").first {
                next = PageCursor(url: Self.previewURL(channel: String(channel)) + "?before=\(oldest)")
            }
        }
        return PlatformPage(platform: .telegram, posts: posts, profiles: profiles.profiles, next: next, notes: book.notes)
    }

    func message(_ tree: MarkupTree, _ node: Int, input: PlatformInput, book: inout NoteBook) -> PlatformPost? {
        guard let dataPost = tree.attribute("data-post", of: node), dataPost.contains("/") else { return nil }
        let channelName = String(dataPost.split(separator: "/").first ?? "")
        let channelID = tree.attribute("data-view", of: node).flatMap(Self.channelID(fromDataView:))
        let ownerNode = tree.firstWithClass("tgme_widget_message_owner_name", in: node)
        let channel = Author(
            name: ownerNode.map { tree.text(of: $0) }, handle: "@" + channelName, profileURL: "https://t.me/\(channelName)",
            accountID: channelID)
        let reply = tree.firstWithClass("tgme_widget_message_reply", in: node)
        let preview = tree.firstWithClass("tgme_widget_message_link_preview", in: node)
        let textNode = tree.first(in: node) { candidate in
            tree.hasClass("tgme_widget_message_text", candidate) && !(reply.map { tree.isInside(candidate, $0) } ?? false)
                && !(preview.map { tree.isInside(candidate, $0) } ?? false)
        }
        var parts: [String] = []
        if let textNode { parts.append(tree.text(of: textNode)) }
        if let question = tree.firstWithClass("tgme_widget_message_poll_question", in: node) {
            parts.append(tree.text(of: question))
            for option in tree.descendants(of: node, where: { tree.hasClass("tgme_widget_message_poll_option_text", $0) }) {
                parts.append(tree.text(of: option))
            }
        }
        let body = book.cap(parts.filter { !$0.isEmpty }.joined(separator: "\n"), "\(input.url): post \(dataPost)")
        var links: [Link] = []
        if let textNode {
            for anchor in tree.descendants(of: textNode, where: { tree.name($0) == "a" }) {
                guard let url = absoluteURL(tree.attribute("href", of: anchor), base: input.url) else { continue }
                if url.contains("/s/") && url.contains("?q=") { continue }
                links.append(Link(url: url, text: tree.text(of: anchor)))
            }
        }
        // Files: their names are words the channel chose ("Materi kampanye.pdf").
        for document in tree.descendants(of: node, where: { tree.hasClass("tgme_widget_message_document_wrap", $0) }) {
            let title = tree.firstWithClass("tgme_widget_message_document_title", in: document).map { tree.text(of: $0) } ?? ""
            if let url = absoluteURL(tree.attribute("href", of: document), base: input.url), !title.isEmpty {
                links.append(Link(url: url, text: title))
            }
        }
        var description: String?
        if let preview, let url = absoluteURL(tree.attribute("href", of: preview), base: input.url) {
            let title = tree.firstWithClass("link_preview_title", in: preview).map { tree.text(of: $0) } ?? ""
            if !links.contains(where: { $0.url == url }) { links.append(Link(url: url, text: title)) }
            let previewText = tree.firstWithClass("link_preview_description", in: preview).map { tree.text(of: $0) }
            description = nonEmptyText([title, previewText ?? ""].filter { !$0.isEmpty }.joined(separator: "\n")).map {
                book.cap($0, "\(input.url): link preview of \(dataPost)")
            }
        }
        var media: [MediaRef] = []
        for element in tree.descendants(
            of: node,
            where: {
                tree.hasClass("tgme_widget_message_photo_wrap", $0) || tree.hasClass("tgme_widget_message_video_thumb", $0)
                    || tree.hasClass("link_preview_image", $0) || tree.hasClass("tgme_widget_message_roundvideo_thumb", $0)
            })
        {
            guard media.count < limits.maxMediaPerPost,
                let url = Self.backgroundImage(tree.attribute("style", of: element), base: input.url)
            else { continue }
            if reply.map({ tree.isInside(element, $0) }) == true { continue }
            let kind: MediaRef.Kind =
                tree.hasClass("tgme_widget_message_photo_wrap", element) || tree.hasClass("link_preview_image", element)
                ? .image : .videoCover
            if !media.contains(where: { $0.url == url }) { media.append(MediaRef(url: url, kind: kind)) }
        }
        let time = tree.first(in: node) { tree.name($0) == "time" && tree.attribute("datetime", of: $0) != nil }
        let published = time.flatMap { parseISODate(tree.attribute("datetime", of: $0)) }
        let views = tree.firstWithClass("tgme_widget_message_views", in: node).flatMap { Self.count(tree.text(of: $0)) }
        // A forward: the original author wrote it; the channel shared it.
        var author = channel
        var sharedBy: Author?
        if let forwarded = tree.firstWithClass("tgme_widget_message_forwarded_from", in: node) {
            let nameNode = tree.firstWithClass("tgme_widget_message_forwarded_from_name", in: forwarded)
            let href = nameNode.flatMap { tree.attribute("href", of: $0) }
            let originalHandle = href.flatMap { absoluteURL($0, base: input.url) }.flatMap { pathSegments($0).first }.map { "@" + $0 }
            author = Author(
                name: nameNode.map { tree.text(of: $0) }, handle: originalHandle,
                profileURL: originalHandle.map { "https://t.me/\($0.dropFirst())" })
            sharedBy = channel
        }
        let permalink = "https://t.me/\(dataPost)"
        var item = Item(
            sourceURL: permalink, canonicalURL: permalink, platform: Platform.telegram.rawValue, author: author, publishedAt: published,
            description: description, body: body, links: links, hashtags: hashtags(in: [body]))
        if let sharedBy { item.metadata["reposted_by"] = sharedBy.handle }
        if body.isEmpty, media.isEmpty, description == nil, links.isEmpty {
            book.add("\(input.url): post \(dataPost) has no text, picture, file or preview (a sticker or a service message); skipped")
            return nil
        }
        return PlatformPost(
            item: item, postID: dataPost, media: media, counts: views.map { EngagementCounts(views: $0) }, sharedBy: sharedBy,
            kind: "message")
    }

    func profile(
        _ tree: MarkupTree, title: String?, username: String?, description: Int?, accountID: String?, input: PlatformInput,
        book: inout NoteBook
    ) -> AccountProfile? {
        let handle = username.flatMap { nonEmptyText($0) }.map { $0.hasPrefix("@") ? $0 : "@" + $0 }
        guard handle != nil || accountID != nil else { return nil }
        var links: [String] = []
        if let description {
            for anchor in tree.descendants(of: description, where: { tree.name($0) == "a" }) {
                if let url = absoluteURL(tree.attribute("href", of: anchor), base: input.url), !links.contains(url) { links.append(url) }
            }
        }
        let bio = description.map { tree.text(of: $0) }.flatMap(nonEmptyText).map { book.cap($0, "\(input.url): channel description") }
        return AccountProfile(
            platform: Platform.telegram.rawValue, accountID: accountID, handle: handle, displayName: title.flatMap(nonEmptyText),
            bio: bio, links: links, profileURL: handle.map { "https://t.me/\($0.dropFirst())" }, observedAt: input.receivedAt)
    }

    static func authorProfile(_ author: Author?, input: PlatformInput) -> AccountProfile? {
        guard let author else { return nil }
        return AccountProfile(
            platform: Platform.telegram.rawValue, accountID: author.accountID, handle: author.handle, displayName: author.name,
            profileURL: author.profileURL, observedAt: input.receivedAt)
    }

    /// The channel id in a message's `data-view`: base64 JSON `{"c": -1333809979, "p": 2357, ...}`.
    static func channelID(fromDataView value: String) -> String? {
        var base64 = value.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        while base64.count % 4 != 0 { base64.append("=") }
        guard base64.utf8.count < 4096, let data = Data(base64Encoded: base64),
            let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any]
        else { return nil }
        return JSONNode(object)["c"].string
    }

    /// The URL in a `background-image:url('…')` style.
    static func backgroundImage(_ style: String?, base: String) -> String? {
        guard let style, let open = style.range(of: "url(") else { return nil }
        let rest = style[open.upperBound...]
        guard let close = rest.firstIndex(of: ")") else { return nil }
        let raw = rest[..<close].trimmingCharacters(in: CharacterSet(charactersIn: "'\" "))
        return absoluteURL(raw, base: base)
    }

    /// `60.8K`, `1.2M`, `953` as a whole number.
    static func count(_ text: String) -> Int? {
        let trimmed = text.trimmingCharacters(in: .whitespaces).uppercased()
        guard !trimmed.isEmpty, trimmed.count <= 12 else { return nil }
        var multiplier = 1.0
        var digits = trimmed
        if trimmed.hasSuffix("K") { multiplier = 1_000; digits.removeLast() }
        if trimmed.hasSuffix("M") { multiplier = 1_000_000; digits.removeLast() }
        guard let value = Double(digits), value.isFinite, value >= 0 else { return nil }
        return Int((value * multiplier).rounded())
    }
}
