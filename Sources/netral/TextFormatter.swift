import Foundation
import NetralEvidence
import NetralExtract
import NetralModel
import NetralScan
import NetralStore
import NetralRules

/// Human-readable output for the terminal. JSON output goes through `NetralJSON` instead.
enum TextFormatter {
    /// `explain` as text: each item, every hit in context, and each finding with the part of
    /// its condition that fired. `highlight` wraps matches (ANSI bold on a terminal, brackets
    /// otherwise).
    static func explanation(_ explanation: Explanation, ansi: Bool) -> String {
        var lines: [String] = []
        lines.append("\(explanation.source) (\(explanation.kind.rawValue)): \(explanation.items.count) item(s)")
        for warning in explanation.warnings { lines.append("warning: \(warning)") }
        for (number, explained) in explanation.items.enumerated() {
            let item = explained.item
            lines.append("")
            lines.append("item \(number + 1): \(item.title ?? "(no title)")")
            lines.append("  url: \(item.sourceURL)")
            if let author = item.author?.name { lines.append("  author: \(author)") }
            if let handle = item.author?.handle { lines.append("  handle: \(handle)") }
            if let bio = item.author?.bio { lines.append("  bio: \(NIPMasking.mask(bio).replacingOccurrences(of: "\n", with: " "))") }
            for identity in item.accountIdentities { lines.append("  account identity: \(identity.describe(masking: NIPMasking.mask))") }
            if let published = item.publishedAt { lines.append("  published: \(iso(published))") }
            if !item.hashtags.isEmpty { lines.append("  hashtags: \(item.hashtags.joined(separator: " "))") }
            if explained.hits.isEmpty {
                lines.append("  hits: none")
            } else {
                lines.append("  hits:")
                for hit in explained.hits {
                    let context = snippet(of: item, hit: hit, ansi: ansi)
                    lines.append("    \(hit.kind)/\(hit.signal) '\(hit.term)' in \(hit.field.rawValue): \(context)")
                }
                if explained.omittedHits > 0 { lines.append("    ... and \(explained.omittedHits) more hits (not listed)") }
            }
            lines.append(contentsOf: identityLines(explained.identity))
            if explained.findings.isEmpty {
                lines.append("  findings: none")
            } else {
                lines.append("  findings:")
                for finding in explained.findings {
                    let kind = finding.findingClass == .violation ? "VIOLATION" : "REPORT (about someone else, not the author)"
                    lines.append(
                        "    \(kind) \(finding.severity.rawValue.uppercased()) \(finding.rule) (act \(finding.act), pack "
                            + "\(finding.pack.name)) score \(String(format: "%.2f", finding.score))"
                    )
                    lines.append("      when: \(finding.condition)")
                    if let unless = finding.unless { lines.append("      unless (did not hold): \(unless)") }
                    lines.append("      fired: \(finding.fired.joined(separator: ", "))")
                    for note in finding.scoreNotes { lines.append("      note: \(note)") }
                }
            }
            lines.append(contentsOf: diagnosisLines(explained.diagnosis))
        }
        return lines.joined(separator: "\n")
    }

    /// The rules that nearly fired (with the part that was missing, and why) and the rules
    /// held back by `unless` (with the parts that held them back); nothing when there are none.
    static func diagnosisLines(_ diagnosis: RuleDiagnosis) -> [String] {
        func rule(_ id: String, act: String, pack: String, findingClass: FindingClass) -> String {
            "\(id) (\(act), \(pack)\(findingClass == .report ? ", report about someone else" : ""))"
        }
        func hits(_ hits: [Hit], omitted: Int) -> String {
            guard !hits.isEmpty else { return "" }
            let listed = hits.map { "'\(NIPMasking.mask($0.quote))' (\($0.field.rawValue))" }.joined(separator: ", ")
            return "   hits: \(listed)\(omitted > 0 ? " and \(omitted) more" : "")"
        }
        var lines: [String] = []
        if !diagnosis.nearMisses.isEmpty {
            lines.append("  nearly fired (one part missing):")
            for miss in diagnosis.nearMisses {
                lines.append("    \(rule(miss.rule, act: miss.act, pack: miss.pack, findingClass: miss.findingClass))")
                lines.append("      when: \(miss.condition)")
                // The explanation names a `near` side that has no hit.
                lines.append("      missing: \(miss.missing.condition) (\(miss.missing.reason.rawValue): \(miss.missing.explanation))")
                lines.append("      held: \(miss.held.joined(separator: ", "))\(hits(miss.hits, omitted: miss.omittedHits))")
            }
        }
        if !diagnosis.heldBack.isEmpty {
            lines.append("  held back by unless:")
            for held in diagnosis.heldBack {
                lines.append(
                    "    \(rule(held.rule, act: held.act, pack: held.pack, findingClass: held.findingClass))   unless: \(held.unless)")
                lines.append("      fired: \(held.fired.joined(separator: ", "))")
                lines.append("      blocked by: \(held.blockedBy.joined(separator: ", "))\(hits(held.hits, omitted: held.omittedHits))")
            }
        }
        return lines
    }

