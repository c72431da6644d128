public import Foundation
import Crypto
public import NetralModel

/// All loaded packs compiled for matching: one term matcher, the signals by name and kind, and
/// the rules in load order. Immutable and safe to share between tasks.
public struct RuleSet: Sendable {
    public let packs: [RulePack]
    /// Every signal of every pack, with the index of its pack.
    let signals: [(signal: Signal, pack: Int)]
    let signalIndex: [String: Int]
    let matcher: TermMatcher

    init(packs: [RulePack]) {
        self.packs = packs
        var signals: [(signal: Signal, pack: Int)] = []
        var index: [String: Int] = [:]
        var matcher = TermMatcher()
        for (packIndex, pack) in packs.enumerated() {
            for signal in pack.signals {
                index[signal.name] = signals.count
                for term in signal.terms { matcher.insert(term: term, signal: signals.count) }
                signals.append((signal, packIndex))
            }
        }
        self.signals = signals
        self.signalIndex = index
        self.matcher = matcher
    }

    /// Every rule with the pack it belongs to.
    public var rules: [(rule: Rule, pack: RulePack)] {
        packs.flatMap { pack in pack.rules.map { ($0, pack) } }
    }

    /// Number of compiled terms.
    public var termCount: Int { matcher.entries.count }

    /// Every hit of every signal in the item, in field order.
    public func hits(in item: Item) -> [Hit] {
        locatedHits(in: item).map(\.hit)
    }

    /// Judges an item: all hits, and a finding for every rule whose condition holds.
    public func evaluate(_ item: Item) -> Evaluation {
        let located = locatedHits(in: item)
        let context = EvaluationContext(ruleSet: self, hits: located)
        var findings: [Finding] = []
        let contentDigest = Self.contentDigest(of: item)
        for (packIndex, pack) in packs.enumerated() {
            for rule in pack.rules {
                let when = context.evaluate(rule.when)
                guard when.holds else { continue }
                if let unless = rule.unless, context.evaluate(unless).holds { continue }
                let usedHits = located.filter { when.signals.contains($0.hit.signal) }.map(\.hit)
                let (score, notes) = score(item: item, usedSignals: when.signals)
                findings.append(Finding(
                    id: Self.findingID(identity: item.identityURL, contentDigest: contentDigest, rule: rule.id),
                    rule: rule.id,
                    pack: packs[packIndex].reference,
                    act: rule.act,
                    severity: rule.severity,
                    score: score,
                    description: rule.description,
                    hits: usedHits,
                    fired: when.fired,
                    condition: rule.whenText,
                    unless: rule.unlessText,
                    scoreNotes: notes
                ))
            }
        }
        findings.sort { ($0.severity, $0.score) > ($1.severity, $1.score) }
        return Evaluation(hits: located.map(\.hit), findings: findings)
    }

    /// A hit and where it sits among the tokens of its field, for `near`.
    struct LocatedHit {
        var hit: Hit
        var firstToken: Int
        var lastToken: Int
    }

    func locatedHits(in item: Item) -> [LocatedHit] {
        var result: [LocatedHit] = []
        for field in item.fieldTexts {
            let tokens = Tokenizer.tokens(of: field.text)
            let utf8 = Array(field.text.utf8)
            for match in matcher.matches(in: tokens) {
                let entry = matcher.entries[match.entry]
                let signal = signals[entry.signal].signal
                let start = tokens[match.firstToken].start
                let end = tokens[match.lastToken].end
                let hit = Hit(
                    signal: signal.name, kind: signal.kind.rawValue, term: entry.term,
                    field: field.field, fieldIndex: field.index, start: start, end: end,
                    quote: String(decoding: utf8[start..<end], as: UTF8.self)
                )
                result.append(LocatedHit(hit: hit, firstToken: match.firstToken, lastToken: match.lastToken))
            }
        }
        return result
    }

    /// Score in 0...1. A finding starts at 1. A match dated outside the validity window of the
    /// election packs it used is halved (the window scores, it does not filter: the rules also
    /// apply before and after a campaign). Each reduction is explained in `notes`.
    func score(item: Item, usedSignals: Set<String>) -> (Double, [String]) {
        var score = 1.0
        var notes: [String] = []
        let windowed = Set(usedSignals.compactMap { signalIndex[$0] }.map { signals[$0].pack })
            .map { packs[$0] }
            .filter { $0.window != nil }
        guard !windowed.isEmpty else { return (score, notes) }
        if let published = item.publishedAt {
            let inside = windowed.contains { $0.window!.contains(published) }
            if !inside {
                score *= 0.5
                let names = windowed.map { "\($0.reference.name) (\($0.window!.text))" }.joined(separator: ", ")
                notes.append("diterbitkan di luar masa berlaku paket \(names)")
            }
        } else {
            notes.append("tanggal terbit tidak diketahui; masa berlaku paket tidak dapat diperiksa")
        }
        return (score, notes)
    }

