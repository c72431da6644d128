import NetralModel

/// Every rule's conditions compiled into one flat array of nodes: names resolved to signal
/// indices, field scopes to bit masks, "fired" labels written out once. Judging an item walks
/// node indices and integer ranges, so it takes no reference counts and builds no strings.
struct ConditionProgram: Sendable {
    struct Node: Sendable {
        enum Operation: Sendable {
            /// A hit of any of `signals` in one of `fields`.
            case signals
            case and
            /// At least `count` of the children.
            case atLeast
            case not
            /// A hit of `signals` and a hit of `second` within `words` words in one field.
            case near
        }

        var operation: Operation
        var count = 0
        var fields: UInt16 = .max
        var words = 0
        /// Range in `signalLists`.
        var signals: Range<Int> = 0..<0
        /// Range in `signalLists` (`near` only).
        var second: Range<Int> = 0..<0
        /// Range in `childLists`.
        var children: Range<Int> = 0..<0
        /// Start of this node's membership row in `members` (signal and near nodes), one Bool
        /// per signal; `near` has a second row after it.
        var members = 0
    }

    private(set) var nodes: [Node] = []
    /// Each node's condition as written, for `fired` (kept apart so reading a node copies no string).
    private(set) var labels: [String] = []
    /// The two names of each `near` node, by node, for saying which side a near miss lacked.
    private(set) var nearSides: [Int: (String, String)] = [:]
    private(set) var signalLists: [Int] = []
    private(set) var childLists: [Int] = []
    private(set) var members: [Bool] = []
    /// Per signal and near node, its signals (and `near`'s second signals after them) as a
    /// bitset of `maskWords` words, starting at `node.members / signalCount * maskWords`.
    private(set) var masks: [UInt64] = []
    let signalCount: Int
    /// Words in one signal bitset.
    let maskWords: Int

    /// Nodes already compiled, by what they are: a condition written in several rules (a
    /// `define` such as `peserta`, or a common `unless`) is one node, judged once per item.
    private var compiled: [NodeShape: Int] = [:]

    private struct NodeShape: Hashable {
        var operation: Node.Operation
        var count: Int
        var fields: UInt16
        var words: Int
        var first: [Int]
        var second: [Int]?
        var children: [Int]
        var label: String
    }

    /// Who this program is: copies of it share it, another compiled program has its own, so
    /// a workspace can tell whether it was prepared for this one.
    final class Identity: Sendable {}
    let identity = Identity()

    init(signalCount: Int) {
        self.signalCount = signalCount
        self.maskWords = (signalCount + 63) / 64
    }

    /// Start in `masks` of the bitset of the membership row that starts at `row` in `members`.
    func maskStart(row: Int) -> Int { row / max(signalCount, 1) * maskWords }

    /// Compiles a condition; returns its root node.
    mutating func compile(_ condition: Condition, resolve: (String) -> [Int]) -> Int {
        switch condition {
        case .name(let name):
            return add(Node(operation: .signals), label: name, first: resolve(name))
        case let .scoped(name, scopes):
            // `[self]`, `[tag]` and `[window]` are not sets of fields but facts of each hit: bits
            // of their own beside the field's.
            let fields = ItemField.allCases.filter { field in scopes.contains { $0.contains(field) } }
            var mask = fields.reduce(0) { $0 | $1.bit }
            if scopes.contains(.self) { mask |= ItemField.describesAuthorBit }
            if scopes.contains(.tag) { mask |= ItemField.hashtagBit }
            if scopes.contains(.window) { mask |= ItemField.inWindowBit }
            return add(Node(operation: .signals, fields: mask), label: condition.description, first: resolve(name))
        case .and(let parts):
            return add(Node(operation: .and), label: condition.description, children: parts.map { compile($0, resolve: resolve) })
        case .or(let parts):
            return add(Node(operation: .atLeast, count: 1), label: condition.description, children: parts.map { compile($0, resolve: resolve) })
        case let .atLeast(count, parts):
            return add(Node(operation: .atLeast, count: count), label: condition.description, children: parts.map { compile($0, resolve: resolve) })
        case .not(let part):
            return add(Node(operation: .not), label: condition.description, children: [compile(part, resolve: resolve)])
        case let .near(first, second, words):
            let node = add(Node(operation: .near, words: words), label: condition.description, first: resolve(first), second: resolve(second))
            nearSides[node] = (first, second)
            return node
        }
    }

