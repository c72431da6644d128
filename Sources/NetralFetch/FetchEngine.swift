internal import CCurl
import Foundation
public import NetralModel

/// A capture and how many tries it took.
public struct FetchResult: Sendable {
    /// One wait before another try, and what made it necessary.
    public struct Retry: Sendable, Equatable {
        /// `HTTP 429`, or the transfer error.
        public var reason: String
        /// Seconds waited (the server's Retry-After, capped, or the backoff).
        public var wait: Double
    }

    public var capture: Capture
    public var attempts: Int
    /// The retries before this answer, in order.
    public var retries: [Retry] = []
}

/// Many transfers at once through one libcurl multi handle, run on one dedicated thread (never
/// Swift's cooperative pool, which must not block). Connections, DNS answers and TLS sessions
/// are reused through a share handle; HTTP/2 is used when a server offers it. Politeness is
/// enforced here, where transfers start: at most `maxConcurrency` at once, at most
/// `perHostConcurrency` per host, and `perHostDelay` (plus jitter) between the starts of two
/// requests to one host. A transfer whose task is cancelled is removed from the multi handle.
///
/// - SeeAlso: https://curl.se/libcurl/c/libcurl-multi.html
public final class FetchEngine: Sendable {
    public let options: FetchOptions
    private let mailbox = Mailbox()

    public init(options: FetchOptions = FetchOptions()) {
        self.options = options
        let loop = EngineLoop(options: options, mailbox: mailbox)
        let thread = Thread { loop.run() }
        thread.name = "netral-fetch"
        thread.stackSize = 4 << 20
        thread.start()
    }

    deinit {
        mailbox.stop()
    }

    /// The key politeness limits are counted by: scheme, host and port, lowercased.
    public static func hostKey(for url: String) -> String {
        guard let components = URLComponents(string: url), let host = components.host?.lowercased() else { return url }
        let scheme = components.scheme?.lowercased() ?? "http"
        let port = components.port ?? (scheme == "https" ? 443 : 80)
        return "\(scheme)://\(host):\(port)"
    }

    /// Raises the minimum delay between requests to one host (robots.txt Crawl-delay).
    public func setMinimumDelay(_ seconds: Double, forHostOf url: String) {
        mailbox.setDelay(seconds, host: Self.hostKey(for: url))
    }

    /// One attempt: sends the request, following at most `options.maxRedirects` redirects over
    /// http and https unless it refuses them. Returns a capture for any HTTP status; throws
    /// `FetchError` when no response could be had, and `CancellationError` when the calling task
    /// is cancelled.
    public func perform(_ request: FetchRequest) async throws -> Capture {
        try Self.validate(request.url)
        let id = mailbox.nextID()
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { continuation in
                mailbox.submit(Submission(id: id, request: request, host: Self.hostKey(for: request.url), continuation: continuation))
            }
        } onCancel: {
            mailbox.cancel(id)
        }
    }

    /// Sends with retries (the request's policy, else the engine's): timeouts, broken
    /// connections, 408, 429 and 5xx are tried again, after the server's Retry-After (capped)
    /// or an exponential backoff with jitter. A retryable status left after the last try is
    /// returned as a capture; a transfer error is thrown as `FetchFailure`.
    public func fetch(_ request: FetchRequest) async throws -> FetchResult {
        let policy = request.retry ?? options.retryPolicy
        var retries: [FetchResult.Retry] = []
        var attempt = 0
        while true {
            attempt += 1
            let capture: Capture
            do {
                capture = try await perform(request)
            } catch let error as FetchError {
                guard error.isTransient, attempt < policy.attempts else { throw FetchFailure(error: error, attempts: attempt) }
                let wait = RetryDelay.seconds(afterAttempt: attempt, base: policy.baseDelay, retryAfter: nil, cap: policy.retryAfterCap)
                retries.append(FetchResult.Retry(reason: error.description, wait: wait))
                try await Task.sleep(for: .seconds(wait))
                continue
            }
            guard policy.retries(status: capture.status), attempt < policy.attempts else {
                return FetchResult(capture: capture, attempts: attempt, retries: retries)
            }
            let wait = RetryDelay.seconds(
                afterAttempt: attempt, base: policy.baseDelay, retryAfter: capture.header("Retry-After"), cap: policy.retryAfterCap)
            retries.append(FetchResult.Retry(reason: "HTTP \(capture.status)", wait: wait))
            try await Task.sleep(for: .seconds(wait))
        }
    }

    /// `fetch` for a caller that cannot await (a synchronous writer on a thread of its own):
    /// blocks the calling thread until the answer. Never call it on Swift's cooperative pool.
    public func fetchWaiting(_ request: FetchRequest) throws -> FetchResult {
        let answer = WaitingAnswer()
        Task {
            do { answer.set(.success(try await self.fetch(request))) } catch { answer.set(.failure(error)) }
        }
        return try answer.wait().get()
    }

    /// Rejects anything but an absolute http(s) URL before libcurl sees it.
    static func validate(_ url: String) throws {
        guard let parsed = URL(string: url), let scheme = parsed.scheme?.lowercased(), parsed.host != nil else {
            throw FetchError.invalidURL(url)
        }
        guard scheme == "http" || scheme == "https" else {
            throw FetchError.unsupportedScheme(url: url, scheme: scheme)
        }
    }
}

