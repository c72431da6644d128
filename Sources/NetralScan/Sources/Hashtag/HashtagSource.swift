import Foundation
import NetralExtract
import NetralModel
import NetralYAML
import Logging

extension Target.Kind {
    /// A hashtag on a Mastodon instance (`https://instance/tags/NAME` or `#NAME@instance`): the
    /// public tag timeline, page by page; each post judged with its author's profile.
    public static let hashtag = Target.Kind(rawValue: "hashtag")
}

/// A hashtag on a Mastodon instance: the public tag timeline, at most `max_pages` pages (Link
/// header). Each status carries its author's account with bio and profile fields, so the post
/// and the profile are judged together without a further lookup; a boost is judged as its
/// original post by its original author. Each page's answer is the capture its findings keep.
struct HashtagSource: TargetSource {
    static let row = SourceRow(
        kind: .hashtag, location: .urlOrHandle,
        parse: { mapping, target, diagnostics in
            guard (try? MastodonAPI.forHashtag(target.url)) == nil, let urlValue = mapping["url"] else { return true }
            diagnostics.append(
                urlValue.diagnostic(
                    "url must name a Mastodon hashtag (https://sosial.example/tags/Pilkada2024 or #Pilkada2024@sosial.example), found "
                        + "'\(target.url)'"
                ))
            return false
        },
        source: { _ in HashtagSource() }
    )

    func read(_ scan: TargetScan, after headStart: Void) async throws {
        let (api, tag) = try MastodonAPI.forHashtag(scan.target.url)
        // A hashtag has no holder: a subject would describe nobody here.
        var judging = scan.target
        judging.subject = nil
        var next: String? = api.tagTimelineURL(tag: tag)
        var pages = 0
        var seen = Set<String>()
        while let url = next, pages < scan.target.maxPages {
            let capture = try await scan.fetch(url)
            let page = try MastodonExtractor().page(from: capture)
            for warning in page.warnings { scan.logger.info("extraction warning", metadata: ["url": "\(url)", "warning": "\(warning)"]) }
            // The same post twice (a page repeated, a boost beside its original) is judged once.
            let items = page.items.filter { seen.insert($0.identityURL).inserted }
            try await scan.sink.judge(
                capture, kind: .mastodon, items: items, as: judging, record: .fetched(digest: scan.sink.judge.digest(capture)), in: scan)
            next = page.nextURL
            pages += 1
        }
    }
}