    private mutating func add(_ node: Node, label: String, first: [Int] = [], second: [Int]? = nil, children: [Int] = []) -> Int {
        let shape = NodeShape(operation: node.operation, count: node.count, fields: node.fields, words: node.words,
                              first: first, second: second, children: children, label: label)
        if let existing = compiled[shape] { return existing }
        var node = node
        node.signals = appendList(first)
        if let second { node.second = appendList(second) }
        node.children = childLists.count..<(childLists.count + children.count)
        childLists += children
        if node.operation == .signals || node.operation == .near {
            node.members = members.count
            for list in [first, second ?? []].prefix(node.operation == .near ? 2 : 1) {
                var row = [Bool](repeating: false, count: signalCount)
                var mask = [UInt64](repeating: 0, count: maskWords)
                for signal in list {
                    row[signal] = true
                    mask[signal / 64] |= 1 << UInt64(signal % 64)
                }
                members += row
                masks += mask
            }
        }
        nodes.append(node)
        labels.append(label)
        compiled[shape] = nodes.count - 1
        return nodes.count - 1
    }

    private mutating func appendList(_ list: [Int]) -> Range<Int> {
        signalLists += list
        return (signalLists.count - list.count)..<signalLists.count
    }
}

extension ItemField {
    /// This field's bit in a field mask.
    var bit: UInt16 {
        switch self {
        case .title: 1 << 0
        case .description: 1 << 1
        case .body: 1 << 2
        case .imageAlt: 1 << 3
        case .linkText: 1 << 4
        case .authorName: 1 << 5
        case .authorBio: 1 << 6
        case .subject: 1 << 7
        case .authorHandle: 1 << 8
        case .imageText: 1 << 9
        case .transcript: 1 << 10
        case .accountIdentity: 1 << 11
        }
    }

    /// Set beside a hit's field bit when the hit describes the author (the `[self]` scope).
    static let describesAuthorBit: UInt16 = 1 << 15
    /// Set when the hit is of a hashtag term (`#PrabowoGibran2024`; the `[tag]` scope).
    static let hashtagBit: UInt16 = 1 << 14
    /// Set when the item is dated inside the window of the hit's pack or signal (the
    /// `[window]` scope).
    static let inWindowBit: UInt16 = 1 << 13
}

/// Evaluates compiled conditions against the counted hits of one item. Hits are referred to by
/// id (their index in the item's located hits), so conditions pass small integer lists around.
/// A scan keeps one context in its workspace and `reset`s it for every item, so judging an
/// item allocates nothing here once the buffers have grown.
struct EvaluationContext {
    private let program: ConditionProgram
    /// The program's arrays and the per-item state, in memory this context owns.
    private var memory: Memory
    /// The counted hits of the item.
    private(set) var hits: [RuleSet.LocatedHit] = []

    /// What judging reads and writes for every node, copied from the program into memory
    /// read through pointers: no reference counts, bounds checks or uniqueness checks in the
    /// loop that judges every rule of every item. Nothing escapes it; it is freed with it.
    private final class Memory {
        let nodes: UnsafeMutableBufferPointer<ConditionProgram.Node>
        let signalLists: UnsafeMutableBufferPointer<Int>
        let childLists: UnsafeMutableBufferPointer<Int>
        let members: UnsafeMutableBufferPointer<Bool>
        let masks: UnsafeMutableBufferPointer<UInt64>
        /// Per signal, the fields it has counted hits in.
        let fields: UnsafeMutableBufferPointer<UInt16>
        /// The signals with counted hits, as a bitset (`ConditionProgram.maskWords` words).
        let present: UnsafeMutableBufferPointer<UInt64>
        /// Per node, whether it holds once judged (0: not yet, 1: holds, 2: does not): rules
        /// share nodes, and each is judged once per item.
        let known: UnsafeMutableBufferPointer<UInt8>

