import Foundation
import NetralExtract
import NetralModel

/// Human-readable output for the terminal. JSON output goes through `NetralJSON` instead.
public enum TextFormatter {
    /// `explain` as text: each item, every hit in context, and each finding with the part of
    /// its condition that fired. `highlight` wraps matches (ANSI bold on a terminal, brackets
    /// otherwise).
    public static func explanation(_ explanation: Explanation, ansi: Bool) -> String {
        var lines: [String] = []
        lines.append("\(explanation.source) (\(explanation.kind.rawValue)): \(explanation.items.count) item(s)")
        for (number, explained) in explanation.items.enumerated() {
            let item = explained.item
            lines.append("")
            lines.append("item \(number + 1): \(item.title ?? "(no title)")")
            lines.append("  url: \(item.sourceURL)")
            if let author = item.author?.name { lines.append("  author: \(author)") }
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
            }
            if explained.findings.isEmpty {
                lines.append("  findings: none")
            } else {
                lines.append("  findings:")
                for finding in explained.findings {
                    lines.append("    \(finding.severity.rawValue.uppercased()) \(finding.rule) (act \(finding.act), pack \(finding.pack.name)) score \(String(format: "%.2f", finding.score))")
                    lines.append("      when: \(finding.condition)")
                    if let unless = finding.unless { lines.append("      unless (did not hold): \(unless)") }
                    lines.append("      fired: \(finding.fired.joined(separator: ", "))")
                    for note in finding.scoreNotes { lines.append("      note: \(note)") }
                }
            }
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
    public static func summary(_ summary: ScanSummary) -> String {
        var lines: [String] = []
        lines.append("targets: \(summary.targets), fetched: \(summary.fetched), items: \(summary.items), failed: \(summary.failures.count)")
        let severities = Severity.allCases.reversed().map { "\($0.rawValue) \(summary.count($0))" }.joined(separator: ", ")
        lines.append("findings: \(summary.findings.count) (\(severities)); new: \(summary.newFindings)")
        for finding in summary.findings {
            lines.append("  \(finding.severity.rawValue.uppercased()) \(finding.rule) \(finding.target) score \(String(format: "%.2f", finding.score))\(finding.new ? "" : " (known)")")
            lines.append("    report: \((finding.bundle as NSString).appendingPathComponent("report.html"))")
        }
        for failure in summary.failures {
            lines.append("  FAILED \(failure.target): \(failure.error)")
        }
        lines.append("evidence: \(summary.evidence)")
        lines.append("state: \(summary.state)")
        return lines.joined(separator: "\n")
    }

    static func iso(_ date: Date) -> String {
        ISO8601DateFormatter().string(from: date)
    }
}
