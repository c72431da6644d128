public import Foundation
import NetralEvidence
public import NetralFetch
import NetralModel
public import NetralStore

/// What a push did, case file by case file.
public struct PushOutcome: Sendable, Equatable {
    public struct Rejection: Sendable, Equatable {
        public var caseID: String
        public var status: Int
        /// The receiver's message (its answer's body, cut to 500 characters).
        public var message: String
    }

    /// Sent and answered with a 2xx: marked sent.
    public var sent: [String] = []
    /// TheHive already holds an alert with this sourceRef (a push killed after TheHive
    /// created it): marked sent, not sent again.
    public var alreadyThere: [String] = []
    /// Refused with a 4xx other than 408/429 (and 409): not marked sent; the next push tries again.
    public var rejected: [Rejection] = []
    /// Case files whose own files could not be read; not sent.
    public var problems: [CaseRecordProblem] = []
    /// Set when the receiver stayed unavailable (5xx, 429, timeouts, resets) through every
    /// attempt: the push stopped there, and what is left waits for the next push.
    public var stoppedBecause: String?
    /// Case files that were due but not tried because the push stopped.
    public var notTried: Int = 0

    public var isComplete: Bool { rejected.isEmpty && problems.isEmpty && stoppedBecause == nil }
}

/// Why a push could not start.
public enum PushError: Error, Sendable, Equatable, CustomStringConvertible {
    case missingToken(destination: String, variable: String)

    public var description: String {
        switch self {
        case let .missingToken(destination, variable):
            "destination '\(destination)' takes its token from the environment variable \(variable), which is not set"
        }
    }
}

/// Sends case files to a destination one POST at a time, each marked sent (in its own
/// transaction) only after a 2xx. A push killed at any moment loses nothing; the case file in
/// flight is sent again on the next push with the same `Idempotency-Key` (TheHive: the same
/// sourceRef), so the receiver keeps it once.
public struct CasePusher: Sendable {
    public let store: StateStore
    public let evidenceRoot: String
    public let destination: Destination
    public let userAgent: String
    private let token: String?

    /// Reads the destination's token from `environment` (the process's by default).
    public init(store: StateStore, evidenceRoot: String, destination: Destination, userAgent: String = FetchOptions.defaultUserAgent,
                environment: [String: String] = ProcessInfo.processInfo.environment) throws(PushError) {
        self.store = store
        self.evidenceRoot = evidenceRoot
        self.destination = destination
        self.userAgent = userAgent
        if let variable = destination.tokenVariable {
            guard let value = environment[variable], !value.isEmpty else { throw .missingToken(destination: destination.name, variable: variable) }
            token = value
        } else {
            token = nil
        }
    }

    /// Pushes every case file of the destination's statuses (narrowed by `filter`'s other
    /// fields) that it has not received, oldest first. `report` is told each case file's fate.
    public func run(filter: CaseFileFilter = CaseFileFilter(), report: (String) -> Void = { _ in },
                    sleep: (Double) -> Void = { Thread.sleep(forTimeInterval: $0) }) throws -> PushOutcome {
        var filter = filter
        filter.statuses = destination.statuses
        // A decision on an earlier version of an edited post still stands.
        filter.includeSuperseded = true
        let due = try store.undeliveredCaseFiles(destination: destination.name, matching: filter)
        let exporter = CaseExporter(store: store, evidenceRoot: evidenceRoot)
        var outcome = PushOutcome()
        for (index, caseFile) in due.enumerated() {
            let body: Data
            do {
                let record = try exporter.record(of: caseFile)
                body = try Self.body(for: record, kind: destination.kind)
            } catch let problem as CaseRecordProblem {
                outcome.problems.append(problem)
                report("SKIPPED \(caseFile.id): \(problem.message)")
                continue
            }
            switch send(body, caseID: caseFile.id, sleep: sleep) {
            case .delivered:
                try store.recordDeliveries(destination: destination.name, format: destination.kind.rawValue, caseFiles: [caseFile])
                outcome.sent.append(caseFile.id)
                report("sent \(caseFile.id)")
            case .alreadyThere:
                try store.recordDeliveries(destination: destination.name, format: destination.kind.rawValue, caseFiles: [caseFile])
                outcome.alreadyThere.append(caseFile.id)
                report("already there \(caseFile.id)")
            case .rejected(let status, let message):
                outcome.rejected.append(.init(caseID: caseFile.id, status: status, message: message))
                report("REJECTED \(caseFile.id): HTTP \(status): \(message)")
            case .unavailable(let reason):
                outcome.stoppedBecause = reason
                outcome.notTried = due.count - index
                report("STOPPED at \(caseFile.id): \(reason)")
                return outcome
            }
        }
        return outcome
    }

    /// The POST body: the record itself for a webhook, an alert for TheHive.
    static func body(for record: CaseRecord, kind: Destination.Kind) throws -> Data {
        switch kind {
        case .webhook: try NetralJSON.encoder(pretty: false).encode(record)
        case .thehive: try ExportEncoding.plainEncoder().encode(TheHiveAlert(record))
        }
    }

    enum Delivery: Equatable {
        case delivered
        case alreadyThere
        case rejected(status: Int, message: String)
        case unavailable(String)
    }

    /// One case file: POSTs until a 2xx, a final refusal, or the attempts are spent.
    func send(_ body: Data, caseID: String, sleep: (Double) -> Void) -> Delivery {
        var headers = [HTTPHeader(name: "Content-Type", value: "application/json"), HTTPHeader(name: "Idempotency-Key", value: caseID)]
        if let token { headers.append(HTTPHeader(name: "Authorization", value: "Bearer \(token)")) }
        if let organisation = destination.organisation { headers.append(HTTPHeader(name: "X-Organisation", value: organisation)) }
        let request = PostRequest(url: destination.endpoint, body: body, headers: headers, allowPrivate: destination.allowPrivate,
                                  connectTimeout: destination.connectTimeout, totalTimeout: destination.timeout, userAgent: userAgent)
        var lastProblem = ""
        for attempt in 1...max(1, destination.attempts) {
            var retryAfter: String?
            do {
                let response = try HTTPPost.send(request)
                let message = Self.message(response.body)
                switch response.status {
                case 200..<300:
                    return .delivered
                case 400 where destination.kind == .thehive && message.lowercased().contains("already exist"):
                    // TheHive answers a repeated (type, source, sourceRef) with 400 "already exists".
                    return .alreadyThere
                case let status where RetryDelay.isRetryable(status: status) || status == 409:
                    // 409: the receiver is still working on the same Idempotency-Key.
                    lastProblem = "HTTP \(status)" + (message.isEmpty ? "" : ": \(message)")
                    retryAfter = response.header("Retry-After")
                case let status:
                    return .rejected(status: status, message: message.isEmpty ? "(no message)" : message)
                }
            } catch {
                // Timeouts, resets, refused connections are worth another try; a refused
                // address or a bad URL will not change.
                guard error.isTransient else { return .unavailable(error.description) }
                lastProblem = error.description
            }
            if attempt < destination.attempts {
                sleep(RetryDelay.seconds(afterAttempt: attempt, base: destination.retryBaseDelay, retryAfter: retryAfter, cap: destination.retryAfterCap))
            }
        }
        return .unavailable("\(destination.endpoint) still failing after \(destination.attempts) attempt(s): \(lastProblem)")
    }

    /// The receiver's message as one line of at most 500 characters.
    static func message(_ body: Data) -> String {
        let text = String(decoding: body, as: UTF8.self).split(whereSeparator: \.isNewline).joined(separator: " ")
        return text.count > 500 ? String(text.prefix(500)) + "…" : text
    }
}
