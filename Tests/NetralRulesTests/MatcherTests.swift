import Foundation
import NetralModel
import Testing
@testable import NetralRules

/// The byte-level matcher against a naive reference built on the string tokens, and the
/// detectors' eight-bytes-at-a-time prescan at every alignment.
@Suite struct MatcherTests {
    static let terms = [
        "prabowo", "prabowo gibran", "ganjar", "ganjar pranowo", "anies", "camat", "pppk",
        "kepala desa", "#amin", "coblos", "nomor 02", "indonesia maju", "rudy mas ud", "2024",
    ]

    /// Pieces random texts are made of: terms in several spellings, neighbours, punctuation.
    static let pieces = [
        "Prabowo", "PRABOWO", "prabowooo", "pr4bowo", "Gibran", "gibraaan", "Ganjar", "GANJAR", "ganjaran",
        "Pranowo", "Anies", "an1es", "camat", "Camat", "camaaat", "pppk", "PPPK", "pk", "kepala", "Desa",
        "#AMIN", "amin", "#PrabowoGibran2024", "#ganjarPranowo", "#camat", "coblos", "nomor", "02", "2024",
        "Indonesia", "Maju", "Rudy", "Mas'ud", "mas", "ud", "kades", "desa", "jernih", "Jérnih", "✌️", "🙏",
        "x", "a#b", "yuk", "dan",
    ]
    static let separators = [" ", "  ", ", ", ". ", "!", "-", "\n", "(", ")", "'", "/", ""]

    struct Expected: Hashable {
        var entry: Int
        var firstToken: Int
        var lastToken: Int
        var start: Int
        var end: Int
    }

    /// Every match by definition: a term's words equal to one of the keys (or the squeezed
    /// key) of consecutive tokens, or of consecutive words inside one hashtag.
    static func reference(_ text: String, terms: [[String]]) -> Set<Expected> {
        let tokens = Tokenizer.tokens(of: text)
        func matches(_ word: String, _ token: Token) -> Bool {
            token.keys.contains(word) || token.keys.contains(Tokenizer.squeezedKey(word))
        }
        var result = Set<Expected>()
        for (entry, words) in terms.enumerated() {
            for start in tokens.indices {
                if start + words.count <= tokens.count, words.indices.allSatisfy({ matches(words[$0], tokens[start + $0]) }) {
                    result.insert(Expected(entry: entry, firstToken: start, lastToken: start + words.count - 1,
                                           start: tokens[start].start, end: tokens[start + words.count - 1].end))
                }
                let parts = tokens[start].parts
                for partStart in parts.indices where partStart + words.count <= parts.count {
                    if words.indices.allSatisfy({ matches(words[$0], parts[partStart + $0]) }) {
                        result.insert(Expected(entry: entry, firstToken: start, lastToken: start,
                                               start: parts[partStart].start, end: parts[partStart + words.count - 1].end))
                    }
                }
            }
        }
        return result
    }

    @Test func agreesWithTheReferenceOnRandomText() {
        var builder = TermMatcherBuilder()
        for term in Self.terms { builder.insert(term: Term(text: term), signal: 0) }
        let matcher = builder.finish()
        let termWords = Self.terms.map { Tokenizer.tokens(of: $0).map(\.normalized) }
        var generator = SeededGenerator(seed: 20_240_214)
        var workspace = TermMatcher.Workspace()
        for _ in 0..<1_500 {
            var text = ""
            for _ in 0..<Int.random(in: 1...14, using: &generator) {
                text += Self.pieces.randomElement(using: &generator)! + Self.separators.randomElement(using: &generator)!
            }
            let found = Set(matcher.matches(in: text).map {
                Expected(entry: $0.entry, firstToken: $0.firstToken, lastToken: $0.lastToken, start: $0.start, end: $0.end)
            })
            #expect(found == Self.reference(text, terms: termWords), "text: \(text)")
            // A workspace kept from the previous texts gives the same tokens and matches.
            matcher.scan(text, in: &workspace)
            let fresh = matcher.scan(text)
            #expect(workspace.matches == fresh.matches && workspace.tokens.map(\.start) == fresh.tokens.map(\.start), "text: \(text)")
        }
    }

