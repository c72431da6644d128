import Foundation
public import NetralModel

/// Rules that did not give a finding although the item came close, for an analyst tuning
/// packs (`netral explain`): rules that nearly fired, with the one part of their condition
/// that was missing, and rules whose condition held but whose `unless` held them back, with
/// the parts of `unless` that did. Made on request from an `Evaluation` (`diagnosis()`): a
/// scan that does not ask pays nothing for it.
public struct RuleDiagnosis: Sendable, Codable, Equatable {
    public var nearMisses: [NearMiss] = []
    public var heldBack: [HeldBackRule] = []

    public init(nearMisses: [NearMiss] = [], heldBack: [HeldBackRule] = []) {
        self.nearMisses = nearMisses
        self.heldBack = heldBack
    }
}

/// A rule whose `when` holds in every part but one (a `when` that is an `and` of parts;
/// `2 of (...)` one short counts too), with at least one part held.
public struct NearMiss: Sendable, Codable, Equatable {
    public var rule: String
    public var pack: String
    public var findingClass: FindingClass
    public var act: String
    /// The rule's `when` as written.
    public var condition: String
    /// The parts of `when` that held (as `Finding.fired`).
    public var held: [String]
    public var missing: MissingPart
    /// The hits the held parts used, at most `Finding.maximumHits`.
    public var hits: [Hit]
    public var omittedHits: Int

    enum CodingKeys: String, CodingKey {
        case rule, pack, findingClass = "class", act, condition, held, missing, hits, omittedHits
    }
}

/// The part of a condition that did not hold, and why.
public struct MissingPart: Sendable, Codable, Equatable {
    public enum Reason: String, Sendable, Codable {
        /// No hit of the part's signals at all (for `near`: of the side in `side`).
        case absent
        /// Hits of the signals exist, but none in the scope asked for (`asn[self]`: identity
        /// that does not describe the author; `candidate[window]`: dated outside the race).
        case outOfScope = "out_of_scope"
        /// Both sides of a `near` have hits, but never within its words in one field.
        case tooFar = "too_far"
        /// A `not` part: what it excludes holds.
        case excluded
        /// Fewer of the alternatives hold than needed (`or`, `2 of (...)`).
        case tooFew = "too_few"
    }

    /// The part as written.
    public var condition: String
    public var reason: Reason
    /// For a `near` part whose side has no hit: that side's name.
    public var side: String?
    /// Analyst-facing reason, in Bahasa Indonesia.
    public var explanation: String
}

/// A rule whose `when` held but whose `unless` held too, so it gave no finding.
public struct HeldBackRule: Sendable, Codable, Equatable {
    public var rule: String
    public var pack: String
    public var findingClass: FindingClass
    public var act: String
    public var condition: String
    /// The rule's `unless` as written.
    public var unless: String
    /// The parts of `when` that held.
    public var fired: [String]
    /// The parts of `unless` that held: the signals that held the rule back.
    public var blockedBy: [String]
    /// The hits of the blocking parts, at most `Finding.maximumHits`.
    public var hits: [Hit]
    public var omittedHits: Int

    enum CodingKeys: String, CodingKey {
        case rule, pack, findingClass = "class", act, condition, unless, fired, blockedBy, hits, omittedHits
    }
}

extension RuleSet {
    /// What `Evaluation.diagnosis()` needs of the rule set, shared by reference so an
    /// evaluation carries one pointer for it.
    final class DiagnosisSupport: Sendable {
        let program: ConditionProgram
        let compiledRules: [CompiledRule]
        /// Per compiled rule: the rule and its pack's name.
        let rules: [(rule: Rule, pack: String)]
        let neverCounts: [Bool]

        init(program: ConditionProgram, compiledRules: [CompiledRule], packs: [RulePack], neverCounts: [Bool]) {
            self.program = program
            self.compiledRules = compiledRules
            self.rules = compiledRules.map { (packs[$0.pack].rules[$0.rule], packs[$0.pack].reference.name) }
            self.neverCounts = neverCounts
        }
    }
}

