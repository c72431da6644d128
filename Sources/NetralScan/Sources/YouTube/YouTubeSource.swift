import Foundation
import NetralFetch
import NetralModel
import Logging
import NetralPlatforms
import NetralStore
import NetralYAML

extension Target.Kind {
    /// A YouTube channel (`account:` a handle or a `UC…` channel id, or its URL) or one video.
    public static let youtube = Target.Kind(rawValue: "youtube")
}

/// YouTube without logging in. A channel is read through its public Atom feed (its latest
/// videos); the newest `max_videos` of them through their watch pages (title, description,
/// channel, publish date, and the caption track, speech recognition or the uploader's, read as
/// the video's transcript with its times); the rest from the feed. With a Data API v3 key
/// (`api_key_env`, by default `YOUTUBE_API_KEY` when set, or `api_key_file`), the comments under
/// each of those videos too (`commentThreads.list`, `max_comment_pages` pages of 100): a
/// comment by a civil servant under a candidate's video is act A6. The key is sent in the
/// `X-Goog-Api-Key` header, never in a URL, and is kept out of the captures.
struct YouTubeSource: TargetSource {
    static let row = SourceRow(
        kind: .youtube, location: .account(.youtube),
        keys: ["account", "api", "api_key_env", "api_key_file", "max_videos", "max_comment_pages"],
        maxPages: (1, 1...1),
        parse: { mapping, target, diagnostics in
            guard let settings = YouTubeSettings.parse(mapping, diagnostics: &diagnostics) else { return false }
            target.settings = settings
            return true
        },
        source: { target in YouTubeSource(settings: target.settings(as: YouTubeSettings.self) ?? YouTubeSettings()) },
        reads: { url in YouTubeSource.plan(for: url) != nil },
        urlForms: "https://www.youtube.com/@NAME, …/channel/UC…, or a video's …/watch?v=ID")

    var settings: YouTubeSettings

    /// A video read through its watch page, whose comments may be read next.
    struct Video {
        var id: String
    }

    /// What a target's URL asks for.
    enum Plan: Equatable {
        case video(String)
        case channel(id: String)
        case handle(String)
    }

    static func plan(for url: String) -> Plan? {
        guard let components = URLComponents(string: url) else { return nil }
        let parts = components.path.split(separator: "/").map(String.init)
        let host = components.host?.lowercased() ?? ""
        if host == "youtu.be", let id = parts.first { return .video(id) }
        if parts.first == "watch", let id = components.queryItems?.first(where: { $0.name == "v" })?.value, !id.isEmpty {
            return .video(id)
        }
        if parts.count == 2, ["shorts", "live", "embed"].contains(parts[0]) { return .video(parts[1]) }
        if parts.count >= 2, parts[0] == "channel", parts[1].hasPrefix("UC") { return .channel(id: parts[1]) }
        if parts.first == "feeds", let id = components.queryItems?.first(where: { $0.name == "channel_id" })?.value {
            return .channel(id: id)
        }
        if let first = parts.first, first.hasPrefix("@"), first.count > 1 { return .handle(String(first.dropFirst())) }
        return nil
    }

    func read(_ scan: TargetScan, after headStart: Void) async throws {
        let reader = PlatformReader(platform: .youtube, scan: scan)
        let key = try settings.apiKey()
        let origin = PlatformReader.origin(of: scan.target.url) ?? "https://www.youtube.com"
        let plan: Plan
        if let handle = PlatformReader.handle(of: scan.target) {
            plan = handle.hasPrefix("UC") && handle.count == 24 ? .channel(id: handle) : .handle(handle)
        } else if let known = Self.plan(for: scan.target.url) {
            plan = known
        } else {
            throw TargetError("\(scan.target.url) is neither a YouTube channel nor a video URL")
        }
        switch plan {
        case .video(let id):
            guard let video = try await watch(id, origin: origin, as: .target, reader: reader) else { return }
            if let key { try await comments(on: video, key: key, reader: reader) }
        case .channel(let id):
            try await channel(id, origin: origin, key: key, reader: reader)
        case .handle(let handle):
            guard let id = try await channelID(handle: handle, origin: origin, reader: reader) else { return }
            try await channel(id, origin: origin, key: key, reader: reader)
        }
    }

