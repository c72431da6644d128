import Foundation
import Logging
import NetralFetch
import NetralModel
import NetralPlatforms
import NetralStore

/// What the social platforms' sources (`tiktok`, `facebook`, `instagram`, `x`, `youtube`,
/// `telegram`) share: one answer fetched through the engine and read by the platform's parser
/// (`NetralPlatforms`), a wall turned into the target's refused reason, and a page's posts handed
/// to the sink with their transcripts, pictures and the answer they came from.
struct PlatformReader {
    let platform: Platform
    let scan: TargetScan
    var limits = PlatformLimits.default

    /// Request headers that hold a secret (an API key): sent, never kept in the capture.
    static let secretHeaders: Set<String> = ["x-goog-api-key"]
    /// Subtitle tracks fetched per answer (one per post, the original language first).
    static let maxTranscriptsPerAnswer = 30

    /// What an answer is to the target: the target itself (its wall or absence ends it) or a
    /// part of it (a next page, a listed video, a video's comments), whose absence is logged.
    enum Role {
        case target
        case part
    }

    /// The platform's name as messages say it.
    var name: String {
        switch platform {
        case .tiktok: "TikTok"
        case .instagram: "Instagram"
        case .facebook: "Facebook"
        case .x: "X"
        case .youtube: "YouTube"
        case .telegram: "Telegram"
        case .whatsapp: "WhatsApp"
        }
    }

    /// Fetches `url` and reads it with the platform's parser. Nil when the answer has nothing
    /// for us and the target's outcome already says why (robots.txt, removed), or a part could
    /// not be read (logged). A login wall, a challenge, a rate limit or a private account ends
    /// the target with that reason (`SourceRefused`), never as an empty account.
    ///
    /// - Parameters:
    ///   - robots: whether robots.txt is asked (pages; not API calls a key pays for).
    ///   - headers: extra request headers; those in `secretHeaders` never reach the capture.
    func read(_ url: String, as role: Role, robots: Bool = true, headers: [HTTPHeader] = []) async throws -> (
        answer: Capture, page: PlatformPage
    )? {
        if robots, try await !scan.allows(url) {
            if role == .target {
                scan.result.outcome = .disallowed
                scan.result.error = scan.disallowedMessage(url)
            } else {
                scan.logger.notice("robots.txt disallows this page; not read", metadata: ["url": "\(url)"])
            }
            return nil
        }
        guard let capture = try await fetch(url, headers: headers, as: role) else { return nil }
        let page: PlatformPage
        do {
            page = try PlatformParsers.parse(PlatformInput(capture: capture), as: platform, limits: limits)
        } catch {
            guard (200..<300).contains(capture.status) else { return try failedStatus(capture, as: role) }
            let message = "\(name) answer not readable: \(error)"
            try scan.sink.recordFailure(url: url, status: capture.status, message: message)
            if role == .part {
                scan.logger.warning("platform answer not read", metadata: ["error": "\(message)"])
                return nil
            }
            throw TargetError(message)
        }
        for note in page.notes { scan.logger.notice("platform answer cut or skipped", metadata: ["note": "\(note)"]) }
        if let wall = page.wall { return try stop(at: wall, url: capture.finalURL, as: role) }
        guard (200..<300).contains(capture.status) else { return try failedStatus(capture, as: role) }
        return (capture, page)
    }

    /// One GET through the engine with the target's address policy; the secret headers are
    /// removed from the capture before anything else sees it.
    private func fetch(_ url: String, headers: [HTTPHeader], as role: Role) async throws -> Capture? {
        let fetched: FetchResult
        do {
            fetched = try await scan.engine.fetch(FetchRequest(url: url, headers: headers, allowPrivate: scan.target.allowPrivate))
        } catch let failure as FetchFailure {
            try scan.sink.recordFailure(url: url, status: nil, message: failure.description)
            guard role == .part else { throw failure }
            scan.logger.warning("platform answer not fetched", metadata: ["url": "\(url)", "error": "\(failure)"])
            return nil
        }
        var capture = fetched.capture
        capture.requestHeaders.removeAll { Self.secretHeaders.contains($0.name.lowercased()) }
        scan.result.attempts = fetched.attempts
        if (200..<300).contains(capture.status) { scan.countRead() }
        return capture
    }

    /// A non-2xx answer that is no wall: the target fails (or the part is skipped) with it.
    private func failedStatus(_ capture: Capture, as role: Role) throws -> (answer: Capture, page: PlatformPage)? {
        let message = "\(capture.requestURL): HTTP status \(capture.status)"
        try scan.sink.recordFailure(url: capture.requestURL, status: capture.status, message: message)
        guard role == .part else { throw TargetError(message) }
        scan.logger.warning("platform answer not read", metadata: ["error": "\(message)"])
        return nil
    }

