/// Compiles terms into a `TermMatcher`: `insert(term:signal:)` for every term of every pack,
/// then `finish()` for the immutable matcher. The dictionaries and per-node lists here are
/// for compiling only; the matcher gets flat tables built from them.
struct TermMatcherBuilder {
    private var entries: [TermMatcher.Entry] = []
    /// Every key a term can reach, interned (see `KeyTable`).
    private var keyTable = KeyTable()
    /// Child of the root per key id (-1: none). `finish()` turns it into each key's `FirstStep`.
    private var rootChildren: [Int32] = []
    /// Children of the other nodes, by node << 32 | key id. `finish()` builds the `EdgeTable`.
    private var children: [UInt64: Int32] = [:]
    /// Per node (0 is the root): the entries it accepts, and whether any edge leaves it.
    private var accepting: [[Int32]] = [[]]
    private var hasChildren: [Bool] = [true]
    /// Single-word terms that tolerate one edit, by the UTF-8 length of the text words they can
    /// match (see `FuzzyIndex`).
    private var fuzzyByLength: [[(entry: Int32, word: [UInt8])]] = []

    init() {}

    /// Adds a term. Affixed forms and fuzzy variants of a one-word term share its entry.
    mutating func insert(term: Term, signal: Int) {
        let words: [[UInt8]]
        var exact: [[UInt8]]?
        if !term.exactCase, let plain = Self.plainWordBytes(term.text) {
            words = plain
        } else {
            let tokens = Tokenizer.tokens(of: term.text)
            guard !tokens.isEmpty else { return }
            exact = term.exactCase ? tokens.map { Array($0.original.utf8) } : nil
            words = tokens.map { Array($0.normalized.utf8) }
        }
        entries.append(TermMatcher.Entry(signal: signal, term: term.text, exactTokens: exact))
        let entry = Int32(entries.count - 1)
        insertPath(words, entry: entry)
        if term.verbAffixes, words.count == 1 {
            for form in Affixes.verbForms(of: String(decoding: words[0], as: UTF8.self)).dropFirst() { insertPath([Array(form.utf8)], entry: entry) }
        }
        if term.fuzzy, words.count == 1 {
            // Filed under every text length it can match (one byte shorter, equal, longer), so
            // a text word needs one lookup.
            let word = words[0]
            if fuzzyByLength.count < word.count + 2 {
                fuzzyByLength += Array(repeating: [], count: word.count + 2 - fuzzyByLength.count)
            }
            for length in (word.count - 1)...(word.count + 1) {
                fuzzyByLength[length].append((entry, word))
            }
        }
    }

    /// The words of a term that is only ASCII letters or digits in words separated by spaces,
    /// each word all letters or all digits: lowercased, as the tokenizer normalizes them (no
    /// accents, hashtags, emoji or letter-digit mixes to read). Nil for any other term. Loading
    /// tens of thousands of generated terms needs no tokenizer run for these.
    static func plainWords(_ text: String) -> [String]? {
        plainWordBytes(text)?.map { String(decoding: $0, as: UTF8.self) }
    }

    /// `plainWords` as UTF-8, as the trie keys them.
    static func plainWordBytes(_ text: String) -> [[UInt8]]? {
        var words: [[UInt8]] = []
        var word: [UInt8] = []
        var letters = false, digits = false
        func flush() -> Bool {
            defer { word.removeAll(keepingCapacity: true); letters = false; digits = false }
            if word.isEmpty { return true }
            if letters && digits { return false }
            words.append(word)
            return true
        }
        for byte in text.utf8 {
            switch byte {
            case 0x20: guard flush() else { return nil }
            case 0x61...0x7A: word.append(byte); letters = true
            case 0x41...0x5A: word.append(byte | 0x20); letters = true
            case 0x30...0x39: word.append(byte); digits = true
            default: return nil
            }
        }
        guard flush(), !words.isEmpty else { return nil }
        return words
    }

    /// The matcher of every term inserted so far.
    func finish() -> TermMatcher {
        let entryIsExact = entries.map { $0.exactTokens != nil }
        var acceptedEntries: [Int32] = []
        let nodeInfo = accepting.indices.map { node in
            let start = Int32(acceptedEntries.count)
            acceptedEntries += accepting[node]
            return TermMatcher.NodeInfo(acceptedStart: start, acceptedEnd: Int32(acceptedEntries.count), hasChildren: hasChildren[node],
                                        acceptsExact: accepting[node].contains { entryIsExact[Int($0)] })
        }
        var keyTable = keyTable
        // Each key's first step, found with the key itself, so that most matches need no trie
        // at all: a leaf accepting one entry of any case is the entry itself.
        keyTable.setFirstSteps { key in
            guard Int(key) < rootChildren.count, rootChildren[Int(key)] >= 0 else { return .none }
            let node = Int(rootChildren[Int(key)])
            if !hasChildren[node], accepting[node].count == 1, !entryIsExact[Int(accepting[node][0])] { return .entry(accepting[node][0]) }
            // Only longer terms start here (a first name): the walk goes on without reading the node.
            return .node(node, acceptsEntries: !accepting[node].isEmpty)
        }
        return TermMatcher(
            entries: entries, lookup: TermMatcher.Lookup(keyTable: keyTable, fuzzy: FuzzyIndex(byLength: fuzzyByLength)),
            edges: EdgeTable(children), nodeInfo: nodeInfo, acceptedEntries: acceptedEntries, entryIsExact: entryIsExact
        )
    }

    private mutating func insertPath(_ words: [[UInt8]], entry: Int32) {
        var node = 0
        for word in words {
            let next: Int
            let key = keyTable.intern(word)
            if let existing = child(of: node, key: key) {
                next = existing
            } else {
                precondition(accepting.count < FirstStep.maximumNodeCount, "too many term words for the trie")
                accepting.append([])
                hasChildren.append(false)
                next = accepting.count - 1
                setChild(of: node, key: key, to: next)
            }
            // Emphasised text ("prabowooo") arrives squeezed; let it reach the same node. Only a
            // word with a letter twice in a row has a squeezed form (an ASCII one, a byte twice).
            if word.contains(where: { $0 >= 0x80 }) || zip(word, word.dropFirst()).contains(where: { $0 == $1 }) {
                let text = String(decoding: word, as: UTF8.self)
                let squeezedWord = Tokenizer.squeezedKey(text)
                if squeezedWord != text {
                    let squeezed = keyTable.intern(Array(squeezedWord.utf8))
                    if squeezed != key, child(of: node, key: squeezed) == nil { setChild(of: node, key: squeezed, to: next) }
                }
            }
            node = next
        }
        if !accepting[node].contains(entry) { accepting[node].append(entry) }
    }

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
}
