import Foundation
import Logging
import NetralModel
import NetralPlatforms

extension Target.Kind {
    /// A TikTok account (`account:`, or its `https://www.tiktok.com/@name` URL) or one video
    /// (`https://www.tiktok.com/@name/video/ID`).
    public static let tiktok = Target.Kind(rawValue: "tiktok")
}

/// TikTok without logging in: the profile page (its `__UNIVERSAL_DATA_FOR_REHYDRATION__`
/// JSON: the account's bio, and the videos it lists, if any), or a video page (caption,
/// hashtags, author, time, counts, cover) with its subtitle track (WebVTT) read as the video's
/// transcript. A logged-out profile page lists no videos today and the list API needs signed
/// requests: an account's videos come from their own URLs or from a browser capture.
struct TikTokSource: TargetSource {
    static let row = SourceRow(
        kind: .tiktok, location: .account(.tiktok), keys: ["account"], maxPages: (1, 1...1), source: { _ in TikTokSource() },
        reads: { url in PlatformReader.path(of: url).hasPrefix("/@") },
        urlForms: "https://www.tiktok.com/@NAME or https://www.tiktok.com/@NAME/video/ID")

    func read(_ scan: TargetScan, after headStart: Void) async throws {
        let reader = PlatformReader(platform: .tiktok, scan: scan)
        let handle = PlatformReader.handle(of: scan.target)
        let url = handle.map { TikTokParser.profileURL(handle: $0) } ?? scan.target.url
        guard let (answer, page) = try await reader.read(url, as: .target) else { return }
        let account = PlatformReader.account(in: page, handle: handle.map { "@" + $0 })
        if page.posts.isEmpty, !PlatformReader.path(of: url).contains("/video/") {
            scan.logger.notice(
                "TikTok lists no videos to a logged-out reader; give each video's URL as a target, or read the account from a capture",
                metadata: ["url": "\(url)"])
        }
        try await reader.judge(page, answer: answer, account: account)
    }
}
