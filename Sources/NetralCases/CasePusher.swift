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
/// sourceRef), so the receiver keeps it once. Every POST goes through the fetch engine: its
/// address policy, User-Agent and retries, with redirects refused (the token must not travel).
public struct CasePusher: Sendable {
    public let store: StateStore
    public let evidenceRoot: String
    public let destination: Destination
    public let engine: FetchEngine
    private let token: String?

    /// The longest receiver answer kept (for its message); the rest is read and dropped.
    public static let maxAnswerBytes = 64 * 1024

    /// Reads the destination's token from `environment` (the process's by default).
    public init(
        store: StateStore, evidenceRoot: String, destination: Destination, engine: FetchEngine,
        environment: [String: String] = ProcessInfo.processInfo.environment
    ) throws(PushError) {
        self.store = store
        self.evidenceRoot = evidenceRoot
        self.destination = destination
        self.engine = engine
        if let variable = destination.tokenVariable {
            guard let value = environment[variable], !value.isEmpty else {
                throw .missingToken(destination: destination.name, variable: variable)
            }
            token = value
        } else {
            token = nil
        }
    }

    /// Pushes every case file of the destination's statuses (narrowed by `filter`'s other
    /// fields) that it has not received, oldest first. `report` is told each case file's fate
    /// and every retry.
    public func run(filter: CaseFileFilter = CaseFileFilter(), report: (String) -> Void = { _ in }) async throws -> PushOutcome {
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
            switch try await send(body, caseID: caseFile.id, report: report) {
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

    /// The POST of one case file, as the engine sends it.
    func request(_ body: Data, caseID: String) -> FetchRequest {
        var headers = [
            HTTPHeader(name: "Content-Type", value: "application/json"), HTTPHeader(name: "Accept", value: "application/json"),
            HTTPHeader(name: "Idempotency-Key", value: caseID),
        ]
        if let organisation = destination.organisation { headers.append(HTTPHeader(name: "X-Organisation", value: organisation)) }
        // 409: the receiver is still working on the same Idempotency-Key.
        return FetchRequest(
            url: destination.endpoint, method: "POST", body: body, headers: headers, allowPrivate: destination.allowPrivate,
            bearerToken: token, redirects: .refuse,
            retry: RetryPolicy(
                attempts: max(1, destination.attempts), baseDelay: destination.retryBaseDelay,
                retryAfterCap: destination.retryAfterCap, alsoRetry: [409]),
            connectTimeout: destination.connectTimeout, totalTimeout: destination.timeout,
            bodyLimit: .keepFirst(Self.maxAnswerBytes), paced: false)
    }

    /// One case file: POSTs until a 2xx, a final refusal, or the attempts are spent.
    func send(_ body: Data, caseID: String, report: (String) -> Void) async throws -> Delivery {
        let fetched: FetchResult
        do {
            fetched = try await engine.fetch(request(body, caseID: caseID))
        } catch let failure as FetchFailure {
            // Timeouts, resets and refused connections were tried again; a refused address or a
            // bad URL will not change.
            guard failure.error.isTransient else { return .unavailable(failure.error.description) }
            return .unavailable("\(destination.endpoint) still failing after \(failure.attempts) attempt(s): \(failure.error)")
        }
        for retry in fetched.retries {
            report("retry \(caseID) in \(Self.seconds(retry.wait)) s: \(retry.reason)")
        }
        let answer = fetched.capture
        let message = Self.message(answer.body)
        switch answer.status {
        case 200..<300:
            return .delivered
        case 400 where destination.kind == .thehive && message.lowercased().contains("already exist"):
            // TheHive answers a repeated (type, source, sourceRef) with 400 "already exists".
            return .alreadyThere
        case let status where RetryDelay.isRetryable(status: status) || status == 409:
            let problem = "HTTP \(status)" + (message.isEmpty ? "" : ": \(message)")
            return .unavailable("\(destination.endpoint) still failing after \(fetched.attempts) attempt(s): \(problem)")
        case let status:
            return .rejected(status: status, message: message.isEmpty ? "(no message)" : message)
        }
    }

    /// A wait as the report prints it: whole seconds when whole (`1`), else two decimals.
    static func seconds(_ wait: Double) -> String {
        wait == wait.rounded() ? String(Int(wait)) : String(format: "%.2f", wait)
    }

    /// The receiver's message as one line of at most 500 characters.
    static func message(_ body: Data) -> String {
        let text = String(decoding: body, as: UTF8.self).split(whereSeparator: \.isNewline).joined(separator: " ")
        return text.count > 500 ? String(text.prefix(500)) + "…" : text
    }
}