/// The answer a blocked caller of `fetchWaiting` waits for.
private final class WaitingAnswer: @unchecked Sendable {
    private let done = DispatchSemaphore(value: 0)
    private let lock = NSLock()
    private var result: Result<FetchResult, any Error>?

    func set(_ result: Result<FetchResult, any Error>) {
        lock.withLock { self.result = result }
        done.signal()
    }

    func wait() -> Result<FetchResult, any Error> {
        done.wait()
        return lock.withLock { result! }
    }
}

/// A request waiting for, or in, a transfer.
struct Submission: Sendable {
    var id: UInt64
    var request: FetchRequest
    var host: String
    var continuation: CheckedContinuation<Capture, any Error>
}

/// What other threads hand to the engine thread: new requests, cancellations, host delays and
/// the stop signal, under one lock. `curl_multi_wakeup` interrupts the thread's poll.
final class Mailbox: @unchecked Sendable {
    private let lock = NSLock()
    private var counter: UInt64 = 0
    private var submissions: [Submission] = []
    private var cancels: [UInt64] = []
    private var delays: [(String, Double)] = []
    private var stopped = false
    /// Submitted and not yet answered, so a cancellation knows whether it came too early.
    private var live: Set<UInt64> = []
    /// Cancelled before their submission arrived.
    private var cancelledEarly: Set<UInt64> = []
    /// The multi handle to wake, while the engine thread owns one.
    private var multi: UnsafeMutableRawPointer?

    struct Batch {
        var submissions: [Submission]
        var cancels: [UInt64]
        var delays: [(String, Double)]
        var stop: Bool
    }

    func nextID() -> UInt64 {
        lock.withLock {
            counter += 1
            return counter
        }
    }

    func submit(_ submission: Submission) {
        let refused: Bool = lock.withLock {
            if stopped || cancelledEarly.remove(submission.id) != nil { return true }
            live.insert(submission.id)
            submissions.append(submission)
            wakeLocked()
            return false
        }
        if refused { submission.continuation.resume(throwing: CancellationError()) }
    }

    func cancel(_ id: UInt64) {
        lock.withLock {
            if live.contains(id) {
                cancels.append(id)
                wakeLocked()
            } else {
                cancelledEarly.insert(id)
            }
        }
    }

    func setDelay(_ seconds: Double, host: String) {
        lock.withLock {
            delays.append((host, seconds))
            wakeLocked()
        }
    }

    func stop() {
        lock.withLock {
            stopped = true
            wakeLocked()
        }
    }

    /// The engine thread answered this request.
    func completed(_ id: UInt64) {
        _ = lock.withLock { live.remove(id) }
    }

    func drain() -> Batch {
        lock.withLock {
            defer {
                submissions.removeAll(keepingCapacity: true)
                cancels.removeAll()
                delays.removeAll()
            }
            return Batch(submissions: submissions, cancels: cancels, delays: delays, stop: stopped)
        }
    }

    func attach(_ multi: UnsafeMutableRawPointer?) {
        lock.withLock { self.multi = multi }
    }

    private func wakeLocked() {
        if let multi { curl_multi_wakeup(multi) }
    }
}

/// The engine thread's state. Touched by that thread only; everything else talks to it through
/// the mailbox.
final class EngineLoop: @unchecked Sendable {
    private let options: FetchOptions
    private let mailbox: Mailbox

