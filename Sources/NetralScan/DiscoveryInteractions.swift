import Foundation
import Logging
import NetralExtract
import NetralFetch
import NetralModel
import NetralStore

/// Interacting accounts' profiles looked up in one run, so each is fetched once however many
/// campaign posts it interacted with. The author (small) is kept for every account; the
/// answer as received only while few and small, since only a case file needs it (it is
/// fetched again in the rare case it was not kept).
struct InteractionProfiles {
    struct Profile {
        var author: Author
        var capture: Capture?
    }

    static let maxKeptCaptures = 500
    static let maxKeptCaptureBytes = 64 * 1024

    private var profiles: [String: Profile] = [:]
    private var keptCaptures = 0

    subscript(key: String) -> Profile? { profiles[key] }

    mutating func insert(_ author: Author, capture: Capture, key: String) {
        let keep = keptCaptures < Self.maxKeptCaptures && capture.body.count <= Self.maxKeptCaptureBytes
        if keep { keptCaptures += 1 }
        profiles[key] = Profile(author: author, capture: keep ? capture : nil)
    }
}

/// One account that interacted with one campaign post, as a listing showed it.
struct Interaction {
    var kind: CampaignInteraction.Kind
    /// The account's id on the platform (Mastodon account id, Bluesky DID).
    var accountID: String
    /// The listing answer that shows the account (the case file's main capture).
    var listing: Capture
    /// For a reply: the reply, judged as a post in its own right.
    var reply: Item?
}

/// What one account did with one campaign post: each reply on its own (it has its own text),
/// and its boost or repost and favourite or like together, with every listing that shows them.
struct AccountInteraction {
    var accountID: String
    var kinds: [CampaignInteraction.Kind]
    /// The listings that show the account, in order; the first is the case file's main capture.
    var listings: [Capture]
    var reply: Item?

    /// Replies one by one, shares and likes grouped by account, in the order first listed.
    static func grouped(_ interactions: [Interaction]) -> [AccountInteraction] {
        var grouped: [AccountInteraction] = []
        var byAccount: [String: Int] = [:]
        for interaction in interactions {
            if interaction.reply == nil, let index = byAccount[interaction.accountID] {
                grouped[index].kinds.append(interaction.kind)
                if !grouped[index].listings.contains(where: { $0.finalURL == interaction.listing.finalURL }) {
                    grouped[index].listings.append(interaction.listing)
                }
                continue
            }
            if interaction.reply == nil { byAccount[interaction.accountID] = grouped.count }
            grouped.append(AccountInteraction(accountID: interaction.accountID, kinds: [interaction.kind], listings: [interaction.listing],
                                              reply: interaction.reply))
        }
        return grouped
    }
}

/// A campaign account's post whose interactions are read.
struct CampaignPost {
    /// Mastodon status id or Bluesky `at://` URI.
    var id: String
    var permalink: String
    /// The answer the post was read from.
    var capture: Capture
}

