import Foundation

/// Every term of every loaded pack compiled into one token trie (by `TermMatcherBuilder`).
/// Matching walks the trie from each token of the text, so its cost grows with the text (times
/// the few words of the longest term and the few keys of a token), not with the number of terms.
///
/// Each token offers several keys (see `Tokenizer`): its normalized form, a letter-digit
/// reading, a squeezed form, and for hashtags the bare word. Squeezed keys are extra edges into
/// the same trie nodes, so any mix of plain and emphasised words along a term still matches.
///
/// Every key a term can reach is interned in a `KeyTable` when the packs are compiled, so a
/// word of the text is hashed once, straight from its bytes; a word no term uses (most words)
/// stops there, and trie edges are keyed by small integers. A key's first step into the trie
/// (`FirstStep`) comes with it from the key table; the edges below the root are in an
/// `EdgeTable`; one-word terms that tolerate one edit are in a `FuzzyIndex`. Immutable.
struct TermMatcher: Sendable {
    struct Entry: Sendable {
        /// Index of the signal in `RuleSet.signals`.
        var signal: Int
        var term: String
        /// For exact-case terms, the term's tokens as written, in UTF-8.
        var exactTokens: [[UInt8]]?
    }

    /// A match: the entry, the tokens it covers, and its byte span in the text. A match inside
    /// a hashtag's words covers the hashtag's token and spans just those words.
    struct Match: Equatable {
        var entry: Int
        var firstToken: Int
        var lastToken: Int
        var start: Int
        var end: Int
    }

    /// A token of a scanned text: its span and the ids of those of its keys that some term uses.
    struct ScannedToken {
        var start: Int
        var end: Int
        var keys: Range<Int>
        var isHashtag: Bool
        /// The words of a camel-case hashtag, in `Scan.parts`.
        var parts: Range<Int>
    }

    /// The tokens of one text and the matches in it.
    struct Scan {
        var tokens: [ScannedToken] = []
        var matches: [Match] = []
    }

    /// What matching reads about a node, in one place (one cache line, where separate arrays
    /// would be one miss each): the entries it accepts, `acceptedEntries[acceptedStart..<acceptedEnd]`,
    /// and whether any edge leaves it (most terms are one word: their nodes are leaves, and
    /// the walk stops there without looking at the next token).
    struct NodeInfo {
        var acceptedStart: Int32
        var acceptedEnd: Int32
        var hasChildren: Bool
        /// Whether some accepted entry must match case exactly.
        var acceptsExact: Bool
    }

    let entries: [Entry]
    private let lookup: Lookup
    private let edges: EdgeTable
    /// Per node.
    private let nodeInfo: [NodeInfo]
    private let acceptedEntries: [Int32]
    /// Per entry: whether it must match case exactly.
    private let entryIsExact: [Bool]

    /// Called by `TermMatcherBuilder.finish()`.
    init(entries: [Entry], lookup: Lookup, edges: EdgeTable, nodeInfo: [NodeInfo], acceptedEntries: [Int32], entryIsExact: [Bool]) {
        self.entries = entries
        self.lookup = lookup
        self.edges = edges
        self.nodeInfo = nodeInfo
        self.acceptedEntries = acceptedEntries
        self.entryIsExact = entryIsExact
    }

    /// What the tokenizer's sink reads for every word, in one immutable object: the sink holds
    /// a reference to it instead of a copy of the key table (one reference count per text
    /// instead of one per array). Unchecked `Sendable`: nothing here changes after `init`.
    final class Lookup: @unchecked Sendable {
        let keyTable: KeyTable
        let fuzzy: FuzzyIndex

        init(keyTable: KeyTable, fuzzy: FuzzyIndex) {
            self.keyTable = keyTable
            self.fuzzy = fuzzy
        }
    }

    /// Buffers one scan fills, kept from one text to the next so that matching a text
    /// allocates nothing once they have grown.
    struct Workspace {
        fileprivate var scratch = Tokenizer.Scratch()
        /// The tokens of the last text scanned.
        fileprivate(set) var tokens: [ScannedToken] = []
        fileprivate var parts: [ScannedToken] = []
        fileprivate var keys: [KeyTable.Found] = []
        fileprivate var fuzzy: [(token: Int, entry: Int32)] = []
        /// The matches in the last text scanned, in text order.
        fileprivate(set) var matches: [Match] = []
    }

