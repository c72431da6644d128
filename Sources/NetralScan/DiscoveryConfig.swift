import Foundation
import NetralExtract
import NetralYAML

/// The social networks whose public APIs Netral reads.
public enum SocialPlatform: String, Sendable, CaseIterable {
    case mastodon
    case bluesky
}

/// How much of a campaign account's interactions one scan reads. Every listing is paged, and
/// every page counts against these caps, so a viral post cannot make a scan unbounded.
public struct InteractionCaps: Sendable, Equatable {
    /// The account's most recent posts whose interactions are read (own posts, not boosts or
    /// replies).
    public var posts = 20
    /// Accounts read per post, across its replies, boosts or reposts and favourites or likes.
    public var perPost = 200
    /// Interacting accounts whose profile is looked up, per scan of the target.
    public var profiles = 500

    public init(posts: Int = 20, perPost: Int = 200, profiles: Int = 500) {
        self.posts = posts
        self.perPost = perPost
        self.profiles = profiles
    }
}

/// Link following within a site (`follow:` on a `page` or `sitemap` target): from each page
/// fetched, links to the same host are followed breadth first, at most `depth` links away and
/// `maxPages` pages per scan, those matching an `include` pattern (all when none is given) and
/// no `exclude` pattern. Patterns are shell globs over the whole URL (`*`, `?`, `[...]`).
public struct FollowRule: Sendable, Equatable {
    public static let maxPages = 10_000
    public static let defaultSitemapPages = 100

    public var depth = 1
    public var maxPages = 50
    public var include: [String] = []
    public var exclude: [String] = []

    public init(depth: Int = 1, maxPages: Int = 50, include: [String] = [], exclude: [String] = []) {
        self.depth = depth
        self.maxPages = maxPages
        self.include = include
        self.exclude = exclude
    }

    /// Whether a same-site URL passes the patterns.
    public func admits(_ url: String) -> Bool {
        func matches(_ pattern: String) -> Bool { fnmatch(pattern, url, 0) == 0 }
        if exclude.contains(where: matches) { return false }
        return include.isEmpty || include.contains(where: matches)
    }
}

extension ScanConfig {
    /// Reads `follow: {depth, max_pages, include, exclude}`; allowed on `page` and `sitemap`.
    static func parseFollow(_ mapping: YAMLMapping, into target: inout Target, diagnostics: inout DiagnosticList) {
        guard let value = mapping["follow"] else { return }
        guard target.kind == .page || target.kind == .sitemap else {
            diagnostics.append(value.diagnostic("'follow' belongs to a page or sitemap target"))
            return
        }
        guard let follow = value.mapping("follow", into: &diagnostics) else { return }
        follow.checkKeys(allowed: ["depth", "max_pages", "include", "exclude"], in: "follow", into: &diagnostics)
        var rule = FollowRule()
        if let depth = follow["depth"], let number = depth.integer("follow.depth", into: &diagnostics) {
            if (0...10).contains(number) { rule.depth = number } else { diagnostics.append(depth.diagnostic("follow.depth must be between 0 and 10")) }
        }
        if let pages = follow["max_pages"], let number = pages.integer("follow.max_pages", into: &diagnostics) {
            if (1...FollowRule.maxPages).contains(number) { rule.maxPages = number } else {
                diagnostics.append(pages.diagnostic("follow.max_pages must be between 1 and \(FollowRule.maxPages)"))
            }
        }
        for key in ["include", "exclude"] {
            guard let list = follow[key]?.sequence("follow.\(key)", into: &diagnostics) else { continue }
            for entry in list {
                guard let pattern = entry.string("a follow.\(key) pattern", into: &diagnostics), !pattern.isEmpty else { continue }
                if key == "include" { rule.include.append(pattern) } else { rule.exclude.append(pattern) }
            }
        }
        target.follow = rule
    }

