import Foundation
import NetralExtract
import NetralModel
import Logging
import NetralFetch

/// A campaign account's post whose interactions are read.
struct CampaignPost {
    /// Mastodon status id or Bluesky `at://` URI.
    var id: String
    var permalink: String
    /// The answer the post was read from.
    var capture: Capture
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
            grouped.append(
                AccountInteraction(
                    accountID: interaction.accountID, kinds: [interaction.kind], listings: [interaction.listing],
                    reply: interaction.reply))
        }
        return grouped
    }
}

/// Reads a campaign account's posts and who interacted with each, within the target's caps,
/// and judges every interacting account once per run.
struct InteractionReader {
    let scan: TargetScan
    let caps: InteractionCaps
    /// Profiles looked up by this target, and accounts left unjudged at `caps.profiles`.
    private(set) var lookups = 0
    private(set) var skipped = 0

    init(scan: TargetScan, caps: InteractionCaps) {
        self.scan = scan
        self.caps = caps
    }

    private var maxPages: Int { scan.target.maxPages }

    // MARK: - The campaign's posts

    /// The account's own recent statuses (no replies, no boosts), at most `max_posts`, reading
    /// at most `max_pages` pages.
    func mastodonPosts(api: MastodonAPI, campaign: MastodonAccount) async throws -> [CampaignPost] {
        var posts: [CampaignPost] = []
        var next: String? = api.accountStatusesURL(accountID: campaign.id, excludeReplies: true)
        var pages = 0
        while let url = next, pages < maxPages, posts.count < caps.posts {
            let capture = try await scan.fetch(url)
            let page = try MastodonExtractor().page(from: capture)
            for warning in page.warnings { scan.logger.info("extraction warning", metadata: ["url": "\(url)", "warning": "\(warning)"]) }
            add(page.items.filter { $0.share == nil }, id: { $0.post?.id }, from: capture, to: &posts)
            try scan.sink.listing(capture, in: scan)
            next = page.nextURL
            pages += 1
        }
        return posts
    }

    /// The account's own recent posts (no replies, no reposts), at most `max_posts`, reading at
    /// most `max_pages` pages of its author feed.
    func blueskyPosts(api: BlueskyAPI, campaign: BlueskyProfile) async throws -> [CampaignPost] {
        var posts: [CampaignPost] = []
        var cursor: String?
        var pages = 0
        repeat {
            let capture = try await scan.fetch(api.authorFeedURL(actor: campaign.did, cursor: cursor, filter: "posts_no_replies"))
            let page = try BlueskyExtractor().feedPage(from: capture)
            for warning in page.warnings { scan.logger.info("extraction warning", metadata: ["warning": "\(warning)"]) }
            add(
                page.items.filter { $0.share == nil && $0.author?.handle == "@" + campaign.handle }, id: { $0.post?.uri }, from: capture,
                to: &posts)
            try scan.sink.listing(capture, in: scan)
            cursor = page.cursor == cursor ? nil : page.cursor
            pages += 1
        } while cursor != nil && pages < maxPages && posts.count < caps.posts
        return posts
    }

    /// Adds the posts of a page, within `max_posts`; a page repeated by the server gives no post twice.
    private func add(_ items: [Item], id: (Item) -> String?, from capture: Capture, to posts: inout [CampaignPost]) {
        for item in items where posts.count < caps.posts {
            guard let postID = id(item), !posts.contains(where: { $0.id == postID }) else { continue }
            posts.append(CampaignPost(id: postID, permalink: item.identityURL, capture: capture))
        }
    }

    // MARK: - Who interacted

    /// Replies (the status context), then boosts, then favourites of one post, at most
    /// `max_interactions` accounts and `max_pages` pages per listing.
    func mastodonInteractions(of post: CampaignPost, api: MastodonAPI, campaignID: String) async throws -> [Interaction] {
        var interactions = try await replies(at: api.contextURL(statusID: post.id), excluding: campaignID) { context in
            let page = try MastodonExtractor().replies(from: context)
            return (page.items, page.warnings)
        }
        for (kind, first) in [
            (CampaignInteraction.Kind.share, api.rebloggedByURL(statusID: post.id)), (.like, api.favouritedByURL(statusID: post.id)),
        ] {
            // Mastodon pages by the next page's URL (Link header).
            try await listed(kind, excluding: campaignID, into: &interactions, url: { $0 ?? first }) { capture in
                let page = try MastodonExtractor().accountPage(from: capture)
                return (page.accounts.map(\.id), page.nextURL, page.warnings)
            }
        }
        return interactions
    }

    /// Replies (the post thread), then reposts, then likes of one post, at most
    /// `max_interactions` accounts and `max_pages` pages per listing.
    func blueskyInteractions(of post: CampaignPost, api: BlueskyAPI, campaignDID: String) async throws -> [Interaction] {
        let budget = caps.perPost
        var interactions = try await replies(at: api.postThreadURL(uri: post.id), excluding: campaignDID) { thread in
            let extraction = try BlueskyExtractor().replies(from: thread, limit: budget)
            return (extraction.items, extraction.warnings)
        }
        for kind in [CampaignInteraction.Kind.share, .like] {
            // Bluesky pages by cursor.
            try await listed(
                kind, excluding: campaignDID, into: &interactions,
                url: { kind == .share ? api.repostedByURL(uri: post.id, cursor: $0) : api.likesURL(uri: post.id, cursor: $0) }
            ) { capture in
                let page = try BlueskyExtractor().actorPage(from: capture)
                return (page.actors.map(\.did), page.cursor, page.warnings)
            }
        }
        return interactions
    }