    private final class HostQueue {
        var waiting: [Submission?] = []
        var head = 0
        var active = 0
        var nextStart: Double = 0
        var delay: Double

        init(delay: Double) { self.delay = delay }

        var hasWaiting: Bool { head < waiting.count }
    }

    private struct Active {
        var id: UInt64
        var transfer: Transfer
        var host: String
        var continuation: CheckedContinuation<Capture, any Error>
    }

    private var hosts: [String: HostQueue] = [:]
    private var waitingHosts: [String] = []
    private var waitingHostSet: Set<String> = []
    private var active: [UnsafeMutableRawPointer: Active] = [:]
    private var activeByID: [UInt64: UnsafeMutableRawPointer] = [:]
    private var hostOfWaiting: [UInt64: String] = [:]

    init(options: FetchOptions, mailbox: Mailbox) {
        self.options = options
        self.mailbox = mailbox
    }

    private static func now() -> Double {
        Double(DispatchTime.now().uptimeNanoseconds) / 1_000_000_000
    }

    func run() {
        _ = curlGlobalInit
        guard let multi = curl_multi_init() else {
            failAll(FetchError.setup(option: "curl_multi_init", message: "could not create a multi handle"))
            return
        }
        let share = curl_share_init()
        if let share {
            // One thread uses the share handle, so it needs no lock callbacks.
            for data in [CURL_LOCK_DATA_DNS, CURL_LOCK_DATA_SSL_SESSION, CURL_LOCK_DATA_CONNECT] {
                _ = ccurl_share_setopt_long(share, CURLSHOPT_SHARE, Int(data.rawValue))
            }
        }
        _ = ccurl_multi_setopt_long(multi, CURLMOPT_PIPELINING, Int(CURLPIPE_MULTIPLEX))
        _ = ccurl_multi_setopt_long(multi, CURLMOPT_MAXCONNECTS, max(16, options.maxConcurrency * 2))
        mailbox.attach(multi)

        var stopping = false
        while !stopping {
            let batch = mailbox.drain()
            for submission in batch.submissions { enqueue(submission) }
            for id in batch.cancels { cancel(id, multi: multi) }
            for (host, seconds) in batch.delays { queue(for: host).delay = max(options.perHostDelay, seconds) }
            if batch.stop {
                stopping = true
                break
            }
            startReady(multi: multi, share: share)
            var running: Int32 = 0
            _ = curl_multi_perform(multi, &running)
            collectDone(multi: multi)
            startReady(multi: multi, share: share)
            var ready: Int32 = 0
            _ = curl_multi_poll(multi, nil, 0, Int32(pollTimeoutMilliseconds()), &ready)
        }

        mailbox.attach(nil)
        for (handle, entry) in active {
            curl_multi_remove_handle(multi, handle)
            mailbox.completed(entry.id)
            entry.continuation.resume(throwing: CancellationError())
        }
        active.removeAll()
        activeByID.removeAll()
        failAll(CancellationError())
        curl_multi_cleanup(multi)
        if let share { curl_share_cleanup(share) }
    }

    private func queue(for host: String) -> HostQueue {
        if let existing = hosts[host] { return existing }
        let created = HostQueue(delay: options.perHostDelay)
        hosts[host] = created
        return created
    }

    private func enqueue(_ submission: Submission) {
        let hostQueue = queue(for: submission.host)
        hostQueue.waiting.append(submission)
        hostOfWaiting[submission.id] = submission.host
        if waitingHostSet.insert(submission.host).inserted { waitingHosts.append(submission.host) }
    }

