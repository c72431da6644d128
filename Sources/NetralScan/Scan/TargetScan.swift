import Foundation
import Logging
import NetralExtract
import NetralFetch
import NetralModel
import NetralRules
import NetralStore

/// One target being read in the judging stage: the target, how its scan is going (`result`,
/// `completion`), its logger, and the run's sink and engine. Sources take this one value; it
/// fetches through the engine with the target's credentials, robots.txt and address policy, and
/// counts what was fetched.
final class TargetScan {
    let target: Target
    let logger: Logger
    let sink: PageSink
    let options: FetchOptions
    let robots: RobotsGate
    var result: TargetResult
    var completion: TargetCompletion

    init(target: Target, logger: Logger, sink: PageSink, options: FetchOptions, robots: RobotsGate) {
        self.target = target
        var logger = logger
        logger[metadataKey: "target"] = "\(target.id)"
        self.logger = logger
        self.sink = sink
        self.options = options
        self.robots = robots
        result = TargetResult(target: target.id, kind: target.kind.rawValue, outcome: .scanned, robotsIgnored: target.robotsIgnoredBecause)
        completion = TargetCompletion(target: target.id, outcome: .scanned, at: Date())
    }

    var engine: FetchEngine { sink.engine }

    /// Whether robots.txt lets our agent fetch `url` (always, when the target ignores it with a reason).
    func allows(_ url: String) async throws -> Bool {
        guard target.robotsIgnoredBecause == nil else { return true }
        return try await robots.policy(for: url, allowPrivate: target.allowPrivate).allows(url)
    }

    /// Why robots.txt refused `url`, as the summary says it.
    func disallowedMessage(_ url: String) -> String {
        "robots.txt disallows \(url) for \(RobotsPolicy.agentToken(of: options.userAgent))"
    }

    /// Counts a 2xx answer as a page of this target.
    func counted(_ fetched: FetchResult) -> Capture {
        result.attempts = fetched.attempts
        sink.summary.fetched += 1
        result.pages += 1
        return fetched.capture
    }

    /// Counts a page read from disk (a file, a WARC record).
    func countRead() {
        sink.summary.fetched += 1
        result.pages += 1
    }

    /// Fetches one page a source needs (an API page, a sitemap) with the target's credentials:
    /// retried by the engine, then any non-2xx ends the target, its failure recorded.
    func fetch(_ url: String) async throws -> Capture {
        let fetched: FetchResult
        do {
            fetched = try await engine.fetch(
                FetchRequest(url: url, allowPrivate: target.allowPrivate, credentials: try target.credentials()))
        } catch let error as FetchFailure {
            try sink.recordFailure(url: url, status: nil, message: error.description)
            throw error
        }
        result.attempts = fetched.attempts
        guard (200..<300).contains(fetched.capture.status) else {
            let message = "HTTP status \(fetched.capture.status)" + (fetched.attempts > 1 ? " (after \(fetched.attempts) attempts)" : "")
            try sink.recordFailure(url: url, status: fetched.capture.status, message: message)
            throw TargetError("\(url): \(message)")
        }
        return counted(fetched)
    }

    /// A page that may fail on its own (a deleted post's listing, a listing the server hides,
    /// a nested sitemap): the failure is logged and the source goes on without it.
    func fetchIfAvailable(_ url: String) async throws -> Capture? {
        do {
            return try await fetch(url)
        } catch let error as TargetError {
            logger.warning("listing not read", metadata: ["error": "\(error)"])
        } catch let error as FetchFailure {
            logger.warning("listing not read", metadata: ["url": "\(url)", "error": "\(error)"])
        }
        return nil
    }

    /// Runs a step whose failure is its own (a page of a site, a profile read again): the error
    /// is logged as `what` and nil returned. The run's own errors (state, evidence) and
    /// cancellation still end the run.
    func unlessItFails<T>(_ what: Logger.Message, _ metadata: Logger.Metadata, _ body: () async throws -> T) async throws -> T? {
        do {
            return try await body()
        } catch let abort as RunAbort {
            throw abort
        } catch is CancellationError {
            throw CancellationError()
        } catch {
            logger.warning(what, metadata: metadata.merging(["error": "\(error)"]) { $1 })
            return nil
        }
    }

    /// One call to an API that needs a signed-in session: a 2xx answer, or the reason the
    /// platform gave (401: the sign-in was refused; 403: the account may not do this; a rate
    /// limit after every retry), as a `SourceRefused` that says what to do.
    func send(_ request: FetchRequest, what: String) async throws -> Capture {
        let fetched: FetchResult
        do {
            fetched = try await engine.fetch(request)
        } catch let error as FetchFailure {
            throw TargetError("\(what): \(error.description)")
        }
        result.attempts = fetched.attempts
        let status = fetched.capture.status
        switch status {
        case 200..<300:
            return counted(fetched)
        case 401:
            throw refused(
                .loginRefused, url: request.url,
                "\(what): the service refused the sign-in (401); check the handle and app password in "
                    + "\(target.credentialsVariable ?? "auth_env")"
            )
        case 403:
            throw refused(
                .forbidden, url: request.url,
                "\(what): the service answered 403 Forbidden: this account or app password may not do this (search needs a signed-in "
                    + "account the service allows to search); the target stops"
            )
        case 429:
            throw refused(
                .rateLimited, url: request.url,
                "\(what): the service kept answering 429 Too Many Requests after \(fetched.attempts) attempts")
        default:
            let note = fetched.attempts > 1 ? " (after \(fetched.attempts) attempts)" : ""
            throw TargetError("\(what): HTTP status \(status)\(note)")
        }
    }

    /// A platform would not show the target to us: never read as an empty account.
    func refused(_ reason: SourceRefused.Reason, url: String, _ message: String) -> SourceRefused {
        SourceRefused(reason: reason, url: url, message: message)
    }

    /// Waits until the rate-limit window resets when an answer says none are left
    /// (`RateLimit-Remaining: 0`, `RateLimit-Reset`: epoch seconds), at most `retry_after_cap`.
    func waitForRateLimit(_ capture: Capture) async throws {
        guard capture.header("RateLimit-Remaining")?.trimmingCharacters(in: .whitespaces) == "0" else { return }
        let reset = capture.header("RateLimit-Reset").flatMap { Double($0.trimmingCharacters(in: .whitespaces)) }
        let wait = min(max(0, (reset ?? 0) - Date().timeIntervalSince1970), options.retryAfterCap)
        guard wait > 0 else { return }
        logger.notice("rate limit reached; waiting", metadata: ["seconds": "\(Int(wait.rounded(.up)))"])
        try await Task.sleep(for: .seconds(wait))
    }
}

/// A platform that will not show a target to an anonymous or signed-in reader, and why. The
/// target fails with this reason (in the summary's `refused`), and is never read as empty.
public struct SourceRefused: Error, CustomStringConvertible {
    public enum Reason: String, Sendable, Codable {
        /// A login wall: the platform shows the content only to a signed-in account.
        case loginWall = "login-wall"
        /// The sign-in itself was refused (a wrong app password).
        case loginRefused = "login-refused"
        /// A challenge (a captcha, a JavaScript check) instead of the content.
        case challenge
        /// The platform's rate limit held through every retry.
        case rateLimited = "rate-limited"
        /// The account may not see or do this (403).
        case forbidden
        /// The post or account is shown only to its followers or members.
        case privateContent = "private"
    }

    public var reason: Reason
    public var url: String
    public var message: String

    public var description: String { message }
}
