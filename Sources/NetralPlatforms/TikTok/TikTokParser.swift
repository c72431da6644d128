import Foundation
import NetralModel

/// Reads TikTok: public video and profile pages (the JSON in
/// `<script id="__UNIVERSAL_DATA_FOR_REHYDRATION__">`, under `__DEFAULT_SCOPE__`
/// `webapp.video-detail` and `webapp.user-detail`) and the web API answers a browser capture
/// holds (`/api/post/item_list/` with `itemList`, `cursor`, `hasMore`; `/api/item/detail/`;
/// `/api/user/detail/`).
///
/// A video becomes a post: caption (`desc`) as the body, hashtags from `textExtra` and
/// `challenges`, the author (`author.id` as the account id, `uniqueId` as the handle,
/// `nickname`, `signature` as the bio), `createTime`, counts, the cover (and photo-mode
/// images) as media, and `video.subtitleInfos` / `claInfo.captionInfos` as WebVTT tracks.
public struct TikTokParser: Sendable {
    public let limits: PlatformLimits

    public init(limits: PlatformLimits = .default) {
        self.limits = limits
    }

    /// Whether `url` is TikTok's.
    public static func handles(url: String) -> Bool {
        guard let host = bareHost(url) else { return false }
        return host == "tiktok.com" || host.hasSuffix(".tiktok.com")
    }

    /// `https://www.tiktok.com/@handle`.
    public static func profileURL(handle: String) -> String {
        "https://www.tiktok.com/@\(handle.hasPrefix("@") ? String(handle.dropFirst()) : handle)"
    }

    public func parse(_ input: PlatformInput) throws(PlatformParseError) -> PlatformPage {
        if let wall = CommonWalls.fromStatus(input) ?? CommonWalls.fromRedirect(input, loginPaths: ["/login"], challengePaths: ["/captcha"])
        {
            return PlatformPage(platform: .tiktok, wall: wall)
        }
        var book = NoteBook(limits: limits)
        let body = input.body
        let trimmedStart = body.first { $0 != 0x20 && $0 != 0x0A && $0 != 0x0D && $0 != 0x09 }
        if body.isEmpty || trimmedStart == nil {
            // The web API answers an unsigned or suspicious request with an empty 200.
            return PlatformPage(
                platform: .tiktok, wall: PlatformWall(.challenge, "empty answer (TikTok sends one to requests it does not trust)"))
        }
        if trimmedStart == UInt8(ascii: "{") {
            let document = try JSONDocument(bytes: body, platform: .tiktok, url: input.url, location: "the answer", limits: limits)
            if let note = document.repairNote { book.add(note) }
            return try apiAnswer(document.root, input: input, book: &book)
        }
        guard let script = EmbeddedJSON.script(id: "__UNIVERSAL_DATA_FOR_REHYDRATION__", in: body) else {
            if let wall = Self.pageWall(body) { return PlatformPage(platform: .tiktok, wall: wall) }
            throw PlatformParseError(platform: .tiktok, url: input.url, reason: "no __UNIVERSAL_DATA_FOR_REHYDRATION__ script in the page")
        }
        let document = try JSONDocument(
            bytes: script, platform: .tiktok, url: input.url,
            location: "script __UNIVERSAL_DATA_FOR_REHYDRATION__", limits: limits)
        if let note = document.repairNote { book.add(note) }
        let scope = document.root["__DEFAULT_SCOPE__"]
        guard scope.isObject else {
            throw PlatformParseError(
                platform: .tiktok, url: input.url, location: "$.__DEFAULT_SCOPE__", reason: "missing; the page's data shape changed")
        }
        var profiles = ProfileSet()
        var posts: [PlatformPost] = []
        var wall: PlatformWall?
        let videoDetail = scope["webapp.video-detail"]
        let userDetail = scope["webapp.user-detail"]
        if videoDetail.exists {
            let item = videoDetail.at("itemInfo", "itemStruct")
            if let status = Self.statusWall(videoDetail, hasContent: item.isObject) {
                wall = status
            } else if item.isObject {
                if let post = makePost(
                    item, input: input, path: "$.__DEFAULT_SCOPE__['webapp.video-detail'].itemInfo.itemStruct", book: &book)
                {
                    posts.append(post)
                    profiles.add(Self.profile(item["author"], stats: item["authorStats"], input: input, book: &book))
                }
            } else {
                throw PlatformParseError(
                    platform: .tiktok, url: input.url, location: "$.__DEFAULT_SCOPE__['webapp.video-detail']",
                    reason: "no itemInfo.itemStruct and no error status")
            }
        }
        if userDetail.exists {
            let user = userDetail.at("userInfo", "user")
            if let status = Self.statusWall(userDetail, hasContent: user.isObject) {
                wall = wall ?? status
            } else if user.isObject {
                let stats =
                    userDetail.at("userInfo", "statsV2").isObject
                    ? userDetail.at("userInfo", "statsV2") : userDetail.at("userInfo", "stats")
                profiles.add(Self.profile(user, stats: stats, input: input, book: &book))
                for (index, entry) in userDetail.at("userInfo", "itemList").array.enumerated() {
                    guard posts.count < limits.maxPostsPerAnswer else {
                        book.add("\(input.url): videos past the first \(limits.maxPostsPerAnswer) left out")
                        break
                    }
                    if let post = makePost(entry, input: input, path: "$.userInfo.itemList[\(index)]", book: &book) { posts.append(post) }
                }
                if user["privateAccount"].bool == true || user["secret"].bool == true, posts.isEmpty {
                    wall = PlatformWall(.privateContent, "the account is private (userInfo.user.privateAccount)")
                }
            } else {
                throw PlatformParseError(
                    platform: .tiktok, url: input.url, location: "$.__DEFAULT_SCOPE__['webapp.user-detail']",
                    reason: "no userInfo.user and no error status")
            }
        }
        if !videoDetail.exists && !userDetail.exists {
            if let pageWall = Self.pageWall(body) { return PlatformPage(platform: .tiktok, wall: pageWall) }
            throw PlatformParseError(
                platform: .tiktok, url: input.url, location: "$.__DEFAULT_SCOPE__",
                reason:
                    "neither webapp.video-detail nor webapp.user-detail (keys: \(scope.keys.sorted().prefix(8).joined(separator: ", ")))")
        }
        return PlatformPage(
            platform: .tiktok, wall: posts.isEmpty ? wall : nil, posts: posts, profiles: profiles.profiles, notes: book.notes)
    }