    /// Tokenizes `text` and finds every term in it, in text order.
    func scan(_ text: String) -> Scan {
        var workspace = Workspace()
        scan(text, in: &workspace)
        return Scan(tokens: workspace.tokens, matches: workspace.matches)
    }

    /// Tokenizes `text` and finds every term in it, in text order, into `workspace.tokens` and
    /// `workspace.matches`.
    func scan(_ text: String, in workspace: inout Workspace) {
        var text = text
        if text.utf8.withContiguousStorageIfAvailable({ scan(bytes: $0, in: &workspace) }) == nil {
            text.makeContiguousUTF8()
            _ = text.utf8.withContiguousStorageIfAvailable { scan(bytes: $0, in: &workspace) }
        }
    }

    /// All matches in a text, in text order.
    func matches(in text: String) -> [Match] {
        scan(text).matches
    }

    private func scan(bytes: UnsafeBufferPointer<UInt8>, in workspace: inout Workspace) {
        var sink = Sink(lookup: lookup, textLength: bytes.count, workspace: &workspace)
        Tokenizer.scan(bytes: bytes, into: &sink, scratch: &workspace.scratch)
        var matches = workspace.matches
        workspace.matches = []
        matches.removeAll(keepingCapacity: true)
        var fuzzy = 0
        for start in sink.tokens.indices {
            let firstOfStart = matches.count
            let keys = sink.tokens[start].keys
            if keys.count == 1 {
                // Most tokens with a key have one, and most terms are one word: a key that is a
                // whole term by itself says so in its first step, and is matched here.
                let step = sink.keys[keys.lowerBound].firstStep
                if step.isEntry {
                    let token = sink.tokens[start]
                    matches.append(Match(entry: step.entry, firstToken: start, lastToken: start, start: token.start, end: token.end))
                } else if step.isNode {
                    walk(sink.tokens, sink.keys, bytes, from: start, at: start, node: 0, into: &matches, firstOfStart: firstOfStart, within: nil)
                }
            } else if !keys.isEmpty {
                walk(sink.tokens, sink.keys, bytes, from: start, at: start, node: 0, into: &matches, firstOfStart: firstOfStart, within: nil)
            }
            let parts = sink.tokens[start].parts
            // Words inside a camel-case hashtag match among themselves.
            for partStart in parts {
                walk(sink.parts, sink.keys, bytes, from: partStart, at: partStart, node: 0, into: &matches,
                     firstOfStart: firstOfStart, within: (start, parts.upperBound))
            }
            while fuzzy < sink.fuzzy.count, sink.fuzzy[fuzzy].token == start {
                let token = sink.tokens[start]
                append(Match(entry: Int(sink.fuzzy[fuzzy].entry), firstToken: start, lastToken: start, start: token.start, end: token.end),
                       to: &matches, firstOfStart: firstOfStart)
                fuzzy += 1
            }
        }
        workspace.matches = matches
        sink.giveBack(to: &workspace)
    }

    /// Appends a match unless the same term already matched the same words from this start
    /// (through another key of a token, or exactly and fuzzily).
    @inline(__always)
    private func append(_ match: Match, to matches: inout [Match], firstOfStart: Int) {
        for index in firstOfStart..<matches.count where matches[index] == match { return }
        matches.append(match)
    }

