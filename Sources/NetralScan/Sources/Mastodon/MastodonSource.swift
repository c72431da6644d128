import Foundation
import NetralExtract
import NetralModel
import Logging

extension Target.Kind {
    /// A Mastodon account (`https://instance/@name` or `@name@instance`): its public statuses
    /// through the public API, page by page.
    public static let mastodon = Target.Kind(rawValue: "mastodon")
}

/// A Mastodon account: look it up, then read its statuses page by page (Link header), at most
/// `max_pages` pages. Each page's API answer is the capture its findings keep; the account's
/// bio speaks for each of its posts.
struct MastodonSource: TargetSource {
    static let row = SourceRow(kind: .mastodon, location: .urlOrHandle, source: { _ in MastodonSource() })

    func read(_ scan: TargetScan, after headStart: Void) async throws {
        let (api, acct) = try MastodonAPI.forAccount(scan.target.url)
        let lookup = try await scan.fetch(api.accountLookupURL(acct: acct))
        let account = try MastodonExtractor().account(from: lookup.body, sourceURL: lookup.finalURL)
        scan.sink.saw(AccountProfile(account), in: lookup)
        var next: String? = api.accountStatusesURL(accountID: account.id)
        var pages = 0
        while let url = next, pages < scan.target.maxPages {
            let capture = try await scan.fetch(url)
            let page = try MastodonExtractor().page(from: capture)
            for warning in page.warnings { scan.logger.info("extraction warning", metadata: ["url": "\(url)", "warning": "\(warning)"]) }
            try await scan.sink.judge(
                capture, kind: .mastodon, items: page.items, author: account.author,
                record: .fetched(digest: scan.sink.judge.digest(capture)), in: scan)
            next = page.nextURL
            pages += 1
        }
    }
}

extension AccountProfile {
    /// A Mastodon account as the API showed it (its bio holds the profile fields as lines).
    init(_ account: MastodonAccount) {
        let author = account.author
        self.init(
            platform: "mastodon", accountID: account.id, handle: author.handle, displayName: author.name, bio: account.bio,
            profileURL: account.url, observedAt: Date())
    }
}
