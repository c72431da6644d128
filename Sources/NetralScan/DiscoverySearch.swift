import Foundation
import Logging
import NetralExtract
import NetralFetch
import NetralModel
import NetralStore

extension Scanner {
    /// Bluesky keyword search: sign in once with the app password from `auth_env`
    /// (`handle:app-password`), then `searchPosts`, newest first, at most `max_pages` pages.
    /// Each post is judged; when it does not show its author's identity by itself (no
    /// violation, and search results carry no bio), the author's profile is looked up (once
    /// per run, at most `max_profiles`) and the post judged again with it. The service's rate
    /// limit is honoured (`RateLimit-Remaining` 0: wait for `RateLimit-Reset`, within
    /// `retry_after_cap`; 429 is retried by the engine); 401 and 403 stop the target with a
    /// message saying why. The app password and the session's token are sent only to the
    /// target's host and are kept nowhere.
    func scanSearch(_ target: Target, result: inout TargetResult, run: Run, logger: Logger) async throws {
        guard let query = target.query else { throw TargetError(description: "a search target needs a query") }
        let api = try BlueskyAPI(appView: target.url)
        guard let login = try target.credentials().get(), let colon = login.firstIndex(of: ":") else {
            throw TargetError(description: "environment variable \(target.credentialsVariable ?? "") (auth_env) must hold 'handle:app-password'")
        }
        let sessionCapture = try await callAPI(api.createSessionURL, token: nil,
                                               body: BlueskyAPI.sessionRequest(identifier: String(login[..<colon]), appPassword: String(login[login.index(after: colon)...])),
                                               what: "signing in", target: target, result: &result, run: run)
        let session = try BlueskyExtractor().session(from: sessionCapture)
        var judging = target
        judging.subject = nil
        var cursor: String?
        var pages = 0
        var lookups = 0
        var seen = Set<String>()
        repeat {
            let capture = try await callAPI(api.searchPostsURL(query: query, cursor: cursor), token: session.accessToken, body: nil,
                                            what: "searching", target: target, result: &result, run: run)
            let page = try BlueskyExtractor().searchPage(from: capture)
            for warning in page.warnings { logger.info("extraction warning", metadata: ["warning": "\(warning)"]) }
            var judged: [JudgedItem] = []
            var related: [String: [Capture]] = [:]
            for item in page.items where seen.insert(item.identityURL).inserted {
                var (alone, _) = try evaluate(capture, kind: .bluesky, items: [item], target: judging, workspace: &run.workspace)
                let showsIdentity = alone.contains { $0.findings.contains { $0.findingClass == .violation } }
                if !showsIdentity, item.author?.bio == nil, let did = item.metadata["did"] {
                    let key = "bluesky:\(did)"
                    var profile = run.interactionProfiles[key]
                    if profile == nil, lookups < target.interactionCaps.profiles {
                        lookups += 1
                        do {
                            let profileCapture = try await callAPI(api.profileURL(actor: did), token: session.accessToken, body: nil,
                                                                   what: "reading a profile", target: target, result: &result, run: run)
                            let author = try BlueskyExtractor().profile(from: profileCapture.body, sourceURL: profileCapture.finalURL).author
                            run.interactionProfiles.insert(author, capture: profileCapture, key: key)
                            profile = InteractionProfiles.Profile(author: author, capture: profileCapture)
                        } catch let error as SourceError {
                            logger.warning("profile not read", metadata: ["did": "\(did)", "error": "\(error)"])
                        }
                    }
                    if let profile {
                        var withProfile = item
                        withProfile.author = profile.author
                        (alone, _) = try evaluate(capture, kind: .bluesky, items: [withProfile], target: judging, workspace: &run.workspace)
                        if let kept = profile.capture { related[withProfile.identityURL] = [kept] }
                    }
                }
                judged += alone
            }
            let images = await fetchImages(for: judged, capture: capture, target: judging, run: run)
            try recordPage(collect(judged, warnings: [], capture: capture, target: judging, result: &result, run: run, logger: logger,
                                   record: nil, images: images, related: related), run: run)
            cursor = page.cursor == cursor ? nil : page.cursor
            pages += 1
            if cursor != nil, pages < target.maxPages { try await waitForRateLimit(capture, logger: logger) }
        } while cursor != nil && pages < target.maxPages
    }

    /// One call to a signed-in API: a 2xx answer, or a target error that says what to do.
    func callAPI(_ url: String, token: String?, body: Data?, what: String, target: Target, result: inout TargetResult, run: Run) async throws -> Capture {
        let fetched: FetchResult
        do {
            let request = body.map { FetchRequest.postJSON(url: url, body: $0, allowPrivate: target.allowPrivate, bearerToken: token) }
                ?? FetchRequest(url: url, allowPrivate: target.allowPrivate, bearerToken: token)
            fetched = try await run.engine.fetch(request)
        } catch let error as FetchFailure {
            throw TargetError(description: "\(what): \(error.description)")
        }
        let capture = fetched.capture
        result.attempts = fetched.attempts
        switch capture.status {
        case 200..<300:
            run.summary.fetched += 1
            result.pages += 1
            return capture
        case 401:
            throw TargetError(description: "\(what): the service refused the sign-in (401); check the handle and app password in \(target.credentialsVariable ?? "auth_env")")
        case 403:
            throw TargetError(description: "\(what): the service answered 403 Forbidden: this account or app password may not do this (search needs a signed-in account the service allows to search); the target stops")
        default:
            let note = fetched.attempts > 1 ? " (after \(fetched.attempts) attempts)" : ""
            throw TargetError(description: "\(what): HTTP status \(capture.status)\(note)")
        }
    }

    /// Waits until the rate-limit window resets when an answer says none are left
    /// (`RateLimit-Remaining: 0`, `RateLimit-Reset`: epoch seconds), at most `retry_after_cap`.
    func waitForRateLimit(_ capture: Capture, logger: Logger) async throws {
        guard capture.header("RateLimit-Remaining")?.trimmingCharacters(in: .whitespaces) == "0" else { return }
        let reset = capture.header("RateLimit-Reset").flatMap { Double($0.trimmingCharacters(in: .whitespaces)) }
        let wait = min(max(0, (reset ?? 0) - Date().timeIntervalSince1970), config.fetch.retryAfterCap)
        guard wait > 0 else { return }
        logger.notice("rate limit reached; waiting", metadata: ["seconds": "\(Int(wait.rounded(.up)))"])
        try await Task.sleep(for: .seconds(wait))
    }
}
