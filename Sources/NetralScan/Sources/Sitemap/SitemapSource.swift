import Foundation
import NetralExtract
import NetralModel
import Logging

extension Target.Kind {
    /// A sitemap (`sitemap.xml`, a sitemap index, gzip): its pages, fetched and judged like
    /// `page` targets, those whose `lastmod` is older than their last fetch skipped.
    public static let sitemap = Target.Kind(rawValue: "sitemap")
}

/// A sitemap's pages are read as a site (`SiteSource`); this lists them.
enum SitemapSource {
    static let row = SourceRow(
        kind: .sitemap, location: .url, keys: FollowRule.keys, maxPages: (FollowRule.defaultSitemapPages, 1...FollowRule.maxPages),
        parse: { mapping, target, diagnostics in FollowRule.parse(mapping, into: &target, diagnostics: &diagnostics) },
        source: { _ in SiteSource(sitemap: true) }
    )
}

/// The pages a sitemap lists, through nested indexes (at most `maxLevels` levels and `maxFiles`
/// files), on the sitemap's own host only, without repeats, newest `lastmod` first so a capped
/// scan reads what changed. A nested sitemap whose `lastmod` is older than its last fetch is not
/// read again.
struct SitemapListing {
    /// Sitemap files read per scan of one target, however the indexes nest.
    static let maxFiles = 200
    /// Levels of sitemap files: an index, an index it lists, and the page lists below.
    static let maxLevels = 3
    /// Page entries kept from all sitemap files of one target (the newest `max_pages` are read).
    static let maxEntries = 100_000

    /// The sitemap's host, lowercased: entries elsewhere are skipped.
    var host: String

    func pages(in scan: TargetScan) async throws -> [Sitemap.Entry] {
        let target = scan.target
        var files: [(url: String, level: Int, lastModified: Date?)] = [(target.url, 1, nil)]
        var seenFiles: Set<String> = [target.url]
        var pages: [Sitemap.Entry] = []
        var seenPages = Set<String>()
        var next = 0
        while next < files.count, next < Self.maxFiles {
            let (url, level, lastModified) = files[next]
            next += 1
            if level > 1, let lastModified, let fetchedAt = try scan.sink.lastFetched(url: url), lastModified <= fetchedAt { continue }
            if level > 1, try await !scan.allows(url) { continue }
            let capture: Capture
            if level == 1 {
                capture = try await scan.fetch(url)
            } else {
                guard let nested = try await scan.fetchIfAvailable(url) else { continue }
                capture = nested
            }
            let sitemap: Sitemap
            do {
                sitemap = try Sitemap(capture: capture)
            } catch let error as SourceError {
                if level == 1 { throw error }
                scan.logger.warning("sitemap skipped", metadata: ["url": "\(url)", "error": "\(error)"])
                continue
            }
            for warning in sitemap.warnings { scan.logger.info("sitemap warning", metadata: ["warning": "\(warning)"]) }
            try scan.sink.listing(capture, in: scan)
            for entry in sitemap.entries {
                guard URL(string: entry.url)?.host?.lowercased() == host else {
                    scan.logger.info("sitemap entry on another host skipped", metadata: ["url": "\(entry.url)"])
                    continue
                }
                switch sitemap.kind {
                case .index:
                    guard level < Self.maxLevels else {
                        scan.logger.warning(
                            "sitemap nested too deep; skipped", metadata: ["url": "\(entry.url)", "levels": "\(Self.maxLevels)"])
                        continue
                    }
                    if seenFiles.insert(entry.url).inserted { files.append((entry.url, level + 1, entry.lastModified)) }
                case .pages:
                    guard pages.count < Self.maxEntries else { continue }
                    if seenPages.insert(entry.url).inserted { pages.append(entry) }
                }
            }
        }
        if files.count > Self.maxFiles {
            scan.logger.warning("more sitemap files than read", metadata: ["read": "\(Self.maxFiles)", "listed": "\(files.count)"])
        }
        // Newest first (undated last), stable among equals.
        return pages.enumerated().sorted { a, b in
            switch (a.element.lastModified, b.element.lastModified) {
            case let (x?, y?): x != y ? x > y : a.offset < b.offset
            case (.some, nil): true
            case (nil, .some): false
            case (nil, nil): a.offset < b.offset
            }
        }.map(\.element)
    }
}
