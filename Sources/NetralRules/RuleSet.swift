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
        var terms = TermMatcherBuilder()
        // Per matcher entry (one per term that has tokens, in insertion order): needs its race.
        var entryNeedsContext: [Bool] = []
        for (packIndex, pack) in packs.enumerated() {
            for signal in pack.signals {
                for term in signal.terms {
                    terms.insert(term: term, signal: signals.count)
                    entryNeedsContext.append(term.needsContext)
                }
                signals.append((signal, packIndex))
            }
        }
        let matcher = terms.finish()
        if entryNeedsContext.count != matcher.entries.count {
            // A term without tokens made no entry (the loader refuses those): match by signal and text.
            entryNeedsContext = matcher.entries.map { entry in
                signals[entry.signal].signal.terms.contains { $0.text == entry.term && $0.needsContext }
            }
        }
        var index: [String: Int] = [:]
        var byKind: [String: [String]] = [:]
        // Kinds by index too: a condition naming `candidate` resolves to thousands of signals.
        var kindIndices: [String: [Int]] = [:]
        for (position, entry) in signals.enumerated() {
            index[entry.signal.name] = position
            byKind[entry.signal.kind.rawValue, default: []].append(entry.signal.name)
            kindIndices[entry.signal.kind.rawValue, default: []].append(position)
        }
        self.signals = signals
        self.signalIndex = index
        self.signalsByKind = byKind
        self.matcher = matcher
        func resolve(_ name: String) -> [Int] {
            if let position = index[name] { return [position] }
            return kindIndices[name] ?? []
        }
        var program = ConditionProgram(signalCount: signals.count)
        self.compiledRules = packs.enumerated().flatMap { packIndex, pack in
            pack.rules.enumerated().map { ruleIndex, rule in
                CompiledRule(
                    pack: packIndex, rule: ruleIndex,
                    when: program.compile(rule.when, resolve: resolve),
                    unless: rule.unless.map { program.compile($0, resolve: resolve) }
                )
            }
        }
        self.program = program
        self.isMarker = signals.map { [.qualifier, .speaker, .filler].contains($0.signal.kind) }
        self.neverCounts = signals.map { $0.signal.kind == .qualifier || $0.signal.kind == .filler }
        self.introducesName = signals.map { $0.signal.kind == .speaker && $0.signal.identifies?.after != nil }
        self.isFiller = signals.map { $0.signal.kind == .filler }
        self.needsName = signals.map { $0.signal.kind == .person }
        self.signalFacts = SignalFacts(rulePacks: packs, signals: signals, matcher: matcher)
        self.raceScope = RaceScope(signals: signals, signalIndex: index, entryNeedsContext: entryNeedsContext)
        self.diagnostics = DiagnosisSupport(program: program, compiledRules: compiledRules, packs: packs, neverCounts: neverCounts)
        self.markerTargets = signals.map { entry in
            (entry.signal.cancels?.target ?? entry.signal.identifies?.target).map { target in
                // By index: thousands of generated signals, a hundred region qualifiers.
                var targets = Array(repeating: false, count: signals.count)
                for position in (index[target].map { [$0] } ?? []) + (kindIndices[target] ?? []) { targets[position] = true }
                return targets
            }
        }
    }

    /// What judging an item reads about each signal, in flat arrays (no `Signal` copies).
    final class SignalFacts: Sendable {
        let names: [String]
        let kinds: [String]
        let isASN: [Bool]
        let weights: [Double]
        let windows: [SignalWindow?]
        let packs: [Int?]
        /// The term of each matcher entry.
        let terms: [String]
        /// Per matcher entry: a hashtag term (`#PrabowoGibran2024`), for the `[tag]` scope.
        let entryIsHashtag: [Bool]
        /// The validity window of each pack.
        let packWindows: [PackWindow?]

        init(rulePacks: [RulePack], signals: [(signal: Signal, pack: Int?)], matcher: TermMatcher) {
            packWindows = rulePacks.map(\.window)
            names = signals.map(\.signal.name)
            kinds = signals.map(\.signal.kind.rawValue)
            isASN = signals.map { $0.signal.kind == .asn }
            weights = signals.map(\.signal.weight)
            windows = signals.map(\.signal.window)
            packs = signals.map(\.pack)
            terms = matcher.entries.map(\.term)
            entryIsHashtag = matcher.entries.map { $0.term.hasPrefix("#") }
        }
    }

    let signalFacts: SignalFacts
    /// Ballot numbers and context-needing terms, scoped to their race (see `RaceScope`).
    let raceScope: RaceScope
    /// What `Evaluation.diagnosis()` reads.
    let diagnostics: DiagnosisSupport

    /// Per signal: whether it is a qualifier, a speaker marker or a filler (which act on the
    /// hits near them).
    let isMarker: [Bool]
    /// Per signal: a qualifier or a filler, which never satisfies a condition itself.
    let neverCounts: [Bool]
    /// Per signal: a first-person marker that attribution may follow over a name.
    let introducesName: [Bool]
    /// Per signal: a filler, which a marker's reach passes over (`sy jg ASN`).
    let isFiller: [Bool]
    /// Per signal: a `person` signal, whose terms hit only when a capitalised name follows.
    let needsName: [Bool]
    /// Per qualifier or speaker signal: which signals it cancels or attributes.
    let markerTargets: [[Bool]?]

    /// Signal names by kind, for conditions that name a kind.
    let signalsByKind: [String: [String]]
    /// A rule's `when` and `unless` with names resolved to signal indices, and where the rule is.
    struct CompiledRule: Sendable {
        var pack: Int
        var rule: Int
        /// Root nodes in `program`.
        var when: Int
        var unless: Int?
    }

    /// Every rule's conditions, compiled into one flat program.
    let program: ConditionProgram

    /// Every rule of every pack, in load order.
    let compiledRules: [CompiledRule]

    /// Every rule with the pack it belongs to.
    public var rules: [(rule: Rule, pack: RulePack)] {
        packs.flatMap { pack in pack.rules.map { ($0, pack) } }
    }

    /// Stage timings for `netral-bench-match --stage`: tokens in a text.
    @_spi(Benchmarking) public func tokenCount(_ text: String) -> Int {
        struct Counter: TokenSink {
            var count = 0
            mutating func plainWord(start: Int, end: Int, hash: Int, hasUppercase: Bool, text: UnsafeBufferPointer<UInt8>) { count += 1 }
            mutating func token(_ kind: TokenKind, start: Int, end: Int, keys: TokenKeys, text: UnsafeBufferPointer<UInt8>) { count += 1 }
        }
        var counter = Counter()
        Tokenizer.scan(text, into: &counter)
        return counter.count
    }

    /// Stage timings: term matches in a text (tokenizing included).
    @_spi(Benchmarking) public func matchCount(_ text: String, workspace: inout Workspace) -> Int {
        matcher.scan(text, in: &workspace.matching)
        return workspace.matching.matches.count
    }

    /// Stage timings: detector finds in a text.
    @_spi(Benchmarking) public func detectionCount(_ text: String) -> Int { Detectors.detect(in: text).count }

    /// Number of compiled terms.
    public var termCount: Int { matcher.entries.count }

    /// Every hit of every signal in the item, in field order (signals outside their window
    /// included, so an analyst sees them).
    public func hits(in item: Item) -> [Hit] {
        var workspace = Workspace()
        let located = locatedHits(in: item, workspace: &workspace)
        return located.hits.map { hit($0, of: located) }
    }

    /// Judges an item: all hits, and a finding for every rule whose condition holds.
    ///
    /// Matching builds no strings: hits are spans and indices until a finding uses them (or
    /// `Evaluation.hits` is read). Each rule is first checked with a yes/no pass over per-signal
    /// field masks; only a rule that holds is evaluated again to explain itself.
    public func evaluate(_ item: Item) -> Evaluation {
        var workspace = Workspace()
        return evaluate(item, workspace: &workspace)
    }

    /// Buffers that judging an item fills and that can serve the next item: a scan keeps one
    /// and passes it to every `evaluate`, so judging allocates little once they have grown.
    /// Not shared between threads.
    public struct Workspace {
        var matching = TermMatcher.Workspace()
        /// Judging conditions; made by the first `evaluate`.
        var conditions: EvaluationContext?

        public init() {}
    }

    /// Judges an item, reusing `workspace`'s buffers.
    public func evaluate(_ item: Item, workspace: inout Workspace) -> Evaluation {
        let located = locatedHits(in: item, workspace: &workspace)
        guard !located.hits.isEmpty else { return Evaluation(findings: [], located: located, facts: signalFacts) }
        if workspace.conditions?.uses(program) != true { workspace.conditions = EvaluationContext(program: program) }
        // Judged in place in the workspace (an inout to it, not a copy), so its buffers stay
        // uniquely owned and are reused.
        return judge(item, located: located, context: &workspace.conditions!)
    }

    private func judge(_ item: Item, located: LocatedHits, context: inout EvaluationContext) -> Evaluation {
        var located = located
        var standings = self.standings(of: located.hits)
        // After qualifiers: a ballot number or a common name counts only inside its race.
        raceScope.resolve(item: item, hits: &located.hits, standings: &standings, neverCounts: neverCounts, facts: signalFacts)
        Self.count(located.hits, standings: standings, publishedAt: item.publishedAt, facts: signalFacts, neverCounts: neverCounts, into: &context)
        var findings: [Finding] = []
        // Hashing the item is only needed for a finding's id; most items give none. The
        // identity and content part of every finding id of this item is hashed once.
        var idPrefix: SHA256?
        // A hit used by several findings is built once: `built[shown[id]]`.
        var shown: [Int32] = []
        var built: [Hit] = []
        for compiledRule in compiledRules {
            guard context.holds(compiledRule.when) else { continue }
            if let unless = compiledRule.unless, context.holds(unless) { continue }
            // The rule alone is read, not a copy of its whole pack.
            let rule = packs[compiledRule.pack].rules[compiledRule.rule]
            let fired = context.explainHolding(compiledRule.when)
            var omitted = context.omittedHits
            var explained = context.explainedHits
            if explained.count > Finding.maximumHits {
                omitted += explained.count - Finding.maximumHits
                explained.removeLast(explained.count - Finding.maximumHits)
            }
            let usedLocated = explained.map { located.hits[$0] }
            var (score, notes) = score(item: item, usedHits: usedLocated)
            if omitted > 0 {
                notes.append("\(omitted) kecocokan lain tidak disimpan (batas \(Finding.maximumHits) per temuan)")
            }
            if shown.isEmpty { shown = Array(repeating: -1, count: located.hits.count) }
            let usedHits = usedLocated.map { usedHit in
                if shown[usedHit.id] >= 0 { return built[Int(shown[usedHit.id])] }
                built.append(hit(usedHit, of: located))
                shown[usedHit.id] = Int32(built.count - 1)
                return built[built.count - 1]
            }
            let prefix = idPrefix ?? Self.findingIDPrefix(identity: item.identityURL,
                                                           contentDigest: Self.contentDigest(of: Array(located.texts.prefix(located.ownTexts))))
            idPrefix = prefix
            findings.append(Finding(
                id: Self.findingID(prefix: prefix, rule: rule.id),
                rule: rule.id,
                pack: packs[compiledRule.pack].reference,
                act: rule.act,
                severity: rule.severity,
                score: score,
                description: rule.description,
                hits: usedHits,
                fired: fired,
                condition: rule.whenText,
                unless: rule.unlessText,
                scoreNotes: notes,
                findingClass: rule.findingClass,
                omittedHits: omitted
            ))
        }
        // Violations first, then most serious, ties in rule order: an insertion sort of the
        // few findings, by swaps (a general sort copies each finding).
        func ranksAbove(_ a: Finding, _ b: Finding) -> Bool {
            let x = a.findingClass == .violation ? 1 : 0, y = b.findingClass == .violation ? 1 : 0
            if x != y { return x > y }
            return (a.severity, a.score) > (b.severity, b.score)
        }
        for sorted in findings.indices.dropFirst() {
            var index = sorted
            while index > 0, ranksAbove(findings[index], findings[index - 1]) {
                findings.swapAt(index, index - 1)
                index -= 1
            }
        }
        return Evaluation(findings: findings, located: located, facts: signalFacts, standings: standings,
                          diagnostics: diagnostics, publishedAt: item.publishedAt)
    }

    /// Gives `context` the hits that conditions see: not qualifiers or fillers, not cancelled
    /// hits, not hits of a signal dated outside its window; each with its field, whether it
    /// describes the author, whether it is a hashtag term, and whether the item is dated inside
    /// its pack's window.
    static func count(_ hits: [LocatedHit], standings: Standings, publishedAt: Date?, facts: SignalFacts, neverCounts: [Bool],
                      into context: inout EvaluationContext) {
        context.reset()
        for hit in hits {
            if neverCounts[hit.signal] || standings.cancelled[hit.id] { continue }
            var inWindow = false
            if let window = facts.windows[hit.signal] {
                if !window.contains(publishedAt) { continue }
                inWindow = true
            }
            var bits = hit.field.bit | (standings.describesAuthor(hit.id) ? ItemField.describesAuthorBit : 0)
            if case .term(let entry) = hit.source, facts.entryIsHashtag[entry] { bits |= ItemField.hashtagBit }
            if !inWindow, let pack = facts.packs[hit.signal], let window = facts.packWindows[pack], let publishedAt, window.contains(publishedAt) {
                inWindow = true
            }
            if inWindow { bits |= ItemField.inWindowBit }
            context.count(hit, bits: bits)
        }
    }

    /// What qualifiers and speaker markers made of an item's hits.
    struct Standings: Sendable {
        /// Per hit id: cancelled by a qualifier.
        var cancelled: [Bool]
        /// Per hit id: someone else's identity (a qualifier with `someoneElse`).
        var someoneElse: [Bool]
        /// Per hit id: whether it describes the author, and why (identity hits only).
        var standing: [IdentityStanding?]
        /// Per hit id: the speaker marker hit that attributed it, or -1.
        var marker: [Int]

        func describesAuthor(_ id: Int) -> Bool { standing[id]?.describesAuthor ?? false }
    }

    /// Cancels hits after qualifiers, attributes hits near first-person markers to the author,
    /// and gives every identity hit its standing. Linear in the hits (one sort, then one sweep
    /// per marker signal present).
    func standings(of hits: [LocatedHit]) -> Standings {
        var result = Standings(cancelled: Array(repeating: false, count: hits.count),
                               someoneElse: Array(repeating: false, count: hits.count),
                               standing: Array(repeating: nil, count: hits.count),
                               marker: Array(repeating: -1, count: hits.count))
        var markerSignals: [Int] = []
        for hit in hits where isMarker[hit.signal] && !markerSignals.contains(hit.signal) { markerSignals.append(hit.signal) }
        var attributed = Array(repeating: false, count: hits.count)
        if !markerSignals.isEmpty {
            let sweep = MarkerSweep(hits, isMarker: { isMarker[$0] })
            for marker in markerSignals {
                if let cancels = signals[marker].signal.cancels, let targets = markerTargets[marker] {
                    func cancel(_ id: Int, _: Int) {
                        if cancels.someoneElse { result.someoneElse[id] = true } else { result.cancelled[id] = true }
                    }
                    sweep.after(marker: marker, within: cancels.within, targets: targets, hits: hits, found: cancel)
                    if let before = cancels.before { sweep.before(marker: marker, within: before, targets: targets, hits: hits, found: cancel) }
                }
            }
            for marker in markerSignals {
                guard let identifies = signals[marker].signal.identifies, let targets = markerTargets[marker] else { continue }
                func attribute(_ id: Int, _ by: Int) {
                    // A marker in a title, description or body speaks for the author, and so
                    // does one in the alt text of a picture the author posted ("swafoto
                    // memakai seragam dinas"), in words printed on it ("Saya ASN, dukung
                    // nomor 2" on a twibbon) or said in the author's video; link texts
                    // describe other pages.
                    guard [.title, .description, .body, .imageAlt, .imageText, .transcript].contains(hits[id].field), !result.cancelled[id],
                          !result.someoneElse[id] else { return }
                    attributed[id] = true
                    if result.marker[id] < 0 { result.marker[id] = by }
                }
                // A qualifier can cancel a marker too: "yang pakai batik Korpri" is someone else.
                let skip = result.cancelled
                if let after = identifies.after {
                    sweep.after(marker: marker, within: after, targets: targets, fillers: isFiller, hits: hits, skip: skip,
                                nameTerms: isCommonName, found: attribute)
                }
                if let before = identifies.before { sweep.before(marker: marker, within: before, targets: targets, hits: hits, skip: skip, found: attribute) }
            }
        }
        var authorEvidence = false
        var handleHits: [Int] = []
        for hit in hits where signalFacts.isASN[hit.signal] {
            let standing: IdentityStanding
            if result.cancelled[hit.id] {
                standing = .cancelled
            } else if result.someoneElse[hit.id] {
                standing = .someoneElse
            } else {
                switch hit.field {
                case .authorName, .authorBio, .subject, .accountIdentity: standing = .ownField
                case .authorHandle:
                    handleHits.append(hit.id)
                    standing = .handleOnly
                default: standing = attributed[hit.id] ? .firstPerson : .thirdPerson
                }
            }
            if standing.describesAuthor { authorEvidence = true }
            result.standing[hit.id] = standing
        }
        if authorEvidence { for id in handleHits { result.standing[id] = .handleCorroborated } }
        return result
    }

    /// A hit of a term that counts only inside its race (a common personal name such as `Budi
    /// Santoso`): inside a self-introduction it is the author's name, not a term that ends it.
    func isCommonName(_ hit: LocatedHit) -> Bool {
        if case .term(let entry) = hit.source { return raceScope.entryNeedsContext[entry] }
        return false
    }

    /// A hit before it is shown: its signal, where it comes from, its span, and where it sits
    /// among the tokens of its field (for `near` and qualifiers).
    struct LocatedHit {
        enum Source {
            /// A term of the matcher, by entry.
            case term(Int)
            /// A detector's find, by index in `LocatedHits.detections`.
            case detection(Int)
            /// The target's known subject; `shared` when the item is a boost or repost by it.
            case subject(shared: Bool)
            /// The item's interaction with a campaign account's post (`Item.campaignInteraction`).
            case interaction
            /// A ballot-number phrase (the hit with this id) standing for a candidate in its race.
            case ballot(Int)
            /// A stored identity of the account (`Item.accountIdentities`), by index in
            /// `LocatedHits.identityQuotes`.
            case accountIdentity(Int)
        }

        var id: Int
        var signal: Int
        var source: Source
        /// Index in `LocatedHits.texts` (unused for the subject).
        var text: Int
        var field: ItemField
        var fieldIndex: Int
        var start: Int
        var end: Int
        var firstToken: Int
        var lastToken: Int
        /// For a first-person marker: the words of a name right after it, up to a comma
        /// (`Saya Yusuf Hidayat, Sekretaris Desa`), which attribution reaches over.
        var nameWords = 0
        /// The name is not closed by a comma (`Saya Budi Santoso Kades Mekarjaya`): its
        /// capitalised words may hold the identity, and another term inside ends it.
        var openName = false
        /// For a first-person marker: the end of a sentence or clause right after it ends its
        /// reach ("... kata saya. Kepala desa tidak boleh ..."), unless a name follows.
        var punctuationAfter = false
    }

    /// The hits of one item, with what is needed to show them.
    struct LocatedHits: Sendable {
        var hits: [LocatedHit] = []
        var texts: [FieldText] = []
        /// How many of `texts` are the item's own (after them: the target's configured region).
        var ownTexts = 0
        var detections: [Detectors.Detection] = []
        var subjectQuote = ""
        var interactionQuote = ""
        var identityQuotes: [String] = []
    }

    func locatedHits(in item: Item, workspace: inout Workspace) -> LocatedHits {
        var result = LocatedHits()
        result.texts = item.fieldTexts
        // The known ASN wrote the item, or (a boost or repost by the scanned account) shared
        // someone else's post: sharing is an act of its own (A6), not authorship.
        let sharedBy = item.sharedBy
        if let subject = item.subject, let signal = signalIndex[sharedBy == nil ? Detectors.subjectSignal : Detectors.subjectSharedSignal] {
            let described = [subject.role, subject.agency].compactMap { $0 }.joined(separator: ", ")
            result.subjectQuote = NIPMasking.mask([subject.name, described.isEmpty ? nil : described, subject.nip.map { "NIP \($0)" }].compactMap { $0 }.joined(separator: "; "))
            if let sharedBy { result.subjectQuote += "; membagikan ulang sebagai \(sharedBy)" }
            result.hits.append(LocatedHit(id: 0, signal: signal, source: .subject(shared: sharedBy != nil), text: -1, field: .subject, fieldIndex: 0,
                                          start: 0, end: 0, firstToken: 0, lastToken: 0))
        }
        // What the state knows of the account: its holder's own identity, like the subject. On a
        // share, the sharer's identity is the sharing subject's (A6), the author's stays theirs.
        let authorKey = item.authorAccountKey
        for (index, identity) in item.accountIdentities.enumerated() {
            let shared = sharedBy != nil && identity.account != authorKey
            let name = shared ? Detectors.subjectSharedSignal
                : identity.kind == .office ? Detectors.officeAccountSignal : Detectors.accountIdentitySignal
            guard let signal = signalIndex[name] else { continue }
            result.identityQuotes.append(identity.description)
            result.hits.append(LocatedHit(id: result.hits.count, signal: signal, source: .accountIdentity(result.identityQuotes.count - 1),
                                          text: -1, field: .accountIdentity, fieldIndex: index, start: 0, end: 0,
                                          firstToken: 0, lastToken: 0))
        }
        // An interaction with a registered campaign account's post is a fact of the listing the
        // item was read from, not a word of any text.
        if let interaction = item.campaignInteraction, let signal = signalIndex[Detectors.campaignInteractionSignal] {
            result.interactionQuote = interaction.description
            result.hits.append(LocatedHit(id: result.hits.count, signal: signal, source: .interaction, text: -1, field: .subject, fieldIndex: 0,
                                          start: 0, end: 0, firstToken: 0, lastToken: 0))
        }
        for (position, field) in result.texts.enumerated() {
            matcher.scan(field.text, in: &workspace.matching)
            result.hits.reserveCapacity(result.hits.count + workspace.matching.matches.count)
            // Tokens where a term starts, for telling a personal name from other terms: made
            // only for a field with a `person` hit.
            var termStarts: [Bool] = []
            for match in workspace.matching.matches {
                let signal = matcher.entries[match.entry].signal
                var hit = LocatedHit(
                    id: result.hits.count, signal: signal, source: .term(match.entry),
                    text: position, field: field.field, fieldIndex: field.index, start: match.start, end: match.end,
                    firstToken: match.firstToken, lastToken: match.lastToken
                )
                let tokens = workspace.matching.tokens
                if introducesName[signal] || isFiller[signal] {
                    // A name may follow a marker or a filler (`kami dari Forum Komunikasi
                    // Bantuan Polisi Pamong Praja ...`).
                    let name = Self.nameRun(after: match.lastToken, tokens: tokens, text: field.text)
                    hit.nameWords = name.words
                    hit.openName = name.open
                    hit.punctuationAfter = Self.punctuation(after: match.lastToken, tokens: tokens, text: field.text)
                } else if needsName[signal] {
                    if termStarts.isEmpty {
                        termStarts = Array(repeating: false, count: tokens.count)
                        // A common name that counts only inside its race (`Andi Rahman`) is
                        // still a personal name here.
                        for other in workspace.matching.matches where other.firstToken < tokens.count && !raceScope.entryNeedsContext[other.entry] {
                            termStarts[other.firstToken] = true
                        }
                    }
                    let words = Self.personalName(after: match.lastToken, tokens: tokens, text: field.text, termStarts: termStarts)
                    // `Pak` without a name is anyone; with one, the hit covers the name.
                    guard words > 0 else { continue }
                    hit.lastToken = match.lastToken + words
                    hit.end = tokens[hit.lastToken].end
                }
                result.hits.append(hit)
            }
            for detection in Detectors.detect(in: field.text) {
                // Token positions for `near`: the tokens the detection covers.
                let tokens = workspace.matching.tokens
                let first = tokens.firstIndex { $0.end > detection.start } ?? tokens.count
                let last = tokens.lastIndex { $0.start < detection.end } ?? first
                result.hits.append(LocatedHit(
                    id: result.hits.count, signal: signalIndex[detection.signal]!, source: .detection(result.detections.count),
                    text: position, field: field.field, fieldIndex: field.index, start: detection.start, end: detection.end,
                    firstToken: first, lastToken: max(first, last)
                ))
                result.detections.append(detection)
            }
        }
        result.ownTexts = result.texts.count
        // The target's configured region (`region:` of a target) says which race the account's
        // ballot numbers and common names belong to, as a bio naming the regency would: only
        // its `race` hits count, shown as the analyst's configuration.
        if let region = item.metadata[RaceScope.targetRegionKey], !region.isEmpty {
            let position = result.texts.count
            result.texts.append(FieldText(field: .subject, index: 1, text: region))
            matcher.scan(region, in: &workspace.matching)
            for match in workspace.matching.matches {
                let signal = matcher.entries[match.entry].signal
                guard signals[signal].signal.kind == .race else { continue }
                result.hits.append(LocatedHit(
                    id: result.hits.count, signal: signal, source: .term(match.entry), text: position, field: .subject, fieldIndex: 1,
                    start: match.start, end: match.end, firstToken: match.firstToken, lastToken: match.lastToken))
            }
        }
        return result
    }

    /// Lowercase words that join the parts of a personal name (`Saharudin alias Buyung`,
    /// `Ahmad bin Yusuf`).
    static let nameParticles: Set<String> = ["alias", "als", "bin", "binti", "van", "von", "de", "da", "al"]

    /// Whether a dot after `word` abbreviates it (an initial, `H.`, or a title or degree, `Ir.`,
    /// `Drs.`), so a name goes on after it; after any other word a dot ends the sentence.
    static func abbreviatedByDot(_ word: Slice<UnsafeBufferPointer<UInt8>>) -> Bool {
        word.count <= 2 || ["Drs", "Dra", "Prof", "Hj", "Ir", "Dr", "Ns", "KH", "Tgk"].contains(String(decoding: word, as: UTF8.self))
    }

    /// The name right after token `index`: capitalised words (and particles between them) with
    /// nothing but spaces, dots and commas between them. `words` counts them; the name is closed
    /// when a comma follows it within eight words and no degree follows the comma (`Saya Drs. H.
    /// Ahmad Yani, M.Si, Camat ...` closes after `M.Si`), and open otherwise (then at most four
    /// words: `Saya Budi Santoso Kades Mekarjaya`). No capitalised word: no name.
    static func nameRun(after index: Int, tokens: [TermMatcher.ScannedToken], text: String) -> (words: Int, open: Bool) {
        var text = text
        return text.withUTF8 { bytes in
            /// A degree after a name's comma: a short capitalised word followed by a dot (`M.Si`, `S.Pd`).
            func isDegree(_ position: Int) -> Bool {
                guard position < tokens.count else { return false }
                let token = tokens[position]
                return token.end < bytes.count && token.end - token.start <= 3 && (0x41...0x5A).contains(bytes[token.start])
                    && bytes[token.end] == UInt8(ascii: ".")
            }
            var count = 0
            var next = index + 1
            while next < tokens.count, count < 8 {
                let token = tokens[next]
                guard token.start < bytes.count else { break }
                if !(0x41...0x5A).contains(bytes[token.start]) {
                    // A particle joins two capitalised words only.
                    guard count > 0, next + 1 < tokens.count, tokens[next + 1].start < bytes.count,
                          (0x41...0x5A).contains(bytes[tokens[next + 1].start]),
                          nameParticles.contains(String(decoding: bytes[token.start..<token.end], as: UTF8.self)) else { break }
                }
                count += 1
                // A comma between this word and the next token (or the end) closes the name;
                // the end of a sentence ends it open.
                let gapEnd = next + 1 < tokens.count ? tokens[next + 1].start : bytes.count
                if token.end < gapEnd {
                    let gap = bytes[token.end..<min(gapEnd, bytes.count)]
                    if gap.contains(UInt8(ascii: ",")) && !isDegree(next + 1) { return (count, false) }
                    if gap.contains(where: { $0 == UInt8(ascii: ";") || $0 == UInt8(ascii: ":") || $0 == UInt8(ascii: "!")
                        || $0 == UInt8(ascii: "?") || $0 == UInt8(ascii: "\n") }) { break }
                    // A dot after an initial or a title abbreviates it (`Drs. H. Ahmad`); after
                    // any other word it ends the sentence.
                    if gap.contains(UInt8(ascii: ".")), !abbreviatedByDot(bytes[token.start..<token.end]) { break }
                }
                next += 1
            }
            return count == 0 ? (0, false) : (min(count, 4), true)
        }
    }

    /// Capitalised words that follow a title without being a personal name (`Pak Presiden`,
    /// `Bu Guru`, `Pak RT`): offices, honorifics, days and months.
    static let notNames: Set<String> = [
        "presiden", "wapres", "wakil", "bupati", "wabup", "gubernur", "wagub", "wali", "walikota", "wawali", "menteri", "ketua",
        "kepala", "sekretaris", "direktur", "dewan", "anggota", "guru", "dokter", "bidan", "ustad", "ustadz", "ustaz", "kyai", "kiai",
        "habib", "tuan", "nyonya", "yang", "kami", "kita", "saya", "kalian", "semua", "sekalian", "ibu", "bapak", "pak", "bu",
        "mas", "mbak", "bang", "kak", "tim", "calon", "paslon", "capres", "cawapres", "cabup", "cawabup", "cagub", "cawagub",
        "senin", "selasa", "rabu", "kamis", "jumat", "sabtu", "minggu", "januari", "februari", "maret", "april", "mei", "juni",
        "juli", "agustus", "september", "oktober", "november", "desember", "allah", "tuhan", "nabi", "kapolres", "kapolsek",
        "kapolda", "kapolri", "dandim", "danramil", "danrem", "kajari", "kajati", "panglima", "jenderal", "kolonel", "komandan",
        "camat", "lurah", "kades", "sekda", "kadis", "kabid", "kepsek", "rektor", "dekan", "dosen", "profesor", "polisi", "pemerintah",
        "terima", "selamat", "mohon", "ayo", "mari", "semoga", "jangan", "dukung", "pilih", "coblos",
    ]

    /// The words of a personal name right after token `index` (a title's term): capitalised
    /// words with a lowercase letter (not an abbreviation such as `RT`), or initials (`H.A.`),
    /// not an office or a day (`notNames`), where no other term starts, up to four with at
    /// least one that is not an initial. Only spaces stand between the words, and a dot after
    /// an initial or a title (`Ir. Joko`, `H.A. Irwan`; not `ibu. Besok`).
    static func personalName(after index: Int, tokens: [TermMatcher.ScannedToken], text: String, termStarts: [Bool]) -> Int {
        var text = text
        return text.withUTF8 { bytes in
            var count = 0
            var named = 0
            var next = index + 1
            while next < tokens.count, count < 4 {
                let token = tokens[next], previous = tokens[next - 1]
                guard token.start < bytes.count, token.end <= bytes.count, !termStarts[next],
                      (0x41...0x5A).contains(bytes[token.start]) else { break }
                let gap = bytes[previous.end..<token.start]
                let abbreviated = abbreviatedByDot(bytes[previous.start..<previous.end])
                guard gap.allSatisfy({ $0 == UInt8(ascii: " ") || ($0 == UInt8(ascii: ".") && abbreviated) }) else { break }
                let word = bytes[token.start..<token.end]
                let dotAfter = token.end < bytes.count && bytes[token.end] == UInt8(ascii: ".")
                if word.contains(where: { (0x61...0x7A).contains($0) }) {
                    guard !notNames.contains(String(decoding: word, as: UTF8.self).lowercased()) else { break }
                    named += 1
                } else if !(word.count <= 2 && dotAfter) {
                    break
                }
                count += 1
                next += 1
            }
            return named > 0 ? count : 0
        }
    }

    /// Whether the end of a sentence or clause stands between token `index` and the next token.
    static func punctuation(after index: Int, tokens: [TermMatcher.ScannedToken], text: String) -> Bool {
        guard index + 1 < tokens.count else { return false }
        var text = text
        return text.withUTF8 { bytes in
            let from = tokens[index].end, to = min(tokens[index + 1].start, bytes.count)
            guard from < to else { return false }
            // A comma may stand before an apposition ("salam dari saya, Sekdes ..."); the end
            // of a sentence or clause may not.
            return bytes[from..<to].contains { $0 == UInt8(ascii: ".") || $0 == UInt8(ascii: ";")
                || $0 == UInt8(ascii: ":") || $0 == UInt8(ascii: "!") || $0 == UInt8(ascii: "?") }
        }
    }

    /// The hit as shown to analysts and reviewers, with its quote.
    func hit(_ located: LocatedHit, of item: LocatedHits) -> Hit {
        Self.hit(located, of: item, facts: signalFacts)
    }

    static func hit(_ located: LocatedHit, of item: LocatedHits, facts: SignalFacts) -> Hit {
        let term: String, quote: String
        switch located.source {
        case .term(let entry):
            term = facts.terms[entry]
            quote = item.texts[located.text].text.utf8Slice(located.start..<located.end)
        case .detection(let index):
            term = item.detections[index].term
            quote = item.detections[index].quote
        case .subject(let shared):
            term = shared ? "subjek target (bagikan ulang)" : "subjek target"
            quote = item.subjectQuote
        case .interaction:
            term = "interaksi dengan akun kampanye"
            quote = item.interactionQuote
        case .ballot(let phrase):
            let shown = hit(item.hits[phrase], of: item, facts: facts)
            term = shown.term
            quote = shown.quote
        case .accountIdentity(let index):
            term = "identitas akun tersimpan"
            quote = item.identityQuotes[index]
        }
        return Hit(signal: facts.names[located.signal], kind: facts.kinds[located.signal], term: term, field: located.field,
                   fieldIndex: located.fieldIndex, start: located.start, end: located.end, quote: quote)
    }

    /// Score in 0...1; see Rules/README.md. The strength of the ASN evidence used (the highest
    /// weight among the `asn` hits: a known subject or a NIP is 1, a title such as `guru` that
    /// also exists outside the civil service less), halved when the item is dated outside the
    /// windows of all election packs the finding used (windows score, they do not filter).
    func score(item: Item, usedHits: [LocatedHit]) -> (Double, [String]) {
        var score = 1.0
        var notes: [String] = []
        let facts = signalFacts
        let asnWeights = usedHits.lazy.filter { facts.isASN[$0.signal] }.map { facts.weights[$0.signal] }
        if let strongest = asnWeights.max(), strongest < 1 {
            score *= strongest
            notes.append("identitas ASN hanya dari sebutan yang juga dipakai di luar ASN (bobot \(Self.twoDecimals(strongest)))")
        }
        // The windowed packs the hits come from, in load order (a hit-sized list, no set).
        var windowed: [Int] = []
        for hit in usedHits {
            if let pack = facts.packs[hit.signal], facts.packWindows[pack] != nil, !windowed.contains(pack) { windowed.append(pack) }
        }
        guard !windowed.isEmpty else { return (score, notes) }
        windowed.sort()
        if let published = item.publishedAt {
            if !windowed.contains(where: { facts.packWindows[$0]!.contains(published) }) {
                score *= 0.5
                let names = windowed.map { "\(packs[$0].reference.name) (\(facts.packWindows[$0]!.text))" }.joined(separator: ", ")
                notes.append("diterbitkan di luar masa berlaku paket \(names)")
            }
        } else {
            notes.append("tanggal terbit tidak diketahui; masa berlaku paket tidak dapat diperiksa")
        }
        return (score, notes)
    }

    /// `0.85` for 0.85: what `String(format: "%.2f")` gives for a weight in 0...1, without
    /// Foundation's formatter (slow on Linux, and this runs for many findings).
    static func twoDecimals(_ value: Double) -> String {
        let hundredths = Int((value * 100).rounded())
        let fraction = hundredths % 100
        return "\(hundredths / 100).\(fraction < 10 ? "0" : "")\(fraction)"
    }

    /// A digest of everything a rule can see in an item, so an edited post gets a new finding id.
    public static func contentDigest(of item: Item) -> String {
        contentDigest(of: item.fieldTexts)
    }

    /// `contentDigest(of:)` of an item's `fieldTexts`.
    static func contentDigest(of texts: [FieldText]) -> String {
        var hasher = SHA256()
        for field in texts {
            // "<field>[<index>]\0<text>\0", fed in pieces so the text is not copied.
            update(&hasher, field.field.rawValue)
            update(&hasher, field.index == 0 ? "[0]\u{0}" : "[\(field.index)]\u{0}")
            update(&hasher, field.text)
            update(&hasher, "\u{0}")
        }
        return hasher.finalize().withUnsafeBytes { hexString($0) }
    }

    /// The hash state after "<identity>\n<content digest>\n", shared by an item's findings.
    static func findingIDPrefix(identity: String, contentDigest: String) -> SHA256 {
        var hasher = SHA256()
        update(&hasher, identity)
        update(&hasher, "\n")
        update(&hasher, contentDigest)
        update(&hasher, "\n")
        return hasher
    }

    /// Stable id of a finding: the item's identity, its content and the rule.
    static func findingID(prefix: SHA256, rule: String) -> String {
        var hasher = prefix
        update(&hasher, rule)
        return hasher.finalize().withUnsafeBytes { hexString(UnsafeRawBufferPointer(rebasing: $0.prefix(12))) }
    }

    private static func update(_ hasher: inout SHA256, _ text: String) {
        var text = text
        text.withUTF8 { hasher.update(bufferPointer: UnsafeRawBufferPointer($0)) }
    }
}