    /// Walks the trie along `tokens` from `start`; `within` is set for the words of a hashtag
    /// (the hashtag's token index and the end of its words).
    private func walk(
        _ tokens: [ScannedToken], _ foundKeys: [KeyTable.Found], _ bytes: UnsafeBufferPointer<UInt8>,
        from start: Int, at index: Int, node: Int, into matches: inout [Match], firstOfStart: Int, within: (token: Int, end: Int)?
    ) {
        guard index < (within?.end ?? tokens.count) else { return }
        let keys = tokens[index].keys
        if keys.isEmpty { return }
        var visited = (-1, -1, -1, -1)
        for (position, keyIndex) in keys.enumerated() {
            let next: Int
            // Whether the node may accept entries (else edges leave it, and nothing else is read).
            var mayAccept = true
            if node == 0 {
                // The first step comes with the key (see `FirstStep`).
                let step = foundKeys[keyIndex].firstStep
                if !step.startsATerm { continue }
                if step.isEntry {
                    let match = if let within {
                        Match(entry: step.entry, firstToken: within.token, lastToken: within.token, start: tokens[start].start, end: tokens[index].end)
                    } else {
                        Match(entry: step.entry, firstToken: start, lastToken: index, start: tokens[start].start, end: tokens[index].end)
                    }
                    append(match, to: &matches, firstOfStart: firstOfStart)
                    continue
                }
                mayAccept = step.nodeAcceptsEntries
                next = step.node
            } else {
                guard let child = edges.child(of: node, key: foundKeys[keyIndex].id) else { continue }
                next = child
            }
            if next == visited.0 || next == visited.1 || next == visited.2 || next == visited.3 { continue }
            switch position {
            case 0: visited.0 = next
            case 1: visited.1 = next
            case 2: visited.2 = next
            default: visited.3 = next
            }
            guard mayAccept else {
                walk(tokens, foundKeys, bytes, from: start, at: index + 1, node: next, into: &matches, firstOfStart: firstOfStart, within: within)
                continue
            }
            let info = nodeInfo[next]
            for accepted in Int(info.acceptedStart)..<Int(info.acceptedEnd) {
                let entryIndex = acceptedEntries[accepted]
                if info.acceptsExact, entryIsExact[Int(entryIndex)], !Self.matchesExactly(entries[Int(entryIndex)].exactTokens!, tokens[start...index], bytes) { continue }
                let match = if let within {
                    Match(entry: Int(entryIndex), firstToken: within.token, lastToken: within.token,
                          start: tokens[start].start, end: tokens[index].end)
                } else {
                    Match(entry: Int(entryIndex), firstToken: start, lastToken: index, start: tokens[start].start, end: tokens[index].end)
                }
                append(match, to: &matches, firstOfStart: firstOfStart)
            }
            if info.hasChildren {
                walk(tokens, foundKeys, bytes, from: start, at: index + 1, node: next, into: &matches, firstOfStart: firstOfStart, within: within)
            }
        }
    }

    /// Builds the scanned tokens: key ids, hashtag words, and fuzzy matches.
    private struct Sink: TokenSink {
        let lookup: Lookup
        /// `lookup.fuzzy`, read for most words: one load instead of two.
        let fuzzyIndex: FuzzyIndex
        var tokens: [ScannedToken] = []
        var parts: [ScannedToken] = []
        /// The keys of the tokens that some term uses: their ids and first steps.
        var keys: [KeyTable.Found] = []
        /// Fuzzy matches by token, in token order.
        var fuzzy: [(token: Int, entry: Int32)] = []
        /// A word lowercased for fuzzy matching.
        var loweredWord: [UInt8] = []

        /// Takes the workspace's buffers, emptied (their capacity kept).
        init(lookup: Lookup, textLength: Int, workspace: inout Workspace) {
            self.lookup = lookup
            fuzzyIndex = lookup.fuzzy
            swap(&tokens, &workspace.tokens)
            swap(&parts, &workspace.parts)
            swap(&keys, &workspace.keys)
            swap(&fuzzy, &workspace.fuzzy)
            tokens.removeAll(keepingCapacity: true)
            parts.removeAll(keepingCapacity: true)
            keys.removeAll(keepingCapacity: true)
            fuzzy.removeAll(keepingCapacity: true)
            // About one token in six bytes of ordinary text.
            tokens.reserveCapacity(textLength / 6 + 4)
        }

        /// Returns the buffers (the tokens now hold the text's tokens).
        mutating func giveBack(to workspace: inout Workspace) {
            swap(&tokens, &workspace.tokens)
            swap(&parts, &workspace.parts)
            swap(&keys, &workspace.keys)
            swap(&fuzzy, &workspace.fuzzy)
        }

        @inline(__always)
        private mutating func add(_ found: KeyTable.Found?) {
            guard let found else { return }
            keys.append(found)
        }

        mutating func plainWord(start: Int, end: Int, hash: Int, hasUppercase: Bool, text: UnsafeBufferPointer<UInt8>) {
            let first = self.keys.count
            let word = UnsafeBufferPointer(rebasing: text[start..<end])
            let found = lookup.keyTable.find(plainWord: word, in: text, hash: hash)
            add(found)
            tokens.append(ScannedToken(start: start, end: end, keys: first..<self.keys.count, isHashtag: false, parts: 0..<0))
            fuzzyMatches(asciiWord: word, found: found, hasUppercase: hasUppercase)
        }