    /// A digest of everything a rule can see in an item, so an edited post gets a new finding id.
    public static func contentDigest(of item: Item) -> String {
        var hasher = SHA256()
        for field in item.fieldTexts {
            hasher.update(data: Data("\(field.field.rawValue)[\(field.index)]\u{0}\(field.text)\u{0}".utf8))
        }
        return hasher.finalize().map { String(format: "%02x", $0) }.joined()
    }

    /// Stable id of a finding: the item's identity, its content and the rule.
    static func findingID(identity: String, contentDigest: String, rule: String) -> String {
        let digest = SHA256.hash(data: Data("\(identity)\n\(contentDigest)\n\(rule)".utf8))
        return digest.prefix(12).map { String(format: "%02x", $0) }.joined()
    }
}

/// The result of judging one item.
public struct Evaluation: Sendable {
    /// Every hit of every signal, whether or not a rule fired.
    public var hits: [Hit]
    public var findings: [Finding]
}

/// Evaluates conditions against the hits of one item.
struct EvaluationContext {
    let ruleSet: RuleSet
    let hitsBySignal: [String: [RuleSet.LocatedHit]]

    init(ruleSet: RuleSet, hits: [RuleSet.LocatedHit]) {
        self.ruleSet = ruleSet
        self.hitsBySignal = Dictionary(grouping: hits, by: \.hit.signal)
    }

    struct Outcome {
        var holds: Bool
        /// The parts of the condition that held, as written.
        var fired: [String] = []
        /// Signals whose hits made it hold.
        var signals: Set<String> = []
    }

    /// The signals a name stands for: the signal itself, or every signal of a kind.
    func signals(named name: String) -> [String] {
        if ruleSet.signalIndex[name] != nil { return [name] }
        guard let kind = SignalKind(rawValue: name) else { return [] }
        return ruleSet.signals.filter { $0.signal.kind == kind }.map(\.signal.name)
    }

    func evaluate(_ condition: Condition) -> Outcome {
        switch condition {
        case .name(let name):
            let matched = signals(named: name).filter { hitsBySignal[$0] != nil }
            return matched.isEmpty ? Outcome(holds: false) : Outcome(holds: true, fired: [name], signals: Set(matched))
        case .and(let parts):
            var outcome = Outcome(holds: true)
            for part in parts {
                let result = evaluate(part)
                guard result.holds else { return Outcome(holds: false) }
                outcome.fired += result.fired
                outcome.signals.formUnion(result.signals)
            }
            return outcome
        case .or(let parts):
            return atLeast(1, parts)
        case .atLeast(let count, let parts):
            return atLeast(count, parts)
        case .not(let part):
            return evaluate(part).holds ? Outcome(holds: false) : Outcome(holds: true, fired: ["not \(part)"])
        case let .near(first, second, words):
            let firstSignals = signals(named: first), secondSignals = signals(named: second)
            let firstHits = firstSignals.flatMap { hitsBySignal[$0] ?? [] }
            let secondHits = secondSignals.flatMap { hitsBySignal[$0] ?? [] }
            var used = Set<String>()
            for a in firstHits {
                for b in secondHits where a.hit.field == b.hit.field && a.hit.fieldIndex == b.hit.fieldIndex {
                    let gap = a.firstToken <= b.firstToken ? b.firstToken - a.lastToken : a.firstToken - b.lastToken
                    if gap <= words {
                        used.insert(a.hit.signal)
                        used.insert(b.hit.signal)
                    }
                }
            }
            return used.isEmpty ? Outcome(holds: false) : Outcome(holds: true, fired: ["\(condition)"], signals: used)
        }
    }

    private func atLeast(_ count: Int, _ parts: [Condition]) -> Outcome {
        var outcome = Outcome(holds: false)
        var held = 0
        for part in parts {
            let result = evaluate(part)
            if result.holds {
                held += 1
                outcome.fired += result.fired
                outcome.signals.formUnion(result.signals)
            }
        }
        outcome.holds = held >= count
        return outcome.holds ? outcome : Outcome(holds: false)
    }
}