    /// Which identity hits describe the author and which do not, and why.
    static func identityLines(_ identity: [IdentityEvidence]) -> [String] {
        guard !identity.isEmpty else { return [] }
        var lines = ["  identity:"]
        for evidence in identity {
            let use = evidence.standing.describesAuthor ? "author" : "not the author"
            let marker = evidence.marker.map { " after '\($0)'" } ?? ""
            lines.append(
                "    \(use): '\(NIPMasking.mask(evidence.hit.quote))' in \(evidence.hit.field.rawValue)\(marker): "
                    + "\(evidence.standing.rawValue) (\(evidence.standing.reason))"
            )
        }
        return lines
    }

    /// `rules test --corpus`: flags per 1,000 by class, findings per rule, then every flag.
    static func corpusCheck(_ report: CorpusCheck.Report) -> String {
        var lines: [String] = []
        lines.append("corpus: \(report.path)")
        lines.append(
            "posts: \(report.posts)  violations: \(report.violations) (\(String(format: "%.2f", report.violationsPerThousand)) per "
                + "1,000)  reports about others: \(report.reports) (\(String(format: "%.2f", report.reportsPerThousand)) per 1,000)"
        )
        if report.skippedCount > 0 {
            lines.append("skipped lines: \(report.skippedCount)")
            for line in report.skipped { lines.append("  \(line)") }
        }
        for (rule, count) in report.rules.sorted(by: { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }) {
            lines.append("  \(rule): \(count)")
        }
        for flag in report.flags {
            let isViolation = flag.findings.contains { $0.findingClass == .violation }
            lines.append("")
            lines.append(
                "\(isViolation ? "VIOLATION" : "REPORT") line "
                    + "\(flag.line)\(flag.handle.map { " @\($0)" } ?? "")\(flag.url.map { " \($0)" } ?? "")"
            )
            lines.append("  text: \(NIPMasking.mask(flag.text).replacingOccurrences(of: "\n", with: " "))")
            for finding in flag.findings {
                lines.append(
                    "  \(finding.findingClass.rawValue) \(finding.rule) (act \(finding.act)): "
                        + "\(finding.hits.map { "\($0.kind):'\(NIPMasking.mask($0.quote))'@\($0.field.rawValue)" }.joined(separator: ", "))"
                )
            }
            lines.append(contentsOf: identityLines(flag.identity).map { "  " + $0.dropFirst(2) })
        }
        return lines.joined(separator: "\n")
    }

    /// A window of text around a hit, with the hit marked.
    static func snippet(of item: Item, hit: Hit, ansi: Bool, radius: Int = 40) -> String {
        guard let text = item.text(of: hit.field, index: hit.fieldIndex) else { return "'\(hit.quote)'" }
        let bytes = Array(text.utf8)
        guard hit.start >= 0, hit.end <= bytes.count, hit.start <= hit.end else { return "'\(hit.quote)'" }
        var from = max(0, hit.start - radius)
        var to = min(bytes.count, hit.end + radius)
        // Do not cut a UTF-8 sequence in half.
        while from > 0, bytes[from] & 0xC0 == 0x80 { from -= 1 }
        while to < bytes.count, bytes[to] & 0xC0 == 0x80 { to += 1 }
        func piece(_ range: Range<Int>) -> String {
            String(decoding: bytes[range], as: UTF8.self).replacingOccurrences(of: "\n", with: " ")
        }
        let match = ansi ? "\u{1B}[1;33m\(piece(hit.start..<hit.end))\u{1B}[0m" : "[\(piece(hit.start..<hit.end))]"
        return (from > 0 ? "…" : "") + piece(from..<hit.start) + match + piece(hit.end..<to) + (to < bytes.count ? "…" : "")
    }

