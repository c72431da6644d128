import Foundation
import NetralExtract
import NetralFetch
import NetralModel
import NetralRules
import NetralStore

extension Target.Kind {
    /// One web page (HTML), fetched; with `follow:`, the links within its site too.
    public static let page = Target.Kind(rawValue: "page")
}

/// One page (or feed) fetched per scan: the fast path. Its head start, in the concurrent fetch
/// stage, asks robots.txt, sends a conditional GET and, for a changed 2xx body, extracts and
/// judges it there, beside the other transfers; `read` then only files and records it. A 304,
/// or a body whose digest (with the packs) has not changed, is not judged again.
struct PageSource: TargetSource {
    /// How the answer is extracted: sniffed (nil), or always as a feed.
    var extractAs: SourceKind?

    static let row = SourceRow(
        kind: .page, location: .url, keys: FollowRule.keys,
        parse: { mapping, target, diagnostics in FollowRule.parse(mapping, into: &target, diagnostics: &diagnostics) },
        source: { target in target.follow == nil ? PageSource() as any TargetSource : SiteSource(sitemap: false) }
    )

    enum HeadStart: Sendable {
        /// A 2xx answer, its digest, and its items judged unless the digest is unchanged.
        case page(FetchResult, digest: String, judged: JudgedPage?)
        /// Any other status.
        case answer(FetchResult)
        /// `fetchFailed`: the failure belongs in the URL's fetch row too.
        case failed(String, fetchFailed: Bool)
        case disallowed(String)
    }

    func headStart(_ stage: FetchStage) async throws -> HeadStart {
        let target = stage.target
        let credentials: String?
        do {
            credentials = try target.credentials()
        } catch {
            return .failed(error.description, fetchFailed: false)
        }
        if target.robotsIgnoredBecause == nil {
            let policy = try await stage.robots.policy(for: target.url, allowPrivate: target.allowPrivate)
            guard policy.allows(target.url) else { return .disallowed(target.url) }
        }
        let memory = try stage.memory(url: target.url)
        let request = FetchRequest(
            url: target.url, etag: memory?.etag, lastModified: memory?.lastModified,
            allowPrivate: target.allowPrivate, credentials: credentials)
        let fetched: FetchResult
        do {
            fetched = try await stage.engine.fetch(request)
        } catch let failure as FetchFailure {
            return .failed(failure.description, fetchFailed: true)
        } catch let error as FetchError {
            return .failed(error.description, fetchFailed: true)
        }
        guard (200..<300).contains(fetched.capture.status) else { return .answer(fetched) }
        let digest = stage.judge.digest(fetched.capture)
        guard memory?.bodyDigest != digest else { return .page(fetched, digest: digest, judged: nil) }
        do {
            var workspace = RuleSet.Workspace()
            let judged = try stage.judge.judge(fetched.capture, kind: extractAs, target: target, workspace: &workspace)
            return .page(fetched, digest: digest, judged: judged)
        } catch {
            return .failed("\(error)", fetchFailed: false)
        }
    }

    func read(_ scan: TargetScan, after headStart: HeadStart) async throws {
        let url = scan.target.url
        switch headStart {
        case let .failed(message, fetchFailed):
            if fetchFailed { scan.completion.failedFetch = (url, nil, message) }
            throw TargetError(message)
        case .disallowed(let url):
            scan.result.outcome = .disallowed
            scan.result.error = scan.disallowedMessage(url)
        case let .page(fetched, digest, judged):
            let capture = scan.counted(fetched)
            guard let judged else {
                try scan.sink.unchanged(capture, digest: digest, record: .withTarget(digest: digest), in: scan)
                scan.result.outcome = .unchanged
                return
            }
            try await scan.sink.file(judged, capture: capture, record: .withTarget(digest: digest), in: scan)
        case .answer(let fetched):
            let status = fetched.capture.status
            scan.result.attempts = fetched.attempts
            switch status {
            case 304:
                scan.completion.notModifiedURL = url
                scan.result.outcome = .unchanged
            case 404, 410:
                let message = "gone: HTTP status \(status)"
                scan.completion.failedFetch = (url, status, message)
                scan.result.outcome = .gone
                scan.result.error = message
            default:
                let message = "HTTP status \(status)" + (fetched.attempts > 1 ? " (after \(fetched.attempts) attempts)" : "")
                scan.completion.failedFetch = (url, status, message)
                throw TargetError(message)
            }
        }
    }
}
