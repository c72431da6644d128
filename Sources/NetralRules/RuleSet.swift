public import Foundation
import Crypto
public import NetralModel

/// All loaded packs compiled for matching: one term matcher, the signals by name and kind
/// (the built-in detectors included), and the rules in load order. Immutable and safe to share.
public struct RuleSet: Sendable {
    public let packs: [RulePack]
    /// Every signal, with the index of its pack (nil for built-in detectors).
    let signals: [(signal: Signal, pack: Int?)]
    let signalIndex: [String: Int]
    let matcher: TermMatcher

    init(packs: [RulePack]) {
        self.packs = packs
        var signals: [(signal: Signal, pack: Int?)] = Detectors.builtInSignals.map { ($0, nil) }
        var matcher = TermMatcher()
        for (packIndex, pack) in packs.enumerated() {
            for signal in pack.signals {
                for term in signal.terms { matcher.insert(term: term, signal: signals.count) }
                signals.append((signal, packIndex))
            }
        }
        var index: [String: Int] = [:]
        var byKind: [String: [String]] = [:]
        for (position, entry) in signals.enumerated() {
            index[entry.signal.name] = position
            byKind[entry.signal.kind.rawValue, default: []].append(entry.signal.name)
        }
        self.signals = signals
        self.signalIndex = index
        self.signalsByKind = byKind
        self.matcher = matcher
    }

    /// Signal names by kind, for conditions that name a kind.
    let signalsByKind: [String: [String]]

    /// Every rule with the pack it belongs to.
    public var rules: [(rule: Rule, pack: RulePack)] {
        packs.flatMap { pack in pack.rules.map { ($0, pack) } }
    }

    /// Number of compiled terms.
    public var termCount: Int { matcher.entries.count }

    /// Every hit of every signal in the item, in field order (signals outside their window
    /// included, so an analyst sees them).
    public func hits(in item: Item) -> [Hit] {
        locatedHits(in: item).map(\.hit)
    }