        init(_ program: ConditionProgram) {
            func copy<T>(_ array: [T]) -> UnsafeMutableBufferPointer<T> {
                let buffer = UnsafeMutableBufferPointer<T>.allocate(capacity: max(array.count, 1))
                _ = buffer.initialize(from: array)
                return UnsafeMutableBufferPointer(rebasing: buffer[0..<array.count])
            }
            nodes = copy(program.nodes)
            signalLists = copy(program.signalLists)
            childLists = copy(program.childLists)
            members = copy(program.members)
            masks = copy(program.masks)
            fields = copy([UInt16](repeating: 0, count: program.signalCount))
            present = copy([UInt64](repeating: 0, count: program.maskWords))
            known = copy([UInt8](repeating: 0, count: program.nodes.count))
        }

        deinit {
            for buffer in [UnsafeMutableRawPointer(nodes.baseAddress!), UnsafeMutableRawPointer(signalLists.baseAddress!),
                           UnsafeMutableRawPointer(childLists.baseAddress!), UnsafeMutableRawPointer(members.baseAddress!),
                           UnsafeMutableRawPointer(masks.baseAddress!), UnsafeMutableRawPointer(fields.baseAddress!),
                           UnsafeMutableRawPointer(present.baseAddress!), UnsafeMutableRawPointer(known.baseAddress!)] {
                buffer.deallocate()
            }
        }
    }

    init(program: ConditionProgram) {
        self.program = program
        self.memory = Memory(program)
    }

    /// Whether this context judges with `program` (the same compiled rule set).
    func uses(_ program: ConditionProgram) -> Bool {
        self.program.identity === program.identity
    }

    /// Prepares for judging another item, whose counted hits are then given to `count`.
    mutating func reset() {
        // A copy of a workspace (and of this context) shares the memory until one of them
        // judges an item: that one takes memory of its own, so copies never write to the same.
        if !isKnownUniquelyReferenced(&memory) {
            memory = Memory(program)
        } else {
            // Only what the last item set: with generated packs there are thousands of signals.
            for signal in countedSignals { memory.fields[signal] = 0 }
            for word in presentWords { memory.present[word] = 0 }
        }
        countedSignals.removeAll(keepingCapacity: true)
        presentWords.removeAll(keepingCapacity: true)
        hits.removeAll(keepingCapacity: true)
        hitBits.removeAll(keepingCapacity: true)
        memory.known.update(repeating: 0)
    }

    /// The signals with counted hits and the words of `present` they set, each once: judging
    /// reads and resetting clears only these, not bitsets as wide as every signal of every pack.
    private(set) var countedSignals: [Int] = []
    private(set) var presentWords: [Int] = []

    /// Per counted hit (by position in `hits`), its field bit and whether it describes the author.
    private(set) var hitBits: [UInt16] = []

    /// Counts a hit of the item, with its field bit and the bits of the facts scopes read
    /// (`describesAuthorBit`, `hashtagBit`, `inWindowBit`).
    mutating func count(_ hit: RuleSet.LocatedHit, bits: UInt16) {
        hits.append(hit)
        hitBits.append(bits)
        if memory.fields[hit.signal] == 0 { countedSignals.append(hit.signal) }
        memory.fields[hit.signal] |= bits
        let word = hit.signal / 64
        if memory.present[word] == 0 { presentWords.append(word) }
        memory.present[word] |= 1 &<< UInt64(hit.signal % 64)
    }

    /// Whether the condition at `node` holds, without explaining why: no allocation.
    func holds(_ index: Int) -> Bool {
        let state = memory.known[index]
        if state != 0 { return state == 1 }
        let result = judge(index)
        memory.known[index] = result ? 1 : 2
        return result
    }

