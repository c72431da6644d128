/// Every term of every loaded pack compiled into one token trie. Matching walks the trie from
/// each token of the text, so its cost grows with the text (times the longest term, a few
/// words), not with the number of terms.
struct TermMatcher: Sendable {
    struct Entry: Sendable {
        /// Index of the signal in `RuleSet.signals`.
        var signal: Int
        var term: String
        /// For exact-case terms, the term's tokens as written.
        var exactTokens: [String]?
    }

    /// A match: the entry and the token range it covers.
    struct Match: Equatable {
        var entry: Int
        var firstToken: Int
        var lastToken: Int
    }

    private var children: [[String: Int32]] = [[:]]
    private var accepting: [[Int32]] = [[]]
    private(set) var entries: [Entry] = []

    mutating func insert(term: Term, signal: Int) {
        let tokens = Tokenizer.tokens(of: term.text)
        guard !tokens.isEmpty else { return }
        var node = 0
        for token in tokens {
            if let next = children[node][token.normalized] {
                node = Int(next)
            } else {
                children.append([:])
                accepting.append([])
                let next = children.count - 1
                children[node][token.normalized] = Int32(next)
                node = next
            }
        }
        let exact = term.exactCase ? tokens.map { String($0.original) } : nil
        // The same term in the same signal twice adds nothing.
        if accepting[node].contains(where: { entries[Int($0)].signal == signal }) { return }
        entries.append(Entry(signal: signal, term: term.text, exactTokens: exact))
        accepting[node].append(Int32(entries.count - 1))
    }

    /// All matches in a token sequence, in text order.
    func matches(in tokens: [Token]) -> [Match] {
        var result: [Match] = []
        for start in tokens.indices {
            walk(tokens, from: start, at: start, node: 0, into: &result)
        }
        return result
    }

    private func walk(_ tokens: [Token], from start: Int, at index: Int, node: Int, into result: inout [Match]) {
        guard index < tokens.count else { return }
        let token = tokens[index]
        // A hashtag token can be read as the hashtag (`#gibran`) or as the word (`gibran`), so
        // hashtag terms match only hashtags while plain terms match both.
        for key in token.bare.map({ [token.normalized, $0] }) ?? [token.normalized] {
            guard let next = children[node][key].map(Int.init) else { continue }
            for entryIndex in accepting[next] {
                let entry = entries[Int(entryIndex)]
                if let exact = entry.exactTokens, !Self.matchesExactly(exact, tokens[start...index]) { continue }
                result.append(Match(entry: Int(entryIndex), firstToken: start, lastToken: index))
            }
            walk(tokens, from: start, at: index + 1, node: next, into: &result)
        }
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