    /// The channel's feed; its newest `max_videos` videos through their watch pages (and
    /// comments), the others as the feed shows them.
    private func channel(_ id: String, origin: String, key: String?, reader: PlatformReader) async throws {
        let feedURL = "\(origin)/feeds/videos.xml?channel_id=\(id)"
        guard let (feed, page) = try await reader.read(feedURL, as: .target) else { return }
        for profile in page.profiles { reader.scan.sink.saw(profile, in: feed) }
        let account = PlatformReader.account(in: page, handle: nil)
        var fromFeed = page
        fromFeed.posts = []
        for (index, post) in page.posts.enumerated() {
            guard index < settings.maxVideos, let videoID = post.postID,
                let video = try await watch(videoID, origin: origin, as: .part, reader: reader, account: account)
            else {
                fromFeed.posts.append(post)
                continue
            }
            if let key { try await comments(on: video, key: key, reader: reader) }
        }
        if page.posts.count > settings.maxVideos {
            reader.scan.logger.info(
                "videos beyond max_videos judged from the feed only", metadata: ["count": "\(page.posts.count - settings.maxVideos)"])
        }
        fromFeed.profiles = []
        try await reader.judge(fromFeed, answer: feed, account: account)
    }

    /// One video's watch page, judged with its transcript; its id and channel for the comments.
    private func watch(
        _ id: String, origin: String, as role: PlatformReader.Role, reader: PlatformReader, account: Author? = nil
    ) async throws -> Video? {
        let url = "\(origin)/watch?v=\(Self.queryValue(id))"
        guard let (answer, page) = try await reader.read(url, as: role), let post = page.posts.first else { return nil }
        try await reader.judge(page, answer: answer, account: account)
        return Video(id: post.postID ?? id)
    }

    /// The comments under a video through the Data API, page by page.
    private func comments(on video: Video, key: String, reader: PlatformReader) async throws {
        let videoID = video.id
        var token: String?
        var pages = 0
        repeat {
            var url =
                "\(settings.api)/commentThreads?part=snippet,replies&videoId=\(Self.queryValue(videoID))&maxResults=100&order=time"
                + "&textFormat=plainText"
            if let token { url += "&pageToken=\(Self.queryValue(token))" }
            let header = HTTPHeader(name: "X-Goog-Api-Key", value: key)
            guard let (answer, page) = try await reader.read(url, as: .part, robots: false, headers: [header]) else { return }
            try await reader.judge(page, answer: answer)
            token = page.next?.token
            pages += 1
        } while token != nil && pages < settings.maxCommentPages
    }

    /// The channel id a handle's channel page names (`/channel/UC…`, `"channelId":"UC…"`).
    private func channelID(handle: String, origin: String, reader: PlatformReader) async throws -> String? {
        let url = "\(origin)/@\(handle)"
        guard try await reader.scan.allows(url) else {
            reader.scan.result.outcome = .disallowed
            reader.scan.result.error = reader.scan.disallowedMessage(url)
            return nil
        }
        let answer = try await reader.scan.fetch(url)
        if URL(string: answer.finalURL)?.host?.lowercased().hasPrefix("consent.") == true {
            throw reader.scan.refused(
                .challenge, url: answer.finalURL, "YouTube answered \(url) with its cookie consent page instead of the channel")
        }
        guard let id = Self.channelID(in: answer.body) else {
            throw TargetError("\(url): no channel id (UC…) in the channel page; give the channel id as account: or its /channel/ URL")
        }
        try reader.scan.sink.listing(answer, in: reader.scan)
        return id
    }