    // MARK: Web API answers

    private func apiAnswer(_ root: JSONNode, input: PlatformInput, book: inout NoteBook) throws(PlatformParseError) -> PlatformPage {
        var profiles = ProfileSet()
        var posts: [PlatformPost] = []
        if root["itemList"].exists || root["hasMore"].exists {
            if let wall = Self.statusWall(root, hasContent: root["itemList"].isArray) { return PlatformPage(platform: .tiktok, wall: wall) }
            let entries = root["itemList"].array
            for (index, entry) in entries.enumerated() {
                guard posts.count < limits.maxPostsPerAnswer else {
                    book.add("\(input.url): \(entries.count - index) videos past the first \(limits.maxPostsPerAnswer) left out")
                    break
                }
                guard let post = makePost(entry, input: input, path: "$.itemList[\(index)]", book: &book) else { continue }
                posts.append(post)
                profiles.add(Self.profile(entry["author"], stats: entry["authorStats"], input: input, book: &book))
            }
            var next: PageCursor?
            if root["hasMore"].bool == true, let cursor = root["cursor"].string, !cursor.isEmpty { next = PageCursor(token: cursor) }
            return PlatformPage(platform: .tiktok, posts: posts, profiles: profiles.profiles, next: next, notes: book.notes)
        }
        if root["itemInfo"].exists {
            let item = root.at("itemInfo", "itemStruct")
            if let wall = Self.statusWall(root, hasContent: item.isObject) { return PlatformPage(platform: .tiktok, wall: wall) }
            guard let post = makePost(item, input: input, path: "$.itemInfo.itemStruct", book: &book) else {
                throw PlatformParseError(
                    platform: .tiktok, url: input.url, location: "$.itemInfo.itemStruct", reason: "the video has no id")
            }
            profiles.add(Self.profile(item["author"], stats: item["authorStats"], input: input, book: &book))
            return PlatformPage(platform: .tiktok, posts: [post], profiles: profiles.profiles, notes: book.notes)
        }
        if root["userInfo"].exists {
            let user = root.at("userInfo", "user")
            if let wall = Self.statusWall(root, hasContent: user.isObject) { return PlatformPage(platform: .tiktok, wall: wall) }
            profiles.add(Self.profile(user, stats: root.at("userInfo", "stats"), input: input, book: &book))
            let wall = user["privateAccount"].bool == true ? PlatformWall(.privateContent, "the account is private") : nil
            return PlatformPage(platform: .tiktok, wall: wall, profiles: profiles.profiles, notes: book.notes)
        }
        if let wall = Self.statusWall(root, hasContent: false) { return PlatformPage(platform: .tiktok, wall: wall) }
        throw PlatformParseError(
            platform: .tiktok, url: input.url, location: "$",
            reason: "not a TikTok answer this parser knows (keys: \(root.keys.sorted().prefix(8).joined(separator: ", ")))")
    }