extension Evaluation {
    /// The rules that nearly fired and the rules held back by `unless` (see `RuleDiagnosis`),
    /// in rule order. Judges the item's hits again with a context of its own: linear in the
    /// hits, like judging, and only when asked.
    public func diagnosis() -> RuleDiagnosis {
        guard let support = diagnostics, let standings else { return RuleDiagnosis() }
        var context = EvaluationContext(program: support.program)
        RuleSet.count(located.hits, standings: standings, publishedAt: publishedAt, facts: facts, neverCounts: support.neverCounts, into: &context)
        var result = RuleDiagnosis()
        for (position, compiled) in support.compiledRules.enumerated() {
            let (rule, pack) = support.rules[position]
            if context.holds(compiled.when) {
                guard let unless = compiled.unless, context.holds(unless) else { continue }
                let fired = context.explainHolding(compiled.when)
                let blockedBy = context.explainHolding(unless)
                let (hits, omitted) = shownHits(context)
                result.heldBack.append(HeldBackRule(
                    rule: rule.id, pack: pack, findingClass: rule.findingClass, act: rule.act, condition: rule.whenText,
                    unless: rule.unlessText ?? "", fired: fired, blockedBy: blockedBy, hits: hits, omittedHits: omitted
                ))
                continue
            }
            guard let (heldParts, missing) = Self.nearMiss(compiled.when, context: context) else { continue }
            let held = context.explainHolding(parts: heldParts)
            let (hits, omitted) = shownHits(context)
            result.nearMisses.append(NearMiss(
                rule: rule.id, pack: pack, findingClass: rule.findingClass, act: rule.act, condition: rule.whenText,
                held: held, missing: Self.missingPart(missing, context: context, program: support.program), hits: hits, omittedHits: omitted
            ))
        }
        return result
    }

    /// The hits of the context's last explanation, capped as a finding's are.
    private func shownHits(_ context: EvaluationContext) -> ([Hit], Int) {
        var ids = context.explainedHits
        var omitted = context.omittedHits
        if ids.count > Finding.maximumHits {
            omitted += ids.count - Finding.maximumHits
            ids.removeLast(ids.count - Finding.maximumHits)
        }
        return (ids.map { RuleSet.hit(located.hits[$0], of: located, facts: facts) }, omitted)
    }

    /// The held parts and the one missing part of a `when` that does not hold, when it nearly
    /// does: an `and` (nested ones flattened) with exactly one part missing and one held, or
    /// an `N of (...)` (an `or` is `1 of`) with exactly N-1 alternatives held, at least one.
    static func nearMiss(_ root: Int, context: EvaluationContext) -> (held: [Int], missing: Int)? {
        let parts = context.conjuncts(of: root)
        if parts.count > 1 {
            let missing = parts.filter { !context.holds($0) }
            guard missing.count == 1 else { return nil }
            return (parts.filter { context.holds($0) }, missing[0])
        }
        let shape = context.shape(of: root)
        guard shape.operation == .atLeast, shape.count > 1 else { return nil }
        let held = shape.children.filter { context.holds($0) }
        guard held.count == shape.count - 1 else { return nil }
        return (held, root)
    }

    static func missingPart(_ index: Int, context: EvaluationContext, program: ConditionProgram) -> MissingPart {
        let label = program.labels[index]
        let shape = context.shape(of: index)
        switch shape.operation {
        case .signals:
            if context.anyHits(index) {
                return MissingPart(condition: label, reason: .outOfScope,
                                   explanation: "ada kecocokan \(label.prefix { $0 != "[" }), tetapi tidak dalam cakupan \(label.drop { $0 != "[" })")
            }
            return MissingPart(condition: label, reason: .absent, explanation: "tidak ada kecocokan \(label)")
        case .near:
            let sides = program.nearSides[index] ?? ("", "")
            if !context.anyHits(index) {
                return MissingPart(condition: label, reason: .absent, side: sides.0, explanation: "tidak ada kecocokan \(sides.0)")
            }
            if !context.anyHits(index, second: true) {
                return MissingPart(condition: label, reason: .absent, side: sides.1, explanation: "tidak ada kecocokan \(sides.1)")
            }
            return MissingPart(condition: label, reason: .tooFar,
                               explanation: "\(sides.0) dan \(sides.1) ada, tetapi tidak berdekatan dalam satu bidang")
        case .not:
            return MissingPart(condition: label, reason: .excluded, explanation: "yang dikecualikan terpenuhi: \(label.dropFirst(4))")
        case .atLeast, .and:
            let held = shape.children.filter { context.holds($0) }.count
            let needed = shape.operation == .and ? shape.children.count : shape.count
            return MissingPart(condition: label, reason: .tooFew,
                               explanation: "baru \(held) dari \(needed) bagian yang diperlukan terpenuhi")
        }
    }
}
