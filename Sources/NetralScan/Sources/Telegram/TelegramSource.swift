import Foundation
import NetralModel
import NetralPlatforms

extension Target.Kind {
    /// A public Telegram channel (`account:`, or `https://t.me/NAME` / `https://t.me/s/NAME`).
    public static let telegram = Target.Kind(rawValue: "telegram")
}

/// A public Telegram channel through its web preview (`t.me/s/NAME`): each message's text,
/// time, pictures, forwards and link previews, newest first, then older pages with
/// `?before=ID`, at most `max_pages` pages. Only public channels have a preview: a group or a
/// user shows a card, and the target fails as private.
struct TelegramSource: TargetSource {
    static let row = SourceRow(
        kind: .telegram, location: .account(.telegram), keys: ["account"], maxPages: (3, 1...100), source: { _ in TelegramSource() },
        reads: { url in
            let parts = PlatformReader.path(of: url).split(separator: "/")
            return parts.count == 1 && parts[0] != "s" && parts[0] != "joinchat" && !parts[0].hasPrefix("+")
                || (parts.count == 2 && parts[0] == "s")
        },
        urlForms: "https://t.me/NAME or https://t.me/s/NAME")

    func read(_ scan: TargetScan, after headStart: Void) async throws {
        let reader = PlatformReader(platform: .telegram, scan: scan)
        let first = PlatformReader.handle(of: scan.target).map { TelegramParser.previewURL(channel: $0) } ?? Self.preview(scan.target.url)
        var next: String? = first
        var account: Author?
        var pages = 0
        while let url = next, pages < scan.target.maxPages {
            guard let (answer, page) = try await reader.read(url, as: pages == 0 ? .target : .part) else { return }
            if pages == 0 { account = PlatformReader.account(in: page, handle: nil) }
            try await reader.judge(page, answer: answer, account: account)
            pages += 1
            next = page.next?.url.flatMap { PlatformReader.sameHost($0, as: first) && $0 != url ? $0 : nil }
        }
    }

    /// `https://t.me/s/NAME` for `https://t.me/NAME`; a preview URL as it is.
    static func preview(_ url: String) -> String {
        guard var components = URLComponents(string: url) else { return url }
        let parts = components.path.split(separator: "/")
        guard parts.count == 1 else { return url }
        components.path = "/s/\(parts[0])"
        return components.string ?? url
    }
}