    @Test func plainWordsInAnyCaseFindTheirKeys() {
        var table = KeyTable()
        let words = (0..<5_000).map { "kata\($0)x" }
        let ids = words.map { table.intern(Array($0.utf8)) }
        #expect(Set(ids).count == words.count)
        func hash(_ word: String) -> Int { Array(word.utf8).withUnsafeBufferPointer { KeyHash.of($0) } }
        for (word, id) in zip(words, ids) {
            #expect(Array(word.utf8).withUnsafeBufferPointer { table.id(of: $0) } == id)
            // A word written in capitals is found by its lowercase hash, wherever it lies in a
            // text (its first eight bytes are read at once only when the text has them).
            for text in [word.uppercased(), "\(word.uppercased()) dan seterusnya", "ya \(word.uppercased())"] {
                let bytes = Array(text.utf8)
                let start = bytes.starts(with: Array("ya ".utf8)) ? 3 : 0
                let found = bytes.withUnsafeBufferPointer { buffer in
                    table.find(plainWord: UnsafeBufferPointer(rebasing: buffer[start..<(start + word.utf8.count)]), in: buffer, hash: hash(word))?.id
                }
                #expect(found == id, "\(word) in '\(text)'")
            }
        }
        // Keys of every length up to past the slot's eight bytes, and near misses.
        for length in 1...12 {
            let word = String(repeating: "ab", count: 6).prefix(length)
            let id = table.intern(Array(word.utf8))
            #expect(Array(word.utf8).withUnsafeBufferPointer { table.id(of: $0) } == id)
            #expect(Array((word.dropLast() + "z").utf8).withUnsafeBufferPointer { table.id(of: $0) } == nil)
        }
        #expect(Array("katax".utf8).withUnsafeBufferPointer { table.id(of: $0) } == nil)
        // Interning again gives the same id.
        #expect(table.intern(Array(words[42].utf8)) == ids[42])
    }

    /// A key's first step shares a 64-bit slot with its id and length: every kind of step, at
    /// the ends of its range, comes back from a lookup as it was set, for short and long keys.
    @Test func firstStepsSurviveTheKeyTablesPacking() {
        let steps: [FirstStep] = [
            .none, .entry(0), .entry(Int32(Int32.max - 2)), .node(0, acceptsEntries: true), .node(1, acceptsEntries: false),
            .node(FirstStep.maximumNodeCount - 1, acceptsEntries: true), .node(FirstStep.maximumNodeCount - 1, acceptsEntries: false),
        ]
        var table = KeyTable()
        let keys = steps.indices.map { $0 % 2 == 0 ? "k\($0)" : "kunci-panjang-\($0)" }
        let ids = keys.map { table.intern(Array($0.utf8)) }
        table.setFirstSteps { steps[Int($0)] }
        for (index, key) in keys.enumerated() {
            let found = Array(key.utf8).withUnsafeBufferPointer { table.find($0, hash: KeyHash.of($0)) }
            #expect(found?.id == ids[index] && found?.firstStep == steps[index], "\(key)")
        }
        #expect(!FirstStep.none.startsATerm && !FirstStep.none.isEntry && !FirstStep.none.isNode)
        let entry = FirstStep.entry(41)
        #expect(entry.startsATerm && entry.isEntry && !entry.isNode && entry.entry == 41)
        let longerOnly = FirstStep.node(FirstStep.maximumNodeCount - 1, acceptsEntries: false)
        #expect(longerOnly.isNode && !longerOnly.isEntry && longerOnly.node == FirstStep.maximumNodeCount - 1 && !longerOnly.nodeAcceptsEntries)
        let accepting = FirstStep.node(7, acceptsEntries: true)
        #expect(accepting.isNode && accepting.node == 7 && accepting.nodeAcceptsEntries)
    }

