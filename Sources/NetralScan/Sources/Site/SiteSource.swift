import Foundation
import NetralExtract
import NetralFetch
import NetralModel
import NetralStore
import Logging

/// A `sitemap` target, or a `page` target with `follow:`: the pages of the sitemap (or the page
/// itself), then the links they hold within the same host, breadth first, within `follow`'s
/// depth, patterns and page cap. Every page goes through the fetch engine's politeness,
/// robots.txt (unless the target ignores it with a reason) and address policy, and is judged
/// like a `page` target. A page that fails is logged and skipped; the target fails only when
/// every page did.
struct SiteSource: TargetSource {
    /// Whether the target's URL is a sitemap (else it is the first page).
    var sitemap: Bool

    func read(_ scan: TargetScan, after headStart: Void) async throws {
        let target = scan.target
        guard let host = URL(string: target.url)?.host?.lowercased() else { throw TargetError("\(target.url): no host") }
        // Sitemap pages within max_pages (newest lastmod first); followed links within follow.max_pages.
        var queue: [(url: String, depth: Int, lastModified: Date?)]
        if sitemap {
            queue = try await SitemapListing(host: host).pages(in: scan).prefix(target.maxPages).map { ($0.url, 0, $0.lastModified) }
        } else {
            queue = [(target.url, 0, nil)]
        }
        let follow = target.follow
        var seen = Set(queue.map(\.url))
        // No more links are queued than can be followed: the queue stays linear in the caps.
        let queueLimit = queue.count + (follow?.maxPages ?? 0)
        var next = 0
        var fetched = 0, failed = 0, followed = 0
        while next < queue.count {
            let (url, depth, lastModified) = queue[next]
            next += 1
            if depth > 0 {
                guard followed < (follow?.maxPages ?? 0) else { break }
                followed += 1
            }
            let wantsLinks = follow.map { depth < $0.depth } ?? false
            switch try await page(url, lastModified: lastModified, wantsLinks: wantsLinks, in: scan) {
            case .failed: failed += 1
            case .disallowed where !sitemap && depth == 0:
                // The start page itself: the target is disallowed, as a plain page target would be.
                scan.result.outcome = .disallowed
                scan.result.error = scan.disallowedMessage(url)
                return
            case .skipped, .disallowed: continue
            case .done(let links):
                fetched += 1
                guard let follow else { continue }
                for link in links where !seen.contains(link) && queue.count < queueLimit {
                    guard URL(string: link)?.host?.lowercased() == host, follow.admits(link) else { continue }
                    seen.insert(link)
                    queue.append((link, depth + 1, nil))
                }
            }
        }
        if fetched == 0, failed > 0 {
            throw TargetError("all \(failed) page(s) failed; see the log")
        }
        if failed > 0 { scan.logger.warning("some pages of the site failed", metadata: ["failed": "\(failed)", "fetched": "\(fetched)"]) }
    }

    enum PageOutcome {
        /// Fetched (judged unless unchanged), with its same-page links when asked for.
        case done([String])
        /// Not fetched: its `lastmod` is older than the last fetch.
        case skipped
        /// Not fetched: robots.txt disallows it.
        case disallowed
        case failed
    }

    /// One page of the site: robots, the sitemap's `lastmod`, a conditional fetch, then judged
    /// unless its body is unchanged, and recorded in one transaction.
    func page(_ url: String, lastModified: Date?, wantsLinks: Bool, in scan: TargetScan) async throws -> PageOutcome {
        let target = scan.target
        guard try await scan.allows(url) else {
            scan.logger.info("robots.txt disallows a page of the site", metadata: ["url": "\(url)"])
            return .disallowed
        }
        let memory = try scan.sink.memory(url: url)
        // Unchanged since the last fetch by the site's own word: its links were followed then.
        if let lastModified, let fetchedAt = try scan.sink.lastFetched(url: url), lastModified <= fetchedAt {
            return .skipped
        }
        // Conditional only when its links are not needed: a 304 has none to follow.
        let request = FetchRequest(
            url: url, etag: wantsLinks ? nil : memory?.etag, lastModified: wantsLinks ? nil : memory?.lastModified,
            allowPrivate: target.allowPrivate, credentials: try target.credentials())
        let fetched: FetchResult
        do {
            fetched = try await scan.engine.fetch(request)
        } catch let error as FetchFailure {
            scan.logger.warning("page failed", metadata: ["url": "\(url)", "error": "\(error)"])
            try scan.sink.recordFailure(url: url, status: nil, message: error.description)
            return .failed
        }
        let status = fetched.capture.status
        if status == 304 { return .done([]) }
        guard (200..<300).contains(status) else {
            let message = "HTTP status \(status)"
            scan.logger.warning("page failed", metadata: ["url": "\(url)", "error": "\(message)"])
            try scan.sink.recordFailure(url: url, status: status, message: message)
            return .failed
        }
        let capture = scan.counted(fetched)
        let kind = CapturePipeline.kind(of: capture)
        let links = wantsLinks && kind == .html ? ((try? PageLinks.urls(in: capture)) ?? []) : []
        let digest = scan.sink.judge.digest(capture)
        if memory?.bodyDigest == digest {
            try scan.sink.unchanged(capture, digest: digest, record: .fetched(digest: digest), in: scan)
            return .done(links)
        }
        let judged: Void? = try await scan.unlessItFails("page not judged", ["url": "\(url)"]) {
            try await scan.sink.judge(capture, kind: kind, record: .fetched(digest: digest), in: scan)
        }
        return judged == nil ? .failed : .done(links)
    }
}