    private func judge(_ index: Int) -> Bool {
        let node = memory.nodes[index]
        switch node.operation {
        case .signals:
            guard intersects(node.members) else { return false }
            if node.fields == .max { return true }
            // The counted signals (few) that are this node's, not every signal of the node (a
            // kind can have thousands).
            for signal in countedSignals where memory.members[node.members + signal] && memory.fields[signal] & node.fields != 0 { return true }
            return false
        case .and:
            for position in node.children where !holds(memory.childLists[position]) { return false }
            return true
        case .atLeast:
            var held = 0
            for (index, position) in node.children.enumerated() {
                if held + (node.children.count - index) < node.count { return false }
                if holds(memory.childLists[position]) {
                    held += 1
                    if held >= node.count { return true }
                }
            }
            return held >= node.count
        case .not:
            return !holds(memory.childLists[node.children.lowerBound])
        case .near:
            // Pairing hits is only worth it when both sides have hits at all.
            guard intersects(node.members), intersects(node.members + program.signalCount) else { return false }
            return nearPairs(node) { _, _ in true }
        }
    }

    /// Whether any signal of the membership row at `row` has counted hits.
    private func intersects(_ row: Int) -> Bool {
        let start = program.maskStart(row: row)
        for word in presentWords where memory.masks[start + word] & memory.present[word] != 0 { return true }
        return false
    }

    /// The ids of the hits the last `explainHolding` found, sorted, each once. A buffer kept
    /// from one explanation to the next.
    private(set) var explainedHits: [Int] = []
    /// Hits the last `explainHolding` used beyond the cap of each part (`Finding.maximumHits`).
    private(set) var omittedHits = 0

    /// Explains the condition at `index`, which holds: returns the parts that fired, and
    /// leaves the hits that made it hold in `explainedHits`.
    mutating func explainHolding(_ index: Int) -> [String] {
        explainHolding(parts: CollectionOfOne(index))
    }

    /// Explains each of the conditions at `parts` that holds (one explanation of several
    /// parts of a rule, for a near miss): the parts that fired, and their hits in
    /// `explainedHits`, each once.
    mutating func explainHolding(parts: some Collection<Int>) -> [String] {
        var fired: [String] = []
        fired.reserveCapacity(8)
        var used: [Int] = []
        swap(&used, &explainedHits)
        used.removeAll(keepingCapacity: true)
        omittedHits = 0
        for index in parts { _ = explain(index, fired: &fired, hits: &used) }
        used.sort()
        // Each id once (the array is sorted).
        var kept = 0
        for position in used.indices where kept == 0 || used[position] != used[kept - 1] {
            used[kept] = used[position]
            kept += 1
        }
        used.removeLast(used.count - kept)
        swap(&used, &explainedHits)
        return fired
    }

    /// Appends the parts that fired and the hits that made the condition at `index` hold to
    /// `fired` and `hits`, and leaves both as they were when it does not hold: one pair of
    /// arrays for the whole explanation, no intermediate ones.
    private mutating func explain(_ index: Int, fired: inout [String], hits used: inout [Int]) -> Bool {
        // A part that does not hold is not searched for hits (whether it holds is judged once).
        guard holds(index) else { return false }
        let node = memory.nodes[index]
        let firedCount = fired.count, usedCount = used.count
        func fail() -> Bool {
            fired.removeLast(fired.count - firedCount)
            used.removeLast(used.count - usedCount)
            return false
        }
        switch node.operation {
        case .signals:
            // A page that repeats a phrase gives a hit list as long as the page: a part keeps
            // the first hits it used and counts the others.
            var kept = 0
            for (position, hit) in hits.enumerated() where memory.members[node.members + hit.signal] && hitBits[position] & node.fields != 0 {
                if kept < Finding.maximumHits { used.append(hit.id) } else { omittedHits += 1 }
                kept += 1
            }
            guard kept > 0 else { return false }
            fired.append(program.labels[index])
            return true
        case .and:
            for position in node.children where !explain(memory.childLists[position], fired: &fired, hits: &used) { return fail() }
            return true
        case .atLeast:
            var held = 0
            for (offset, position) in node.children.enumerated() {
                // Not enough parts left to reach the count: stop early.
                if held + (node.children.count - offset) < node.count { break }
                if explain(memory.childLists[position], fired: &fired, hits: &used) { held += 1 }
            }
            return held >= node.count ? true : fail()
        case .not:
            guard !holds(memory.childLists[node.children.lowerBound]) else { return false }
            fired.append(program.labels[index])
            return true
        case .near:
            var pairs = 0
            guard nearPairs(node, pair: { a, b in
                pairs += 1
                guard pairs <= Finding.maximumHits / 2 else { return true }
                used.append(a)
                used.append(b)
                return false
            }) else { return false }
            fired.append(program.labels[index])
            return true
        }
    }