    /// The one-paragraph summary a scan or the demo prints.
    static func summary(_ summary: ScanSummary) -> String {
        var lines: [String] = []
        lines.append(
            "targets: \(summary.targets), due: \(summary.due), fetched: \(summary.fetched), unchanged: \(summary.unchanged), items: "
                + "\(summary.items), failed: \(summary.failures.count)"
        )
        let severities = Severity.allCases.reversed().map { "\($0.rawValue) \(summary.count($0))" }.joined(separator: ", ")
        lines.append("violations: \(summary.violations.count) (\(severities)); new: \(summary.newViolations)")
        if !summary.reports.isEmpty {
            lines.append(
                "reports about others (leads, not violations): \(summary.reports.count); new: \(summary.reports.filter(\.new).count)")
        }
        for finding in summary.findings {
            lines.append(findingLine(finding))
            lines.append("    report: \((finding.caseFile as NSString).appendingPathComponent("report.html"))")
        }
        for failure in summary.failures {
            lines.append("  FAILED \(failure.target): \(failure.error)")
        }
        for result in summary.results {
            if let reason = result.robotsIgnored { lines.append("  robots.txt ignored for \(result.target): \(reason)") }
        }
        lines.append("evidence: \(summary.evidence)")
        lines.append("state: \(summary.state)")
        lines.append("took \(String(format: "%.1f", summary.durationSeconds)) s (netral \(summary.version))")
        return lines.joined(separator: "\n")
    }

    /// `scan --quiet`: only new findings and failures, and nothing at all when there are none,
    /// so cron mails only when something needs a person.
    static func quietSummary(_ summary: ScanSummary) -> String? {
        var lines: [String] = []
        for finding in summary.findings where finding.new {
            lines.append(findingLine(finding))
            lines.append("    \(caseLine(finding))")
            lines.append("    report: \((finding.caseFile as NSString).appendingPathComponent("report.html"))")
        }
        for failure in summary.failures {
            lines.append("  FAILED \(failure.target): \(failure.error)")
        }
        return lines.isEmpty ? nil : lines.joined(separator: "\n")
    }

    /// Who, what and where of a new finding, for the cron mail: the terlapor, the post's title
    /// and its URL, read from its case file (only the URL when the case file cannot be read).
    static func caseLine(_ finding: ScanFinding) -> String {
        var parts: [String] = []
        if let folder = try? CaseFolder(path: finding.caseFile), let item = try? folder.item() {
            parts.append(Terlapor.of(item: item, findings: (try? folder.findings()) ?? []).line)
            if let title = item.title, !title.isEmpty { parts.append("\u{201C}\(NIPMasking.mask(String(title.prefix(120))))\u{201D}") }
        }
        parts.append(finding.url)
        return parts.joined(separator: " · ")
    }

    static func findingLine(_ finding: ScanFinding) -> String {
        "  \(finding.findingClass == .report ? "REPORT " : "")\(finding.severity.rawValue.uppercased()) \(finding.rule) "
            + "\(finding.target) score \(String(format: "%.2f", finding.score))\(finding.new ? "" : " (known)")"
    }

    /// One progress line (rewritten in place on a terminal).
    static func progress(_ progress: ScanProgress) -> String {
        "targets \(progress.done)/\(progress.due), items \(progress.items), findings \(progress.findings), "
            + "\(String(format: "%.1f", progress.pagesPerSecond)) pages/s"
    }

