import Foundation
import NetralModel

/// Reads YouTube: channel Atom feeds (`feeds/videos.xml`), watch pages (`ytInitialPlayerResponse`
/// and `ytInitialData`) and InnerTube `player` answers, and Data API v3 answers
/// (`commentThreads.list`, `comments.list`, `videos.list`).
///
/// A video becomes a post: title, description (`shortDescription`), the channel as author
/// (`channelId` as the account id, the `@handle` from `ownerProfileUrl`), the publish date
/// (`microformat.playerMicroformatRenderer.publishDate`), the thumbnail, and the caption
/// tracks (`captions.playerCaptionsTracklistRenderer.captionTracks`, `kind: asr` being speech
/// recognition) as timedtext URLs. A comment becomes a post by its commenter whose `replyTo`
/// is the video and the video's channel (a comment by an ASN under a candidate's video is act
/// A6); `nextPageToken` is the next page's token. The API key is the source's business: no URL
/// this parser outputs carries a `key` parameter (see `PlatformInput.url`).
public struct YouTubeParser: Sendable {
    public let limits: PlatformLimits

    static let atom = "http://www.w3.org/2005/Atom"
    static let yt = "http://www.youtube.com/xml/schemas/2015"
    static let media = "http://search.yahoo.com/mrss/"

    public init(limits: PlatformLimits = .default) {
        self.limits = limits
    }

    public static func handles(url: String) -> Bool {
        guard let host = bareHost(url) else { return false }
        if ["youtube.com", "youtu.be", "youtube-nocookie.com"].contains(host) || host.hasSuffix(".youtube.com") { return true }
        // The Data API shares its host with every other Google API.
        return (host == "googleapis.com" || host == "youtube.googleapis.com") && (URL(string: url)?.path.hasPrefix("/youtube/") ?? false)
    }

    public static func watchURL(videoID: String) -> String { "https://www.youtube.com/watch?v=\(videoID)" }

    public func parse(_ input: PlatformInput) throws(PlatformParseError) -> PlatformPage {
        let first = input.body.first { $0 != 0x20 && $0 != 0x0A && $0 != 0x0D && $0 != 0x09 && $0 != 0xEF && $0 != 0xBB && $0 != 0xBF }
        // An API error arrives with 403 or 400 and a JSON body that says why: read it first.
        if first == UInt8(ascii: "{") {
            var book = NoteBook(limits: limits)
            let document = try JSONDocument(bytes: input.body, platform: .youtube, url: input.url, location: "the answer", limits: limits)
            if let note = document.repairNote { book.add(note) }
            if let wall = Self.apiErrorWall(document.root, retryAfter: input.retryAfter) {
                return PlatformPage(platform: .youtube, wall: wall)
            }
            if let wall = CommonWalls.fromStatus(input) { return PlatformPage(platform: .youtube, wall: wall) }
            return try json(document.root, input: input, book: &book)
        }
        if let wall = CommonWalls.fromStatus(input) { return PlatformPage(platform: .youtube, wall: wall) }
        if let host = URL(string: input.url)?.host?.lowercased(), host.hasPrefix("consent.") {
            return PlatformPage(platform: .youtube, wall: PlatformWall(.challenge, "redirected to the cookie consent page \(host)"))
        }
        if input.url.contains("google.com/sorry") {
            return PlatformWall(.rateLimited, "redirected to Google's unusual-traffic page").page
        }
        guard first != nil else { throw PlatformParseError(platform: .youtube, url: input.url, reason: "the answer is empty") }
        if first == UInt8(ascii: "<"), contains("<feed", in: input.body.prefix(4096)) {
            return try feed(input)
        }
        return try watchPage(input)
    }

    // MARK: Atom feed

