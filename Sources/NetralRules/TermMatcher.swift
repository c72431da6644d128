import Foundation

/// Every term of every loaded pack compiled into one token trie. Matching walks the trie from
/// each token of the text, so its cost grows with the text (times the few words of the longest
/// term and the few keys of a token), not with the number of terms.
///
/// Each token offers several keys (see `Tokenizer`): its normalized form, a letter-digit
/// reading, a squeezed form, and for hashtags the bare word. Squeezed keys are extra edges into
/// the same trie nodes, so any mix of plain and emphasised words along a term still matches.
///
/// Every key a term can reach is interned in a `KeyTable` when the packs are compiled, so a
/// word of the text is hashed once, straight from its bytes; a word no term uses (most words)
/// stops there, and trie edges are keyed by small integers.
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

    private var keyTable = KeyTable()
    /// Child of the root per key id (-1: none): the first word of a term is one array read.
    private var rootChildren: [Int32] = []
    /// Children of the other nodes, by node and key id, while compiling; `finish()` copies
    /// them into `edges` for matching.
    private var children: [UInt64: Int32] = [:]
    private var edges = EdgeTable()
    private var accepting: [[Int32]] = [[]]
    /// Per node, while compiling: whether any edge leaves it.
    private var hasChildren: [Bool] = [true]

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

    /// Set by `finish()`.
    private var nodeInfo: [NodeInfo] = []
    /// Marks a key's start (see `finish()`) whose node accepts no entry: only longer terms
    /// start with the key. Nodes are numbered below it.
    static let startsLongerTermsOnly: Int32 = 1 << 30
    private var acceptedEntries: [Int32] = []
    /// Per entry: whether it must match case exactly.
    private var entryIsExact: [Bool] = []
    private(set) var entries: [Entry] = []
    /// Single-word terms that tolerate one edit, by the UTF-8 length of the text words they can
    /// match: a text word is compared only with fuzzy words one byte shorter, as long, or one
    /// byte longer.
    private var fuzzyByLength: [[(entry: Int32, word: [UInt8])]] = []
    /// `fuzzyByLength` flattened by `finish()` for matching (no nested arrays, so reading a
    /// candidate takes no reference count): the candidates for a text word of length n are
    /// `fuzzyCandidates[fuzzyBuckets[n]]`, their words slices of `fuzzyWords`.
    private var fuzzyBuckets: [Range<Int>] = []
    private var fuzzyCandidates: [(entry: Int32, word: Range<Int>)] = []
    private var fuzzyWords: [UInt8] = []

    /// Adds a term. Affixed forms and fuzzy variants of a one-word term share its entry.
    mutating func insert(term: Term, signal: Int) {
        let tokens = Tokenizer.tokens(of: term.text)
        guard !tokens.isEmpty else { return }
        let exact = term.exactCase ? tokens.map { Array($0.original.utf8) } : nil
        entries.append(Entry(signal: signal, term: term.text, exactTokens: exact))
        let entry = Int32(entries.count - 1)
        let words = tokens.map(\.normalized)
        insertPath(words, entry: entry)
        if term.verbAffixes, words.count == 1 {
            for form in Affixes.verbForms(of: words[0]).dropFirst() { insertPath([form], entry: entry) }
        }
        if term.fuzzy, words.count == 1 {
            // Filed under every text length it can match (one byte shorter, equal, longer), so
            // a text word needs one lookup.
            let word = Array(words[0].utf8)
            if fuzzyByLength.count < word.count + 2 {
                fuzzyByLength += Array(repeating: [], count: word.count + 2 - fuzzyByLength.count)
            }
            for length in (word.count - 1)...(word.count + 1) {
                fuzzyByLength[length].append((entry, word))
            }
        }
    }

    /// What the tokenizer's sink reads for every word, in one immutable object: the sink holds
    /// one reference to it instead of a copy of the whole matcher (one reference count per
    /// text instead of one per table).
    ///
    /// The fuzzy candidates and their words are copied into memory this object owns, so that
    /// comparing a word with them takes no reference count (they are read for most words of
    /// five letters or more). Unchecked `Sendable`: nothing here changes after `init`.
    final class Lookup: @unchecked Sendable {
        let keyTable: KeyTable
        let fuzzyBuckets: [Range<Int>]
        let fuzzyCandidates: UnsafeMutableBufferPointer<(entry: Int32, word: Range<Int>)>
        let fuzzyWords: UnsafeMutableBufferPointer<UInt8>
        /// Bit n set when a text word of n bytes (n < 64) has fuzzy candidates: the test made
        /// for every word.
        let fuzzyLengths: UInt64
        /// Candidate indices by text word length and first byte (`length * 32 + byte & 31`),
        /// and by length and last byte: one edit leaves the first or the last byte of a word of
        /// five or more in place, so a text word is compared only with the candidates that
        /// share one of them. Starts in `fuzzyByFirst`; the lists are flat.
        let fuzzyFirstStarts: UnsafeMutableBufferPointer<Int32>
        let fuzzyByFirst: UnsafeMutableBufferPointer<Int32>
        let fuzzyLastStarts: UnsafeMutableBufferPointer<Int32>
        let fuzzyByLast: UnsafeMutableBufferPointer<Int32>

        init(keyTable: KeyTable, fuzzyBuckets: [Range<Int>], fuzzyCandidates: [(entry: Int32, word: Range<Int>)], fuzzyWords: [UInt8]) {
            self.keyTable = keyTable
            self.fuzzyBuckets = fuzzyBuckets
            self.fuzzyCandidates = .allocate(capacity: fuzzyCandidates.count)
            _ = self.fuzzyCandidates.initialize(from: fuzzyCandidates)
            self.fuzzyWords = .allocate(capacity: fuzzyWords.count)
            _ = self.fuzzyWords.initialize(from: fuzzyWords)
            var lengths: UInt64 = 0
            for (length, bucket) in fuzzyBuckets.enumerated() where length >= 5 && length < 64 && !bucket.isEmpty { lengths |= 1 << UInt64(length) }
            fuzzyLengths = lengths
            var byFirst = [[Int32]](repeating: [], count: fuzzyBuckets.count * 32)
            var byLast = byFirst
            for (length, bucket) in fuzzyBuckets.enumerated() {
                for index in bucket {
                    let word = fuzzyWords[fuzzyCandidates[index].word]
                    byFirst[length * 32 + Int(word.first! & 31)].append(Int32(index))
                    byLast[length * 32 + Int(word.last! & 31)].append(Int32(index))
                }
            }
            func flatten(_ lists: [[Int32]]) -> (UnsafeMutableBufferPointer<Int32>, UnsafeMutableBufferPointer<Int32>) {
                var starts: [Int32] = [0]
                for list in lists { starts.append(starts.last! + Int32(list.count)) }
                let flat = Array(lists.joined())
                let startsBuffer = UnsafeMutableBufferPointer<Int32>.allocate(capacity: starts.count)
                _ = startsBuffer.initialize(from: starts)
                let flatBuffer = UnsafeMutableBufferPointer<Int32>.allocate(capacity: max(flat.count, 1))
                _ = flatBuffer.initialize(from: flat)
                return (startsBuffer, flatBuffer)
            }
            (fuzzyFirstStarts, fuzzyByFirst) = flatten(byFirst)
            (fuzzyLastStarts, fuzzyByLast) = flatten(byLast)
        }

        deinit {
            fuzzyCandidates.deallocate()
            fuzzyWords.deallocate()
            fuzzyFirstStarts.deallocate()
            fuzzyByFirst.deallocate()
            fuzzyLastStarts.deallocate()
            fuzzyByLast.deallocate()
        }

        /// Whether a text word of `length` bytes has fuzzy candidates.
        @inline(__always)
        func hasFuzzyCandidates(length: Int) -> Bool {
            if length < 64 { return fuzzyLengths >> UInt64(length) & 1 != 0 }
            return length < fuzzyBuckets.count && !fuzzyBuckets[length].isEmpty
        }

    }

    private var lookup: Lookup?

    /// Prepares the compiled terms for matching; call after the last `insert`.
    mutating func finish() {
        acceptedEntries = []
        entryIsExact = entries.map { $0.exactTokens != nil }
        nodeInfo = accepting.indices.map { node in
            let start = Int32(acceptedEntries.count)
            acceptedEntries += accepting[node]
            return NodeInfo(acceptedStart: start, acceptedEnd: Int32(acceptedEntries.count), hasChildren: hasChildren[node],
                            acceptsExact: accepting[node].contains { entryIsExact[Int($0)] })
        }
        edges = EdgeTable(children)
        // Each key's first step, found with the key itself: the node a term starting with it
        // goes to (-1: none; with `startsLongerTermsOnly` set when the key alone is no term),
        // or, when that node is a leaf accepting one entry of any case, the entry itself
        // (-2 - entry), so that most matches need no trie at all.
        keyTable.setStarts { key in
            guard Int(key) < rootChildren.count, rootChildren[Int(key)] >= 0 else { return -1 }
            let node = Int(rootChildren[Int(key)])
            if !hasChildren[node], accepting[node].count == 1, !entryIsExact[Int(accepting[node][0])] { return -2 - accepting[node][0] }
            // Only longer terms start here (a first name): the walk goes on without reading the node.
            return accepting[node].isEmpty ? Int32(node) | Self.startsLongerTermsOnly : Int32(node)
        }
        fuzzyBuckets = []
        fuzzyCandidates = []
        fuzzyWords = []
        for bucket in fuzzyByLength {
            let first = fuzzyCandidates.count
            for candidate in bucket {
                fuzzyCandidates.append((candidate.entry, fuzzyWords.count..<(fuzzyWords.count + candidate.word.count)))
                fuzzyWords += candidate.word
            }
            fuzzyBuckets.append(first..<fuzzyCandidates.count)
        }
        lookup = Lookup(keyTable: keyTable, fuzzyBuckets: fuzzyBuckets, fuzzyCandidates: fuzzyCandidates, fuzzyWords: fuzzyWords)
    }

    private mutating func insertPath(_ words: [String], entry: Int32) {
        var node = 0
        for word in words {
            let next: Int
            let key = keyTable.intern(Array(word.utf8))
            if let existing = child(of: node, key: key) {
                next = existing
            } else {
                precondition(accepting.count < Int(Self.startsLongerTermsOnly), "too many term words for the trie")
                accepting.append([])
                hasChildren.append(false)
                next = accepting.count - 1
                setChild(of: node, key: key, to: next)
            }
            // Emphasised text ("prabowooo") arrives squeezed; let it reach the same node.
            let squeezed = keyTable.intern(Array(Tokenizer.squeezedKey(word).utf8))
            if squeezed != key, child(of: node, key: squeezed) == nil { setChild(of: node, key: squeezed, to: next) }
            node = next
        }
        if !accepting[node].contains(entry) { accepting[node].append(entry) }
    }

    @inline(__always)
    private func child(of node: Int, key: Int32) -> Int? {
        if node == 0 {
            guard Int(key) < rootChildren.count else { return nil }
            let next = rootChildren[Int(key)]
            return next < 0 ? nil : Int(next)
        }
        return children[UInt64(node) << 32 | UInt64(key)].map(Int.init)
    }

    private mutating func setChild(of node: Int, key: Int32, to next: Int) {
        hasChildren[node] = true
        if node == 0 {
            if rootChildren.count <= Int(key) {
                rootChildren += Array(repeating: -1, count: Int(key) + 1 - rootChildren.count)
            }
            rootChildren[Int(key)] = Int32(next)
        } else {
            children[UInt64(node) << 32 | UInt64(key)] = Int32(next)
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
        guard let lookup else { preconditionFailure("TermMatcher.finish() must be called before matching") }
        var sink = Sink(matcher: lookup, textLength: bytes.count, workspace: &workspace)
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
                // whole term by itself says so in its start, and is matched here.
                let step = sink.keys[keys.lowerBound].start
                if step <= -2 {
                    let token = sink.tokens[start]
                    matches.append(Match(entry: Int(-2 - step), firstToken: start, lastToken: start, start: token.start, end: token.end))
                } else if step >= 0 {
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
                // The first step is the key's start (see `KeyTable.Found`).
                let step = foundKeys[keyIndex].start
                if step == -1 { continue }
                if step <= -2 {
                    let match = if let within {
                        Match(entry: Int(-2 - step), firstToken: within.token, lastToken: within.token, start: tokens[start].start, end: tokens[index].end)
                    } else {
                        Match(entry: Int(-2 - step), firstToken: start, lastToken: index, start: tokens[start].start, end: tokens[index].end)
                    }
                    append(match, to: &matches, firstOfStart: firstOfStart)
                    continue
                }
                mayAccept = step & Self.startsLongerTermsOnly == 0
                next = Int(step & ~Self.startsLongerTermsOnly)
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
        let matcher: Lookup
        var tokens: [ScannedToken] = []
        var parts: [ScannedToken] = []
        /// The keys of the tokens that some term uses: their ids and starts.
        var keys: [KeyTable.Found] = []
        /// Fuzzy matches by token, in token order.
        var fuzzy: [(token: Int, entry: Int32)] = []
        /// A word lowercased for fuzzy matching.
        var loweredWord: [UInt8] = []

        /// Takes the workspace's buffers, emptied (their capacity kept).
        init(matcher: Lookup, textLength: Int, workspace: inout Workspace) {
            self.matcher = matcher
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
            let found = matcher.keyTable.find(plainWord: word, in: text, hash: hash)
            add(found)
            tokens.append(ScannedToken(start: start, end: end, keys: first..<self.keys.count, isHashtag: false, parts: 0..<0))
            fuzzyMatches(asciiWord: word, found: found, hasUppercase: hasUppercase)
        }

        mutating func repeatedWord(start: Int, end: Int, hash: Int, marked: UnsafeBufferPointer<UInt8>, squeezedHash: Int, markedHash: Int,
                                   hasUppercase: Bool, text: UnsafeBufferPointer<UInt8>) -> Bool {
            let first = self.keys.count
            let word = UnsafeBufferPointer(rebasing: text[start..<end])
            let found = matcher.keyTable.find(plainWord: word, in: text, hash: hash)
            add(found)
            add(matcher.keyTable.find(UnsafeBufferPointer(rebasing: marked.dropFirst()), hash: squeezedHash))
            add(matcher.keyTable.find(marked, hash: markedHash))
            tokens.append(ScannedToken(start: start, end: end, keys: first..<self.keys.count, isHashtag: false, parts: 0..<0))
            fuzzyMatches(asciiWord: word, found: found, hasUppercase: hasUppercase)
            return true
        }

        /// Fuzzy matches of an ASCII word of the text, found (lowercased) as `found`.
        @inline(__always)
        private mutating func fuzzyMatches(asciiWord word: UnsafeBufferPointer<UInt8>, found: KeyTable.Found?, hasUppercase: Bool) {
            let length = word.count
            guard matcher.hasFuzzyCandidates(length: length) else { return }
            // A word that is itself a term word is that term, never a typo of another one.
            if let found, found.start != -1 { return }
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
                add(keys.withKey(index) { matcher.keyTable.find($0, hash: keys.hash(index)) })
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
            if kind != .emoji, !matcher.fuzzyBuckets.isEmpty {
                // The plain word is the hashtag's second key, a word's first.
                keys.withKey(kind == .hashtag ? 1 : 0) { fuzzyMatches($0, token: tokens.count - 1) }
            }
        }

        /// `checked`: the caller has made sure the word is not itself a term's first word.
        private mutating func fuzzyMatches(_ word: UnsafeBufferPointer<UInt8>, token: Int, checked: Bool = false) {
            let length = word.count
            guard matcher.hasFuzzyCandidates(length: length) else { return }
            // A word that is itself a term word is that term, never a typo of another one
            // (`prabowo` must not fuzzily match `pranowo`).
            if !checked, let found = matcher.keyTable.find(word, hash: KeyHash.of(word)), found.start != -1 { return }
            let words = UnsafeBufferPointer(matcher.fuzzyWords)
            let first = word[0], last = word[length - 1]
            let found = fuzzy.count
            let firstList = length * 32 + Int(first & 31)
            for position in Int(matcher.fuzzyFirstStarts[firstList])..<Int(matcher.fuzzyFirstStarts[firstList + 1]) {
                let candidate = matcher.fuzzyCandidates[Int(matcher.fuzzyByFirst[position])]
                let candidateWord = UnsafeBufferPointer(rebasing: words[candidate.word])
                if candidateWord[0] == first, TermMatcher.withinOneEdit(candidateWord, word) { fuzzy.append((token, candidate.entry)) }
            }
            let lastList = length * 32 + Int(last & 31)
            for position in Int(matcher.fuzzyLastStarts[lastList])..<Int(matcher.fuzzyLastStarts[lastList + 1]) {
                let candidate = matcher.fuzzyCandidates[Int(matcher.fuzzyByLast[position])]
                let candidateWord = UnsafeBufferPointer(rebasing: words[candidate.word])
                // Those sharing the first byte too were compared above.
                if candidateWord[candidateWord.count - 1] == last, candidateWord[0] != first,
                   TermMatcher.withinOneEdit(candidateWord, word) { fuzzy.append((token, candidate.entry)) }
            }
            // In the order of the terms, as one pass over the candidates gave them.
            if fuzzy.count - found > 1 { fuzzy[found...].sort { $0.entry < $1.entry } }
        }
    }

    /// True when `a` and `b` differ by one insertion, deletion, substitution or swap of neighbours.
    static func withinOneEdit(_ a: String, _ b: String) -> Bool {
        Array(a.utf8).withUnsafeBufferPointer { x in Array(b.utf8).withUnsafeBufferPointer { y in withinOneEdit(x, y) } }
    }

    static func withinOneEdit(_ x: UnsafeBufferPointer<UInt8>, _ y: UnsafeBufferPointer<UInt8>) -> Bool {
        if abs(x.count - y.count) > 1 { return false }
        // One edit leaves the first or the last byte in place: a quick refusal.
        if x.count >= 2, y.count >= 2, x[0] != y[0], x[x.count - 1] != y[y.count - 1] { return false }
        if x.count == y.count {
            var first = -1, second = -1, differences = 0
            for index in 0..<x.count where x[index] != y[index] {
                differences += 1
                if differences > 2 { return false }
                if first < 0 { first = index } else { second = index }
            }
            if differences == 0 { return false }
            if differences == 1 { return true }
            return second == first + 1 && x[first] == y[second] && x[second] == y[first]
        }
        let (short, long) = x.count < y.count ? (x, y) : (y, x)
        var i = 0, j = 0, skipped = false
        while i < short.count, j < long.count {
            if short[i] == long[j] {
                i += 1
                j += 1
            } else if skipped {
                return false
            } else {
                skipped = true
                j += 1
            }
        }
        return true
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

/// The trie's edges below the root, by (node, key id), in one open-addressing table: a
/// lookup is a multiply and, usually, one slot, where a `Dictionary` would hash with SipHash.
///
/// Most lookups find nothing (the word after a first name is seldom a surname that follows it),
/// so a bit filter of 16 bits per edge, small enough to stay in cache, answers those without
/// touching the table.
struct EdgeTable: Sendable {
    /// An edge and the node it leads to, side by side: a lookup that finds it reads one line.
    struct Slot: Sendable {
        /// node << 32 | key (0 when empty: nodes below the root are never 0).
        var edge: UInt64
        var child: Int32
    }

    private var slots: [Slot] = [Slot(edge: 0, child: -1), Slot(edge: 0, child: -1)]
    private var shift: UInt64 = 63
    private var filter: [UInt64] = [0]

    init() {}

    init(_ edges: [UInt64: Int32]) {
        let capacity = max(2, (edges.count * 2).nextPowerOfTwo)
        slots = Array(repeating: Slot(edge: 0, child: -1), count: capacity)
        shift = UInt64(64 - capacity.trailingZeroBitCount)
        filter = Array(repeating: 0, count: max(1, (edges.count * 16 / 64).nextPowerOfTwo))
        for (edge, child) in edges {
            var slot = home(edge)
            while slots[slot].edge != 0 { slot = (slot + 1) & (capacity - 1) }
            slots[slot] = Slot(edge: edge, child: child)
            let (word, bit) = filterBit(edge)
            filter[word] |= bit
        }
    }

    @inline(__always)
    private func home(_ edge: UInt64) -> Int {
        Int(truncatingIfNeeded: (edge &* 0x9E37_79B9_7F4A_7C15) >> shift)
    }

    /// From other bits of another multiply than `home`'s, so the two do not agree.
    @inline(__always)
    private func filterBit(_ edge: UInt64) -> (word: Int, bit: UInt64) {
        let bit = Int(truncatingIfNeeded: (edge &* 0xC2B2_AE3D_27D4_EB4F) >> 20) & (filter.count * 64 - 1)
        return (bit >> 6, 1 &<< UInt64(bit & 63))
    }

    @inline(__always)
    func child(of node: Int, key: Int32) -> Int? {
        let wanted = UInt64(node) << 32 | UInt64(UInt32(bitPattern: key))
        let (word, bit) = filterBit(wanted)
        if filter[word] & bit == 0 { return nil }
        return slots.withUnsafeBufferPointer { slots in
            let mask = slots.count - 1
            var slot = home(wanted)
            while true {
                let stored = slots[slot]
                if stored.edge == wanted { return Int(stored.child) }
                if stored.edge == 0 { return nil }
                slot = (slot + 1) & mask
            }
        }
    }
}

private extension Int {
    var nextPowerOfTwo: Int { self <= 1 ? 1 : 1 << (Int.bitWidth - (self - 1).leadingZeroBitCount) }
}

/// Byte strings interned to dense ids, looked up straight from a text's bytes with the hash
/// the tokenizer computed (open addressing, linear probing). Only the keys of compiled terms
/// are in it.
///
/// A slot holds a key's first eight bytes beside its id, length and `start` (where a term
/// starting with the key goes), so a word of up to eight bytes (most words) is found, and its
/// first step in the trie known, from the one slot; a longer one reads the stored key only
/// past its eighth byte.
struct KeyTable: Sendable {
    private var storage: [UInt8] = []
    private var starts: [Int] = [0]

    struct Slot: Sendable {
        /// The key's first eight bytes, little-endian, zero-padded.
        var prefix: UInt64
        /// Bits 32...63: the key's `start`; 24...31: its length (255 for 255 bytes or more,
        /// 0 for an empty slot); 0...23: its id.
        var meta: UInt64
    }

    /// A key found: its id, and its `start` (see `setStarts`).
    struct Found {
        var id: Int32
        var start: Int32
    }

    /// Keys have ids below this (24 bits in a slot).
    static let maximumCount = 1 << 24

    /// A power of two in count, at most half full.
    private var slots: [Slot] = Array(repeating: Slot(prefix: 0, meta: 0), count: 64)
    /// One bit per (hash bits 24...) value, set for every key: most words of a text are no
    /// term's key, and this small table refuses them without touching the slots.
    private var filter: [UInt64] = Array(repeating: 0, count: 1 << 10)

    var count: Int { starts.count - 1 }

    @inline(__always)
    private static func filterBit(_ finished: Int, words: Int) -> (word: Int, mask: UInt64) {
        let bit = (finished >> 24) & (words * 64 - 1)
        return (bit >> 6, 1 &<< UInt64(bit & 63))
    }

    /// The first eight bytes of `key`, little-endian, zero-padded.
    @inline(__always)
    private static func prefix(of key: UnsafeBufferPointer<UInt8>) -> UInt64 {
        var prefix: UInt64 = 0
        for index in 0..<min(key.count, 8) { prefix |= UInt64(key[index]) &<< UInt64(index * 8) }
        return prefix
    }

    @inline(__always)
    private static func lengthBits(_ length: Int) -> UInt64 { UInt64(min(length, 255)) << 24 }

    func id(of key: UnsafeBufferPointer<UInt8>) -> Int32? {
        find(key, hash: KeyHash.of(key))?.id
    }

    /// `key`, whose unfinished `KeyHash` is `hash`.
    func find(_ key: UnsafeBufferPointer<UInt8>, hash: Int) -> Found? {
        probe(hash: hash, length: key.count, prefix: { Self.prefix(of: key) }) { rest in
            memcmp(rest.baseAddress!, key.baseAddress! + 8, rest.count) == 0
        }
    }

    /// The ASCII letters and digits `word` read lowercased, whose lowercase `KeyHash` is
    /// `hash`. `text` is the buffer `word` lies in: when eight bytes can be read from the
    /// word's start, its prefix is one load.
    func find(plainWord word: UnsafeBufferPointer<UInt8>, in text: UnsafeBufferPointer<UInt8>, hash: Int) -> Found? {
        probe(hash: hash, length: word.count, prefix: { Self.lowercasePrefix(of: word, in: text) }) { rest in
            for offset in 0..<rest.count where rest[offset] != word[offset + 8] | 0x20 { return false }
            return true
        }
    }

    /// The first eight bytes of the ASCII letters and digits `word`, lowercased: one load
    /// when eight bytes can be read from the word's start in `text`.
    @inline(__always)
    private static func lowercasePrefix(of word: UnsafeBufferPointer<UInt8>, in text: UnsafeBufferPointer<UInt8>) -> UInt64 {
        let start = word.baseAddress!
        var prefix: UInt64
        if start + 8 <= text.baseAddress! + text.count {
            prefix = UInt64(littleEndian: UnsafeRawPointer(start).loadUnaligned(as: UInt64.self))
            if word.count < 8 { prefix &= (1 &<< UInt64(word.count * 8)) - 1 }
        } else {
            prefix = Self.prefix(of: word)
        }
        // Letters and digits: setting bit 5 lowercases a letter and leaves a digit as it is.
        return prefix | (0x2020_2020_2020_2020 & (word.count >= 8 ? ~0 : (1 &<< UInt64(word.count * 8)) - 1))
    }

    /// The one lookup: the filter, then the slots from the hash's home on. A slot whose
    /// length and prefix agree is the key when `restEquals` accepts the stored bytes after the
    /// eighth (empty for short keys).
    @inline(__always)
    private func probe(hash: Int, length: Int, prefix: () -> UInt64, restEquals: (UnsafeBufferPointer<UInt8>) -> Bool) -> Found? {
        let finished = KeyHash.finish(hash)
        let (filterWord, filterMask) = Self.filterBit(finished, words: filter.count)
        if filter[filterWord] & filterMask == 0 { return nil }
        let wantedLength = Self.lengthBits(length)
        let wantedPrefix = prefix()
        return slots.withUnsafeBufferPointer { slots in
            let mask = slots.count - 1
            var slot = finished & mask
            while true {
                let stored = slots[slot]
                let storedLength = stored.meta & 0xFF00_0000
                if storedLength == 0 { return nil }
                if storedLength == wantedLength && stored.prefix == wantedPrefix {
                    let found = Found(id: Int32(stored.meta & 0xFF_FFFF), start: Int32(truncatingIfNeeded: stored.meta >> 32))
                    if length <= 8 { return found }
                    let start = starts[Int(found.id)]
                    if starts[Int(found.id) + 1] - start == length,
                       storage.withUnsafeBufferPointer({ restEquals(UnsafeBufferPointer(rebasing: $0[(start + 8)..<(start + length)])) }) {
                        return found
                    }
                }
                slot = (slot + 1) & mask
            }
        }
    }

    mutating func intern(_ key: [UInt8]) -> Int32 {
        precondition(!key.isEmpty, "an empty key")
        if let existing = key.withUnsafeBufferPointer({ id(of: $0) }) { return existing }
        precondition(count + 1 < Self.maximumCount, "more than \(Self.maximumCount) term words")
        storage.append(contentsOf: key)
        starts.append(storage.count)
        if count * 2 > slots.count || count * 16 > filter.count * 64 {
            // Grow the slots (at most half full) and the filter (16 bits per key) together.
            let startsByID = startsByID()
            slots = Array(repeating: Slot(prefix: 0, meta: 0), count: max(slots.count, count.nextPowerOfTwo * 2))
            filter = Array(repeating: 0, count: max(filter.count, (count * 16 / 64).nextPowerOfTwo))
            for id in 0..<count { place(Int32(id), start: id < startsByID.count ? startsByID[id] : -1) }
        } else {
            place(Int32(count - 1), start: -1)
        }
        return Int32(count - 1)
    }

    /// Each key's `start`, by id.
    private func startsByID() -> [Int32] {
        var result = [Int32](repeating: -1, count: count)
        for slot in slots where slot.meta & 0xFF00_0000 != 0 {
            let id = Int(slot.meta & 0xFF_FFFF)
            if id < result.count { result[id] = Int32(truncatingIfNeeded: slot.meta >> 32) }
        }
        return result
    }

    /// Sets each key's `start`, which lookups return with its id: what the trie does with a
    /// term's first word (see `TermMatcher.finish()`). Also sizes the table for matching: the
    /// slots at most three quarters full and the filter at about eight bits per key, so that
    /// with tens of thousands of names both stay as small as they can in the caches.
    mutating func setStarts(_ start: (Int32) -> Int32) {
        let starts = (0..<count).map { start(Int32($0)) }
        slots = Array(repeating: Slot(prefix: 0, meta: 0), count: max(64, (count * 4 / 3 + 1).nextPowerOfTwo))
        let filterWords = max(16, count * 8 / 64)
        filter = Array(repeating: 0, count: filterWords.nextPowerOfTwo == filterWords ? filterWords : filterWords.nextPowerOfTwo / 2)
        for id in 0..<count { place(Int32(id), start: starts[id]) }
    }

    private mutating func place(_ id: Int32, start: Int32) {
        let range = starts[Int(id)]..<starts[Int(id) + 1]
        let (hash, prefix) = storage.withUnsafeBufferPointer { storage in
            let key = UnsafeBufferPointer(rebasing: storage[range])
            return (KeyHash.finish(KeyHash.of(key)), Self.prefix(of: key))
        }
        let mask = slots.count - 1
        var slot = hash & mask
        while slots[slot].meta & 0xFF00_0000 != 0 { slot = (slot + 1) & mask }
        slots[slot] = Slot(prefix: prefix, meta: UInt64(UInt32(bitPattern: start)) << 32 | Self.lengthBits(range.count) | UInt64(id))
        let (word, bit) = Self.filterBit(hash, words: filter.count)
        filter[word] |= bit
    }
}