    /// The first `UC` + 22 id characters after a marker the channel page uses.
    static func channelID(in body: Data) -> String? {
        let text = String(decoding: body.prefix(4 * 1024 * 1024), as: UTF8.self)
        for marker in ["\"externalId\":\"", "\"channelId\":\"", "youtube.com/channel/", "<meta itemprop=\"identifier\" content=\""] {
            var searchRange = text.startIndex..<text.endIndex
            while let found = text.range(of: marker, range: searchRange) {
                let candidate = text[found.upperBound...].prefix(24)
                if candidate.count == 24, candidate.hasPrefix("UC"),
                    candidate.unicodeScalars.allSatisfy({
                        $0.isASCII && (CharacterSet.alphanumerics.contains($0) || $0 == "-" || $0 == "_")
                    })
                {
                    return String(candidate)
                }
                searchRange = found.upperBound..<text.endIndex
            }
        }
        return nil
    }

    static func queryValue(_ text: String) -> String {
        text.addingPercentEncoding(withAllowedCharacters: .alphanumerics.union(CharacterSet(charactersIn: "-._~"))) ?? text
    }
}

/// A YouTube target's own keys.
struct YouTubeSettings: TargetSettings, Equatable {
    static let defaultKeyVariable = "YOUTUBE_API_KEY"
    /// The Data API v3 base (`api:`, for a mirror).
    var api = "https://www.googleapis.com/youtube/v3"
    /// The environment variable holding the API key; `explicitVariable` when the target named it.
    var keyVariable = Self.defaultKeyVariable
    var explicitVariable = false
    /// A file holding the key (`api_key_file:`, relative to the configuration).
    var keyFile: String?
    var maxVideos = 5
    var maxCommentPages = 1

    /// The API key, read when needed and never kept: nil when none is configured (comments are
    /// then not read).
    func apiKey() throws -> String? {
        if let keyFile {
            guard let data = FileManager.default.contents(atPath: keyFile) else {
                throw TargetError("api_key_file \(keyFile) cannot be read")
            }
            let key = String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
            guard !key.isEmpty else { throw TargetError("api_key_file \(keyFile) is empty") }
            return key
        }
        let value = ProcessInfo.processInfo.environment[keyVariable]?.trimmingCharacters(in: .whitespacesAndNewlines)
        if let value, !value.isEmpty { return value }
        if explicitVariable { throw TargetError("environment variable \(keyVariable) (api_key_env) is not set") }
        return nil
    }

    static func parse(_ mapping: YAMLMapping, diagnostics: inout DiagnosticList) -> YouTubeSettings? {
        var settings = YouTubeSettings()
        var valid = true
        if let value = mapping["api"], let text = value.string("api", into: &diagnostics) {
            let lowered = text.lowercased()
            if lowered.hasPrefix("https://") || lowered.hasPrefix("http://"), URLComponents(string: text)?.host != nil,
                !text.contains("?")
            {
                settings.api = text.hasSuffix("/") ? String(text.dropLast()) : text
            } else {
                diagnostics.append(value.diagnostic("api must be the Data API's http or https base URL, found '\(text)'"))
                valid = false
            }
        }
        if let value = mapping["api_key_env"], let name = value.string("api_key_env", into: &diagnostics) {
            let allowed = CharacterSet(charactersIn: "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_")
            if !name.isEmpty, name.unicodeScalars.allSatisfy({ allowed.contains($0) }), !(name.first?.isNumber ?? true) {
                settings.keyVariable = name
                settings.explicitVariable = true
            } else {
                diagnostics.append(value.diagnostic("api_key_env names an environment variable (A-Z, 0-9, _), found '\(name)'"))
                valid = false
            }
        }
        if let value = mapping["api_key_file"], let path = value.string("api_key_file", into: &diagnostics) {
            if mapping["api_key_env"] != nil {
                diagnostics.append(value.diagnostic("give api_key_env or api_key_file, not both"))
                valid = false
            }
            let base = (value.file as NSString).deletingLastPathComponent
            settings.keyFile = path.hasPrefix("/") || base.isEmpty ? path : (base as NSString).appendingPathComponent(path)
        }
        TargetConfig.cap(mapping, "max_videos", 0...50, into: &diagnostics) { settings.maxVideos = $0 }
        TargetConfig.cap(mapping, "max_comment_pages", 1...20, into: &diagnostics) { settings.maxCommentPages = $0 }
        return valid ? settings : nil
    }
}