    /// Judges an item: all hits, and a finding for every rule whose condition holds.
    public func evaluate(_ item: Item) -> Evaluation {
        let located = locatedHits(in: item)
        let cancelled = cancelledHits(located)
        let counted = located.filter { hit in
            if cancelled.contains(hit.id) { return false }
            guard let index = signalIndex[hit.hit.signal] else { return true }
            let signal = signals[index].signal
            if signal.kind == .qualifier { return false }
            guard let window = signal.window else { return true }
            return window.contains(item.publishedAt)
        }
        let context = EvaluationContext(ruleSet: self, hits: counted)
        var findings: [Finding] = []
        // Hashing the item is only needed for a finding's id; most items give none.
        lazy var contentDigest = Self.contentDigest(of: item)
        for pack in packs {
            for rule in pack.rules {
                let when = context.evaluate(rule.when)
                guard when.holds else { continue }
                if let unless = rule.unless, context.evaluate(unless).holds { continue }
                let usedHits = counted.filter { when.hits.contains($0.id) }.map(\.hit)
                let (score, notes) = score(item: item, usedHits: usedHits)
                findings.append(Finding(
                    id: Self.findingID(identity: item.identityURL, contentDigest: contentDigest, rule: rule.id),
                    rule: rule.id,
                    pack: pack.reference,
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

    /// Ids of hits cancelled by a qualifier just before them (`pensiunan` PNS).
    func cancelledHits(_ hits: [LocatedHit]) -> Set<Int> {
        var cancelled = Set<Int>()
        for qualifier in hits {
            guard let index = signalIndex[qualifier.hit.signal], let cancels = signals[index].signal.cancels else { continue }
            for hit in hits where hit.id != qualifier.id && hit.hit.field == qualifier.hit.field && hit.hit.fieldIndex == qualifier.hit.fieldIndex {
                guard hit.hit.signal == cancels.target || hit.hit.kind == cancels.target else { continue }
                if qualifier.firstToken <= hit.firstToken && hit.firstToken - qualifier.lastToken <= cancels.within {
                    cancelled.insert(hit.id)
                }
            }
        }
        return cancelled
    }

    /// A hit and where it sits among the tokens of its field, for `near`.
    struct LocatedHit {
        var id: Int
        var hit: Hit
        var firstToken: Int
        var lastToken: Int
    }

    func locatedHits(in item: Item) -> [LocatedHit] {
        var result: [LocatedHit] = []
        func add(_ hit: Hit, _ first: Int, _ last: Int) {
            result.append(LocatedHit(id: result.count, hit: hit, firstToken: first, lastToken: last))
        }
        if let subject = item.subject {
            let described = [subject.role, subject.agency].compactMap { $0 }.joined(separator: ", ")
            let quote = NIPMasking.mask([subject.name, described.isEmpty ? nil : described, subject.nip.map { "NIP \($0)" }].compactMap { $0 }.joined(separator: "; "))
            add(Hit(signal: Detectors.subjectSignal, kind: SignalKind.asn.rawValue, term: "subjek target", field: .subject,
                    fieldIndex: 0, start: 0, end: 0, quote: quote), 0, 0)
        }
        for field in item.fieldTexts {
            let tokens = Tokenizer.tokens(of: field.text)
            let utf8 = Array(field.text.utf8)
            for match in matcher.matches(in: tokens) {
                let entry = matcher.entries[match.entry]
                let signal = signals[entry.signal].signal
                let start: Int, end: Int
                if let parts = match.parts {
                    start = tokens[match.firstToken].parts[parts.lowerBound].start
                    end = tokens[match.firstToken].parts[parts.upperBound].end
                } else {
                    start = tokens[match.firstToken].start
                    end = tokens[match.lastToken].end
                }
                let hit = Hit(
                    signal: signal.name, kind: signal.kind.rawValue, term: entry.term,
                    field: field.field, fieldIndex: field.index, start: start, end: end,
                    quote: String(decoding: utf8[start..<end], as: UTF8.self)
                )
                add(hit, match.firstToken, match.lastToken)
            }
            for detection in Detectors.detect(in: field.text) {
                // Token positions for `near`: the tokens the detection covers.
                let first = tokens.firstIndex { $0.end > detection.start } ?? tokens.count
                let last = tokens.lastIndex { $0.start < detection.end } ?? first
                let hit = Hit(signal: detection.signal, kind: SignalKind.asn.rawValue, term: detection.term,
                              field: field.field, fieldIndex: field.index, start: detection.start, end: detection.end,
                              quote: detection.quote)
                add(hit, first, max(first, last))
            }
        }
        return result
    }

    /// Score in 0...1; see Rules/README.md. The strength of the ASN evidence used (the highest
    /// weight among the `asn` hits: a known subject or a NIP is 1, a title such as `guru` that
    /// also exists outside the civil service less), halved when the item is dated outside the
    /// windows of all election packs the finding used (windows score, they do not filter).
    func score(item: Item, usedHits: [Hit]) -> (Double, [String]) {
        var score = 1.0
        var notes: [String] = []
        let asnWeights = usedHits.filter { $0.kind == SignalKind.asn.rawValue }
            .compactMap { signalIndex[$0.signal].map { signals[$0].signal.weight } }
        if let strongest = asnWeights.max(), strongest < 1 {
            score *= strongest
            notes.append("identitas ASN hanya dari sebutan yang juga dipakai di luar ASN (bobot \(String(format: "%.2f", strongest)))")
        }
        let usedPacks = Set(usedHits.compactMap { signalIndex[$0.signal].flatMap { signals[$0].pack } })
        let windowed = usedPacks.sorted().map { packs[$0] }.filter { $0.window != nil }
        guard !windowed.isEmpty else { return (score, notes) }
        if let published = item.publishedAt {
            if !windowed.contains(where: { $0.window!.contains(published) }) {
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
        /// Ids of the hits that made it hold.
        var hits: Set<Int> = []
    }

    /// The signals a name stands for: the signal itself, or every signal of a kind.
    func signals(named name: String) -> [String] {
        if ruleSet.signalIndex[name] != nil { return [name] }
        return ruleSet.signalsByKind[name] ?? []
    }

    func hits(named name: String, scopes: [FieldScope]? = nil) -> [RuleSet.LocatedHit] {
        let all = signals(named: name).flatMap { hitsBySignal[$0] ?? [] }
        guard let scopes else { return all }
        return all.filter { hit in scopes.contains { $0.contains(hit.hit.field) } }
    }

    func evaluate(_ condition: Condition) -> Outcome {
        switch condition {
        case .name(let name):
            let found = hits(named: name)
            return found.isEmpty ? Outcome(holds: false) : Outcome(holds: true, fired: [name], hits: Set(found.map(\.id)))
        case let .scoped(name, scopes):
            let found = hits(named: name, scopes: scopes)
            return found.isEmpty ? Outcome(holds: false) : Outcome(holds: true, fired: ["\(condition)"], hits: Set(found.map(\.id)))
        case .and(let parts):
            var outcome = Outcome(holds: true)
            for part in parts {
                let result = evaluate(part)
                guard result.holds else { return Outcome(holds: false) }
                outcome.fired += result.fired
                outcome.hits.formUnion(result.hits)
            }
            return outcome
        case .or(let parts):
            return atLeast(1, parts)
        case .atLeast(let count, let parts):
            return atLeast(count, parts)
        case .not(let part):
            return evaluate(part).holds ? Outcome(holds: false) : Outcome(holds: true, fired: ["not \(part)"])
        case let .near(first, second, words):
            var used = Set<Int>()
            let secondHits = hits(named: second)
            for a in hits(named: first) {
                for b in secondHits where a.hit.field == b.hit.field && a.hit.fieldIndex == b.hit.fieldIndex && a.id != b.id {
                    let gap = a.firstToken <= b.firstToken ? b.firstToken - a.lastToken : a.firstToken - b.lastToken
                    if gap <= words {
                        used.insert(a.id)
                        used.insert(b.id)
                    }
                }
            }
            return used.isEmpty ? Outcome(holds: false) : Outcome(holds: true, fired: ["\(condition)"], hits: used)
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
                outcome.hits.formUnion(result.hits)
            }
        }
        outcome.holds = held >= count
        return outcome.holds ? outcome : Outcome(holds: false)
    }
}