extension Scanner {
    /// A campaign account registered with KPU: its recent own posts, then for each the
    /// accounts that replied, boosted or reposted, and favourited or liked it (paged, within
    /// the target's caps). Each interacting account's profile is looked up once per run and the
    /// interaction judged as an item by that account (`interaksi-akun-kampanye`); a reply is
    /// also judged as a post in its own right. The campaign's own posts are not judged.
    func scanCampaignAccount(_ target: Target, result: inout TargetResult, run: Run, logger: Logger) async throws {
        guard let platform = target.platform else { throw TargetError(description: "a campaign-account target needs a platform") }
        var lookups = 0
        var skipped = 0
        switch platform {
        case .mastodon:
            let (api, acct) = try MastodonAPI.forAccount(target.url)
            let lookup = try await fetchPage(api.accountLookupURL(acct: acct), target: target, result: &result, run: run)
            let campaign = try MastodonExtractor().account(from: lookup.body, sourceURL: lookup.finalURL)
            let posts = try await mastodonPosts(api: api, campaign: campaign, target: target, result: &result, run: run, logger: logger)
            for post in posts {
                let interactions = try await mastodonInteractions(of: post, api: api, campaignID: campaign.id, target: target, result: &result, run: run, logger: logger)
                try await judge(interactions, with: post, campaignHandle: campaign.author.handle ?? acct, platform: .mastodon, lookups: &lookups, skipped: &skipped,
                                target: target, result: &result, run: run, logger: logger) { accountID, result in
                    let capture = try await fetchPage(api.accountURL(id: accountID), target: target, result: &result, run: run)
                    return (try MastodonExtractor().account(from: capture.body, sourceURL: capture.finalURL).author, capture)
                }
            }
        case .bluesky:
            let api = try BlueskyAPI(appView: target.appView ?? BlueskyAPI.defaultAppView)
            let actor = try BlueskyAPI.actor(from: target.url)
            let profileCapture = try await fetchPage(api.profileURL(actor: actor), target: target, result: &result, run: run)
            let campaign = try BlueskyExtractor().profile(from: profileCapture.body, sourceURL: profileCapture.finalURL)
            let posts = try await blueskyPosts(api: api, campaign: campaign, target: target, result: &result, run: run, logger: logger)
            for post in posts {
                let interactions = try await blueskyInteractions(of: post, api: api, campaignDID: campaign.did, target: target, result: &result, run: run, logger: logger)
                try await judge(interactions, with: post, campaignHandle: "@" + campaign.handle, platform: .bluesky, lookups: &lookups, skipped: &skipped,
                                target: target, result: &result, run: run, logger: logger) { did, result in
                    let capture = try await fetchPage(api.profileURL(actor: did), target: target, result: &result, run: run)
                    return (try BlueskyExtractor().profile(from: capture.body, sourceURL: capture.finalURL).author, capture)
                }
            }
        }
        if skipped > 0 {
            logger.warning("max_profiles reached: interacting accounts left unjudged",
                           metadata: ["max_profiles": "\(target.interactionCaps.profiles)", "unjudged": "\(skipped)"])
        }
    }

    // MARK: - Mastodon

    /// The account's own recent statuses (no replies, no boosts), at most `max_posts`, reading
    /// at most `max_pages` pages.
    func mastodonPosts(api: MastodonAPI, campaign: MastodonAccount, target: Target, result: inout TargetResult, run: Run, logger: Logger) async throws -> [CampaignPost] {
        var posts: [CampaignPost] = []
        var next: String? = api.accountStatusesURL(accountID: campaign.id, excludeReplies: true)
        var pages = 0
        while let url = next, pages < target.maxPages, posts.count < target.interactionCaps.posts {
            let capture = try await fetchPage(url, target: target, result: &result, run: run)
            let page = try MastodonExtractor().page(from: capture)
            for warning in page.warnings { logger.info("extraction warning", metadata: ["url": "\(url)", "warning": "\(warning)"]) }
            for item in page.items where item.sharedBy == nil && posts.count < target.interactionCaps.posts {
                // A page repeated by the server gives no post twice.
                guard let id = item.metadata["id"], !posts.contains(where: { $0.id == id }) else { continue }
                posts.append(CampaignPost(id: id, permalink: item.identityURL, capture: capture))
            }
            try recordPage(PageRecord(target: target.id, capture: capture, bodyDigest: bodyDigest(capture), items: [], at: Date()), run: run)
            next = page.nextURL
            pages += 1
        }
        return posts
    }

    /// Replies (the status context), then boosts, then favourites of one post, at most
    /// `max_interactions` accounts and `max_pages` pages per listing.
    func mastodonInteractions(of post: CampaignPost, api: MastodonAPI, campaignID: String, target: Target, result: inout TargetResult,
                              run: Run, logger: Logger) async throws -> [Interaction] {
        let budget = target.interactionCaps.perPost
        var interactions = try await replies(at: api.contextURL(statusID: post.id), authorKey: "account_id", excluding: campaignID,
                                             target: target, result: &result, run: run, logger: logger) { context in
            let page = try MastodonExtractor().replies(from: context)
            return (page.items, page.warnings)
        }
        for (kind, first) in [(CampaignInteraction.Kind.share, api.rebloggedByURL(statusID: post.id)), (.like, api.favouritedByURL(statusID: post.id))] {
            var next: String? = first
            var pages = 0
            while let url = next, pages < target.maxPages, interactions.count < budget {
                pages += 1
                guard let capture = try await fetchListing(url, target: target, result: &result, run: run, logger: logger) else { break }
                let page: MastodonAccountPage
                do { page = try MastodonExtractor().accountPage(from: capture) } catch let error as SourceError {
                    logger.warning("listing skipped", metadata: ["url": "\(url)", "error": "\(error)"])
                    break
                }
                for warning in page.warnings { logger.info("extraction warning", metadata: ["warning": "\(warning)"]) }
                for account in page.accounts where interactions.count < budget && account.id != campaignID {
                    interactions.append(Interaction(kind: kind, accountID: account.id, listing: capture, reply: nil))
                }
                next = page.nextURL
            }
        }
        return interactions
    }

