import Foundation
import Logging
import NetralExtract
import NetralFetch
import NetralModel
import NetralStore

extension Scanner {
    /// A hashtag on a Mastodon instance: the public tag timeline, at most `max_pages` pages
    /// (Link header). Each status carries its author's account with bio and profile fields, so
    /// the post and the profile are judged together without a further lookup; a boost is
    /// judged as its original post by its original author. Each page's answer is the capture
    /// its findings keep.
    func scanHashtag(_ target: Target, result: inout TargetResult, run: Run, logger: Logger) async throws {
        let (api, tag) = try MastodonAPI.forHashtag(target.url)
        // A hashtag has no holder: a subject would describe nobody here.
        var judging = target
        judging.subject = nil
        var next: String? = api.tagTimelineURL(tag: tag)
        var pages = 0
        var seen = Set<String>()
        while let url = next, pages < target.maxPages {
            let capture = try await fetchPage(url, target: target, result: &result, run: run)
            let page = try MastodonExtractor().page(from: capture)
            for warning in page.warnings { logger.info("extraction warning", metadata: ["url": "\(url)", "warning": "\(warning)"]) }
            // The same post twice (a page repeated, a boost beside its original) is judged once.
            let items = page.items.filter { seen.insert($0.identityURL).inserted }
            let (judged, warnings) = try evaluate(capture, kind: .mastodon, items: items, target: judging, workspace: &run.workspace)
            let images = await fetchImages(for: judged, capture: capture, target: judging, run: run)
            try recordPage(collect(judged, warnings: warnings, capture: capture, target: judging, result: &result, run: run, logger: logger,
                                   record: (capture, bodyDigest(capture)), images: images), run: run)
            next = page.nextURL
            pages += 1
        }
    }
}
