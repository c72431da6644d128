import Foundation
import NetralModel
import NetralRules
@testable import NetralScan
import NetralStore
import NetralTestSupport
import Testing
@testable import netral

/// What the command line prints for people (`--format text`): the scan summary and its quiet
/// form, `status`, and `explain`.
@Suite struct TextFormatterTests {
    let rules = (repositoryRoot as NSString).appendingPathComponent("Rules")

    @Test func newFindingsWinTheExitCodeAndQuietSaysOnlyWhatIsNew() {
        var summary = ScanSummary()
        #expect(summary.exitCode(findingsExitCode: true) == 0)
        #expect(TextFormatter.quietSummary(summary) == nil)
        summary.failures = [TargetFailure(target: "mati", url: "https://contoh.test/", error: "HTTP status 500")]
        #expect(summary.exitCode(findingsExitCode: true) == 4)
        // A new report about someone else is listed, but is no violation: it does not raise 1.
        summary.findings = [
            ScanFinding(
                id: "r1", target: "berita", url: "https://contoh.test/r", rule: "laporan-asn-berpihak", findingClass: .report,
                act: "A8", severity: .low, score: 1, caseFile: "/b/r1", new: true)
        ]
        #expect(summary.exitCode(findingsExitCode: true) == 4)
        #expect(TextFormatter.quietSummary(summary)?.contains("REPORT LOW laporan-asn-berpihak berita") == true)
        summary.findings += [
            ScanFinding(
                id: "f1", target: "camat", url: "https://contoh.test/a", rule: "asn-kampanye-paslon", findingClass: .violation,
                act: "A2", severity: .high, score: 1, caseFile: "/b/f1", new: true),
            ScanFinding(
                id: "f0", target: "lama", url: "https://contoh.test/b", rule: "asn-kampanye-paslon", findingClass: .violation,
                act: "A2", severity: .high, score: 1, caseFile: "/b/f0", new: false),
        ]
        #expect(summary.exitCode(findingsExitCode: true) == 1)
        #expect(TextFormatter.summary(summary).contains("violations: 2 (high 2, medium 0, low 0); new: 1"))
        #expect(TextFormatter.summary(summary).contains("reports about others (leads, not violations): 1; new: 1"))
        #expect(summary.exitCode(findingsExitCode: false) == 4)
        let quiet = TextFormatter.quietSummary(summary)
        #expect(quiet?.contains("asn-kampanye-paslon camat") == true)
        // The post's URL under each new finding (with who and the title when its case file is readable).
        #expect(quiet?.contains("\n    https://contoh.test/a\n") == true)
        #expect(quiet?.contains("lama") == false)
        #expect(quiet?.contains("FAILED mati: HTTP status 500") == true)
    }

    @Test func theSummaryNamesEveryFailureAndEveryIgnoredRobotsTxt() {
        var summary = ScanSummary()
        summary.failures = [
            TargetFailure(target: "mati", url: "https://contoh.test/", error: "HTTP status 503 (after 2 attempts)"),
            TargetFailure(target: "jauh", url: "https://contoh.test/j", error: "gone: HTTP status 404"),
        ]
        var result = TargetResult(target: "rahasia", kind: "page", outcome: .scanned)
        result.robotsIgnored = "izin tertulis pemilik situs"
        summary.results = [result]
        let text = TextFormatter.summary(summary)
        for failure in summary.failures { #expect(text.contains("FAILED \(failure.target): \(failure.error)"), "\(text)") }
        #expect(text.contains("robots.txt ignored for rahasia: izin tertulis pemilik situs"), "\(text)")
    }

    @Test func statusShowsEachTargetsScheduleAndFailures() throws {
        let json = """
            [{"id": "jam", "kind": "page", "url": "https://contoh.test/resep-kue.html", "every": 3600, "last_run": "2026-12-01T10:00:00Z",
              "last_result": "scanned", "next_due": "2026-12-01T11:00:00Z", "consecutive_failures": 0, "findings": 0},
             {"id": "selalu", "kind": "feed", "url": "https://contoh.test/feed.xml", "consecutive_failures": 2, "findings": 1,
              "last_error": "HTTP status 500", "robots_override": "izin pemilik"}]
            """
        let targets = try NetralJSON.decoder().decode([TargetStatus].self, from: Data(json.utf8))
        let text = TextFormatter.status(targets)
        #expect(text.contains("jam (page) https://contoh.test/resep-kue.html"))
        #expect(text.contains("next due: 2026-12-01T11:00:00Z (every 3600 s)"))
        #expect(text.contains("consecutive failures: 0, findings: 0"))
        #expect(text.contains("next due: every run"))
        #expect(text.contains("never scanned: HTTP status 500"))
        #expect(text.contains("robots.txt ignored: izin pemilik"))
        #expect(TextFormatter.status([]) == "no targets in the state yet (run netral scan first)")
    }

    @Test func explainShowsTheFindingAndTheMatchedWordInContext() async throws {
        let ruleSet = try PackLoader.load(paths: [rules])
        let page = (repositoryRoot as NSString).appendingPathComponent("Fixtures/demo-site/camat-sungai-jernih.html")
        let text = TextFormatter.explanation(try await Explainer(ruleSet: ruleSet).explain(page), ansi: false)
        #expect(text.contains("HIGH asn-kampanye-paslon"))
        #expect(text.contains("[camat]") || text.contains("[Camat]"))
    }
}
