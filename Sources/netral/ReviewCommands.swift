public import ArgumentParser
import Foundation
import Logging
import NetralCases
import NetralEvidence
import NetralModel
import NetralScan
import NetralStore
import NetralYAML

/// The configuration and its state, opened for a command that reads (`.readOnly`: nothing in
/// the file changes) or writes (`.existing`) review state. Exit 2 when the configuration is
/// invalid or names a state that does not exist yet or is not a Netral state.
func openState(config path: String, command: String, access: StateAccess) throws -> (ScanConfig, StateStore) {
    let config: ScanConfig
    do {
        config = try ScanConfig.load(path: path)
    } catch {
        throw CommandFailure.invalidInput(error.description)
    }
    let location: StateLocation
    do {
        location = try config.stateLocation()
    } catch {
        throw CommandFailure.invalidInput("netral \(command): \(path): \(error)")
    }
    do {
        return (config, try StateStore(location: location, access: access))
    } catch let error as StateFileError {
        throw CommandFailure.invalidInput("netral \(command): \(error)")
    } catch {
        throw CommandFailure.runtime("netral \(command): \(config.statePath): \(error)")
    }
}

/// `2024-01-20` (midnight WIB, the zone most reviewers count in) or a full ISO 8601 time.
func parseCommandLineDate(_ text: String, option: String) throws -> Date {
    if let full = try? Date.ISO8601FormatStyle().parse(text) { return full }
    if let day = IndonesianZone.wib.startOfDay(text) { return day }
    throw ValidationError("\(option) takes a date (2024-01-20, midnight WIB) or an ISO 8601 time (2024-01-20T08:00:00Z), found '\(text)'")
}

extension ReviewStatus: ExpressibleByArgument {}
extension Severity: ExpressibleByArgument {}

