public import ArgumentParser
import Foundation
import NetralDemo
import NetralEvidence
import NetralExtract
import NetralRules
import NetralScan
import NetralStore
import X509
import NetralYAML

extension Netral {
    struct Demo: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Serve the demo site on loopback, scan it with the shipped packs, and write ./netral-demo/."
        )

        @Option(help: "Folder of the labelled demo site.")
        var site = NetralDemo.Demo.defaultSiteFolder

        @Option(name: .customLong("rules"), help: "Rule pack file or folder (repeatable).")
        var rulePaths: [String] = ScanConfig.defaultRulePaths

        @Option(help: "Output folder for state and evidence (replaced on each run).")
        var output = NetralDemo.Demo.defaultOutputFolder

        @Option(help: "Output format: text or json.")
        var format: OutputFormat = .text

        @OptionGroup var global: GlobalOptions

        func run() async throws {
            let logger = global.makeLogger()
            let demo = NetralDemo.Demo(siteFolder: site, rulePaths: rulePaths, outputFolder: output)
            let result: NetralDemo.Demo.Result
            do {
                result = try await demo.run(logger: logger)
            } catch let error as DiagnosticsError {
                throw CommandFailure.invalidInput(error.description)
            } catch {
                throw CommandFailure.runtime("netral demo: \(error)")
            }
            switch format {
            case .json:
                try printJSON(
                    DemoReport(baseURL: result.baseURL, pages: result.pages, mismatches: result.mismatches, summary: result.summary))
            case .text:
                printOut("Netral demo: served \(result.pages) pages of \(site) at \(result.baseURL) and scanned them through libcurl.")
                printOut(TextFormatter.summary(result.summary))
                if result.mismatches.isEmpty {
                    printOut("labels: all \(result.pages) pages gave exactly the labelled findings")
                } else {
                    printOut("labels: \(result.mismatches.count) page(s) differ from the labels:")
                    for line in result.mismatches { printOut("  \(line)") }
                }
                let report = result.summary.findings.first.map { ($0.caseFile as NSString).appendingPathComponent("report.html") }
                printOut("open a report: \(report ?? "(no findings)")")
                printOut("check the case files: netral verify \(result.summary.evidence)")
            }
            if !result.mismatches.isEmpty { throw ExitStatus.runtimeFailure }
        }
    }

    struct DemoReport: Encodable {
        var baseURL: String
        var pages: Int
        var mismatches: [String]
        var summary: ScanSummary
    }

    struct Scan: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Scan every due target of a configuration once.",
            discussion: """
                Exit codes: 0 done; 1 new violations (with --exit-code; reports about others do not count; \
                takes precedence over failed targets, which the summary still lists); 2 invalid configuration or rules; 3 run-time failure \
                (state or evidence unusable); 4 some targets failed and there are no new violations \
                (or --exit-code was not given).
                """
        )

        @Option(help: "Configuration file.")
        var config = "netral.yaml"

        @Option(help: "Output format: text or json.")
        var format: OutputFormat = .text

        @Flag(
            help: ArgumentHelp(
                "Exit with 1 when the scan produced new violations (not reports about others), even if some targets failed (like git "
                    + "diff --exit-code).")
        )
        var exitCode = false

        @Flag(name: .shortAndLong, help: "Print only new findings and failures, and nothing at all when there are none (for cron).")
        var quiet = false

        @Option(
            help: ArgumentHelp(
                "Run as this worker on a shared PostgreSQL state (unique per machine or process: one live run per name). Due targets are "
                    + "claimed a batch at a time with a lease.")
        )
        var worker: String?

        @Option(help: "With --worker: seconds a claim holds before another worker may take the target (renewed with each batch claimed).")
        var lease: Double = Scanner.WorkerOptions.defaultLease

        @OptionGroup var global: GlobalOptions

        func validate() throws {
            if let worker, worker.isEmpty || worker.count > 200 || worker.contains(where: { $0.isNewline }) {
                throw ValidationError("--worker must be a name of 1 to 200 characters on one line")
            }
            guard lease >= 1, lease <= 7 * 86400 else { throw ValidationError("--lease must be between 1 second and 7 days") }
        }

        func run() async throws {
            let logger = global.makeLogger(quiet: quiet)
            let scanConfig: ScanConfig
            let ruleSet: RuleSet
            var profiles: [SiteProfile] = []
            do {
                scanConfig = try ScanConfig.load(path: config)
                ruleSet = try PackLoader.load(paths: scanConfig.rulePaths)
                // Explicit `sites:` paths were checked on load; the default may be absent.
                let existing = scanConfig.sitePaths.filter { FileManager.default.fileExists(atPath: $0) }
                if !existing.isEmpty { profiles = try SiteProfileLoader.load(paths: existing) }
            } catch {
                throw CommandFailure.invalidInput(error.description)
            }
            let scanner = Scanner(config: scanConfig, ruleSet: ruleSet, profiles: profiles)
            let unknown = scanner.unknownProfiles()
            guard unknown.isEmpty else {
                throw CommandFailure.invalidInput(unknown.map { "\(config): \($0)" }.joined(separator: "\n"))
            }
            if worker != nil, !StateLocation.isURL(scanConfig.statePath) {
                throw CommandFailure.invalidInput(
                    "netral scan: --worker needs a shared state (state: postgres://…); a SQLite state is one machine's, kept by its lock "
                        + "file"
                )
            }
            // A progress line for a person at a terminal; none for cron or a pipe.
            let progressLine = ProgressLine(enabled: !quiet && isatty(STDERR_FILENO) == 1)
            var report: (@Sendable (ScanProgress) -> Void)?
            if progressLine.enabled {
                report = { (progress: ScanProgress) in progressLine.show(TextFormatter.progress(progress)) }
            }
            let summary: ScanSummary
            do {
                summary = try await scanner.run(
                    logger: logger, progress: report, worker: worker.map { Scanner.WorkerOptions(name: $0, lease: lease) })
                progressLine.finish()
            } catch let error as StateFileError {
                // Refused before anything was fetched or written: the configuration names no state.
                progressLine.finish()
                throw CommandFailure.invalidInput("netral scan: \(error)")
            } catch {
                progressLine.finish()
                throw CommandFailure.runtime("netral scan: \(error)")
            }
            switch (format, quiet) {
            case (.json, false): try printJSON(summary)
            case (.json, true): if summary.newFindings > 0 || !summary.failures.isEmpty { try printJSON(summary) }
            case (.text, false): printOut(TextFormatter.summary(summary))
            case (.text, true): if let text = TextFormatter.quietSummary(summary) { printOut(text) }
            }
            throw ExitCode(summary.exitCode(findingsExitCode: exitCode))
        }
    }

    struct Status: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Show each target's last result, next due time, consecutive failures and findings."
        )

        @Option(help: "Configuration file.")
        var config = "netral.yaml"

        @Option(help: "Output format: text or json.")
        var format: OutputFormat = .text

        func run() async throws {
            let scanConfig: ScanConfig
            do {
                scanConfig = try ScanConfig.load(path: config)
            } catch {
                throw CommandFailure.invalidInput(error.description)
            }
            do {
                let targets = try Scanner.status(config: scanConfig)
                switch format {
                case .json: try printJSON(targets)
                case .text: printOut(TextFormatter.status(targets))
                }
            } catch let error as StateFileError {
                throw CommandFailure.invalidInput("netral status: \(error)")
            } catch {
                throw CommandFailure.runtime("netral status: \(error)")
            }
        }
    }

    struct Explain: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Show the items of a file, URL or text, every hit, the rules that fired, nearly fired or were held back.",
            discussion: """
                Text is judged as one post with no page around it: give it with --text, or pipe it in with - as the \
                source (netral explain - < post.txt). --published judges every item as published on that day or time, so \
                race windows apply. --config with --target applies that target's subject, site profile and the \
                configuration's rules and site profiles, as in a scan. Exit codes: 0 explained, 2 invalid rules, \
                configuration, target or input, 3 the source cannot be read, 64 invalid usage (a bad date, no source).
                """
        )

        @Argument(help: "A local file, an http(s) URL, or - to read text from standard input.")
        var source: String?

        @Option(help: "Text to judge as one post (instead of a source).")
        var text: String?

        @Option(
            help: ArgumentHelp(
                "Judge every item as published on this day (YYYY-MM-DD) or time (ISO 8601 with offset, 2024-02-10T08:30:00+07:00).",
                valueName: "date"),
            transform: Explain.publishedDate)
        var published: Date?

        @Option(help: "How to read the source: \(SourceKind.allCases.map(\.rawValue).joined(separator: ", ")) (guessed when omitted).")
        var kind: SourceKind?

        @Option(name: .customLong("rules"), help: "Rule pack file or folder (repeatable; default: the config's, else Rules).")
        var rulePaths: [String] = []

        @Option(help: "Site profile to split an HTML page into items (a name from --sites; default: the target's).")
        var profile: String?

        @Option(name: .customLong("sites"), help: "Site profile file or folder (repeatable; default: the config's, else Rules/sites).")
        var sitePaths: [String] = []

        @Option(help: "Configuration file whose rules and site profiles apply (default with --target: netral.yaml).")
        var config: String?

        @Option(help: "A target id in the configuration: its subject describes every item's author, its site profile applies.")
        var target: String?

        @Option(help: "Output format: text or json.")
        var format: OutputFormat = .text

        @Flag(help: "Let an http(s) source reach loopback, private, link-local or multicast addresses.")
        var allowPrivate = false

        @Option(help: "Apply the account identities kept in this configuration's state, as a scan would.")
        var accountsFrom: String?

        @OptionGroup var global: GlobalOptions

        func validate() throws {
            switch (source, text) {
            case (nil, nil): throw ValidationError("give a file, an http(s) URL, --text TEXT, or - to read text from standard input")
            case (_?, _?): throw ValidationError("give either a source or --text, not both")
            default: break
            }
            if text?.isEmpty == true { throw ValidationError("--text is empty") }
        }

        func run() async throws {
            _ = global.makeLogger()
            let setting = try settings()
            let ruleSet: RuleSet
            var profiles: [SiteProfile] = []
            do {
                ruleSet = try PackLoader.load(paths: setting.rulePaths)
                // As in a scan: profiles resolve by name, or by `match:` on the URL.
                let existing = setting.sitePaths.filter { FileManager.default.fileExists(atPath: $0) }
                if setting.profile != nil || !existing.isEmpty {
                    profiles = try SiteProfileLoader.load(paths: setting.profile != nil ? setting.sitePaths : existing)
                }
                if let profile = setting.profile, profiles.named(profile) == nil {
                    throw CommandFailure.invalidInput(
                        "netral explain: no site profile named '\(profile)' in \(setting.sitePaths.joined(separator: ", ")); known: "
                            + "\(profiles.map(\.name).joined(separator: ", "))"
                    )
                }
            } catch let error as DiagnosticsError {
                throw CommandFailure.invalidInput(error.description)
            }
            var explainer = Explainer(ruleSet: ruleSet, profiles: profiles, subject: setting.subject, publishedAt: published)
            if let accountsFrom {
                let (_, store) = try openState(config: accountsFrom, command: "explain", access: .readOnly)
                explainer.accountIdentities = { item in try store.identities(of: item) }
            }
            let explanation: Explanation
            do {
                if let text {
                    explanation = try explainer.explain(text: text, source: "--text", kind: kind ?? .text, profile: setting.profile)
                } else if source == "-" {
                    explanation = try explainer.explain(
                        text: try Self.standardInput(), source: "-", kind: kind ?? .text, profile: setting.profile)
                } else {
                    explanation = try await explainer.explain(
                        source ?? "", kind: kind, profile: setting.profile, allowPrivate: allowPrivate)
                }
            } catch let failure as CommandFailure {
                throw failure
            } catch {
                throw CommandFailure.runtime("netral explain: \(error)")
            }
            switch format {
            case .json: try printJSON(explanation)
            case .text: printOut(TextFormatter.explanation(explanation, ansi: stdoutIsTerminal))
            }
        }
    }

    struct Rules: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Work with rule packs.",
            subcommands: [Check.self, Test.self, Generate.self]
        )

        struct Check: AsyncParsableCommand {
            static let configuration = CommandConfiguration(
                abstract: "Validate rule packs; print every error as file:line:col: message and exit 2 on any."
            )

            @Argument(help: "Pack files or folders (default: Rules).")
            var paths: [String] = []

            func run() async throws {
                let targets = paths.isEmpty ? ScanConfig.defaultRulePaths : paths
                do {
                    let ruleSet = try PackLoader.load(paths: targets)
                    let rules = ruleSet.rules.count
                    let signals = ruleSet.packs.reduce(0) { $0 + $1.signals.count }
                    printOut("ok: \(ruleSet.packs.count) pack(s), \(signals) signals, \(ruleSet.termCount) terms, \(rules) rules")
                } catch {
                    throw CommandFailure.invalidInput(error.description + "\n" + "\(error.diagnostics.count) error(s)")
                }
            }
        }

        struct Test: AsyncParsableCommand {
            static let configuration = CommandConfiguration(
                abstract: "Run every pack's examples and every labelled fixture; print precision and recall per rule.",
                discussion: "Exits 1 when any example or fixture is judged differently from its label, 2 on invalid packs or fixtures."
            )

            static let defaultFixtures = "Fixtures/labelled"

            @Argument(help: "Pack files or folders (default: Rules).")
            var paths: [String] = []

            @Option(
                name: .customLong("fixtures"),
                help: "Labelled fixture file or folder (repeatable; default: Fixtures/labelled when present).")
            var fixturePaths: [String] = []

            @Option(help: "Output format: text or json.")
            var format: OutputFormat = .text

            @Option(
                name: .customLong("corpus"),
                help: ArgumentHelp(
                    "Instead of the labelled fixtures, judge a JSON Lines file of real posts (one object a line with \"text\"; "
                        + "\"username\", \"bio\", \"created_at\", \"url\" used when present) and print flags per 1,000 and every flag.")
            )
            var corpus: String?

            @Option(name: .customLong("fail-above"), help: "With --corpus: exit 1 when violations per 1,000 posts are above this rate.")
            var failAbove: Double?

            func run() async throws {
                let packPaths = paths.isEmpty ? ScanConfig.defaultRulePaths : paths
                if let corpus {
                    let ruleSet: RuleSet
                    let report: CorpusCheck.Report
                    do {
                        ruleSet = try PackLoader.load(paths: packPaths)
                    } catch {
                        throw CommandFailure.invalidInput(error.description)
                    }
                    do {
                        report = try CorpusCheck.run(ruleSet, path: corpus)
                    } catch {
                        throw CommandFailure.runtime("netral rules test: \(error.description)")
                    }
                    switch format {
                    case .json: try printJSON(report)
                    case .text: printOut(TextFormatter.corpusCheck(report))
                    }
                    if let failAbove, report.violationsPerThousand > failAbove { throw ExitStatus.findings }
                    return
                }
                guard failAbove == nil else {
                    throw ValidationError("--fail-above needs --corpus")
                }
                var fixtures = fixturePaths
                if fixtures.isEmpty, FileManager.default.fileExists(atPath: Self.defaultFixtures) { fixtures = [Self.defaultFixtures] }
                let ruleSet: RuleSet
                let sets: [LabelledSet]
                do {
                    ruleSet = try PackLoader.load(paths: packPaths)
                    sets = fixtures.isEmpty ? [] : try LabelledSetLoader.load(paths: fixtures)
                } catch {
                    throw CommandFailure.invalidInput(error.description)
                }
                let report = RuleTester.run(ruleSet, sets: sets)
                switch format {
                case .json: try printJSON(RuleTestSummary(report))
                case .text: printOut(TextFormatter.ruleTest(report))
                }
                if !report.passed { throw ExitStatus.findings }
            }
        }
    }

    struct Verify: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract:
                "Check case files: every file re-hashed, each manifest's own hash and signature, and nothing deleted, added or symlinked.",
            discussion: """
                Each PATH is a case-file folder or an evidence folder. With --config (or --state), every case file the \
                state records must be present with the manifest hash recorded when it was written, and every folder must be \
                one the state knows. With a signing key in the config (or --public-key), every manifest must carry a valid \
                signature by that key; with time-stamping authorities in the config, a valid RFC 3161 token by one of them \
                (a token present is always checked). Exit codes: 0 all intact, 1 any problem found, 2 invalid arguments (unreadable \
                config, state or key).
                """
        )

        @Argument(help: "Case-file folders or evidence folders (default: the config's evidence folder).")
        var paths: [String] = []

        @Option(help: "Configuration file: its state, evidence folder and signing key are used.")
        var config: String?

        @Option(help: "State database that records every case file (overrides the config's).")
        var state: String?

        @Option(
            name: .customLong("public-key"), help: "Ed25519 public key file (.pub from netral keygen) every manifest must be signed by.")
        var publicKey: String?

        @Flag(
            help: ArgumentHelp(
                "Check the review log instead: every entry's hash and chain, the log's head, and each case file's status against its "
                    + "decisions.")
        )
        var reviews = false

        @Option(
            name: .customLong("head"),
            help: "With --reviews: a head the log must still hold (COUNT:SHA256, the review_log_head of an export or pushed record).")
        var heads: [String] = []

        func run() async throws {
            if reviews {
                try verifyReviews()
                return
            }
            var stateLocation = state.map { StateLocation.sqlite(path: $0) }
            var keyPath = publicKey
            var targets = paths
            var timestampCertificates: [Certificate]?
            if let config {
                do {
                    let loaded = try ScanConfig.load(path: config)
                    // The URL was checked on load; a state path is always a location.
                    stateLocation = stateLocation ?? (try? loaded.stateLocation())
                    keyPath = keyPath ?? loaded.signingKeyPath.map { $0 + ".pub" }
                    if !loaded.timestampAuthorities.isEmpty { timestampCertificates = loaded.timestampAuthorities.map(\.certificate) }
                    if targets.isEmpty { targets = [loaded.evidencePath] }
                } catch {
                    throw CommandFailure.invalidInput(error.description)
                }
            }
            guard !targets.isEmpty else {
                throw CommandFailure.invalidInput("netral verify: give a case-file or evidence folder, or --config")
            }
            var verifier = EvidenceVerifier(timestampCertificates: timestampCertificates)
            do {
                if let stateLocation {
                    // Read-only: verifying never creates, migrates or changes the state.
                    verifier.store = try StateStore(location: stateLocation, access: .readOnly)
                }
                if let keyPath { verifier.publicKey = try ManifestSigner.publicKey(file: keyPath) }
            } catch {
                throw CommandFailure.invalidInput("netral verify: \(error)")
            }
            var failed = 0
            var total = 0
            for path in targets {
                let checks: [CaseFileCheck]
                do {
                    checks = try verifier.verify(path: path)
                } catch {
                    throw CommandFailure.invalidInput("netral verify: \(path): \(error)")
                }
                for check in checks {
                    total += 1
                    if check.isIntact {
                        printOut("ok \(check.path)")
                    } else {
                        failed += 1
                        printOut("FAILED \(check.path)")
                        for problem in check.problems { printOut("  \(problem)") }
                    }
                }
            }
            let scope = [
                verifier.store == nil ? nil : "state checked", verifier.publicKey == nil ? nil : "signatures required",
                verifier.timestampCertificates == nil ? nil : "timestamps required",
            ]
            .compactMap { $0 }
            printOut(
                "\(total - failed) of \(total) case file(s) intact"
                    + (scope.isEmpty
                        ? " (no state or key given: deletions and signatures not checked)" : " (\(scope.joined(separator: ", ")))"))
            if failed > 0 { throw ExitStatus.findings }
        }

        /// `--reviews`: walks the review log of the state (`--state`, else the config's).
        func verifyReviews() throws {
            var location = state.map { StateLocation.sqlite(path: $0) }
            // The anchor lives in the evidence folder: the first folder given, else the config's.
            var evidence = paths.first
            var keyPath = publicKey
            var timestampCertificates: [Certificate]?
            if let config {
                do {
                    let loaded = try ScanConfig.load(path: config)
                    // The URL was checked on load; a state path is always a location.
                    location = location ?? (try? loaded.stateLocation())
                    evidence = evidence ?? loaded.evidencePath
                    keyPath = keyPath ?? loaded.signingKeyPath.map { $0 + ".pub" }
                    if !loaded.timestampAuthorities.isEmpty { timestampCertificates = loaded.timestampAuthorities.map(\.certificate) }
                } catch {
                    throw CommandFailure.invalidInput(error.description)
                }
            }
            guard let location else {
                throw CommandFailure.invalidInput("netral verify --reviews: give --config or --state naming an existing state database")
            }
            let statePath = location.description
            // Heads stated by exports and pushed records, each one more anchor outside the database.
            var headAnchors: [ReviewAnchor] = []
            for head in heads {
                guard let colon = head.firstIndex(of: ":"), let count = Int64(head[..<colon]), count >= 0 else {
                    throw CommandFailure.invalidInput(
                        "netral verify --reviews: --head takes COUNT:SHA256 as exports state it, found '\(head)'")
                }
                headAnchors.append(ReviewAnchor(count: count, entryHash: String(head[head.index(after: colon)...]), anchoredAt: Date()))
            }
            var problems: [String] = []
            let count: Int
            var anchor: ReviewAnchor?
            do {
                let key = try keyPath.map { path throws(EvidenceError) in try ManifestSigner.publicKey(file: path) }
                if let evidence {
                    anchor = try ReviewAnchor.read(evidenceRoot: evidence)
                    if let problem = anchor?.problem(publicKey: key, timestampCertificates: timestampCertificates) {
                        problems.append("review log: \(problem)")
                    }
                }
                let store = try StateStore(location: location, access: .readOnly)
                problems += try store.verifyReviewLog(publicKey: key, anchors: (anchor.map { [$0] } ?? []) + headAnchors)
                    .map(\.description)
                count = try store.reviewLog().count + store.accountDecisions().count
            } catch let error as StateFileError {
                throw CommandFailure.invalidInput("netral verify --reviews: \(error)")
            } catch {
                throw CommandFailure.invalidInput("netral verify --reviews: \(statePath): \(error)")
            }
            for problem in problems { printOut("FAILED \(problem)") }
            let entries = "\(count) entr\(count == 1 ? "y" : "ies")"
            let anchored =
                anchor.map {
                    " (anchored head: \($0.count) entries, \($0.signature == nil ? "unsigned" : "signed")"
                        + "\($0.timestamp == nil ? "" : ", time-stamped"))"
                } ?? " (no review anchor in the evidence folder: a whole log deleted or "
                + "recomputed cannot be told from a new one)"
            printOut(
                problems.isEmpty
                    ? "review log intact: \(entries), every case file's status follows from it" + anchored
                    : "review log: \(problems.count) problem(s) in \(entries)")
            if !problems.isEmpty { throw ExitStatus.findings }
        }
    }

    struct Keygen: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Create an Ed25519 key pair for signing case-file manifests.",
            discussion:
                "Writes FILE (the private key, mode 600; name it as signing_key in netral.yaml) and FILE.pub (give it to whoever "
                + "verifies). Never overwrites. Exit codes: 0 written, 3 cannot write."
        )

        @Argument(help: "Private key file to create.")
        var file: String

        func run() async throws {
            do {
                let publicKey = try ManifestSigner.generateKeyPair(at: file)
                printOut("wrote \(file) (private, keep it secret) and \(file).pub")
                printOut("public key: \(publicKey)")
            } catch {
                throw CommandFailure.runtime("netral keygen: \(error)")
            }
        }
    }
}

extension SourceKind: ExpressibleByArgument {}