    func feed(_ input: PlatformInput) throws(PlatformParseError) -> PlatformPage {
        let tree: MarkupTree
        do {
            tree = try MarkupTree(data: input.body, mode: .xml, url: input.url)
        } catch {
            throw PlatformParseError(platform: .youtube, url: input.url, reason: "the feed is not XML: \(error.reason)")
        }
        guard let root = tree.root, tree.name(root) == "feed" else {
            throw PlatformParseError(platform: .youtube, url: input.url, reason: "not an Atom feed")
        }
        var book = NoteBook(limits: limits)
        var profiles = ProfileSet()
        let channelID = tree.child(of: root, named: "channelid", namespace: Self.yt).map { tree.rawText(of: $0).trimmed }
        let feedAuthor = tree.child(of: root, named: "author", namespace: Self.atom)
        let channelName =
            feedAuthor.flatMap { tree.child(of: $0, named: "name") }.map { tree.rawText(of: $0).trimmed }
            ?? tree.child(of: root, named: "title", namespace: Self.atom).map { tree.rawText(of: $0).trimmed }
        let channelURL = feedAuthor.flatMap { tree.child(of: $0, named: "uri") }.map { tree.rawText(of: $0).trimmed }
        if channelID != nil || channelURL != nil {
            profiles.add(
                AccountProfile(
                    platform: Platform.youtube.rawValue, accountID: channelID, handle: channelURL.flatMap(Self.handle(fromURL:)),
                    displayName: channelName, profileURL: channelURL, observedAt: input.receivedAt))
        }
        var posts: [PlatformPost] = []
        let entries = tree.children(of: root, named: "entry")
        for (index, entry) in entries.enumerated() {
            guard posts.count < limits.maxPostsPerAnswer else {
                book.add("\(input.url): \(entries.count - index) entries past the first \(limits.maxPostsPerAnswer) left out")
                break
            }
            guard let videoID = tree.child(of: entry, named: "videoid", namespace: Self.yt).map({ tree.rawText(of: $0).trimmed }),
                !videoID.isEmpty
            else {
                book.add("\(input.url): entry \(index + 1) has no yt:videoId; skipped")
                continue
            }
            let group = tree.child(of: entry, named: "group", namespace: Self.media)
            let title =
                tree.child(of: entry, named: "title", namespace: Self.atom).map { tree.rawText(of: $0).trimmed }
                ?? group.flatMap { tree.child(of: $0, named: "title") }.map { tree.rawText(of: $0).trimmed }
            let description = group.flatMap { tree.child(of: $0, named: "description") }.map { tree.rawText(of: $0) } ?? ""
            let entryAuthor = tree.child(of: entry, named: "author", namespace: Self.atom)
            let authorName = entryAuthor.flatMap { tree.child(of: $0, named: "name") }.map { tree.rawText(of: $0).trimmed } ?? channelName
            let authorURL = entryAuthor.flatMap { tree.child(of: $0, named: "uri") }.map { tree.rawText(of: $0).trimmed } ?? channelURL
            let entryChannel =
                tree.child(of: entry, named: "channelid", namespace: Self.yt).map { tree.rawText(of: $0).trimmed } ?? channelID
            let published = tree.child(of: entry, named: "published", namespace: Self.atom).flatMap {
                parseISODate(tree.rawText(of: $0).trimmed)
            }
            var media: [MediaRef] = []
            if let thumbnail = group.flatMap({ tree.child(of: $0, named: "thumbnail") }),
                let url = absoluteURL(tree.attribute("url", of: thumbnail), base: input.url)
            {
                media.append(MediaRef(url: url, kind: .videoCover))
            }
            let views = group.flatMap { tree.child(of: $0, named: "community") }.flatMap { tree.child(of: $0, named: "statistics") }
                .flatMap { tree.attribute("views", of: $0) }.flatMap { Int($0) }
            let body = book.cap(tidy(description), "\(input.url): description of \(videoID)")
            let permalink = Self.watchURL(videoID: videoID)
            let item = Item(
                sourceURL: permalink, canonicalURL: permalink, platform: Platform.youtube.rawValue,
                author: Author(
                    name: authorName, handle: authorURL.flatMap(Self.handle(fromURL:)), profileURL: authorURL, accountID: entryChannel),
                publishedAt: published, title: title.map { book.cap($0, "\(input.url): title of \(videoID)") }, body: body,
                hashtags: hashtags(in: [title ?? "", body]))
            posts.append(
                PlatformPost(item: item, postID: videoID, media: media, counts: views.map { EngagementCounts(views: $0) }, kind: "video"))
        }
        return PlatformPage(platform: .youtube, posts: posts, profiles: profiles.profiles, notes: book.notes)
    }

