import Foundation
import NetralExtract
import NetralModel
import NetralYAML
import Logging

extension Target.Kind {
    /// A Bluesky account (`https://bsky.app/profile/handle` or a handle): its author feed
    /// through the public AppView, page by page.
    public static let bluesky = Target.Kind(rawValue: "bluesky")
}

/// A Bluesky account: its profile (for the bio), then its author feed page by page (cursor), at
/// most `max_pages` pages.
struct BlueskySource: TargetSource {
    static let row = SourceRow(
        kind: .bluesky, location: .urlOrHandle, keys: ["appview"],
        parse: { mapping, target, diagnostics in
            guard let appView = AppView.parse(mapping, diagnostics: &diagnostics) else { return false }
            if let appView { target.settings = appView }
            return true
        },
        source: { target in BlueskySource(appView: target.settings(as: AppView.self)?.url ?? BlueskyAPI.defaultAppView) }
    )

    var appView: String

    func read(_ scan: TargetScan, after headStart: Void) async throws {
        let api = try BlueskyAPI(appView: appView)
        let actor = try BlueskyAPI.actor(from: scan.target.url)
        let profileCapture = try await scan.fetch(api.profileURL(actor: actor))
        let profile = try BlueskyExtractor().profile(from: profileCapture.body, sourceURL: profileCapture.finalURL)
        scan.sink.saw(AccountProfile(profile), in: profileCapture)
        let author = Author(name: profile.displayName, handle: profile.handle, profileURL: profile.profileURL, bio: profile.bio)
        var cursor: String?
        var pages = 0
        repeat {
            let capture = try await scan.fetch(api.authorFeedURL(actor: actor, cursor: cursor))
            let page = try BlueskyExtractor().feedPage(from: capture)
            for warning in page.warnings { scan.logger.info("extraction warning", metadata: ["warning": "\(warning)"]) }
            try await scan.sink.judge(
                capture, kind: .bluesky, items: page.items, author: author,
                record: .fetched(digest: scan.sink.judge.digest(capture)), in: scan)
            cursor = page.cursor
            pages += 1
        } while cursor != nil && pages < scan.target.maxPages
    }
}

/// The AppView whose XRPC API a Bluesky target reads (`appview:`; default the public one).
struct AppView: TargetSettings, Equatable {
    var url: String

    /// `appview:` when given and valid (`.some(nil)` when absent); nil when invalid.
    static func parse(_ mapping: YAMLMapping, diagnostics: inout DiagnosticList) -> AppView?? {
        guard let value = mapping["appview"], let text = value.string("appview", into: &diagnostics) else { return .some(nil) }
        guard (try? BlueskyAPI(appView: text)) != nil, text.lowercased().hasPrefix("http") else {
            diagnostics.append(value.diagnostic("appview must be an http or https URL (the AppView's XRPC base), found '\(text)'"))
            return nil
        }
        return AppView(url: text)
    }
}

extension AccountProfile {
    /// A Bluesky profile as the AppView showed it, under its DID.
    init(_ profile: BlueskyProfile) {
        self.init(
            platform: "bluesky", accountID: profile.did, handle: "@" + profile.handle, displayName: profile.displayName ?? profile.handle,
            bio: profile.bio, profileURL: profile.profileURL, observedAt: Date())
    }
}
