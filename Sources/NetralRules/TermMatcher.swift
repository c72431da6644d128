/// Every term of every loaded pack compiled into one token trie. Matching walks the trie from
/// each token of the text, so its cost grows with the text (times the few words of the longest
/// term and the few keys of a token), not with the number of terms.
///
/// Each token offers several keys (see `Tokenizer`): its normalized form, a letter-digit
/// reading, a squeezed form, and for hashtags the bare word. Squeezed keys are extra edges into
/// the same trie nodes, so any mix of plain and emphasised words along a term still matches.
struct TermMatcher: Sendable {
    struct Entry: Sendable {
        /// Index of the signal in `RuleSet.signals`.
        var signal: Int
        var term: String
        /// For exact-case terms, the term's tokens as written.
        var exactTokens: [String]?
    }

    /// A match: the entry and the token range it covers. For a match inside a hashtag's
    /// words, `part` is the range of words and the tokens are the hashtag's index.
    struct Match: Hashable {
        var entry: Int
        var firstToken: Int
        var lastToken: Int
        var parts: ClosedRange<Int>?
        /// The match needed an edit (a fuzzy term).
        var fuzzy = false
    }

    private var children: [[String: Int32]] = [[:]]
    private var accepting: [[Int32]] = [[]]
    private(set) var entries: [Entry] = []
    /// Single-word terms that tolerate one edit, by the UTF-8 length of the text words they can
    /// match: a text word is compared only with fuzzy words one byte shorter, as long, or one
    /// byte longer.
    private var fuzzyByLength: [Int: [(entry: Int32, word: [UInt8])]] = [:]

    /// Adds a term. Affixed forms and fuzzy variants of a one-word term share its entry.
    mutating func insert(term: Term, signal: Int) {
        let tokens = Tokenizer.tokens(of: term.text)
        guard !tokens.isEmpty else { return }
        let exact = term.exactCase ? tokens.map { String($0.original) } : nil
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
            for length in (word.count - 1)...(word.count + 1) {
                fuzzyByLength[length, default: []].append((entry, word))
            }
        }
    }

    private mutating func insertPath(_ words: [String], entry: Int32) {
        var node = 0
        for word in words {
            let next: Int
            if let existing = children[node][word] {
                next = Int(existing)
            } else {
                children.append([:])
                accepting.append([])
                next = children.count - 1
                children[node][word] = Int32(next)
            }
            // Emphasised text ("prabowooo") arrives squeezed; let it reach the same node.
            let squeezed = Tokenizer.squeezedKey(word)
            if children[node][squeezed] == nil { children[node][squeezed] = Int32(next) }
            node = next
        }
        if !accepting[node].contains(entry) { accepting[node].append(entry) }
    }

    /// All matches in a token sequence, in text order.
    func matches(in tokens: [Token]) -> [Match] {
        var result: [Match] = []
        for start in tokens.indices {
            walk(tokens, from: start, at: start, node: 0, into: &result) { first, last in
                Match(entry: 0, firstToken: first, lastToken: last)
            }
            let token = tokens[start]
            if !token.parts.isEmpty {
                // Words inside a camel-case hashtag match among themselves.
                for partStart in token.parts.indices {
                    walk(token.parts, from: partStart, at: partStart, node: 0, into: &result) { first, last in
                        Match(entry: 0, firstToken: start, lastToken: start, parts: first...last)
                    }
                }
            }
            if !fuzzyByLength.isEmpty {
                fuzzyMatches(token, at: start, into: &result)
            }
        }
        // A term reached through two keys of one token (or exactly and fuzzily) counts once.
        var seen = Set<Match>()
        return result.filter { match in
            var key = match
            key.fuzzy = false
            return seen.insert(key).inserted
        }
    }

    private func walk(
        _ tokens: [Token], from start: Int, at index: Int, node: Int, into result: inout [Match],
        make: (Int, Int) -> Match
    ) {
        guard index < tokens.count else { return }
        var visited: [Int] = []
        for key in tokens[index].keys {
            guard let next = children[node][key].map(Int.init), !visited.contains(next) else { continue }
            visited.append(next)
            for entryIndex in accepting[next] {
                let entry = entries[Int(entryIndex)]
                if let exact = entry.exactTokens, !Self.matchesExactly(exact, tokens[start...index]) { continue }
                var match = make(start, index)
                match.entry = Int(entryIndex)
                result.append(match)
            }
            walk(tokens, from: start, at: index + 1, node: next, into: &result, make: make)
        }
    }

    private func fuzzyMatches(_ token: Token, at index: Int, into result: inout [Match]) {
        let word = token.isHashtag ? token.normalized.utf8.dropFirst() : token.normalized.utf8[...]
        let length = word.count
        guard length >= 5, let candidates = fuzzyByLength[length] else { return }
        // A word that is itself a term word is that term, never a typo of another one
        // (`prabowo` must not fuzzily match `pranowo`).
        let plain = token.isHashtag ? String(token.normalized.dropFirst()) : token.normalized
        guard children[0][plain] == nil else { return }
        let bytes = Array(word)
        for candidate in candidates where Self.withinOneEdit(candidate.word, bytes) {
            result.append(Match(entry: Int(candidate.entry), firstToken: index, lastToken: index, fuzzy: true))
        }
    }

    /// True when `a` and `b` differ by one insertion, deletion, substitution or swap of neighbours.
    static func withinOneEdit(_ a: String, _ b: String) -> Bool {
        withinOneEdit(Array(a.utf8), Array(b.utf8))
    }

    static func withinOneEdit<T: Equatable>(_ x: [T], _ y: [T]) -> Bool {
        if x == y { return false }
        if abs(x.count - y.count) > 1 { return false }
        if x.count == y.count {
            let differences = x.indices.filter { x[$0] != y[$0] }
            if differences.count <= 1 { return true }
            if differences.count == 2, differences[1] == differences[0] + 1 {
                return x[differences[0]] == y[differences[1]] && x[differences[1]] == y[differences[0]]
            }
            return false
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

    private static func matchesExactly(_ expected: [String], _ tokens: ArraySlice<Token>) -> Bool {
        guard expected.count == tokens.count else { return false }
        for (written, token) in zip(expected, tokens) {
            let original = token.original
            if original != written && !(token.isHashtag && original.dropFirst() == written) { return false }
        }
        return true
    }
}