    /// Reads the keys of `campaign-account` and Bluesky targets (`platform`, `appview`,
    /// `max_posts`, `max_interactions`, `max_profiles`) and refuses them on kinds they do not
    /// apply to. False when the target cannot be used.
    static func parseSocialKeys(_ mapping: YAMLMapping, into target: inout Target, diagnostics: inout DiagnosticList) -> Bool {
        parseFollow(mapping, into: &target, diagnostics: &diagnostics)
        var usable = true
        let campaign = target.kind == .campaignAccount
        if let value = mapping["platform"], let text = value.string("platform", into: &diagnostics) {
            if !campaign {
                diagnostics.append(value.diagnostic("'platform' belongs to a campaign-account target (a \(target.kind.rawValue) target's platform is its kind)"))
            } else if let platform = SocialPlatform(rawValue: text) {
                target.platform = platform
            } else {
                diagnostics.append(value.diagnostic("platform must be mastodon or bluesky, found '\(text)'"))
                usable = false
            }
        } else if campaign {
            diagnostics.append(mapping.owner.diagnostic("a campaign-account target needs 'platform: mastodon' or 'platform: bluesky'"))
            usable = false
        }
        if let value = mapping["appview"], let text = value.string("appview", into: &diagnostics) {
            if target.kind == .bluesky || (campaign && target.platform == .bluesky) {
                if (try? BlueskyAPI(appView: text)) != nil, text.lowercased().hasPrefix("http") {
                    target.appView = text
                } else {
                    diagnostics.append(value.diagnostic("appview must be an http or https URL (the AppView's XRPC base), found '\(text)'"))
                    usable = false
                }
            } else {
                diagnostics.append(value.diagnostic("'appview' belongs to a bluesky target or a campaign-account on bluesky"))
            }
        }
        func cap(_ key: String, _ range: ClosedRange<Int>, _ apply: (Int) -> Void) {
            guard let value = mapping[key], let number = value.integer(key, into: &diagnostics) else { return }
            if !campaign && !(key == "max_profiles" && target.kind == .search) {
                diagnostics.append(value.diagnostic("'\(key)' belongs to a campaign-account target"))
            } else if range.contains(number) {
                apply(number)
            } else {
                diagnostics.append(value.diagnostic("\(key) must be between \(range.lowerBound) and \(range.upperBound)"))
            }
        }
        cap("max_posts", 1...200) { target.interactionCaps.posts = $0 }
        cap("max_interactions", 1...10_000) { target.interactionCaps.perPost = $0 }
        if let value = mapping["query"], let text = value.string("query", into: &diagnostics) {
            if target.kind != .search {
                diagnostics.append(value.diagnostic("'query' belongs to a search target"))
            } else if text.trimmingCharacters(in: .whitespaces).isEmpty || text.count > 300 {
                diagnostics.append(value.diagnostic("query must be 1-300 characters"))
                usable = false
            } else {
                target.query = text
            }
        } else if target.kind == .search {
            diagnostics.append(mapping.owner.diagnostic("a search target needs 'query' (the words to search for)"))
            usable = false
        }
        if target.kind == .search, target.credentialsVariable == nil {
            diagnostics.append(mapping.owner.diagnostic("a search target needs auth_env: Bluesky search needs a signed-in session; name the environment variable holding 'handle:app-password'"))
            usable = false
        }
        cap("max_profiles", 1...100_000) { target.interactionCaps.profiles = $0 }
        if target.kind == .hashtag, (try? MastodonAPI.forHashtag(target.url)) == nil, let urlValue = mapping["url"] {
            diagnostics.append(urlValue.diagnostic("url must name a Mastodon hashtag (https://sosial.example/tags/Pilkada2024 or #Pilkada2024@sosial.example), found '\(target.url)'"))
            usable = false
        }
        if campaign, let platform = target.platform {
            // The account must be one the platform's API can name.
            let valid: Bool
            switch platform {
            case .mastodon: valid = (try? MastodonAPI.forAccount(target.url)) != nil
            case .bluesky: valid = (try? BlueskyAPI.actor(from: target.url)) != nil
            }
            if !valid, let urlValue = mapping["url"] {
                let example = platform == .mastodon ? "@tim@sosial.example or https://sosial.example/@tim" : "tim.bsky.social or https://bsky.app/profile/tim.bsky.social"
                diagnostics.append(urlValue.diagnostic("url must name a \(platform.rawValue) account (\(example)), found '\(target.url)'"))
                usable = false
            }
        }
        return usable
    }
}