    /// Starts every waiting request whose host and the global limit allow it now.
    private func startReady(multi: UnsafeMutableRawPointer, share: UnsafeMutableRawPointer?) {
        guard !waitingHosts.isEmpty, active.count < options.maxConcurrency else { return }
        let now = Self.now()
        var stillWaiting: [String] = []
        for host in waitingHosts {
            let hostQueue = queue(for: host)
            while active.count < options.maxConcurrency, hostQueue.active < options.perHostConcurrency, hostQueue.hasWaiting,
                now >= hostQueue.nextStart || hostQueue.waiting[hostQueue.head]?.request.paced == false
            {
                let next = hostQueue.waiting[hostQueue.head]
                hostQueue.waiting[hostQueue.head] = nil
                hostQueue.head += 1
                guard let submission = next else { continue }
                start(submission, hostQueue: hostQueue, multi: multi, share: share)
                if hostQueue.delay > 0, submission.request.paced {
                    hostQueue.nextStart = now + hostQueue.delay * Double.random(in: 1.0..<1.2)
                }
            }
            // Skip cancelled slots, then compact so the queue does not grow without bound.
            while hostQueue.hasWaiting, hostQueue.waiting[hostQueue.head] == nil { hostQueue.head += 1 }
            if hostQueue.hasWaiting {
                if hostQueue.head > 64, hostQueue.head * 2 > hostQueue.waiting.count {
                    hostQueue.waiting.removeFirst(hostQueue.head)
                    hostQueue.head = 0
                }
                stillWaiting.append(host)
            } else {
                hostQueue.waiting.removeAll(keepingCapacity: false)
                hostQueue.head = 0
                waitingHostSet.remove(host)
            }
        }
        waitingHosts = stillWaiting
    }

    private func start(_ submission: Submission, hostQueue: HostQueue, multi: UnsafeMutableRawPointer, share: UnsafeMutableRawPointer?) {
        hostOfWaiting[submission.id] = nil
        do {
            let transfer = try Transfer(request: submission.request, options: options, share: share)
            let code = curl_multi_add_handle(multi, transfer.handle)
            guard code == CURLM_OK else {
                throw FetchError.setup(option: "curl_multi_add_handle", message: String(cString: curl_multi_strerror(code)))
            }
            active[transfer.handle] = Active(
                id: submission.id, transfer: transfer, host: submission.host, continuation: submission.continuation)
            activeByID[submission.id] = transfer.handle
            hostQueue.active += 1
        } catch {
            mailbox.completed(submission.id)
            submission.continuation.resume(throwing: error)
        }
    }

    private func collectDone(multi: UnsafeMutableRawPointer) {
        var left: Int32 = 0
        while let message = curl_multi_info_read(multi, &left) {
            guard ccurl_msg_is_done(message) != 0, let handle = message.pointee.easy_handle else { continue }
            let code = ccurl_msg_result(message)
            guard let entry = remove(handle, multi: multi) else { continue }
            let result = entry.transfer.finish(code)
            entry.continuation.resume(with: result.mapError { $0 as any Error })
        }
    }

    private func remove(_ handle: UnsafeMutableRawPointer, multi: UnsafeMutableRawPointer) -> Active? {
        guard let entry = active.removeValue(forKey: handle) else { return nil }
        curl_multi_remove_handle(multi, handle)
        activeByID[entry.id] = nil
        queue(for: entry.host).active -= 1
        mailbox.completed(entry.id)
        return entry
    }

    private func cancel(_ id: UInt64, multi: UnsafeMutableRawPointer) {
        if let handle = activeByID[id], let entry = remove(handle, multi: multi) {
            entry.continuation.resume(throwing: CancellationError())
            return
        }
        guard let host = hostOfWaiting.removeValue(forKey: id), let hostQueue = hosts[host] else { return }
        for index in hostQueue.head..<hostQueue.waiting.count where hostQueue.waiting[index]?.id == id {
            let submission = hostQueue.waiting[index]
            hostQueue.waiting[index] = nil
            mailbox.completed(id)
            submission?.continuation.resume(throwing: CancellationError())
            return
        }
    }

    /// Waits until a socket is ready, a request arrives (wakeup), or the next host's delay ends.
    private func pollTimeoutMilliseconds() -> Int {
        // With every slot taken, only a finishing transfer (socket activity) frees one.
        guard active.count < options.maxConcurrency else { return 1000 }
        let now = Self.now()
        var earliest = 1.0
        for host in waitingHosts {
            guard let hostQueue = hosts[host], hostQueue.active < options.perHostConcurrency, hostQueue.hasWaiting else { continue }
            earliest = min(earliest, max(0, hostQueue.nextStart - now))
        }
        return max(1, Int((earliest * 1000).rounded(.up)))
    }

    private func failAll(_ error: any Error) {
        for submission in mailbox.drain().submissions {
            mailbox.completed(submission.id)
            submission.continuation.resume(throwing: error)
        }
        for hostQueue in hosts.values {
            for case let submission? in hostQueue.waiting[hostQueue.head...] {
                mailbox.completed(submission.id)
                submission.continuation.resume(throwing: error)
            }
            hostQueue.waiting.removeAll()
            hostQueue.head = 0
        }
    }
}
