import Foundation
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
        func resolve(_ name: String) -> [Int] {
            if let position = index[name] { return [position] }
            return (byKind[name] ?? []).compactMap { index[$0] }
        }
        self.compiled = packs.map { pack in
            pack.rules.map { rule in
                (CompiledCondition(rule.when, resolve: resolve), rule.unless.map { CompiledCondition($0, resolve: resolve) })
            }
        }
    }

    /// Signal names by kind, for conditions that name a kind.
    let signalsByKind: [String: [String]]
    /// Each rule's `when` and `unless`, with names resolved to signal indices, by pack and rule.
    let compiled: [[(when: CompiledCondition, unless: CompiledCondition?)]]

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
        for (packIndex, pack) in packs.enumerated() {
            for (ruleIndex, rule) in pack.rules.enumerated() {
                let conditions = compiled[packIndex][ruleIndex]
                let when = context.evaluate(conditions.when)
                guard when.holds else { continue }
                if let unless = conditions.unless, context.evaluate(unless).holds { continue }
                var used = [Bool](repeating: false, count: located.count)
                for id in when.hits { used[id] = true }
                let usedHits = located.filter { used[$0.id] }.map(\.hit)
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
        return hexString(hasher.finalize())
    }

    /// Stable id of a finding: the item's identity, its content and the rule.
    static func findingID(identity: String, contentDigest: String, rule: String) -> String {
        let digest = SHA256.hash(data: Data("\(identity)\n\(contentDigest)\n\(rule)".utf8))
        return hexString(digest.prefix(12))
    }
}

/// The result of judging one item.
public struct Evaluation: Sendable {
    /// Every hit of every signal, whether or not a rule fired.
    public var hits: [Hit]
    public var findings: [Finding]
}

/// A condition with its names resolved to signal indices and its "fired" labels written out
/// once, so judging an item does no name lookups and builds no strings.
indirect enum CompiledCondition: Sendable {
    case signals([Int], label: String, scopes: [FieldScope]?)
    case and([CompiledCondition])
    case atLeast(Int, [CompiledCondition])
    case not(CompiledCondition, label: String)
    case near([Int], [Int], Int, label: String)

    init(_ condition: Condition, resolve: (String) -> [Int]) {
        switch condition {
        case .name(let name):
            self = .signals(resolve(name), label: name, scopes: nil)
        case let .scoped(name, scopes):
            self = .signals(resolve(name), label: condition.description, scopes: scopes)
        case .and(let parts):
            self = .and(parts.map { CompiledCondition($0, resolve: resolve) })
        case .or(let parts):
            self = .atLeast(1, parts.map { CompiledCondition($0, resolve: resolve) })
        case let .atLeast(count, parts):
            self = .atLeast(count, parts.map { CompiledCondition($0, resolve: resolve) })
        case .not(let part):
            self = .not(CompiledCondition(part, resolve: resolve), label: condition.description)
        case let .near(first, second, words):
            self = .near(resolve(first), resolve(second), words, label: condition.description)
        }
    }
}

/// Evaluates compiled conditions against the hits of one item. Hits are referred to by id
/// (their index in the item's located hits), so conditions pass small integer lists around.
struct EvaluationContext {
    /// Hit ids per signal index.
    private let idsBySignal: [Int: [Int]]
    private let hitByID: [RuleSet.LocatedHit?]

    init(ruleSet: RuleSet, hits: [RuleSet.LocatedHit]) {
        var located = [RuleSet.LocatedHit?](repeating: nil, count: (hits.map(\.id).max() ?? -1) + 1)
        var bySignal: [Int: [Int]] = [:]
        for hit in hits {
            located[hit.id] = hit
            if let signal = ruleSet.signalIndex[hit.hit.signal] { bySignal[signal, default: []].append(hit.id) }
        }
        self.idsBySignal = bySignal
        self.hitByID = located
    }

    struct Outcome {
        var holds: Bool
        /// The parts of the condition that held, as written.
        var fired: [String] = []
        /// Ids of the hits that made it hold (may repeat).
        var hits: [Int] = []
    }

    private func ids(_ signals: [Int]) -> [Int] {
        if signals.count == 1 { return idsBySignal[signals[0]] ?? [] }
        var result: [Int] = []
        for signal in signals { if let found = idsBySignal[signal] { result += found } }
        return result
    }

    func evaluate(_ condition: CompiledCondition) -> Outcome {
        switch condition {
        case let .signals(signals, label, scopes):
            var found = ids(signals)
            if let scopes { found = found.filter { id in scopes.contains { $0.contains(hitByID[id]!.hit.field) } } }
            return found.isEmpty ? Outcome(holds: false) : Outcome(holds: true, fired: [label], hits: found)
        case .and(let parts):
            var outcome = Outcome(holds: true)
            for part in parts {
                let result = evaluate(part)
                guard result.holds else { return Outcome(holds: false) }
                outcome.fired += result.fired
                outcome.hits += result.hits
            }
            return outcome
        case let .atLeast(count, parts):
            var outcome = Outcome(holds: false)
            var held = 0
            for (index, part) in parts.enumerated() {
                // Not enough parts left to reach the count: stop early.
                if held + (parts.count - index) < count { break }
                let result = evaluate(part)
                if result.holds {
                    held += 1
                    outcome.fired += result.fired
                    outcome.hits += result.hits
                }
            }
            outcome.holds = held >= count
            return outcome.holds ? outcome : Outcome(holds: false)
        case let .not(part, label):
            return evaluate(part).holds ? Outcome(holds: false) : Outcome(holds: true, fired: [label])
        case let .near(first, second, words, label):
            let secondIDs = ids(second)
            guard !secondIDs.isEmpty else { return Outcome(holds: false) }
            var used: [Int] = []
            for firstID in ids(first) {
                let a = hitByID[firstID]!
                for secondID in secondIDs where secondID != firstID {
                    let b = hitByID[secondID]!
                    guard a.hit.field == b.hit.field && a.hit.fieldIndex == b.hit.fieldIndex else { continue }
                    let gap = a.firstToken <= b.firstToken ? b.firstToken - a.lastToken : a.firstToken - b.lastToken
                    if gap <= words {
                        used.append(firstID)
                        used.append(secondID)
                    }
                }
            }
            return used.isEmpty ? Outcome(holds: false) : Outcome(holds: true, fired: [label], hits: used)
        }
    }
}
