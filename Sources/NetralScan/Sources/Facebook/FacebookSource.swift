import Foundation
import NetralModel
import NetralPlatforms

extension Target.Kind {
    /// A public Facebook page, profile or group (`account:`, or its URL), or one post.
    public static let facebook = Target.Kind(rawValue: "facebook")
}

/// Facebook without logging in, through its mobile site (`m.facebook.com`), whose pages carry
/// the posts as HTML: each story's text, author, time, pictures with their generated alt text
/// and a shared post; the "see more" link pages back, at most `max_pages` pages. A
/// `www.facebook.com` URL is read at `m.facebook.com`.
struct FacebookSource: TargetSource {
    static let row = SourceRow(
        kind: .facebook, location: .account(.facebook), keys: ["account"], maxPages: (3, 1...50), source: { _ in FacebookSource() },
        reads: { url in
            let path = PlatformReader.path(of: url)
            return path.count > 1 && !["/login", "/checkpoint", "/dialog", "/sharer", "/recover", "/help"].contains { path.hasPrefix($0) }
        },
        urlForms: "https://m.facebook.com/NAME, a group's or a post's URL")

    func read(_ scan: TargetScan, after headStart: Void) async throws {
        let reader = PlatformReader(platform: .facebook, scan: scan)
        let handle = PlatformReader.handle(of: scan.target)
        var next: String? = handle.map { "https://m.facebook.com/\($0)" } ?? Self.mobile(scan.target.url)
        let first = next ?? scan.target.url
        var account: Author?
        var pages = 0
        while let url = next, pages < scan.target.maxPages {
            guard let (answer, page) = try await reader.read(url, as: pages == 0 ? .target : .part) else { return }
            if pages == 0 { account = PlatformReader.account(in: page, handle: handle.map { "@" + $0 }) }
            try await reader.judge(page, answer: answer, account: account)
            pages += 1
            next = page.next?.url.flatMap { PlatformReader.sameHost($0, as: first) ? $0 : nil }
        }
    }

    /// The mobile site's URL for a `www.facebook.com` or `facebook.com` one; others as they are.
    static func mobile(_ url: String) -> String {
        guard var components = URLComponents(string: url), let host = components.host?.lowercased(),
            ["www.facebook.com", "facebook.com", "web.facebook.com"].contains(host)
        else { return url }
        components.host = "m.facebook.com"
        return components.string ?? url
    }
}