    /// `netral status` as text: one block per target.
    static func status(_ targets: [TargetStatus]) -> String {
        if targets.isEmpty { return "no targets in the state yet (run netral scan first)" }
        var lines: [String] = []
        for target in targets {
            lines.append("\(target.id) (\(target.kind)) \(target.url)")
            let last = target.lastRun.map { "\(iso($0)) \(target.lastResult?.rawValue ?? "?")" } ?? "never scanned"
            // An error that already begins with the result ("gone: HTTP status 404") is not said twice.
            let resultPrefix = "\(target.lastResult?.rawValue ?? ""): "
            let error = target.lastError.map { $0.hasPrefix(resultPrefix) ? String($0.dropFirst(resultPrefix.count)) : $0 }
            lines.append("  last: \(last)\(error.map { ": \($0)" } ?? "")")
            lines.append("  next due: \(target.nextDue.map(iso) ?? "every run")\(target.every.map { " (every \(Int($0)) s)" } ?? "")")
            lines.append("  consecutive failures: \(target.consecutiveFailures), findings: \(target.findings)")
            if let reason = target.robotsOverride { lines.append("  robots.txt ignored: \(reason)") }
        }
        return lines.joined(separator: "\n")
    }

    static func iso(_ date: Date) -> String {
        ISO8601DateFormatter().string(from: date)
    }
}

extension TextFormatter {
    /// `rules test` as text: per-rule counts with precision and recall, then every failing
    /// example with what fired and why.
    static func ruleTest(_ report: RuleTestReport) -> String {
        func ratio(_ value: Double?) -> String { value.map { String(format: "%.3f", $0) } ?? "  -  " }
        func row(_ stats: RuleStatistics) -> String {
            let name = stats.rule.padding(toLength: 34, withPad: " ", startingAt: 0)
            return
                "\(name) \(pad(stats.truePositives)) \(pad(stats.falsePositives)) \(pad(stats.falseNegatives)) "
                + "\(pad(stats.trueNegatives))  \(ratio(stats.precision))     \(ratio(stats.recall))"
        }
        var lines: [String] = []
        lines.append("\(report.examples) labelled examples")
        lines.append("rule                                  TP   FP   FN   TN  precision recall")
        for stats in report.rules { lines.append(row(stats)) }
        lines.append(row(report.items))
        for failure in report.failures {
            let item = failure.example.item
            lines.append("")
            lines.append("FAIL \(failure.example.id) (\(failure.source), \(failure.example.location))")
            let expected = failure.expected.isEmpty ? "no finding" : failure.expected.joined(separator: ", ")
            // `expect_includes:` lists findings that must be among those given, not all of them.
            lines.append(failure.example.expectIncludes ? "  expected at least: \(expected)" : "  expected: \(expected)")
            lines.append("  got:      \(failure.actual.isEmpty ? "no finding" : failure.actual.joined(separator: ", "))")
            if !failure.unknownRules.isEmpty {
                lines.append("  unknown rule(s) in expect: \(failure.unknownRules.joined(separator: ", "))")
            }
            if let trap = failure.example.trap { lines.append("  trap: \(trap)") }
            if let note = failure.example.note { lines.append("  note: \(note)") }
            lines.append("  text: \(item.body.replacingOccurrences(of: "\n", with: " "))")
            for hit in failure.evaluation.hits {
                lines.append(
                    "    hit \(hit.kind)/\(hit.signal) '\(hit.term)' in \(hit.field.rawValue): "
                        + "\(snippet(of: item, hit: hit, ansi: false, radius: 25))"
                )
            }
            for finding in failure.evaluation.findings {
                lines.append("    fired \(finding.rule): \(finding.fired.joined(separator: ", "))")
            }
        }
        lines.append("")
        let failed = report.failures.count
        lines.append("\(report.examples - failed) passed, \(failed) failed")
        return lines.joined(separator: "\n")
    }

    static func pad(_ value: Int) -> String {
        String(repeating: " ", count: max(0, 4 - String(value).count)) + String(value)
    }
}

/// `rules test --format json`.
struct RuleTestSummary: Sendable, Codable {
    struct FailureSummary: Sendable, Codable {
        var id: String
        var location: String
        var expected: [String]
        var actual: [String]
        /// `expect_includes:`: `expected` are findings that must be among `actual`, not all of them.
        var expectIncludes: Bool
        var trap: String?
    }

    var examples: Int
    var rules: [RuleStatistics]
    var items: RuleStatistics
    var failures: [FailureSummary]

    init(_ report: RuleTestReport) {
        examples = report.examples
        rules = report.rules
        items = report.items
        failures = report.failures.map {
            FailureSummary(
                id: $0.example.id, location: $0.example.location, expected: $0.expected, actual: $0.actual,
                expectIncludes: $0.example.expectIncludes, trap: $0.example.trap)
        }
    }
}
