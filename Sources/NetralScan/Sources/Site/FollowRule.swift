import Foundation
import NetralYAML

/// Link following within a site (`follow:` on a `page` or `sitemap` target): from each page
/// fetched, links to the same host are followed breadth first, at most `depth` links away and
/// `maxPages` pages per scan, those matching an `include` pattern (all when none is given) and
/// no `exclude` pattern. Patterns are shell globs over the whole URL (`*`, `?`, `[...]`).
public struct FollowRule: TargetSettings, Equatable {
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

    static let keys = ["follow"]

    /// Reads `follow: {depth, max_pages, include, exclude}`.
    static func parse(_ mapping: YAMLMapping, into target: inout Target, diagnostics: inout DiagnosticList) -> Bool {
        guard let value = mapping["follow"], let follow = value.mapping("follow", into: &diagnostics) else { return true }
        follow.checkKeys(allowed: ["depth", "max_pages", "include", "exclude"], in: "follow", into: &diagnostics)
        var rule = FollowRule()
        if let depth = follow["depth"], let number = depth.integer("follow.depth", into: &diagnostics) {
            if (0...10).contains(number) {
                rule.depth = number
            } else {
                diagnostics.append(depth.diagnostic("follow.depth must be between 0 and 10"))
            }
        }
        if let pages = follow["max_pages"], let number = pages.integer("follow.max_pages", into: &diagnostics) {
            if (1...FollowRule.maxPages).contains(number) {
                rule.maxPages = number
            } else {
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
        return true
    }
}

extension Target {
    /// For `page` and `sitemap`: links followed within the site.
    public var follow: FollowRule? {
        get { settings(as: FollowRule.self) }
        set { settings = newValue }
    }
}