    // MARK: - Bluesky

    /// The account's own recent posts (no replies, no reposts), at most `max_posts`, reading at
    /// most `max_pages` pages of its author feed.
    func blueskyPosts(api: BlueskyAPI, campaign: BlueskyProfile, target: Target, result: inout TargetResult, run: Run, logger: Logger) async throws -> [CampaignPost] {
        var posts: [CampaignPost] = []
        var cursor: String?
        var pages = 0
        repeat {
            let capture = try await fetchPage(api.authorFeedURL(actor: campaign.did, cursor: cursor, filter: "posts_no_replies"), target: target, result: &result, run: run)
            let page = try BlueskyExtractor().feedPage(from: capture)
            for warning in page.warnings { logger.info("extraction warning", metadata: ["warning": "\(warning)"]) }
            for item in page.items where item.sharedBy == nil && item.author?.handle == "@" + campaign.handle && posts.count < target.interactionCaps.posts {
                guard let uri = item.metadata["uri"], !posts.contains(where: { $0.id == uri }) else { continue }
                posts.append(CampaignPost(id: uri, permalink: item.identityURL, capture: capture))
            }
            try recordPage(PageRecord(target: target.id, capture: capture, bodyDigest: bodyDigest(capture), items: [], at: Date()), run: run)
            cursor = page.cursor == cursor ? nil : page.cursor
            pages += 1
        } while cursor != nil && pages < target.maxPages && posts.count < target.interactionCaps.posts
        return posts
    }

    /// Replies (the post thread), then reposts, then likes of one post, at most
    /// `max_interactions` accounts and `max_pages` pages per listing.
    func blueskyInteractions(of post: CampaignPost, api: BlueskyAPI, campaignDID: String, target: Target, result: inout TargetResult,
                             run: Run, logger: Logger) async throws -> [Interaction] {
        let budget = target.interactionCaps.perPost
        var interactions = try await replies(at: api.postThreadURL(uri: post.id), authorKey: "did", excluding: campaignDID,
                                             target: target, result: &result, run: run, logger: logger) { thread in
            let extraction = try BlueskyExtractor().replies(from: thread, limit: budget)
            return (extraction.items, extraction.warnings)
        }
        for kind in [CampaignInteraction.Kind.share, .like] {
            var cursor: String?
            var pages = 0
            repeat {
                let url = kind == .share ? api.repostedByURL(uri: post.id, cursor: cursor) : api.likesURL(uri: post.id, cursor: cursor)
                pages += 1
                guard let capture = try await fetchListing(url, target: target, result: &result, run: run, logger: logger) else { break }
                let page: BlueskyActorPage
                do { page = try BlueskyExtractor().actorPage(from: capture) } catch let error as SourceError {
                    logger.warning("listing skipped", metadata: ["url": "\(url)", "error": "\(error)"])
                    break
                }
                for warning in page.warnings { logger.info("extraction warning", metadata: ["warning": "\(warning)"]) }
                for actor in page.actors where interactions.count < budget && actor.did != campaignDID {
                    interactions.append(Interaction(kind: kind, accountID: actor.did, listing: capture, reply: nil))
                }
                // A server that repeats its cursor would otherwise page for ever.
                cursor = page.cursor == cursor ? nil : page.cursor
            } while cursor != nil && pages < target.maxPages && interactions.count < budget
        }
        return interactions
    }

    // MARK: - Judging interactions

    /// The replies of one post, from a listing that may fail on its own, as interactions of
    /// their authors (whose id is `metadata[authorKey]`), the campaign's own replies left out,
    /// at most `max_interactions`.
    func replies(at url: String, authorKey: String, excluding campaignID: String, target: Target, result: inout TargetResult, run: Run,
                 logger: Logger, read: (Capture) throws -> (items: [Item], warnings: [String])) async throws -> [Interaction] {
        guard let listing = try await fetchListing(url, target: target, result: &result, run: run, logger: logger) else { return [] }
        let (items, warnings): ([Item], [String])
        do { (items, warnings) = try read(listing) } catch let error as SourceError {
            logger.warning("replies skipped", metadata: ["url": "\(listing.finalURL)", "error": "\(error)"])
            return []
        }
        for warning in warnings { logger.info("extraction warning", metadata: ["warning": "\(warning)"]) }
        var interactions: [Interaction] = []
        for reply in items where interactions.count < target.interactionCaps.perPost {
            guard let accountID = reply.metadata[authorKey], accountID != campaignID else { continue }
            interactions.append(Interaction(kind: .reply, accountID: accountID, listing: listing, reply: reply))
        }
        return interactions
    }

