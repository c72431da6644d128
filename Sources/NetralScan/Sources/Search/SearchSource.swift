import Foundation
import NetralExtract
import NetralFetch
import NetralModel
import NetralYAML
import Logging

extension Target.Kind {
    /// Bluesky keyword search (`query:`) through a signed-in session at `url` (a PDS such as
    /// https://bsky.social), with an app password from the variable `auth_env` names.
    public static let search = Target.Kind(rawValue: "search")
}

/// Bluesky keyword search: sign in once with the app password from `auth_env`
/// (`handle:app-password`), then `searchPosts`, newest first, at most `max_pages` pages. Each
/// post is judged; when it does not show its author's identity by itself (no violation, and
/// search results carry no bio), the author's profile is looked up (once per run, at most
/// `max_profiles`) and the post judged again with it. The service's rate limit is honoured
/// (`RateLimit-Remaining` 0: wait for `RateLimit-Reset`, within `retry_after_cap`; 429 is retried
/// by the engine); 401 and 403 stop the target with a message saying why. The app password and
/// the session's token are sent only to the target's host and are kept nowhere.
struct SearchSource: TargetSource {
    static let row = SourceRow(
        kind: .search, location: .url, keys: ["query", "max_profiles"],
        parse: { mapping, target, diagnostics in
            var usable = true
            var settings = SearchSettings(query: "")
            if let value = mapping["query"], let text = value.string("query", into: &diagnostics) {
                if text.trimmingCharacters(in: .whitespaces).isEmpty || text.count > 300 {
                    diagnostics.append(value.diagnostic("query must be 1-300 characters"))
                    usable = false
                } else {
                    settings.query = text
                }
            } else if mapping["query"] == nil {
                diagnostics.append(mapping.owner.diagnostic("a search target needs 'query' (the words to search for)"))
                usable = false
            }
            if target.credentialsVariable == nil {
                diagnostics.append(
                    mapping.owner.diagnostic(
                        "a search target needs auth_env: Bluesky search needs a signed-in session; name the environment variable holding "
                            + "'handle:app-password'"
                    ))
                usable = false
            }
            TargetConfig.cap(mapping, "max_profiles", 1...100_000, into: &diagnostics) { settings.maxProfiles = $0 }
            target.settings = settings
            return usable
        },
        source: { target in SearchSource(settings: target.settings(as: SearchSettings.self) ?? SearchSettings(query: "")) }
    )

    var settings: SearchSettings

    func read(_ scan: TargetScan, after headStart: Void) async throws {
        let target = scan.target
        guard !settings.query.isEmpty else { throw TargetError("a search target needs a query") }
        let api = try BlueskyAPI(appView: target.url)
        guard let login = try target.credentials(), let colon = login.firstIndex(of: ":") else {
            throw TargetError("environment variable \(target.credentialsVariable ?? "") (auth_env) must hold 'handle:app-password'")
        }
        let signIn = BlueskyAPI.sessionRequest(
            identifier: String(login[..<colon]), appPassword: String(login[login.index(after: colon)...]))
        let sessionCapture = try await scan.send(
            FetchRequest.postJSON(url: api.createSessionURL, body: signIn, allowPrivate: target.allowPrivate),
            what: "signing in")
        let session = try BlueskyExtractor().session(from: sessionCapture)
        func call(_ url: String, _ what: String) async throws -> Capture {
            try await scan.send(FetchRequest(url: url, allowPrivate: target.allowPrivate, bearerToken: session.accessToken), what: what)
        }
        // The authors found are not the target's subject.
        var judging = target
        judging.subject = nil
        var cursor: String?
        var pages = 0
        var lookups = 0
        var seen = Set<String>()
        repeat {
            let capture = try await call(api.searchPostsURL(query: settings.query, cursor: cursor), "searching")
            let page = try BlueskyExtractor().searchPage(from: capture)
            for warning in page.warnings { scan.logger.info("extraction warning", metadata: ["warning": "\(warning)"]) }
            var judged: [JudgedItem] = []
            var related: [String: [Capture]] = [:]
            for item in page.items where seen.insert(item.identityURL).inserted {
                var alone = try scan.sink.judge.judge(
                    capture, kind: .bluesky, items: [item], target: judging, workspace: &scan.sink.workspace
                ).items
                let showsIdentity = alone.contains { $0.findings.contains { $0.findingClass == .violation } }
                if !showsIdentity, item.author?.bio == nil, let did = item.authorAccountID {
                    let key = AccountKey.make(platform: "bluesky", accountID: did, handle: nil) ?? did
                    if scan.sink.profiles[key] == nil, lookups < settings.maxProfiles {
                        lookups += 1
                        do {
                            let answer = try await call(api.profileURL(actor: did), "reading a profile")
                            scan.sink.saw(
                                AccountProfile(try BlueskyExtractor().profile(from: answer.body, sourceURL: answer.finalURL)), in: answer)
                        } catch let error as SourceError {
                            scan.logger.warning("profile not read", metadata: ["did": "\(did)", "error": "\(error)"])
                        }
                    }
                    if let known = scan.sink.profiles[key] {
                        var withProfile = item
                        withProfile.author = known.profile.author
                        alone = try scan.sink.judge.judge(
                            capture, kind: .bluesky, items: [withProfile], target: judging, workspace: &scan.sink.workspace
                        ).items
                        if let kept = known.answer { related[withProfile.identityURL] = [kept] }
                    }
                }
                judged += alone
            }
            try await scan.sink.file(
                JudgedPage(items: judged, warnings: []), capture: capture, as: judging, related: related, record: .read, in: scan)
            cursor = page.cursor == cursor ? nil : page.cursor
            pages += 1
            if cursor != nil, pages < target.maxPages { try await scan.waitForRateLimit(capture) }
        } while cursor != nil && pages < target.maxPages
    }
}

/// What a search target looks for, and how many authors' profiles a scan may look up.
struct SearchSettings: TargetSettings, Equatable {
    var query: String
    var maxProfiles = 500
}
