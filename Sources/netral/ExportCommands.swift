public import ArgumentParser
import Foundation
import Logging
import NetralCases
import NetralEvidence
import NetralFetch
import NetralModel
import NetralScan
import NetralStore
import NetralYAML

extension ExportFormat: ExpressibleByArgument {}

/// The language of a CSV export's header row.
enum HeaderLanguage: String, ExpressibleByArgument {
    case en, id
}

extension Netral {
    struct Export: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Write the case files a destination has not received yet to one file, and advance its cursor.",
            discussion: """
                Each destination (any name: the tracker, an office) has a cursor in the state: a case file goes to it once. \
                The file is written beside its final name, flushed and renamed into place before the cursor advances, so a \
                killed export never leaves half a file and never loses a case file (at worst the next export repeats one; \
                trackers key on the case id). The fields are listed in README.md. Exit codes: 0 written (or nothing new); \
                2 invalid configuration or no state; 3 run-time failure (nothing counted as exported); 4 written, but some \
                case files could not be read (listed; they stay due).
                """
        )

        @Option(help: "Destination name: the cursor this export advances.")
        var to: String

        @Option(help: "File format: jsonl, csv, thehive or misp.")
        var format: ExportFormat

        @Option(help: "Statuses to export (repeatable; default: confirmed).")
        var status: [ReviewStatus] = [.confirmed]

        @Option(help: "Only this severity: low, medium or high (repeatable).")
        var severity: [Severity] = []

        @Option(help: "Only case files with a finding from this rule pack (repeatable).")
        var pack: [String] = []

        @Option(help: "Only case files holding this act, e.g. A2 (repeatable).")
        var act: [String] = []

        @Option(help: "Only case files made at or after this date (2024-01-20, midnight WIB) or ISO 8601 time.")
        var since: String?

        @Option(help: "At most this many case files, oldest first; the rest wait for the next export.")
        var limit: Int?

        @Option(help: "Output file, or - for standard output (default: the suggested name in this folder).")
        var output: String?

        @Flag(help: "CSV: start with a UTF-8 byte-order mark, so spreadsheet programs read the file as UTF-8.")
        var bom = false

        @Flag(help: "Also include case files this destination has received (to make a lost file again).")
        var again = false

        @Option(help: "CSV: the header row's language: en (id, name, position, ...) or id (id, nama_terlapor, jabatan, ...).")
        var headerLanguage: HeaderLanguage = .en

        @OptionGroup var location: StateOptions

        @OptionGroup var global: GlobalOptions

        func validate() throws {
            if let limit, limit < 1 { throw ValidationError("--limit must be at least 1") }
        }

        func run() async throws {
            _ = global.makeLogger()
            // A decision on an earlier version of an edited post still stands: superseded case files go too.
            var filter = CaseFileFilter(
                statuses: Set(status), severities: Set(severity), acts: Set(act), packs: Set(pack), includeSuperseded: true)
            if let since { filter.since = try parseCommandLineDate(since, option: "--since") }
            let (store, evidencePath, _) = try location.open(command: "export", access: .existing)
            let exporter = CaseExporter(store: store, evidenceRoot: evidencePath)
            let prepared: PreparedExport
            do {
                prepared = try exporter.prepare(
                    to: to, format: format, filter: filter,
                    options: ExportOptions(
                        byteOrderMark: bom, limit: limit, includeDelivered: again, indonesianHeaders: headerLanguage == .id))
            } catch let error as ExportError {
                throw CommandFailure.usage("netral export: \(error)")
            } catch {
                throw CommandFailure.runtime("netral export: \(error)")
            }
            let result = prepared.result
            for problem in result.problems { printError("netral export: skipped \(problem)") }
            guard !result.caseIDs.isEmpty else {
                printError("netral export: nothing new for '\(to)'")
                if !result.problems.isEmpty { throw ExitStatus.partialFailure }
                return
            }
            let destination = output ?? result.suggestedFileName
            if destination != "-" { Netral.removeLeftovers(of: destination, prefix: "netral-\(to)-") }
            do {
                if destination == "-" {
                    FileHandle.standardOutput.write(result.data)
                } else {
                    guard !FileManager.default.fileExists(atPath: destination) else {
                        throw CommandFailure.usage(
                            "netral export: \(destination) exists; give another --output (an earlier export may not be imported yet)")
                    }
                    try CaseFileFacts.replaceFile(result.data, at: destination)
                }
                try exporter.commit(prepared)
            } catch let failure as CommandFailure {
                throw failure
            } catch {
                throw CommandFailure.runtime("netral export: \(error)")
            }
            if destination != "-" {
                printOut("wrote \(destination): \(result.caseIDs.count) case file(s) for '\(to)' (\(format.rawValue))")
            }
            if !result.problems.isEmpty { throw ExitStatus.partialFailure }
        }
    }

    /// Removes what an export killed while writing left beside its file (`NAME.tmp-PID`, whose
    /// process is gone): the same output name, or this destination's suggested names.
    static func removeLeftovers(of path: String, prefix: String) {
        let folder = (path as NSString).deletingLastPathComponent
        let name = (path as NSString).lastPathComponent
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: folder.isEmpty ? "." : folder)) ?? []
        for entry in entries {
            guard let marker = entry.range(of: ".tmp-", options: .backwards), let pid = Int32(entry[marker.upperBound...]) else { continue }
            let base = String(entry[..<marker.lowerBound])
            guard base == name || base.hasPrefix(prefix) else { continue }
            // kill(pid, 0) fails with ESRCH only when no such process exists.
            guard kill(pid, 0) != 0 && errno == ESRCH else { continue }
            try? FileManager.default.removeItem(atPath: folder.isEmpty ? entry : (folder as NSString).appendingPathComponent(entry))
        }
    }

    struct Push: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Send the case files a configured destination has not received, one POST each, idempotently.",
            discussion: """
                Destinations are listed under `destinations:` in the configuration (a webhook or TheHive). Each case file is \
                POSTed with `Idempotency-Key` = its case id (TheHive: sourceRef = case id) and marked sent only after a 2xx. \
                Timeouts, resets, 408, 429 and 5xx are retried with backoff (Retry-After honoured); a 4xx other than 408, 409 \
                and 429 stops that case file with the receiver's message and the push goes on. The token comes from the \
                environment variable the destination names (token_env), never from the command line. Exit codes: 0 all sent; \
                2 invalid configuration, unknown destination or missing token; 3 run-time failure, or another push to the \
                same destination is running; 4 some case files were \
                refused or unreadable, or the receiver stayed unavailable (what is left waits for the next push).
                """
        )

        @Option(help: "Destination name from the configuration's destinations:.")
        var to: String

        @Option(help: "Output format: text or json.")
        var format: OutputFormat = .text

        @Option(help: "Configuration file.")
        var config = "netral.yaml"

        @OptionGroup var global: GlobalOptions

        struct Summary: Encodable {
            var destination: String
            var sent: [String]
            var alreadyThere: [String]
            var rejected: [Rejected]
            var skipped: [String]
            var stoppedBecause: String?
            var notTried: Int

            struct Rejected: Encodable {
                var id: String
                var status: Int
                var message: String
            }
        }

        func run() async throws {
            let logger = global.makeLogger()
            let (scanConfig, store) = try openState(config: config, command: "push", access: .existing)
            guard let destination = scanConfig.destinations.first(where: { $0.name == to }) else {
                let known = scanConfig.destinations.map(\.name)
                throw CommandFailure.invalidInput(
                    "netral push: no destination named '\(to)' in \(config)"
                        + (known.isEmpty ? " (it has no destinations:)" : "; known: \(known.joined(separator: ", "))"))
            }
            // One push per destination at a time: a lock file beside a SQLite state (released by the
            // kernel if this one is killed); on a shared PostgreSQL state, the database's session
            // lock (released by the server), since pushes may run on any machine.
            var lock: RunLock?
            do {
                if store.isShared {
                    guard try store.holdSessionLock("push --to " + destination.name) else {
                        throw CommandFailure.runtime(
                            "netral push: another netral push --to \(destination.name) runs on \(store.path); this run did nothing")
                    }
                } else {
                    lock = try RunLock(
                        path: scanConfig.statePath + ".push-\(destination.name).lock", holder: "netral push --to \(destination.name)")
                }
            } catch let failure as CommandFailure {
                throw failure
            } catch {
                throw CommandFailure.runtime("netral push: \(error)")
            }
            defer { withExtendedLifetime(lock) {} }
            let pusher: CasePusher
            do {
                pusher = try CasePusher(
                    store: store, evidenceRoot: scanConfig.evidencePath, destination: destination,
                    engine: FetchEngine(options: scanConfig.fetch))
            } catch {
                throw CommandFailure.invalidInput("netral push: \(error)")
            }
            let outcome: PushOutcome
            do {
                let text = format == .text
                outcome = try await pusher.run(report: { line in
                    if text { printOut(line) }
                    logger.info("\(line)")
                })
            } catch {
                throw CommandFailure.runtime("netral push: \(error)")
            }
            switch format {
            case .json:
                try printJSON(
                    Summary(
                        destination: to, sent: outcome.sent, alreadyThere: outcome.alreadyThere,
                        rejected: outcome.rejected.map { .init(id: $0.caseID, status: $0.status, message: $0.message) },
                        skipped: outcome.problems.map(\.description), stoppedBecause: outcome.stoppedBecause, notTried: outcome.notTried))
            case .text:
                var line = "\(to): \(outcome.sent.count) sent"
                if !outcome.alreadyThere.isEmpty { line += ", \(outcome.alreadyThere.count) already there" }
                if !outcome.rejected.isEmpty { line += ", \(outcome.rejected.count) refused" }
                if !outcome.problems.isEmpty { line += ", \(outcome.problems.count) unreadable" }
                if let reason = outcome.stoppedBecause { line += "; stopped with \(outcome.notTried) left: \(reason)" }
                printOut(line)
            }
            if !outcome.isComplete { throw ExitStatus.partialFailure }
        }
    }
}