    /// What a wall does: a removed target is `gone`; a removed or private part is skipped; a
    /// login wall, a challenge, a rate limit or a private target ends the target with its reason.
    private func stop(at wall: PlatformWall, url: String, as role: Role) throws -> (answer: Capture, page: PlatformPage)? {
        let what = "\(name) answered \(url) with \(wall)"
        switch (wall.kind, role) {
        case (.notFound, .target):
            scan.result.outcome = .gone
            scan.result.error = "gone: \(what)"
            try scan.sink.recordFailure(url: url, status: nil, message: "gone: \(what)")
            return nil
        case (.notFound, .part), (.privateContent, .part):
            scan.logger.notice("part of the target not shown", metadata: ["reason": "\(what)"])
            return nil
        case (.privateContent, .target):
            throw scan.refused(.privateContent, url: url, "\(what): only its followers or members may see it")
        case (.loginRequired, _):
            throw scan.refused(
                .loginWall, url: url,
                "\(what): \(name) shows this only to a signed-in session; read it from a browser capture (kind: capture)")
        case (.challenge, _):
            throw scan.refused(.challenge, url: url, "\(what): a check for robots stood in place of the content; try again later")
        case (.rateLimited, _):
            throw scan.refused(.rateLimited, url: url, "\(what): the target stops and is due again later")
        }
    }

    /// Hands a page's posts to the sink: each account it shows, each post with the transcript of
    /// its subtitle track (the original language; the track's answer kept in the case file)
    /// and its pictures (fetched for a new case file). `account` lends its bio to its posts.
    func judge(_ page: PlatformPage, answer: Capture, account: Author? = nil) async throws {
        for profile in page.profiles { scan.sink.saw(profile, in: answer) }
        guard !page.posts.isEmpty else {
            try scan.sink.listing(answer, in: scan)
            return
        }
        var items: [Item] = []
        var related: [String: [Capture]] = [:]
        var media: [String: [String]] = [:]
        var transcripts = 0
        for post in page.posts {
            var item = post.item
            if item.transcript == nil, !post.transcriptTracks.isEmpty {
                if transcripts < Self.maxTranscriptsPerAnswer, let (words, track) = try await transcript(of: post) {
                    item.transcript = words
                    related[item.identityURL, default: []].append(track)
                } else if transcripts == Self.maxTranscriptsPerAnswer {
                    scan.logger.notice(
                        "subtitle tracks not read beyond the cap",
                        metadata: ["cap": "\(Self.maxTranscriptsPerAnswer)", "url": "\(answer.finalURL)"])
                }
                transcripts += 1
            }
            let pictures = post.media.filter { $0.kind != .video }.map(\.url)
            if !pictures.isEmpty { media[item.identityURL] = pictures }
            items.append(item)
        }
        try await scan.sink.judge(
            answer, items: items, author: account, related: related, pictures: media,
            record: .fetched(digest: scan.sink.judge.digest(answer)),
            in: scan)
    }

    /// The post's subtitle track read into a transcript with its times, and the track's answer.
    /// A track that fails or cannot be read is logged; the post is judged without it.
    func transcript(of post: PlatformPost) async throws -> (Transcript, Capture)? {
        guard let track = post.transcriptTracks.first(where: \.isOriginalLanguage) ?? post.transcriptTracks.first else { return nil }
        guard let capture = try await fetch(track.url, headers: [], as: .part) else { return nil }
        guard (200..<300).contains(capture.status) else {
            scan.logger.warning("subtitle track not fetched", metadata: ["url": "\(track.url)", "status": "\(capture.status)"])
            return nil
        }
        do {
            let reading = try TranscriptParser.read(capture.body, track: track, platform: platform, limits: limits)
            for note in reading.notes { scan.logger.notice("subtitle track cut or skipped", metadata: ["note": "\(note)"]) }
            return reading.transcript.cues.isEmpty ? nil : (reading.transcript, capture)
        } catch {
            scan.logger.warning("subtitle track not read", metadata: ["error": "\(error)"])
            return nil
        }
    }

    /// The account whose profile a page shows, as the author its posts are judged with.
    static func account(in page: PlatformPage, handle: String?) -> Author? {
        let profile = page.profiles.first { handle != nil && $0.handle?.lowercased() == handle?.lowercased() } ?? page.profiles.first
        return profile.map {
            Author(name: $0.displayName, handle: $0.handle, profileURL: $0.profileURL, bio: $0.bio, accountID: $0.accountID)
        }
    }

    // MARK: - Where a target is

    /// `scheme://host[:port]` of `url`.
    static func origin(of url: String) -> String? {
        guard let components = URLComponents(string: url), let scheme = components.scheme, let host = components.host else { return nil }
        return "\(scheme)://\(host)" + (components.port.map { ":\($0)" } ?? "")
    }

    /// The handle a target gives with `account:` (kept as `@name`), or nil for a URL target.
    static func handle(of target: Target) -> String? {
        target.url.hasPrefix("@") ? String(target.url.dropFirst()) : nil
    }

    /// Whether `url` is on the same host as `base` (a next page a platform names is followed
    /// only there).
    static func sameHost(_ url: String, as base: String) -> Bool {
        guard let host = URL(string: url)?.host?.lowercased(), let baseHost = URL(string: base)?.host?.lowercased() else { return false }
        return host == baseHost
    }

    /// The path of `url`, lowercased, without a trailing slash.
    static func path(of url: String) -> String {
        var path = (URLComponents(string: url)?.path ?? "").lowercased()
        while path.count > 1 && path.hasSuffix("/") { path.removeLast() }
        return path
    }
}
