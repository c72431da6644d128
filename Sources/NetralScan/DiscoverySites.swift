import Foundation
import Logging
import NetralExtract
import NetralFetch
import NetralModel
import NetralStore

extension Scanner {
    /// Sitemap files read per scan of one target, however the indexes nest.
    static let maxSitemapFiles = 200
    /// Levels of sitemap files: an index, an index it lists, and the page lists below.
    static let maxSitemapLevels = 3
    /// Page entries kept from all sitemap files of one target (the newest `max_pages` are read).
    static let maxSitemapEntries = 100_000

    /// A `sitemap` target, or a `page` target with `follow:`: the pages of the sitemap (or the
    /// page itself), then the links they hold within the same host, breadth first, within
    /// `follow`'s depth, patterns and page cap. Every page goes through the fetch engine's
    /// politeness, robots.txt (unless the target ignores it with a reason) and address policy,
    /// and is judged like a `page` target. A page that fails is logged and skipped; the target
    /// fails only when every page did.
    func scanSite(_ target: Target, result: inout TargetResult, run: Run, logger: Logger) async throws {
        guard let host = URL(string: target.url)?.host?.lowercased() else { throw TargetError(description: "\(target.url): no host") }
        // Sitemap pages within max_pages (newest lastmod first); followed links within follow.max_pages.
        var queue: [(url: String, depth: Int, lastModified: Date?)]
        if target.kind == .sitemap {
            queue = try await sitemapPages(target, host: host, result: &result, run: run, logger: logger).prefix(target.maxPages).map { ($0.url, 0, $0.lastModified) }
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
            let outcome = try await scanSitePage(url, lastModified: lastModified, wantsLinks: wantsLinks, target: target, result: &result, run: run, logger: logger)
            switch outcome {
            case .failed: failed += 1
            case .disallowed where target.kind == .page && depth == 0:
                // The start page itself: the target is disallowed, as a plain page target would be.
                result.outcome = .disallowed
                result.error = "robots.txt disallows \(url) for \(RobotsPolicy.agentToken(of: config.fetch.userAgent))"
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
            throw TargetError(description: "all \(failed) page(s) failed; see the log")
        }
        if failed > 0 { logger.warning("some pages of the site failed", metadata: ["failed": "\(failed)", "fetched": "\(fetched)"]) }
    }

    enum SitePageOutcome {
        /// Fetched (judged unless unchanged), with its same-page links when asked for.
        case done([String])
        /// Not fetched: its `lastmod` is older than the last fetch.
        case skipped
        /// Not fetched: robots.txt disallows it.
        case disallowed
        case failed
    }

    /// One page of a site: robots, the sitemap's `lastmod`, a conditional fetch, then judged
    /// unless its body is unchanged, and recorded in one transaction.
    func scanSitePage(_ url: String, lastModified: Date?, wantsLinks: Bool, target: Target, result: inout TargetResult, run: Run,
                      logger: Logger) async throws -> SitePageOutcome {
        if target.robotsIgnoredBecause == nil, let robots = run.robots {
            let policy = try await robots.policy(for: url, allowPrivate: target.allowPrivate)
            guard policy.allows(url) else {
                logger.info("robots.txt disallows a page of the site", metadata: ["url": "\(url)"])
                return .disallowed
            }
        }
        let memory = try Self.stored { try run.store.fetchMemory(url: url) }
        // Unchanged since the last fetch by the site's own word: its links were followed then.
        if let lastModified, let fetchedAt = try Self.stored({ try run.store.lastFetched(url: url) }), lastModified <= fetchedAt {
            return .skipped
        }
        let credentials = try target.credentials().get()
        // Conditional only when its links are not needed: a 304 has none to follow.
        let request = FetchRequest(url: url, etag: wantsLinks ? nil : memory?.etag, lastModified: wantsLinks ? nil : memory?.lastModified,
                                   allowPrivate: target.allowPrivate, credentials: credentials)
        let fetchedResult: FetchResult
        do {
            fetchedResult = try await run.engine.fetch(request)
        } catch let error as FetchFailure {
            logger.warning("page failed", metadata: ["url": "\(url)", "error": "\(error)"])
            try Self.stored { try run.store.recordFetchFailure(url: url, status: nil, error: error.description, at: Date()) }
            return .failed
        }
        let capture = fetchedResult.capture
        if capture.status == 304 { return .done([]) }
        guard (200..<300).contains(capture.status) else {
            let message = "HTTP status \(capture.status)"
            logger.warning("page failed", metadata: ["url": "\(url)", "error": "\(message)"])
            try Self.stored { try run.store.recordFetchFailure(url: url, status: capture.status, error: message, at: Date()) }
            return .failed
        }
        run.summary.fetched += 1
        result.pages += 1
        let kind = CapturePipeline.kind(of: capture)
        let links = wantsLinks && kind == .html ? ((try? PageLinks.urls(in: capture)) ?? []) : []
        let digest = bodyDigest(capture)
        if memory?.bodyDigest == digest {
            try recordPage(PageRecord(target: target.id, capture: capture, bodyDigest: digest, items: [], at: Date()), run: run)
            return .done(links)
        }
        do {
            let (judged, warnings) = try evaluate(capture, kind: kind, target: target, workspace: &run.workspace)
            let images = await fetchImages(for: judged, capture: capture, target: target, run: run)
            try recordPage(collect(judged, warnings: warnings, capture: capture, target: target, result: &result, run: run, logger: logger,
                                   record: (capture, digest), images: images), run: run)
        } catch let abort as RunAbort {
            throw abort
        } catch {
            logger.warning("page not judged", metadata: ["url": "\(url)", "error": "\(error)"])
            return .failed
        }
        return .done(links)
    }

    /// The pages a sitemap lists, through nested indexes (at most `maxSitemapLevels` levels and
    /// `maxSitemapFiles` files), on the sitemap's own host only, without repeats, at most
    /// `max_pages`, newest `lastmod` first so a capped scan reads what changed. A nested sitemap
    /// whose `lastmod` is older than its last fetch is not read again.
    func sitemapPages(_ target: Target, host: String, result: inout TargetResult, run: Run, logger: Logger) async throws -> [Sitemap.Entry] {
        var files: [(url: String, level: Int, lastModified: Date?)] = [(target.url, 1, nil)]
        var seenFiles: Set<String> = [target.url]
        var pages: [Sitemap.Entry] = []
        var seenPages = Set<String>()
        var next = 0
        while next < files.count, next < Self.maxSitemapFiles {
            let (url, level, lastModified) = files[next]
            next += 1
            if level > 1, let lastModified, let fetchedAt = try Self.stored({ try run.store.lastFetched(url: url) }), lastModified <= fetchedAt { continue }
            if target.robotsIgnoredBecause == nil, level > 1, let robots = run.robots {
                guard try await robots.policy(for: url, allowPrivate: target.allowPrivate).allows(url) else { continue }
            }
            let capture: Capture
            if level == 1 {
                capture = try await fetchPage(url, target: target, result: &result, run: run)
            } else {
                guard let nested = try await fetchListing(url, target: target, result: &result, run: run, logger: logger) else { continue }
                capture = nested
            }
            let sitemap: Sitemap
            do {
                sitemap = try Sitemap(capture: capture)
            } catch let error as SourceError {
                if level == 1 { throw error }
                logger.warning("sitemap skipped", metadata: ["url": "\(url)", "error": "\(error)"])
                continue
            }
            for warning in sitemap.warnings { logger.info("sitemap warning", metadata: ["warning": "\(warning)"]) }
            try recordPage(PageRecord(target: target.id, capture: capture, bodyDigest: bodyDigest(capture), items: [], at: Date()), run: run)
            for entry in sitemap.entries {
                guard URL(string: entry.url)?.host?.lowercased() == host else {
                    logger.info("sitemap entry on another host skipped", metadata: ["url": "\(entry.url)"])
                    continue
                }
                switch sitemap.kind {
                case .index:
                    guard level < Self.maxSitemapLevels else {
                        logger.warning("sitemap nested too deep; skipped", metadata: ["url": "\(entry.url)", "levels": "\(Self.maxSitemapLevels)"])
                        continue
                    }
                    if seenFiles.insert(entry.url).inserted { files.append((entry.url, level + 1, entry.lastModified)) }
                case .pages:
                    guard pages.count < Self.maxSitemapEntries else { continue }
                    if seenPages.insert(entry.url).inserted { pages.append(entry) }
                }
            }
        }
        if files.count > Self.maxSitemapFiles {
            logger.warning("more sitemap files than read", metadata: ["read": "\(Self.maxSitemapFiles)", "listed": "\(files.count)"])
        }
        // Newest first (undated last), stable among equals.
        let ordered = pages.enumerated().sorted { a, b in
            switch (a.element.lastModified, b.element.lastModified) {
            case let (x?, y?): x != y ? x > y : a.offset < b.offset
            case (.some, nil): true
            case (nil, .some): false
            case (nil, nil): a.offset < b.offset
            }
        }.map(\.element)
        return ordered
    }
}
