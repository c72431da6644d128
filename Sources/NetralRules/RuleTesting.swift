import Foundation
import NetralModel
public import NetralYAML

/// A file of labelled items (`Fixtures/labelled/*.yaml`), the same shape as pack examples.
public struct LabelledSet: Sendable {
    public var name: String
    public var path: String
    public var items: [PackExample]
}

public enum LabelledSetLoader {
    /// Loads labelled sets from files or folders (every `*.yaml` directly inside). All errors of
    /// all files are reported at once, as `file:line:col: message`; ids must be unique.
    public static func load(paths: [String]) throws(DiagnosticsError) -> [LabelledSet] {
        let files = try PackLoader.packFiles(in: paths)
        var diagnostics = DiagnosticList()
        var sets: [LabelledSet] = []
        var ids: [String: String] = [:]
        for file in files {
            let root: YAMLValue
            do {
                root = try YAMLDocument.load(path: file).value
            } catch {
                for diagnostic in error.diagnostics { diagnostics.append(diagnostic) }
                continue
            }
            guard let mapping = root.mapping("a labelled set", into: &diagnostics) else { continue }
            mapping.checkKeys(allowed: ["format", "set", "description", "items"], required: ["format", "items"], in: "a labelled set", into: &diagnostics)
            if let format = mapping["format"], let value = format.integer("format", into: &diagnostics), value != 1 {
                diagnostics.append(format.diagnostic("unsupported labelled-set format \(value); this Netral reads format 1"))
            }
            let name = mapping["set"].flatMap { $0.string("set", into: &diagnostics) } ?? ((file as NSString).lastPathComponent as NSString).deletingPathExtension
            var items: [PackExample] = []
            for (index, value) in (mapping["items"]?.sequence("items", into: &diagnostics) ?? []).enumerated() {
                guard let (item, _) = PackLoader.parseLabelledItem(value, defaultID: "\(name)-\(index + 1)", into: &diagnostics) else { continue }
                if let other = ids[item.id] {
                    diagnostics.append(value.diagnostic("duplicate labelled item id '\(item.id)' (also at \(other))"))
                }
                ids[item.id] = item.location
                items.append(item)
            }
            sets.append(LabelledSet(name: name, path: file, items: items))
        }
        guard diagnostics.isEmpty else { throw DiagnosticsError(diagnostics.sorted) }
        return sets
    }
}

/// True and false positives and negatives of one rule (or of "flag anything at all").
public struct RuleStatistics: Sendable, Codable, Equatable {
    public var rule: String
    public var truePositives = 0
    public var falsePositives = 0
    public var falseNegatives = 0
    public var trueNegatives = 0

    public init(rule: String) {
        self.rule = rule
    }

    /// Nil when the rule never fired.
    public var precision: Double? {
        truePositives + falsePositives == 0 ? nil : Double(truePositives) / Double(truePositives + falsePositives)
    }

    /// Nil when no item expected the rule.
    public var recall: Double? {
        truePositives + falseNegatives == 0 ? nil : Double(truePositives) / Double(truePositives + falseNegatives)
    }

    mutating func count(expected: Bool, fired: Bool) {
        switch (expected, fired) {
        case (true, true): truePositives += 1
        case (false, true): falsePositives += 1
        case (true, false): falseNegatives += 1
        case (false, false): trueNegatives += 1
        }
    }
}

/// What `netral rules test` found.
public struct RuleTestReport: Sendable {
    public struct Failure: Sendable {
        public var example: PackExample
        /// Where the example comes from: a pack name or a labelled set name.
        public var source: String
        public var expected: [String]
        public var actual: [String]
        public var evaluation: Evaluation
        /// Expected rule ids that no loaded pack defines.
        public var unknownRules: [String]
    }

    public var examples = 0
    public var rules: [RuleStatistics] = []
    /// Any violation vs none: the judgement a reviewer first sees (reports about others are
    /// leads, not accusations, and are counted per rule only).
    public var items = RuleStatistics(rule: "(any violation)")
    public var failures: [Failure] = []

    public var passed: Bool { failures.isEmpty }
}

public enum RuleTester {
    /// Runs every pack example and every labelled item through the rule set.
    public static func run(_ ruleSet: RuleSet, sets: [LabelledSet]) -> RuleTestReport {
        var report = RuleTestReport()
        let ruleIDs = ruleSet.rules.map(\.rule.id)
        let reportRules = Set(ruleSet.rules.filter { $0.rule.findingClass == .report }.map(\.rule.id))
        var statistics = Dictionary(uniqueKeysWithValues: ruleIDs.map { ($0, RuleStatistics(rule: $0)) })
        var cases: [(PackExample, String)] = []
        for pack in ruleSet.packs { cases += pack.examples.map { ($0, pack.reference.name) } }
        for set in sets { cases += set.items.map { ($0, set.name) } }
        for (example, source) in cases {
            report.examples += 1
            let evaluation = ruleSet.evaluate(example.item)
            let fired = Set(evaluation.findings.map(\.rule))
            let expected = Set(example.expect)
            let expectsViolation = !expected.subtracting(reportRules).isEmpty
            if example.expectIncludes {
                // At least these: a rule it does not list is not labelled either way, and the
                // item counts for "any violation" only when it lists a violation.
                for id in ruleIDs where expected.contains(id) { statistics[id]!.count(expected: true, fired: fired.contains(id)) }
                if expectsViolation { report.items.count(expected: true, fired: !fired.subtracting(reportRules).isEmpty) }
            } else {
                for id in ruleIDs { statistics[id]!.count(expected: expected.contains(id), fired: fired.contains(id)) }
                report.items.count(expected: expectsViolation, fired: !fired.subtracting(reportRules).isEmpty)
            }
            let unknown = expected.subtracting(ruleIDs).sorted()
            if example.expectIncludes ? !expected.isSubset(of: fired) : fired != expected {
                report.failures.append(RuleTestReport.Failure(
                    example: example, source: source, expected: expected.sorted(), actual: fired.sorted(),
                    evaluation: evaluation, unknownRules: unknown
                ))
            }
        }
        report.rules = ruleIDs.compactMap { statistics[$0] }
        return report
    }
}