    @Test func detectorsFindNumbersAndAddressesAtEveryAlignment() {
        for offset in 0..<17 {
            let padding = String(repeating: "d", count: offset)
            let text = padding + " NIP 19850312 201001 1 004 dan surel budi@BKD.Kaltimprov.GO.ID."
            let detections = Detectors.detect(in: text)
            let nip = detections.first { $0.signal == Detectors.nipSignal }
            #expect(nip.map { Array(text.utf8)[$0.start..<$0.end] } == Array("19850312 201001 1 004".utf8)[...], "offset \(offset)")
            #expect(detections.contains { $0.signal == Detectors.emailSignal && $0.quote == "budi@BKD.Kaltimprov.GO.ID" }, "offset \(offset)")
        }
        // Eighteen digits with a wide gap are two numbers, not one NIP.
        #expect(Detectors.detect(in: "nomor 198503122010        011004 ya").isEmpty)
        #expect(Detectors.detect(in: "tanpa angka dan tanpa alamat apa pun di sini, sungguh").isEmpty)
    }

    /// A word that repeats a letter reaches every term word that squeezes to the same form,
    /// whichever was compiled first (the shipped asn pack has both `kasubag` and `kasubbag`);
    /// a word that repeats nothing matches only itself.
    @Test func emphasisReachesEveryTermWordThatSqueezesAlike() {
        for terms in [["kasubag", "kasubbag"], ["kasubbag", "kasubag"]] {
            var builder = TermMatcherBuilder()
            for term in terms { builder.insert(term: Term(text: term), signal: 0) }
            let matcher = builder.finish()
            func found(_ text: String) -> Set<String> { Set(matcher.matches(in: text).map { matcher.entries[$0.entry].term }) }
            #expect(found("Kassubag hadir") == ["kasubag", "kasubbag"], "\(terms)")
            #expect(found("kasubbbag hadir") == ["kasubag", "kasubbag"], "\(terms)")
            #expect(found("kasubag hadir") == ["kasubag"], "\(terms)")
            #expect(found("kasubbag hadir") == ["kasubag", "kasubbag"], "\(terms)")
        }
    }

    @Test func nipBirthDatesFollowTheGregorianCalendar() {
        func kind(_ nip: String) -> Detectors.NIPKind? {
            let now = ISO8601DateFormatter().date(from: "2026-11-23T00:00:00Z")!
            return Detectors.classifyNIP(nip.utf8.map { $0 - 0x30 }, now: now)
        }
        #expect(kind("198402292010011004") == .pns, "29 February of a leap year")
        #expect(kind("198502292010011004") == nil, "29 February of a common year")
        #expect(kind("200002292019211004") == .pppk, "2000 is a leap year (divisible by 400)")
        #expect(kind("198504312010011004") == nil, "31 April")
        #expect(kind("198512312010011004") == .pns)
        #expect(kind("198513012010011004") == nil, "month 13")
    }

    @Test func weightsPrintWithTwoDecimals() {
        #expect(RuleSet.twoDecimals(0.85) == "0.85")
        #expect(RuleSet.twoDecimals(0.5) == "0.50")
        #expect(RuleSet.twoDecimals(0.05) == "0.05")
        #expect(RuleSet.twoDecimals(1) == "1.00")
    }
}

/// A small deterministic generator (SplitMix64), so a failing random text can be reproduced.
struct SeededGenerator: RandomNumberGenerator {
    private var state: UInt64

    init(seed: UInt64) {
        state = seed
    }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var value = state
        value = (value ^ (value >> 30)) &* 0xBF58_476D_1CE4_E5B9
        value = (value ^ (value >> 27)) &* 0x94D0_49BB_1331_11EB
        return value ^ (value >> 31)
    }
}
