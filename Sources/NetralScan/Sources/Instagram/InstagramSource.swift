import Foundation
import NetralFetch
import NetralModel
import NetralPlatforms

extension Target.Kind {
    /// An Instagram account (`account:`, or its profile URL) or one post (`/p/CODE/`, `/reel/CODE/`).
    public static let instagram = Target.Kind(rawValue: "instagram")
}

/// Instagram without logging in. An account is read through the web app's profile answer
/// (`/api/v1/users/web_profile_info/?username=NAME`: biography, full name, category, links and
/// the latest posts with their captions, places, pictures and accessibility captions); more
/// pages, when `max_pages` allows, through the user feed answer (`/api/v1/feed/user/ID/`). A post
/// URL is read as its page. Instagram often answers a logged-out reader with a login wall or
/// "please wait": the target then fails with that reason.
struct InstagramSource: TargetSource {
    static let row = SourceRow(
        kind: .instagram, location: .account(.instagram), keys: ["account"], maxPages: (1, 1...20),
        source: { _ in InstagramSource() },
        reads: { url in
            let parts = PlatformReader.path(of: url).split(separator: "/")
            return parts.count == 1 && !InstagramSource.reserved.contains(String(parts[0]))
                || (parts.count == 2 && ["p", "reel", "tv"].contains(parts[0]))
        },
        urlForms: "https://www.instagram.com/NAME/ or a post's https://www.instagram.com/p/CODE/")

    /// First path segments that are Instagram's own pages, not accounts.
    static let reserved: Set<String> = ["accounts", "explore", "direct", "stories", "reels", "about", "legal", "developer", "api"]
    /// The web app's id, which the profile answer requires (public in every instagram.com page).
    static let appIDHeader = HTTPHeader(name: "X-IG-App-ID", value: "936619743392459")

    func read(_ scan: TargetScan, after headStart: Void) async throws {
        let reader = PlatformReader(platform: .instagram, scan: scan)
        let url = scan.target.url
        let parts = PlatformReader.path(of: url).split(separator: "/")
        let username = PlatformReader.handle(of: scan.target) ?? (parts.count == 1 ? String(parts[0]) : nil)
        guard let username else {
            // One post's page.
            guard let (answer, page) = try await reader.read(url, as: .target) else { return }
            try await reader.judge(page, answer: answer)
            return
        }
        let origin = PlatformReader.origin(of: url) ?? "https://www.instagram.com"
        let profileURL = "\(origin)/api/v1/users/web_profile_info/?username=\(username)"
        guard let (answer, page) = try await reader.read(profileURL, as: .target, headers: [Self.appIDHeader]) else { return }
        let account = PlatformReader.account(in: page, handle: "@" + username)
        try await reader.judge(page, answer: answer, account: account)
        var cursor = page.next?.token
        var pages = 1
        while let token = cursor, pages < scan.target.maxPages, let userID = account?.accountID {
            let feedURL = "\(origin)/api/v1/feed/user/\(userID)/?count=12&max_id=\(Self.queryValue(token))"
            guard let (next, nextPage) = try await reader.read(feedURL, as: .part, headers: [Self.appIDHeader]) else { return }
            try await reader.judge(nextPage, answer: next, account: account)
            cursor = nextPage.next?.token
            pages += 1
        }
    }

    static func queryValue(_ text: String) -> String {
        text.addingPercentEncoding(withAllowedCharacters: .alphanumerics.union(CharacterSet(charactersIn: "-._~"))) ?? text
    }
}