extension Netral {
    struct Review: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Record a review decision about a case file in the review log.",
            discussion: """
                ID is a case id or a unique prefix of one (at least 4 characters). The decision is appended to the state's \
                hash-chained review log with the reviewer, the time, the note and the manifest hash it was made on; the case \
                file's status follows from it, and evidence/index.html is rewritten to show it. Exit codes: 0 recorded; \
                1 the case file already has that status (nothing recorded); 2 invalid configuration or no state; 3 run-time \
                failure; 64 unknown or ambiguous id, empty note or reviewer.
                """
        )

        enum Decision: String, EnumerableFlag {
            case confirm, dismiss, reopen

            static func help(for value: Decision) -> ArgumentHelp? {
                switch value {
                case .confirm: "Confirm: the post is a case to report."
                case .dismiss: "Dismiss: not a case (say why in the note)."
                case .reopen: "Reopen: back to new, for another look."
                }
            }
        }

        @Argument(help: "Case id or a unique prefix of one.")
        var id: String

        @Flag(help: "The decision.")
        var decision: Decision

        @Option(help: "Why (required; kept in the log).")
        var note: String

        @Option(help: "Who decides (default: the USER environment variable).")
        var by: String?

        @OptionGroup var location: StateOptions

        @OptionGroup var global: GlobalOptions

        func run() async throws {
            let logger = global.makeLogger()
            let (store, evidencePath, seal) = try location.open(command: "review", access: .existing)
            store.sealReviews(with: seal)
            let reviewer = by ?? ProcessInfo.processInfo.environment["USER"] ?? ""
            let entry: ReviewEntry
            do {
                // An unknown id is said before anything about the reviewer or the note.
                _ = try store.resolveCaseFile(id)
                entry = try store.recordReview(
                    caseID: id, decision: ReviewDecision(rawValue: decision.rawValue)!, note: note, reviewer: reviewer)
            } catch let error as ReviewError {
                if case .alreadyInStatus = error { throw CommandFailure(code: ExitStatus.findings, "netral review: \(error)") }
                throw CommandFailure.usage("netral review: \(error)")
            } catch {
                throw CommandFailure.runtime("netral review: \(error)")
            }
            printOut(
                "case file \(entry.caseID): \(entry.decision.resultingStatus.rawValue) by \(entry.reviewer) (review log entry "
                    + "\(entry.sequence))"
            )
            // The index shows each case file's status; rewriting it is one pass over the state.
            if FileManager.default.fileExists(atPath: evidencePath) {
                do {
                    try EvidenceIndex.write(
                        root: evidencePath, caseFiles: store.caseFiles(), superseded: store.supersededCaseFileIDs(), now: Date())
                } catch {
                    logger.warning("evidence index not rewritten: \(error)")
                }
            }
        }
    }

    struct Findings: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "List case files with their review status, newest first.",
            discussion:
                "JSON output is an array of objects, each with its `id`. Exit codes: 0 listed; 2 invalid configuration or no state; 3 "
                + "run-time failure."
        )

        @Option(help: "Only case files with this status: new, confirmed or dismissed (repeatable).")
        var status: [ReviewStatus] = []

        @Option(help: "Only this severity: low, medium or high (repeatable).")
        var severity: [Severity] = []

        @Option(help: "Only case files holding this act, e.g. A2 (repeatable).")
        var act: [String] = []

        @Option(help: "Only case files made at or after this date (2024-01-20, midnight WIB) or ISO 8601 time.")
        var since: String?

        @Option(help: "Only case files made before this date or time.")
        var until: String?

        @Flag(help: "Also list case files a newer one of the same post replaces.")
        var includeSuperseded = false

        @Option(help: "At most this many.")
        var limit = 1000

        @Option(help: "Output format: text or json.")
        var format: OutputFormat = .text

        @OptionGroup var location: StateOptions

        @OptionGroup var global: GlobalOptions

        struct Row: Encodable {
            var id: String
            var status: String
            var createdAt: Date
            var severity: String
            var acts: [String]
            var who: String
            var candidates: [String]
            var item: String
            var path: String
            var report: String
            var manifestSHA256: String
            var supersedes: String?
            var review: CaseRecord.Review?
        }

        func run() async throws {
            _ = global.makeLogger()
            var filter = CaseFileFilter(
                statuses: Set(status), severities: Set(severity), acts: Set(act), includeSuperseded: includeSuperseded)
            if let since { filter.since = try parseCommandLineDate(since, option: "--since") }
            if let until { filter.until = try parseCommandLineDate(until, option: "--until") }
            let (store, evidencePath, _) = try location.open(command: "findings", access: .readOnly)
            let rows: [Row]
            let total: Int
            do {
                let page = try store.caseFiles(matching: filter, limit: max(0, limit))
                total = page.total
                let reviews = try store.latestReviews(caseIDs: page.caseFiles.map(\.id))
                rows = page.caseFiles.map { caseFile in
                    Row(
                        id: caseFile.id, status: caseFile.reviewStatus.rawValue, createdAt: caseFile.createdAt,
                        severity: caseFile.severity.rawValue,
                        acts: caseFile.acts.split(separator: ",").map(String.init), who: caseFile.author,
                        candidates: caseFile.candidates.split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces) }.filter {
                            !$0.isEmpty
                        },
                        item: caseFile.itemID, path: caseFile.path,
                        report: (evidencePath as NSString).appendingPathComponent(caseFile.path + "/report.html"),
                        manifestSHA256: caseFile.manifestSHA256, supersedes: caseFile.supersedes,
                        review: reviews[caseFile.id].map(CaseRecord.Review.init))
                }
            } catch {
                throw CommandFailure.runtime("netral findings: \(error)")
            }
            switch format {
            case .json:
                try printJSON(rows)
            case .text:
                for row in rows {
                    let day = row.createdAt.formatted(
                        Date.ISO8601FormatStyle(timeZone: IndonesianZone.wib.timeZone).year().month().day().dateSeparator(.dash))
                    var line =
                        "\(row.id)  \(row.status.padding(toLength: 9, withPad: " ", startingAt: 0))  \(day)  "
                        + "\(row.severity.padding(toLength: 6, withPad: " ", startingAt: 0))  \(row.acts.joined(separator: ","))  "
                        + "\(row.who)"
                    if !row.candidates.isEmpty { line += "  [\(row.candidates.joined(separator: "; "))]" }
                    printOut(line)
                    printOut("    \(row.item)")
                    printOut("    \(row.report)")
                    if let review = row.review {
                        printOut("    \(review.decision) by \(review.reviewer) \(review.decidedAt): \(review.note)")
                    }
                }
                printOut("\(rows.count) of \(total) case file(s)")
            }
        }
    }
}