    // MARK: Walls

    /// TikTok's `statusCode` beside the data: 0 is fine; the rest name why there is none.
    static func statusWall(_ node: JSONNode, hasContent: Bool) -> PlatformWall? {
        guard let code = node["statusCode"].int ?? node["status_code"].int, code != 0 else { return nil }
        let message = node["statusMsg"].text ?? node["status_msg"].text
        let said = "statusCode \(code)" + (message.map { " (\($0))" } ?? "")
        switch code {
        case 10101, 10201, 10202, 10203, 10204, 10221, 10223:
            return PlatformWall(.notFound, said)
        case 10216, 10222:
            return PlatformWall(.privateContent, said)
        case 10000, 10231:
            return PlatformWall(.challenge, said)
        case 10220:
            return PlatformWall(.rateLimited, said)
        default:
            return hasContent ? nil : PlatformWall(.notFound, said + ", with no data")
        }
    }

    /// A captcha or login page served instead of the post.
    static func pageWall(_ page: Data) -> PlatformWall? {
        if contains("tiktok-verify-page", in: page) || contains("captcha_container", in: page) || contains("secsdk-captcha", in: page)
            || contains("_wafchallengeid", in: page)
        {
            return PlatformWall(.challenge, "TikTok's captcha or bot check page")
        }
        if contains("\"webapp.login", in: page)
            || contains("login-modal", in: page) && !contains("__UNIVERSAL_DATA_FOR_REHYDRATION__", in: page)
        {
            return PlatformWall(.loginRequired, "TikTok's login page")
        }
        return nil
    }

    // MARK: Posts

    func makePost(_ item: JSONNode, input: PlatformInput, path: String, book: inout NoteBook) -> PlatformPost? {
        guard let id = item["id"].text ?? item["aweme_id"].text else {
            book.add("\(input.url): \(path): a video without an id; skipped")
            return nil
        }
        let authorNode = item["author"]
        var author = Self.author(authorNode, book: &book)
        if author == nil, let handle = authorNode.text ?? item["authorUniqueId"].text {
            // Older answers give the author as a bare handle.
            author = Author(handle: "@" + handle, profileURL: Self.profileURL(handle: handle), accountID: item["authorId"].text)
        }
        let handle = author?.handle.map { String($0.dropFirst()) }
        let isPhoto = item["imagePost"].isObject
        let permalink =
            handle.map { "https://www.tiktok.com/@\($0)/\(isPhoto ? "photo" : "video")/\(id)" }
            ?? "https://www.tiktok.com/video/\(id)"
        var caption = item["desc"].string ?? ""
        if caption.isEmpty {
            caption = item["contents"].array.compactMap { $0["desc"].string }.first { !$0.isEmpty } ?? ""
        }
        caption = book.cap(tidy(caption), "\(input.url): \(path).desc")
        var listedTags: [String] = []
        var mentions: [String] = []
        for extra in item["textExtra"].array + item["contents"].array.flatMap({ $0["textExtra"].array }) {
            if let tag = extra["hashtagName"].text { listedTags.append(tag) }
            if let user = extra["userUniqueId"].text, !mentions.contains("@" + user) { mentions.append("@" + user) }
        }
        listedTags += item["challenges"].array.compactMap { $0["title"].text }
        var media: [MediaRef] = []
        let video = item["video"]
        if let cover = video["cover"].text ?? video["originCover"].text ?? video["dynamicCover"].text,
            let url = absoluteURL(cover, base: input.url)
        {
            media.append(MediaRef(url: url, kind: .videoCover))
        }
        var title: String?
        if isPhoto {
            title = item.at("imagePost", "title").text.map { book.cap(tidy($0), "\(input.url): \(path).imagePost.title") }
            for image in item.at("imagePost", "images").array {
                guard media.count < limits.maxMediaPerPost else { break }
                if let url = absoluteURL(image.at("imageURL", "urlList", 0).text, base: input.url) {
                    media.append(MediaRef(url: url, kind: .image))
                }
            }
        }
        let tracks = Self.transcriptTracks(video, base: input.url)
        let stats = item["statsV2"].isObject ? item["statsV2"] : item["stats"]
        let counts = EngagementCounts(
            likes: stats["diggCount"].int, comments: stats["commentCount"].int, shares: stats["shareCount"].int,
            views: stats["playCount"].int, saves: stats["collectCount"].int)
        let created = unixDate(item["createTime"].int ?? item["create_time"].int)
        if created == nil, item["createTime"].exists { book.add("\(input.url): \(path).createTime: not a readable Unix time") }
        let itemValue = Item(
            sourceURL: permalink,
            canonicalURL: permalink,
            platform: Platform.tiktok.rawValue,
            author: author,
            publishedAt: created,
            language: item["textLanguage"].text.flatMap { $0 == "un" ? nil : $0 },
            title: title,
            body: caption,
            links: mentions.map { Link(url: Self.profileURL(handle: $0), text: $0) },
            hashtags: hashtags(in: [caption], listed: listedTags)
        )
        return PlatformPost(
            item: itemValue, postID: id, media: media, transcriptTracks: tracks, counts: counts.isEmpty ? nil : counts,
            location: item["locationCreated"].text, kind: isPhoto ? "post" : "video")
    }