    /// The parts of the `and` at `index`, nested `and`s flattened, in the order written; any
    /// other node is its own only part.
    func conjuncts(of index: Int) -> [Int] {
        let node = memory.nodes[index]
        guard node.operation == .and else { return [index] }
        return node.children.flatMap { conjuncts(of: memory.childLists[$0]) }
    }

    /// What the node at `index` is, and how many of its parts are needed (`2 of (...)`).
    func shape(of index: Int) -> (operation: ConditionProgram.Node.Operation, count: Int, children: [Int]) {
        let node = memory.nodes[index]
        return (node.operation, node.count, node.children.map { memory.childLists[$0] })
    }

    /// Whether any signal of the node at `index` (or, for `near`, of its second side when
    /// `second`) has a counted hit in any field and standing.
    func anyHits(_ index: Int, second: Bool = false) -> Bool {
        let node = memory.nodes[index]
        guard node.operation == .signals || node.operation == .near else { return false }
        return intersects(node.members + (second ? program.signalCount : 0))
    }

    /// Calls `pair` with the ids of each pair of hits of a `near` node's two signal sets within
    /// its words of each other in one field, until it returns true (stop); whether any pair
    /// was found. Each side is listed in text order, then a window slides over the second side
    /// as the first advances: a hit is compared only with the other side's hits that start
    /// within reach (the distance plus the longest hit), so the cost is linear in the hits
    /// however often a page repeats a phrase.
    private func nearPairs(_ node: ConditionProgram.Node, pair: (Int, Int) -> Bool) -> Bool {
        let firstRow = node.members, secondRow = node.members + program.signalCount
        let count = hits.count
        return withUnsafeTemporaryAllocation(of: Int.self, capacity: max(count * 2, 1)) { sides in
            var firstEnd = 0, secondEnd = count
            var longest = 0
            for (position, hit) in hits.enumerated() {
                if memory.members[firstRow + hit.signal] {
                    sides[firstEnd] = position
                    firstEnd += 1
                }
                if memory.members[secondRow + hit.signal] {
                    sides[secondEnd] = position
                    secondEnd += 1
                    longest = max(longest, hit.lastToken - hit.firstToken)
                }
            }
            guard firstEnd > 0, secondEnd > count else { return false }
            // Hits come field by field, each field's term matches in text order and its
            // detector finds after them: sort each side by (text, first token).
            let hits = self.hits
            func precedes(_ x: Int, _ y: Int) -> Bool {
                let a = hits[x], b = hits[y]
                return a.text != b.text ? a.text < b.text : a.firstToken < b.firstToken
            }
            var firstSide = UnsafeMutableBufferPointer(rebasing: sides[0..<firstEnd])
            firstSide.sort(by: precedes)
            var secondSide = UnsafeMutableBufferPointer(rebasing: sides[count..<secondEnd])
            secondSide.sort(by: precedes)
            var found = false
            var windowStart = count
            for x in 0..<firstEnd {
                let a = hits[sides[x]]
                // Second-side hits of an earlier field, or starting too early to reach `a`.
                while windowStart < secondEnd {
                    let b = hits[sides[windowStart]]
                    if b.text < a.text || (b.text == a.text && b.firstToken + longest + node.words < a.firstToken) {
                        windowStart += 1
                    } else {
                        break
                    }
                }
                var y = windowStart
                while y < secondEnd {
                    let b = hits[sides[y]]
                    if b.text != a.text || b.firstToken > a.lastToken + node.words { break }
                    y += 1
                    guard b.id != a.id else { continue }
                    let gap = a.firstToken <= b.firstToken ? b.firstToken - a.lastToken : a.firstToken - b.lastToken
                    // Two hits that share words are one phrase ("paslon 02" is a candidate and
                    // holds a number), not two things near each other.
                    if gap >= 1 && gap <= node.words {
                        found = true
                        if pair(a.id, b.id) { return true }
                    }
                }
            }
            return found
        }
    }
}
