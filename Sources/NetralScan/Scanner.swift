import Foundation
public import Logging
import NetralEvidence
import NetralExtract
import NetralFetch
public import NetralModel
public import NetralRules
import NetralStore

/// A target that could not be scanned, and why.
public struct TargetFailure: Sendable, Codable, Equatable {
    public var target: String
    public var url: String
    public var error: String
}

/// One finding as a scan reports it.
public struct ScanFinding: Sendable, Codable, Equatable {
    public var id: String
    public var target: String
    public var url: String
    public var rule: String
    public var act: String
    public var severity: Severity
    public var score: Double
    public var bundle: String
    /// False when the finding was already known from an earlier run.
    public var new: Bool
}

/// What a scan did: counts, findings and failures. `--format json` prints this.
public struct ScanSummary: Sendable, Codable, Equatable {
    public var targets = 0
    public var fetched = 0
    public var items = 0
    public var findings: [ScanFinding] = []
    public var failures: [TargetFailure] = []
    public var evidence: String = ""
    public var state: String = ""

    public init() {}

    public var newFindings: Int { findings.filter(\.new).count }

    public func count(_ severity: Severity) -> Int { findings.filter { $0.severity == severity }.count }
}

/// The pipeline: targets in, findings out. Fetch → extract → judge → bundle + record.
public struct Scanner: Sendable {
    public let config: ScanConfig
    public let ruleSet: RuleSet
    let fetcher: Fetcher

    public init(config: ScanConfig, ruleSet: RuleSet) {
        self.config = config
        self.ruleSet = ruleSet
        self.fetcher = Fetcher(options: config.fetch)
    }

    /// Scans every target once. A target that fails is recorded and skipped; the others go on.
    /// Throws only when the state or evidence store itself cannot be used.
    public func run(logger: Logger) async throws -> ScanSummary {
        let store = try StateStore(path: config.statePath)
        let writer = BundleWriter(root: config.evidencePath)
        writer.removeIncomplete()
        var summary = ScanSummary()
        summary.targets = config.targets.count
        summary.evidence = config.evidencePath
        summary.state = config.statePath
        let packs = ruleSet.packs.map(\.reference)

        for target in config.targets {
            var targetLogger = logger
            targetLogger[metadataKey: "target"] = "\(target.id)"
            let capture: Capture
            do {
                capture = try await fetcher.fetch(target.url)
            } catch {
                targetLogger.warning("fetch failed", metadata: ["url": "\(target.url)", "error": "\(error)"])
                summary.failures.append(TargetFailure(target: target.id, url: target.url, error: "\(error)"))
                try store.recordFetchFailure(url: target.url, error: "\(error)", at: Date())
                continue
            }
            try store.recordFetch(capture)
            summary.fetched += 1
            guard (200..<300).contains(capture.status) else {
                let message = "HTTP status \(capture.status)"
                targetLogger.warning("unexpected status", metadata: ["url": "\(target.url)", "status": "\(capture.status)"])
                summary.failures.append(TargetFailure(target: target.id, url: target.url, error: message))
                continue
            }
            let items: [Item]
            do {
                let kind = SourceKind.guess(mediaType: capture.mediaType, path: capture.finalURL, body: capture.body)
                items = try Extractor().items(from: capture, kind: kind)
            } catch {
                targetLogger.warning("extraction failed", metadata: ["url": "\(target.url)", "error": "\(error)"])
                summary.failures.append(TargetFailure(target: target.id, url: target.url, error: "\(error)"))
                continue
            }
            for var item in items {
                if let subject = target.subject { item.subject = subject }
                summary.items += 1
                let evaluation = ruleSet.evaluate(item)
                try store.recordItem(id: item.identityURL, url: item.sourceURL, contentDigest: RuleSet.contentDigest(of: item), at: capture.fetchedAt)
                for finding in evaluation.findings {
                    if let existing = try store.bundlePath(forFinding: finding.id) {
                        summary.findings.append(ScanFinding(target: target.id, finding: finding, url: item.sourceURL, bundle: existing, new: false))
                        continue
                    }
                    let outcome = try writer.write(BundleContent(capture: capture, item: item, finding: finding, packs: packs))
                    try store.recordFinding(finding, itemURL: item.identityURL, bundlePath: outcome.path, at: Date())
                    summary.findings.append(ScanFinding(target: target.id, finding: finding, url: item.sourceURL, bundle: outcome.path, new: true))
                    targetLogger.info("finding", metadata: ["rule": "\(finding.rule)", "severity": "\(finding.severity.rawValue)", "bundle": "\(outcome.path)"])
                }
            }
        }
        return summary
    }
}

extension ScanFinding {
    init(target: String, finding: Finding, url: String, bundle: String, new: Bool) {
        self.init(id: finding.id, target: target, url: url, rule: finding.rule, act: finding.act,
                  severity: finding.severity, score: finding.score, bundle: bundle, new: new)
    }
}