    // MARK: Watch page and player answer

    func watchPage(_ input: PlatformInput) throws(PlatformParseError) -> PlatformPage {
        var book = NoteBook(limits: limits)
        var player: JSONNode?
        for marker in ["var ytInitialPlayerResponse = ", "ytInitialPlayerResponse = ", "window[\"ytInitialPlayerResponse\"] = "] {
            switch EmbeddedJSON.assignedObject(after: marker, in: input.body) {
            case let .found(data):
                let document = try JSONDocument(
                    bytes: data, platform: .youtube, url: input.url, location: "ytInitialPlayerResponse", limits: limits)
                if let note = document.repairNote { book.add(note) }
                player = document.root
            case let .truncated(offset):
                throw PlatformParseError(
                    platform: .youtube, url: input.url, location: "byte \(offset)",
                    reason: "ytInitialPlayerResponse never closes (truncated page)")
            case .missing:
                continue
            }
            break
        }
        guard let player else {
            if contains("consent.youtube.com", in: input.body) || contains("action=\"https://consent.", in: input.body) {
                return PlatformWall(.challenge, "YouTube's cookie consent page").page
            }
            if contains("g-recaptcha", in: input.body) || contains("/sorry/index", in: input.body) {
                return PlatformWall(.challenge, "Google's captcha page").page
            }
            throw PlatformParseError(platform: .youtube, url: input.url, reason: "no ytInitialPlayerResponse in the page")
        }
        var initialData: JSONNode = .missing
        if case let .found(data) = EmbeddedJSON.assignedObject(after: "var ytInitialData = ", in: input.body) {
            do {
                initialData = try JSONDocument(bytes: data, platform: .youtube, url: input.url, location: "ytInitialData", limits: limits)
                    .root
            } catch {
                book.add(error.description)
            }
        }
        return playerAnswer(player, initialData: initialData, input: input, book: &book)
    }

    func playerAnswer(_ player: JSONNode, initialData: JSONNode, input: PlatformInput, book: inout NoteBook) -> PlatformPage {
        let details = player["videoDetails"]
        guard details.isObject, let videoID = details["videoId"].text else {
            return PlatformPage(
                platform: .youtube,
                wall: Self.playabilityWall(player["playabilityStatus"])
                    ?? PlatformWall(.notFound, "the player answer has no videoDetails"), notes: book.notes)
        }
        let micro = player.at("microformat", "playerMicroformatRenderer")
        let channelID = details["channelId"].text ?? micro["externalChannelId"].text
        let ownerURL = micro["ownerProfileUrl"].text
        // ytInitialData's owner block has the channel's handle path when the microformat does not.
        let owner = initialData.first(budget: 400_000) { $0["videoOwnerRenderer"].isObject }?["videoOwnerRenderer"] ?? .missing
        let ownerPath = owner.at("navigationEndpoint", "browseEndpoint", "canonicalBaseUrl").text
        let profileURL =
            ownerURL ?? ownerPath.map { "https://www.youtube.com\($0)" } ?? channelID.map { "https://www.youtube.com/channel/\($0)" }
        let author = Author(
            name: details["author"].text ?? micro["ownerChannelName"].text, handle: profileURL.flatMap(Self.handle(fromURL:)),
            profileURL: profileURL, accountID: channelID)
        let title = details["title"].text ?? micro.at("title", "simpleText").text
        let description = book.cap(
            tidy(details["shortDescription"].string ?? micro.at("description", "simpleText").string ?? ""),
            "\(input.url): description of \(videoID)")
        // Hashtags YouTube shows above the title live in ytInitialData's `superTitleLink`.
        let superTitle =
            initialData.first(budget: 400_000) { $0["superTitleLink"].isObject }?["superTitleLink"]["runs"].array
            .compactMap { $0["text"].text }.filter { $0.hasPrefix("#") } ?? []
        var media: [MediaRef] = []
        let thumbnails = details.at("thumbnail", "thumbnails").array + micro.at("thumbnail", "thumbnails").array
        if let best = thumbnails.max(by: { ($0["width"].int ?? 0) < ($1["width"].int ?? 0) }),
            let url = absoluteURL(best["url"].text, base: input.url)
        {
            media.append(MediaRef(url: removingQueryItems(PlatformInput.credentialParameters, from: url), kind: .videoCover))
        }
        let tracks = Self.captionTracks(player, base: input.url)
        let permalink = Self.watchURL(videoID: videoID)
        let item = Item(
            sourceURL: permalink, canonicalURL: permalink, platform: Platform.youtube.rawValue, author: author,
            publishedAt: parseISODate(micro["publishDate"].text) ?? parseISODate(micro["uploadDate"].text),
            title: title.map { book.cap($0, "\(input.url): title of \(videoID)") }, body: description,
            hashtags: hashtags(in: [title ?? "", description], listed: superTitle))
        let counts = EngagementCounts(views: details["viewCount"].int)
        var profiles = ProfileSet()
        profiles.add(
            AccountProfile(
                platform: Platform.youtube.rawValue, accountID: channelID, handle: author.handle, displayName: author.name,
                category: nil, profileURL: profileURL, observedAt: input.receivedAt))
        let post = PlatformPost(
            item: item, postID: videoID, media: media, transcriptTracks: tracks, counts: counts.isEmpty ? nil : counts,
            kind: "video")
        return PlatformPage(platform: .youtube, posts: [post], profiles: profiles.profiles, notes: book.notes)
    }