    /// A listing that may fail on its own (a deleted post, a listing the server hides): the
    /// failure is logged and the post's other listings are still read.
    func fetchListing(_ url: String, target: Target, result: inout TargetResult, run: Run, logger: Logger) async throws -> Capture? {
        do {
            return try await fetchPage(url, target: target, result: &result, run: run)
        } catch let error as TargetError {
            logger.warning("listing not read", metadata: ["error": "\(error)"])
        } catch let error as FetchFailure {
            logger.warning("listing not read", metadata: ["url": "\(url)", "error": "\(error)"])
        }
        return nil
    }

    /// Looks up each interacting account's profile (once per run, within `max_profiles` for
    /// this target), makes the interaction an item by that account, judges it, and files a
    /// case file holding the listing, the campaign post's answer and the profile.
    func judge(_ interactions: [Interaction], with post: CampaignPost, campaignHandle: String, platform: SocialPlatform,
               lookups: inout Int, skipped: inout Int, target: Target, result: inout TargetResult, run: Run, logger: Logger,
               lookUp: (String, inout TargetResult) async throws -> (Author, Capture)) async throws {
        // The target's subject describes the campaign account's holder, never who interacted.
        var judging = target
        judging.subject = nil
        for interaction in AccountInteraction.grouped(interactions) {
            let key = "\(platform.rawValue):\(interaction.accountID)"
            var profile = run.interactionProfiles[key]
            if profile == nil {
                guard lookups < target.interactionCaps.profiles else {
                    skipped += 1
                    continue
                }
                lookups += 1
                do {
                    let (author, capture) = try await lookUp(interaction.accountID, &result)
                    run.interactionProfiles.insert(author, capture: capture, key: key)
                    profile = InteractionProfiles.Profile(author: author, capture: capture)
                } catch let error as TargetError {
                    logger.warning("profile not read", metadata: ["account": "\(interaction.accountID)", "error": "\(error)"])
                    continue
                } catch let error as FetchFailure {
                    logger.warning("profile not read", metadata: ["account": "\(interaction.accountID)", "error": "\(error)"])
                    continue
                } catch let error as SourceError {
                    logger.warning("profile not read", metadata: ["account": "\(interaction.accountID)", "error": "\(error)"])
                    continue
                }
            }
            guard let profile else { continue }
            let item = interactionItem(interaction, post: post, campaignHandle: campaignHandle, platform: platform, author: profile.author)
            let listing = interaction.listings[0]
            let (judged, _) = try evaluate(listing, kind: nil, items: [item], target: judging, workspace: &run.workspace)
            var related: [String: [Capture]] = [:]
            if judged.contains(where: { !$0.findings.isEmpty }) {
                var profileCapture = profile.capture
                if profileCapture == nil {
                    // Not kept in memory: fetched again for the case file (rare; see InteractionProfiles).
                    profileCapture = try? await lookUp(interaction.accountID, &result).1
                }
                related[item.identityURL] = Array(interaction.listings.dropFirst()) + [post.capture] + (profileCapture.map { [$0] } ?? [])
            }
            try recordPage(collect(judged, warnings: [], capture: listing, target: judging, result: &result, run: run, logger: logger,
                                   record: nil, related: related), run: run)
        }
    }

    /// The interaction as an item by the account that interacted: a reply keeps its own text;
    /// a share or like has none, and its identity is the post's permalink with the account,
    /// so each account's sharing and liking of each post is one case file.
    func interactionItem(_ interaction: AccountInteraction, post: CampaignPost, campaignHandle: String, platform: SocialPlatform, author: Author) -> Item {
        let facts = CampaignInteraction(kinds: interaction.kinds, post: post.permalink, campaignAccount: campaignHandle)
        var item = interaction.reply ?? Item(
            sourceURL: "\(post.permalink)#interaksi-\(author.handle ?? interaction.accountID)",
            platform: platform.rawValue,
            metadata: ["read_from": interaction.listings.map(\.finalURL).joined(separator: " ")]
        )
        item.author = author
        item.metadata["account_id"] = interaction.accountID
        item.metadata.merge(facts.metadata) { _, new in new }
        return item
    }
}
