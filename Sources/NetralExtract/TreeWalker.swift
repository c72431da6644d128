internal import CLibXML2

/// A libxml2 document wrapper (`HTMLDocument`, `XMLTreeDocument`): the object whose `deinit`
/// frees the tree, so whoever holds it may read the tree's nodes.
protocol LibXML2Document: AnyObject {}

extension HTMLDocument: LibXML2Document {}
extension XMLTreeDocument: LibXML2Document {}

/// What a `TreeWalker` reports, in document order. Every hook has a default that does nothing.
///
/// The pointers handed to the hooks belong to the walker's document: a visitor that keeps one
/// after the walk must hold that document too (as `PageWalk` does).
protocol TreeVisitor {
    /// `Never` for a walk that always finishes; `WorkBudget.Exhausted` for a budgeted one.
    associatedtype Failure: Error = Never

    /// Called first for every node the walk reaches (elements, text, comments, ...), entered or
    /// not: where a visitor charges its `WorkBudget`. Throwing stops the walk there.
    mutating func reach() throws(Failure)

    /// An element starts. Returns whether to walk its children; when it does, `leave` follows
    /// after them (at once for an element without children). When it does not, the subtree is
    /// skipped and `leave` is not called.
    mutating func enter(_ element: xmlNodePtr) -> Bool

    /// An element whose children were walked ends.
    mutating func leave(_ element: xmlNodePtr)

    /// A text or CDATA node's content (NUL-terminated UTF-8).
    mutating func text(_ content: UnsafePointer<UInt8>)
}

extension TreeVisitor {
    @inline(__always)
    mutating func reach() throws(Failure) {}
    @inline(__always)
    mutating func leave(_ element: xmlNodePtr) {}
    @inline(__always)
    mutating func text(_ content: UnsafePointer<UInt8>) {}
}

/// The one depth-first walk over libxml2 nodes, iterative so a page nested a million levels
/// deep cannot exhaust the stack. It holds the document that owns its nodes, so no node it
/// hands out can be freed while the walk runs.
///
/// Only elements are descended into, and only when `enter` says so: entity reference nodes,
/// whose children are the entity's declared content, are never followed (see `XMLTreeDocument`).
/// The walk never leaves the subtree of its root (the root's siblings are not visited).
struct TreeWalker {
    /// Keeps the tree alive for as long as the walker exists.
    let document: any LibXML2Document
    let root: xmlNodePtr

    init(_ node: HTMLNode) {
        document = node.document
        root = node.raw
    }

    init(_ node: XMLTreeNode) {
        document = node.document
        root = node.raw
    }

    /// `node` must be a node of `document` (a pointer a walk of that document handed out).
    init(document: HTMLDocument, node: xmlNodePtr) {
        self.document = document
        root = node
    }

    func walk<Visitor: TreeVisitor>(_ visitor: inout Visitor) throws(Visitor.Failure) {
        var node = root
        walking: while true {
            try visitor.reach()
            var descend = false
            switch node.pointee.type {
            case XML_ELEMENT_NODE:
                descend = visitor.enter(node)
            case XML_TEXT_NODE, XML_CDATA_SECTION_NODE:
                if let content = node.pointee.content { visitor.text(content) }
            default:
                break
            }
            if descend {
                if let child = node.pointee.children {
                    node = child
                    continue
                }
                visitor.leave(node)
            }
            // Climb to the next sibling of this node or of its nearest ancestor that has one,
            // ending every element passed on the way; stop at the root.
            var current = node
            while current != root {
                if let next = current.pointee.next {
                    node = next
                    continue walking
                }
                guard let parent = current.pointee.parent else { break }
                current = parent
                visitor.leave(current)
            }
            return
        }
    }
}
