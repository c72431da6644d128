import Foundation
import NetralExtract
import NetralModel
import NetralYAML
import Logging

extension Target.Kind {
    /// A campaign account registered with KPU on Mastodon or Bluesky (`platform:`): its recent
    /// posts are read, and every account that replied to, boosted or reposted, or favourited or
    /// liked one is judged (its profile looked up once per run).
    public static let campaignAccount = Target.Kind(rawValue: "campaign-account")
}

/// The social networks whose public APIs a campaign account is read on.
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

/// A campaign account's network, AppView and caps (`platform`, `appview`, `max_posts`,
/// `max_interactions`, `max_profiles`).
public struct CampaignAccountSettings: TargetSettings, Equatable {
    public var platform: SocialPlatform
    /// On Bluesky: the AppView's XRPC base URL (default the public one).
    public var appView: String?
    public var caps = InteractionCaps()

    public init(platform: SocialPlatform, appView: String? = nil, caps: InteractionCaps = InteractionCaps()) {
        self.platform = platform
        self.appView = appView
        self.caps = caps
    }
}

/// A campaign account registered with KPU: its recent own posts, then for each the accounts
/// that replied, boosted or reposted, and favourited or liked it (paged, within the target's
/// caps). Each interacting account's profile is looked up once per run and the interaction
/// judged as an item by that account (`interaksi-akun-kampanye`); a reply is also judged as a
/// post in its own right. The campaign's own posts are not judged.
struct CampaignAccountSource: TargetSource {
    static let row = SourceRow(
        kind: .campaignAccount, location: .urlOrHandle, keys: ["platform", "appview", "max_posts", "max_interactions", "max_profiles"],
        parse: { mapping, target, diagnostics in parse(mapping, into: &target, diagnostics: &diagnostics) },
        source: { target in CampaignAccountSource(settings: target.settings(as: CampaignAccountSettings.self)) }
    )

    var settings: CampaignAccountSettings?

    static func parse(_ mapping: YAMLMapping, into target: inout Target, diagnostics: inout DiagnosticList) -> Bool {
        var usable = true
        var platform: SocialPlatform?
        if let value = mapping["platform"], let text = value.string("platform", into: &diagnostics) {
            platform = SocialPlatform(rawValue: text)
            if platform == nil {
                diagnostics.append(value.diagnostic("platform must be mastodon or bluesky, found '\(text)'"))
                usable = false
            }
        } else if mapping["platform"] == nil {
            diagnostics.append(mapping.owner.diagnostic("a campaign-account target needs 'platform: mastodon' or 'platform: bluesky'"))
            usable = false
        }
        var settings = CampaignAccountSettings(platform: platform ?? .mastodon)
        if let value = mapping["appview"] {
            if platform == .bluesky {
                if let appView = AppView.parse(mapping, diagnostics: &diagnostics) {
                    settings.appView = appView?.url
                } else {
                    usable = false
                }
            } else {
                diagnostics.append(value.diagnostic("'appview' belongs to a bluesky target or a campaign-account on bluesky"))
            }
        }
        TargetConfig.cap(mapping, "max_posts", 1...200, into: &diagnostics) { settings.caps.posts = $0 }
        TargetConfig.cap(mapping, "max_interactions", 1...10_000, into: &diagnostics) { settings.caps.perPost = $0 }
        TargetConfig.cap(mapping, "max_profiles", 1...100_000, into: &diagnostics) { settings.caps.profiles = $0 }
        if let platform {
            // The account must be one the platform's API can name.
            let valid =
                switch platform {
                case .mastodon: (try? MastodonAPI.forAccount(target.url)) != nil
                case .bluesky: (try? BlueskyAPI.actor(from: target.url)) != nil
                }
            if !valid, let urlValue = mapping["url"] {
                let example =
                    platform == .mastodon
                    ? "@tim@sosial.example or https://sosial.example/@tim" : "tim.bsky.social or https://bsky.app/profile/tim.bsky.social"
                diagnostics.append(urlValue.diagnostic("url must name a \(platform.rawValue) account (\(example)), found '\(target.url)'"))
                usable = false
            }
            target.settings = settings
        }
        return usable
    }

    func read(_ scan: TargetScan, after headStart: Void) async throws {
        guard let settings else { throw TargetError("a campaign-account target needs a platform") }
        var reader = InteractionReader(scan: scan, caps: settings.caps)
        switch settings.platform {
        case .mastodon:
            let (api, acct) = try MastodonAPI.forAccount(scan.target.url)
            let lookup = try await scan.fetch(api.accountLookupURL(acct: acct))
            let campaign = try MastodonExtractor().account(from: lookup.body, sourceURL: lookup.finalURL)
            for post in try await reader.mastodonPosts(api: api, campaign: campaign) {
                let interactions = try await reader.mastodonInteractions(of: post, api: api, campaignID: campaign.id)
                try await reader.judge(interactions, with: post, campaignHandle: campaign.author.handle ?? acct, platform: .mastodon) {
                    accountID in
                    let answer = try await scan.fetch(api.accountURL(id: accountID))
                    return (AccountProfile(try MastodonExtractor().account(from: answer.body, sourceURL: answer.finalURL)), answer)
                }
            }
        case .bluesky:
            let api = try BlueskyAPI(appView: settings.appView ?? BlueskyAPI.defaultAppView)
            let actor = try BlueskyAPI.actor(from: scan.target.url)
            let profileCapture = try await scan.fetch(api.profileURL(actor: actor))
            let campaign = try BlueskyExtractor().profile(from: profileCapture.body, sourceURL: profileCapture.finalURL)
            for post in try await reader.blueskyPosts(api: api, campaign: campaign) {
                let interactions = try await reader.blueskyInteractions(of: post, api: api, campaignDID: campaign.did)
                try await reader.judge(interactions, with: post, campaignHandle: "@" + campaign.handle, platform: .bluesky) { did in
                    let answer = try await scan.fetch(api.profileURL(actor: did))
                    return (AccountProfile(try BlueskyExtractor().profile(from: answer.body, sourceURL: answer.finalURL)), answer)
                }
            }
        }
        if reader.skipped > 0 {
            scan.logger.warning(
                "max_profiles reached: interacting accounts left unjudged",
                metadata: ["max_profiles": "\(settings.caps.profiles)", "unjudged": "\(reader.skipped)"])
        }
    }
}