        mutating func repeatedWord(start: Int, end: Int, hash: Int, marked: UnsafeBufferPointer<UInt8>, squeezedHash: Int, markedHash: Int,
                                   hasUppercase: Bool, text: UnsafeBufferPointer<UInt8>) -> Bool {
            let first = self.keys.count
            let word = UnsafeBufferPointer(rebasing: text[start..<end])
            let found = lookup.keyTable.find(plainWord: word, in: text, hash: hash)
            add(found)
            add(lookup.keyTable.find(UnsafeBufferPointer(rebasing: marked.dropFirst()), hash: squeezedHash))
            add(lookup.keyTable.find(marked, hash: markedHash))
            tokens.append(ScannedToken(start: start, end: end, keys: first..<self.keys.count, isHashtag: false, parts: 0..<0))
            fuzzyMatches(asciiWord: word, found: found, hasUppercase: hasUppercase)
            return true
        }

        /// Fuzzy matches of an ASCII word of the text, found (lowercased) as `found`.
        @inline(__always)
        private mutating func fuzzyMatches(asciiWord word: UnsafeBufferPointer<UInt8>, found: KeyTable.Found?, hasUppercase: Bool) {
            let length = word.count
            guard fuzzyIndex.hasCandidates(length: length) else { return }
            // A word that is itself a term word is that term, never a typo of another one.
            if let found, found.firstStep.startsATerm { return }
            if !hasUppercase {
                fuzzyMatches(word, token: tokens.count - 1, checked: true)
                return
            }
            // Lowercased into a buffer kept for the whole text (no allocation per word).
            var lowered: [UInt8] = []
            swap(&lowered, &loweredWord)
            lowered.removeAll(keepingCapacity: true)
            for byte in word { lowered.append(byte >= 0x41 && byte <= 0x5A ? byte | 0x20 : byte) }
            lowered.withUnsafeBufferPointer { fuzzyMatches($0, token: tokens.count - 1, checked: true) }
            swap(&lowered, &loweredWord)
        }

        mutating func token(_ kind: TokenKind, start: Int, end: Int, keys: TokenKeys, text: UnsafeBufferPointer<UInt8>) {
            let first = self.keys.count
            for index in 0..<keys.count {
                add(keys.withKey(index) { lookup.keyTable.find($0, hash: keys.hash(index)) })
            }
            let token = ScannedToken(start: start, end: end, keys: first..<self.keys.count, isHashtag: kind == .hashtag, parts: 0..<0)
            if kind == .hashtagPart {
                parts.append(token)
                let last = tokens.count - 1
                let previous = tokens[last].parts
                tokens[last].parts = (previous.isEmpty ? parts.count - 1 : previous.lowerBound)..<parts.count
                return
            }
            tokens.append(token)
            if kind != .emoji, !fuzzyIndex.isEmpty {
                // The plain word is the hashtag's second key, a word's first.
                keys.withKey(kind == .hashtag ? 1 : 0) { fuzzyMatches($0, token: tokens.count - 1) }
            }
        }

        /// `checked`: the caller has made sure the word is not itself a term's first word.
        private mutating func fuzzyMatches(_ word: UnsafeBufferPointer<UInt8>, token: Int, checked: Bool = false) {
            guard fuzzyIndex.hasCandidates(length: word.count) else { return }
            // A word that is itself a term word is that term, never a typo of another one
            // (`prabowo` must not fuzzily match `pranowo`).
            if !checked, let found = lookup.keyTable.find(word, hash: KeyHash.of(word)), found.firstStep.startsATerm { return }
            fuzzyIndex.appendMatches(of: word, token: token, to: &fuzzy)
        }
    }

    private static func matchesExactly(_ expected: [[UInt8]], _ tokens: ArraySlice<ScannedToken>, _ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        guard expected.count == tokens.count else { return false }
        for (written, token) in zip(expected, tokens) {
            let original = bytes[token.start..<token.end]
            if original.elementsEqual(written) { continue }
            if token.isHashtag && original.dropFirst().elementsEqual(written) { continue }
            return false
        }
        return true
    }
}