    /// The accounts a paged listing shows (who boosted, who liked), each listing page fetched on
    /// its own (one that fails or cannot be read ends this listing only), within `max_pages`
    /// and `max_interactions`. `url` makes a page's URL from the previous page's token (nil at
    /// first); `read` gives a page's account ids and the next token.
    private func listed(
        _ kind: CampaignInteraction.Kind, excluding campaignID: String, into interactions: inout [Interaction],
        url: (String?) -> String, read: (Capture) throws -> (accounts: [String], next: String?, warnings: [String])
    ) async throws {
        var token: String?
        var pages = 0
        while interactions.count < caps.perPost, pages < maxPages {
            let pageURL = url(token)
            pages += 1
            guard let capture = try await scan.fetchIfAvailable(pageURL) else { return }
            let page: (accounts: [String], next: String?, warnings: [String])
            do { page = try read(capture) } catch let error as SourceError {
                scan.logger.warning("listing skipped", metadata: ["url": "\(pageURL)", "error": "\(error)"])
                return
            }
            for warning in page.warnings { scan.logger.info("extraction warning", metadata: ["warning": "\(warning)"]) }
            for account in page.accounts where interactions.count < caps.perPost && account != campaignID {
                interactions.append(Interaction(kind: kind, accountID: account, listing: capture, reply: nil))
            }
            // A server that repeats its token would otherwise page for ever.
            guard let next = page.next, next != token else { return }
            token = next
        }
    }

    /// The replies of one post, from a listing that may fail on its own, as interactions of
    /// their authors (`Item.authorAccountID`), the campaign's own replies left out, at most
    /// `max_interactions`.
    private func replies(
        at url: String, excluding campaignID: String,
        read: (Capture) throws -> (items: [Item], warnings: [String])
    ) async throws -> [Interaction] {
        guard let listing = try await scan.fetchIfAvailable(url) else { return [] }
        let (items, warnings): ([Item], [String])
        do { (items, warnings) = try read(listing) } catch let error as SourceError {
            scan.logger.warning("replies skipped", metadata: ["url": "\(listing.finalURL)", "error": "\(error)"])
            return []
        }
        for warning in warnings { scan.logger.info("extraction warning", metadata: ["warning": "\(warning)"]) }
        var interactions: [Interaction] = []
        for reply in items where interactions.count < caps.perPost {
            guard let accountID = reply.authorAccountID, accountID != campaignID else { continue }
            interactions.append(Interaction(kind: .reply, accountID: accountID, listing: listing, reply: reply))
        }
        return interactions
    }

    // MARK: - Judging

    /// Looks up each interacting account's profile (once per run, within `max_profiles` for
    /// this target), makes the interaction an item by that account, judges it, and files a
    /// case file holding the listing, the campaign post's answer and the profile.
    mutating func judge(
        _ interactions: [Interaction], with post: CampaignPost, campaignHandle: String, platform: SocialPlatform,
        lookUp: (String) async throws -> (AccountProfile, Capture)
    ) async throws {
        // The target's subject describes the campaign account's holder, never who interacted.
        var judging = scan.target
        judging.subject = nil
        for interaction in AccountInteraction.grouped(interactions) {
            let key = AccountKey.make(platform: platform.rawValue, accountID: interaction.accountID, handle: nil) ?? interaction.accountID
            if scan.sink.profiles[key] == nil {
                guard lookups < caps.profiles else {
                    skipped += 1
                    continue
                }
                lookups += 1
                do {
                    let (profile, answer) = try await lookUp(interaction.accountID)
                    scan.sink.saw(profile, in: answer)
                } catch let error as TargetError {
                    scan.logger.warning("profile not read", metadata: ["account": "\(interaction.accountID)", "error": "\(error)"])
                    continue
                } catch let error as FetchFailure {
                    scan.logger.warning("profile not read", metadata: ["account": "\(interaction.accountID)", "error": "\(error)"])
                    continue
                } catch let error as SourceError {
                    scan.logger.warning("profile not read", metadata: ["account": "\(interaction.accountID)", "error": "\(error)"])
                    continue
                }
            }
            guard let known = scan.sink.profiles[key] else { continue }
            let item = Self.item(interaction, post: post, campaignHandle: campaignHandle, platform: platform, author: known.profile.author)
            let listing = interaction.listings[0]
            let page = try scan.sink.judge.judge(listing, items: [item], target: judging, workspace: &scan.sink.workspace)
            var related: [String: [Capture]] = [:]
            if page.items.contains(where: { !$0.findings.isEmpty }) {
                // Not kept in memory: fetched again for the case file (rare; see ProfileCache).
                var answer = known.answer
                if answer == nil {
                    answer = try await scan.unlessItFails("profile not read again", ["account": "\(interaction.accountID)"]) {
                        try await lookUp(interaction.accountID).1
                    }
                }
                related[item.identityURL] = Array(interaction.listings.dropFirst()) + [post.capture] + (answer.map { [$0] } ?? [])
            }
            try await scan.sink.file(page, capture: listing, as: judging, related: related, record: .read, in: scan)
        }
    }

    /// The interaction as an item by the account that interacted: a reply keeps its own text;
    /// a share or like has none, and its identity is the post's permalink with the account,
    /// so each account's sharing and liking of each post is one case file.
    static func item(
        _ interaction: AccountInteraction, post: CampaignPost, campaignHandle: String, platform: SocialPlatform, author: Author
    ) -> Item {
        var item =
            interaction.reply
            ?? Item(sourceURL: "\(post.permalink)#interaksi-\(author.handle ?? interaction.accountID)", platform: platform.rawValue)
        if interaction.reply == nil { item.readFrom = interaction.listings.map(\.finalURL) }
        var author = author
        author.accountID = interaction.accountID
        item.author = author
        item.campaignInteraction = CampaignInteraction(kinds: interaction.kinds, post: post.permalink, campaignAccount: campaignHandle)
        return item
    }
}