    /// The caption tracks of a player answer, speech recognition first (it is in the spoken
    /// language), with no `key` parameter.
    static func captionTracks(_ player: JSONNode, base: String) -> [TranscriptTrack] {
        let listed = player.at("captions", "playerCaptionsTracklistRenderer", "captionTracks").array
        let asrLanguage = listed.first { $0["kind"].text == "asr" }?["languageCode"].text
        var tracks: [TranscriptTrack] = []
        for track in listed {
            guard let raw = absoluteURL(track["baseUrl"].text, base: base) else { continue }
            let url = removingQueryItems(PlatformInput.credentialParameters, from: raw)
            let language = track["languageCode"].text
            let isASR = track["kind"].text == "asr"
            let isOriginal = isASR || asrLanguage == nil || language.map { $0.prefix(2) == asrLanguage!.prefix(2) } == true
            tracks.append(
                TranscriptTrack(
                    url: url, language: language, kind: isASR ? "auto-caption" : "subtitle", format: .timedTextXML,
                    isOriginalLanguage: isOriginal))
        }
        return tracks.filter { $0.kind == "auto-caption" } + tracks.filter { $0.kind != "auto-caption" }
    }

    /// `playabilityStatus` when the player gives no video.
    static func playabilityWall(_ status: JSONNode) -> PlatformWall? {
        guard let code = status["status"].text, code != "OK" else { return nil }
        let reason = status["reason"].text ?? status.at("errorScreen", "playerErrorMessageRenderer", "reason", "simpleText").text ?? code
        let said = "playabilityStatus \(code): \(reason)"
        let lowered = reason.lowercased()
        if lowered.contains("private") || lowered.contains("pribadi") { return PlatformWall(.privateContent, said) }
        if lowered.contains("bot") || lowered.contains("captcha") { return PlatformWall(.challenge, said) }
        switch code {
        case "LOGIN_REQUIRED", "AGE_CHECK_REQUIRED", "AGE_VERIFICATION_REQUIRED": return PlatformWall(.loginRequired, said)
        case "CONTENT_CHECK_REQUIRED": return PlatformWall(.challenge, said)
        default: return PlatformWall(.notFound, said)
        }
    }

    // MARK: JSON answers