/// The result of judging one item.
public struct Evaluation: Sendable {
    public var findings: [Finding]
    let located: RuleSet.LocatedHits
    let facts: RuleSet.SignalFacts
    let standings: RuleSet.Standings?
    /// The rules, for `diagnosis()` (nil when the item had no hits).
    let diagnostics: RuleSet.DiagnosisSupport?
    let publishedAt: Date?

    init(findings: [Finding], located: RuleSet.LocatedHits, facts: RuleSet.SignalFacts, standings: RuleSet.Standings? = nil,
         diagnostics: RuleSet.DiagnosisSupport? = nil, publishedAt: Date? = nil) {
        self.findings = findings
        self.located = located
        self.facts = facts
        self.standings = standings
        self.diagnostics = diagnostics
        self.publishedAt = publishedAt
    }

    /// Every identity hit with whether it describes the author and why (for `explain`).
    public var identity: [IdentityEvidence] { identity(limit: .max) }

    /// The first `limit` identity hits, with whether each describes the author and why.
    public func identity(limit: Int) -> [IdentityEvidence] {
        guard let standings else { return [] }
        return located.hits.lazy.filter { standings.standing[$0.id] != nil }.prefix(limit).compactMap { hit in
            guard let standing = standings.standing[hit.id] else { return nil }
            let marker = standings.marker[hit.id]
            return IdentityEvidence(
                hit: RuleSet.hit(hit, of: located, facts: facts), standing: standing,
                marker: marker >= 0 ? RuleSet.hit(located.hits[marker], of: located, facts: facts).quote : nil
            )
        }
    }

    /// The findings of one class.
    public func findings(of findingClass: FindingClass) -> [Finding] {
        findings.filter { $0.findingClass == findingClass }
    }

    /// The number of hits, without building them.
    public var hitCount: Int { located.hits.count }

    /// Every hit of every signal, whether or not a rule fired (built when read).
    public var hits: [Hit] {
        located.hits.map { RuleSet.hit($0, of: located, facts: facts) }
    }

    /// The first `limit` hits (a page that repeats a phrase has as many hits as words).
    public func hits(limit: Int) -> [Hit] {
        located.hits.prefix(limit).map { RuleSet.hit($0, of: located, facts: facts) }
    }
}

extension String {
    /// The text of a range of UTF-8 offsets (of a match, which lies on scalar boundaries).
    func utf8Slice(_ range: Range<Int>) -> String {
        if let slice = utf8.withContiguousStorageIfAvailable({ String(decoding: UnsafeBufferPointer(rebasing: $0[range]), as: UTF8.self) }) {
            return slice
        }
        return String(decoding: utf8.dropFirst(range.lowerBound).prefix(range.count), as: UTF8.self)
    }
}