    /// Subtitle tracks of a video, the original-language ones first: `subtitleInfos`
    /// (`Source` ASR is speech recognition in the spoken language, MT a machine translation)
    /// and `claInfo.captionInfos`, each URL once.
    static func transcriptTracks(_ video: JSONNode, base: String) -> [TranscriptTrack] {
        let original =
            video.at("claInfo", "originalLanguageInfo", "language").text
            ?? video.at("claInfo", "originalLanguageInfo", "languageCode").text
        var tracks: [TranscriptTrack] = []
        var seen = Set<String>()
        for info in video["subtitleInfos"].array {
            guard let url = absoluteURL(info["Url"].text, base: base), seen.insert(url).inserted else { continue }
            let format = info["Format"].text?.lowercased() ?? "webvtt"
            guard format.contains("vtt") else { continue }
            let source = info["Source"].text?.uppercased()
            let language = info["LanguageCodeName"].text
            let kind = source == "ASR" ? "auto-caption" : (source == "MT" ? "auto-translation" : "subtitle")
            let isOriginal = source != "MT" && (original == nil || language == original || source == "ASR")
            tracks.append(TranscriptTrack(url: url, language: language, kind: kind, format: .webVTT, isOriginalLanguage: isOriginal))
        }
        for info in video.at("claInfo", "captionInfos").array {
            guard let url = absoluteURL(info["url"].text, base: base), seen.insert(url).inserted else { continue }
            let language = info["language"].text
            let isOriginal = original.map { $0 == language } ?? false
            let kind = isOriginal ? (info["isAutoGen"].bool == true ? "auto-caption" : "subtitle") : "auto-translation"
            tracks.append(TranscriptTrack(url: url, language: language, kind: kind, format: .webVTT, isOriginalLanguage: isOriginal))
        }
        return tracks.filter(\.isOriginalLanguage) + tracks.filter { !$0.isOriginalLanguage }
    }

    // MARK: Accounts

    static func author(_ node: JSONNode, book: inout NoteBook) -> Author? {
        guard node.isObject, let handle = node["uniqueId"].text ?? node["unique_id"].text else { return nil }
        return Author(
            name: node["nickname"].text.map { book.cap($0, "author nickname") },
            handle: "@" + handle,
            profileURL: profileURL(handle: handle),
            bio: node["signature"].text.map { book.cap(tidy($0), "author signature") },
            accountID: node["id"].text ?? node["uid"].text)
    }

    static func profile(_ node: JSONNode, stats: JSONNode, input: PlatformInput, book: inout NoteBook) -> AccountProfile? {
        guard let author = author(node, book: &book) else { return nil }
        var links: [String] = []
        if let link = node.at("bioLink", "link").text { links.append(link.contains("://") ? link : "https://" + link) }
        var fields: [String: String] = [:]
        if node["verified"].bool == true { fields["verified"] = "true" }
        if let followers = stats["followerCount"].int { fields["followers"] = String(followers) }
        if let videos = stats["videoCount"].int { fields["videos"] = String(videos) }
        if node["isOrganization"].int == 1 { fields["organization"] = "true" }
        return AccountProfile(
            platform: Platform.tiktok.rawValue, accountID: author.accountID, handle: author.handle, displayName: author.name,
            bio: author.bio, links: links, category: node.at("commerceUserInfo", "category").text, fields: fields,
            profileURL: author.profileURL, observedAt: input.receivedAt)
    }
}