    func json(_ root: JSONNode, input: PlatformInput, book: inout NoteBook) throws(PlatformParseError) -> PlatformPage {
        let kind = root["kind"].text ?? ""
        if root["videoDetails"].exists || root["playabilityStatus"].exists {
            return playerAnswer(root, initialData: .missing, input: input, book: &book)
        }
        var profiles = ProfileSet()
        var posts: [PlatformPost] = []
        let items = root["items"]
        guard items.isArray else {
            throw PlatformParseError(
                platform: .youtube, url: input.url, location: "$.items",
                reason: "not a Data API list answer or a player answer (kind '\(kind)')")
        }
        let entries = items.array
        func room() -> Bool {
            guard posts.count < limits.maxPostsPerAnswer else { return false }
            return true
        }
        var dropped = 0
        for (index, entry) in entries.enumerated() {
            let entryKind = entry["kind"].text ?? ""
            switch entryKind {
            case "youtube#commentThread":
                let snippet = entry["snippet"]
                let video = snippet["videoId"].text
                let channel = snippet["channelId"].text
                var comments = [(snippet["topLevelComment"], "comment")]
                comments += entry.at("replies", "comments").array.map { ($0, "reply") }
                for (comment, commentKind) in comments {
                    guard room() else {
                        dropped += 1
                        continue
                    }
                    if let post = commentPost(
                        comment, videoID: video, channelID: channel, kind: commentKind, path: "$.items[\(index)]",
                        input: input, book: &book)
                    {
                        posts.append(post)
                        profiles.add(Self.commenterProfile(post.item.author, input: input))
                    }
                }
            case "youtube#comment":
                guard room() else {
                    dropped += 1
                    continue
                }
                let snippet = entry["snippet"]
                if let post = commentPost(
                    entry, videoID: snippet["videoId"].text, channelID: snippet["channelId"].text,
                    kind: snippet["parentId"].exists ? "reply" : "comment", path: "$.items[\(index)]", input: input, book: &book)
                {
                    posts.append(post)
                    profiles.add(Self.commenterProfile(post.item.author, input: input))
                }
            case "youtube#video":
                guard room() else {
                    dropped += 1
                    continue
                }
                if let post = apiVideo(entry, path: "$.items[\(index)]", input: input, book: &book) { posts.append(post) }
            default:
                book.add("\(input.url): $.items[\(index)]: kind '\(entryKind)' not read; skipped")
            }
        }
        if dropped > 0 { book.add("\(input.url): \(dropped) entries past the first \(limits.maxPostsPerAnswer) left out") }
        let next = root["nextPageToken"].text.map { PageCursor(token: $0) }
        return PlatformPage(platform: .youtube, posts: posts, profiles: profiles.profiles, next: next, notes: book.notes)
    }

    func commentPost(
        _ comment: JSONNode, videoID: String?, channelID: String?, kind: String, path: String, input: PlatformInput,
        book: inout NoteBook
    ) -> PlatformPost? {
        let snippet = comment["snippet"]
        guard let id = comment["id"].text else {
            book.add("\(input.url): \(path): a comment without an id; skipped")
            return nil
        }
        let video = snippet["videoId"].text ?? videoID
        let channel = snippet["channelId"].text ?? channelID
        let text =
            snippet["textOriginal"].string
            ?? snippet["textDisplay"].string.map { decodeEntities($0.replacingOccurrences(of: "<br>", with: "\n")) }
        guard let text, !text.isEmpty else {
            book.add("\(input.url): \(path): comment \(id) has no text; skipped")
            return nil
        }
        let body = book.cap(tidy(text), "\(input.url): comment \(id)")
        let name = snippet["authorDisplayName"].text
        let channelURL = snippet["authorChannelUrl"].text.map { $0.replacingOccurrences(of: "http://", with: "https://") }
        let author = Author(
            name: name, handle: name.flatMap { $0.hasPrefix("@") ? $0 : nil } ?? channelURL.flatMap(Self.handle(fromURL:)),
            profileURL: channelURL, accountID: snippet.at("authorChannelId", "value").text)
        let permalink = video.map { Self.watchURL(videoID: $0) + "&lc=\(id)" } ?? "https://www.youtube.com/comment/\(id)"
        let item = Item(
            sourceURL: permalink, canonicalURL: permalink, platform: Platform.youtube.rawValue, author: author,
            publishedAt: parseISODate(snippet["publishedAt"].text), body: body, hashtags: hashtags(in: [body]))
        let replyTo = PostReference(postID: video, url: video.map(Self.watchURL(videoID:)), accountID: channel)
        return PlatformPost(
            item: item, postID: id, counts: snippet["likeCount"].int.map { EngagementCounts(likes: $0) }, replyTo: replyTo, kind: kind)
    }

