internal import CLibXML2

/// Visible text of a subtree without any content scoring (used for `<title>` and site-profile
/// fields): invisible elements skipped, blocks on their own lines. The subtree's root itself is
/// read even if it is, say, a `<title>`: the caller asked for it.
struct SubtreeText: TreeVisitor {
    typealias Failure = WorkBudget.Exhausted

    private let root: xmlNodePtr
    private var buffer: TextBuffer
    private var budget: WorkBudget

    private init(root: xmlNodePtr, buffer: TextBuffer, budget: WorkBudget) {
        self.root = root
        self.buffer = buffer
        self.budget = budget
    }

    static func append(_ subtree: TreeWalker, to buffer: inout TextBuffer) {
        var unlimited = WorkBudget(limit: .max)
        try? append(subtree, to: &buffer, budget: &unlimited)
    }

    /// The same, charging one unit of `budget` per node visited.
    static func append(_ subtree: TreeWalker, to buffer: inout TextBuffer, budget: inout WorkBudget) throws(WorkBudget.Exhausted) {
        // The buffer is moved in and out, never copied.
        var visitor = SubtreeText(root: subtree.root, buffer: TextBuffer(), budget: budget)
        swap(&visitor.buffer, &buffer)
        defer {
            swap(&visitor.buffer, &buffer)
            budget = visitor.budget
        }
        try subtree.walk(&visitor)
    }

    mutating func reach() throws(WorkBudget.Exhausted) {
        try budget.charge()
    }

    mutating func enter(_ element: xmlNodePtr) -> Bool {
        let info = element.pointee.name.map { TagInfo.lookup($0) } ?? .inline
        let descend = element == root || !(info.isInvisible || ElementAttributes(element).isHidden)
        if descend, info.isBlock { buffer.breakParagraph() }
        return descend
    }

    mutating func leave(_ element: xmlNodePtr) {
        if let name = element.pointee.name, TagInfo.lookup(name).isBlock { buffer.breakParagraph() }
    }

    mutating func text(_ content: UnsafePointer<UInt8>) {
        buffer.append(content)
    }
}

/// Bounds the nodes visited while reading site-profile items. Items that do not nest visit each
/// node about once; a page of items nested in items (10,000 levels of `<div class="pos">`) would
/// visit each node once per enclosing item, which is quadratic.
struct WorkBudget {
    struct Exhausted: Error {}

    var remaining: Int

    init(limit: Int) {
        remaining = limit
    }

    @inline(__always)
    mutating func charge() throws(Exhausted) {
        remaining -= 1
        if remaining < 0 { throw Exhausted() }
    }
}