    func apiVideo(_ video: JSONNode, path: String, input: PlatformInput, book: inout NoteBook) -> PlatformPost? {
        guard let id = video["id"].text else {
            book.add("\(input.url): \(path): a video without an id; skipped")
            return nil
        }
        let snippet = video["snippet"]
        let channel = snippet["channelId"].text
        let body = book.cap(tidy(snippet["description"].string ?? ""), "\(input.url): description of \(id)")
        let title = snippet["title"].text
        let author = Author(
            name: snippet["channelTitle"].text, profileURL: channel.map { "https://www.youtube.com/channel/\($0)" }, accountID: channel)
        var media: [MediaRef] = []
        for size in ["maxres", "high", "medium", "default"] {
            if let url = absoluteURL(snippet.at("thumbnails", .key(size), "url").text, base: input.url) {
                media.append(MediaRef(url: url, kind: .videoCover))
                break
            }
        }
        let permalink = Self.watchURL(videoID: id)
        let statistics = video["statistics"]
        let counts = EngagementCounts(
            likes: statistics["likeCount"].int, comments: statistics["commentCount"].int, views: statistics["viewCount"].int)
        let item = Item(
            sourceURL: permalink, canonicalURL: permalink, platform: Platform.youtube.rawValue, author: author,
            publishedAt: parseISODate(snippet["publishedAt"].text), language: snippet["defaultAudioLanguage"].text,
            title: title, body: body, hashtags: hashtags(in: [title ?? "", body], listed: []))
        return PlatformPost(item: item, postID: id, media: media, counts: counts.isEmpty ? nil : counts, kind: "video")
    }

    static func commenterProfile(_ author: Author?, input: PlatformInput) -> AccountProfile? {
        guard let author else { return nil }
        return AccountProfile(
            platform: Platform.youtube.rawValue, accountID: author.accountID, handle: author.handle, displayName: author.name,
            profileURL: author.profileURL, observedAt: input.receivedAt)
    }

    /// Data API errors: `{"error": {"code": 403, "errors": [{"reason": "quotaExceeded"}]}}`.
    static func apiErrorWall(_ root: JSONNode, retryAfter: String?) -> PlatformWall? {
        let error = root["error"]
        guard error.isObject else { return nil }
        let reasons = error["errors"].array.compactMap { $0["reason"].text } + error["details"].array.compactMap { $0["reason"].text }
        let message = error["message"].text ?? "no message"
        let said = "YouTube Data API error \(error["code"].int ?? 0) \(reasons.first ?? ""): \(message)"
        let all = Set(reasons.map { $0.lowercased() })
        if !all.isDisjoint(with: [
            "quotaexceeded", "ratelimitexceeded", "userratelimitexceeded", "dailylimitexceeded", "rate_limit_exceeded",
        ]) {
            return PlatformWall(.rateLimited, said, retryAfter: retryAfter)
        }
        if !all.isDisjoint(with: [
            "keyinvalid", "api_key_invalid", "forbidden", "autherror", "unauthorized", "accessnotconfigured", "service_disabled",
        ])
            || error["code"].int == 401
        {
            return PlatformWall(.loginRequired, said)
        }
        if !all.isDisjoint(with: ["videonotfound", "commentthreadnotfound", "commentnotfound", "channelnotfound", "notfound"])
            || error["code"].int == 404
        {
            return PlatformWall(.notFound, said)
        }
        if all.contains("commentsdisabled") { return PlatformWall(.privateContent, said) }
        return PlatformWall(.loginRequired, said)
    }

    /// `@handle` of `https://www.youtube.com/@handle`; nil for `/channel/UC…` and `/user/…` URLs.
    static func handle(fromURL url: String) -> String? {
        guard let first = pathSegments(url).first, first.hasPrefix("@"), first.count > 1 else { return nil }
        return first.removingPercentEncoding ?? first
    }
}

extension PlatformWall {
    /// A YouTube page holding only this wall.
    fileprivate var page: PlatformPage { PlatformPage(platform: .youtube, wall: self) }
}

extension String {
    var trimmed: String { trimmingCharacters(in: .whitespacesAndNewlines) }
}
