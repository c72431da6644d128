internal import CLibXML2
import Foundation

/// Reads a whole page in one iterative depth-first pass (deep nesting cannot exhaust the stack):
/// visible text into one byte buffer, per-element statistics for content scoring, metas, links,
/// images, `<time>` elements and JSON-LD scripts. `MainContent` then picks the main text.
struct PageWalk: TreeVisitor {
    var text = TextBuffer()
    var records: [ElementRecord] = []
    var title: String?
    var language: String?
    var canonicalHref: String?
    var baseHref: String?
    var metas: [String: String] = [:]
    var jsonLD: [String] = []
    /// Elements read after the main content is known: only those kept are turned into strings.
    var anchors: [(record: Int32, node: xmlNodePtr)] = []
    var images: [(record: Int32, node: xmlNodePtr)] = []
    var times: [(record: Int32, node: xmlNodePtr)] = []
    var bodyRecord: Int32?
    /// The first few `<h1>` elements: where a page prints its headline, and its date below it.
    var headings: [Int32] = []
    /// The first few `<h2>` elements: a headline printed as `<h2>` confirms a `<title>` with a
    /// colon (`PageTitle.fromDocumentTitle`).
    var secondHeadings: [Int32] = []
    /// The first few elements marked as naming the author: `itemprop="author"`,
    /// `rel="author"`, then a byline class (author, byline, penulis) that is not an author box.
    var authorMarks: [Int32] = []
    var bylineClasses: [Int32] = []

    /// Whether `<noscript>` content is read as visible text (the fallback for pages whose only
    /// text is there).
    private(set) var readsNoscript = false
    /// `<noscript>` elements seen (and skipped, unless `readsNoscript`).
    private(set) var noscriptCount = 0

    private var stack: [Int32] = []
    private var articleDepth = 0
    private var anchorDepth = 0

    /// The parsed page: the walk's records keep raw pointers into it (`anchors`, `images`,
    /// `times`), read after the walk, so the walk holds it.
    let document: HTMLDocument

    /// Walks the page's root element (a document without one gives an empty walk).
    init(document: HTMLDocument, documentSize: Int, readsNoscript: Bool = false) {
        self.document = document
        self.readsNoscript = readsNoscript
        guard let root = document.root else { return }
        text = TextBuffer(capacity: documentSize / 3)
        records.reserveCapacity(max(256, documentSize / 64))
        TreeWalker(root).walk(&self)
    }

    /// A text node: its visible characters, commas and link characters count for the element
    /// it is directly in.
    mutating func text(_ content: UnsafePointer<UInt8>) {
        let (characters, commas) = text.append(content)
        guard characters > 0, let top = stack.last else { return }
        records[Int(top)].directCharacters += Int32(characters)
        records[Int(top)].directCommas += Int32(commas)
        if anchorDepth > 0 { records[Int(top)].directLinkCharacters += Int32(characters) }
    }

    /// Handles an element's start. Returns false for elements whose content is never read.
    mutating func enter(_ node: xmlNodePtr) -> Bool {
        guard let name = node.pointee.name else { return false }
        var info = TagInfo.lookup(name)
        if info.kind == .noscript {
            noscriptCount += 1
            if readsNoscript { info.isInvisible = false }
        }
        if info.isInvisible {
            switch info.kind {
            case .script: readScript(node)
            case .title: if title == nil { title = nonEmpty(collapsedText(of: node)) }
            default: break
            }
            return false
        }
        let attributes = ElementAttributes(node)
        if attributes.isHidden { return false }
        switch info.kind {
        case .meta: readMeta(node)
        case .link: readLink(node)
        case .base: if baseHref == nil, let href = attributeValue(node, "href") { baseHref = String(cString: href) }
        case .html: if let lang = attributeValue(node, "lang") { language = nonEmpty(String(cString: lang)) }
        default: break
        }

        var structural: Bool
        switch info.kind {
        case .nav, .button: structural = true
        case .header, .footer, .aside: structural = articleDepth == 0
        default: structural = false
        }
        structural = (structural || attributes.isChromeRole) && !attributes.hints.contains(.author)

        let index = Int32(records.count)
        let parent = stack.last ?? -1
        let block = info.isBlock ? index : (parent >= 0 ? records[Int(parent)].block : -1)
        records.append(ElementRecord(
            parent: parent, kind: info.kind, isBlock: info.isBlock, baseScore: info.baseScore, hints: attributes.hints,
            isStructuralBoilerplate: structural, isAuthorBox: attributes.hints.isAuthorBox,
            start: Int32(text.count), end: Int32(text.count), block: block
        ))
        records[Int(index)].signature = PageWalk.signature(name: name, classSignature: attributes.classSignature)
        if parent >= 0 {
            records[Int(parent)].childCount += 1
            if (info.isBlock && info.kind != .lineBreak) || info.kind == .image { records[Int(parent)].holdsBlocks = true }
        }
        stack.append(index)
        if info.isBlock { text.breakParagraph() }
        switch info.kind {
        case .anchor:
            anchorDepth += 1
            anchors.append((index, node))
        case .image:
            images.append((index, node))
        case .time:
            times.append((index, node))
        case .article, .main:
            articleDepth += 1
        case .body:
            if bodyRecord == nil { bodyRecord = index }
        case .heading1:
            if headings.count < 8 { headings.append(index) }
        case .heading:
            if secondHeadings.count < 8, name[1] == UInt8(ascii: "2") { secondHeadings.append(index) }
        default:
            break
        }
        if attributes.marksAuthor, authorMarks.count < 16 {
            authorMarks.append(index)
        } else if attributes.hints.contains(.author), !attributes.hints.isAuthorBox, bylineClasses.count < 16 {
            bylineClasses.append(index)
        }
        return true
    }

    mutating func leave(_ node: xmlNodePtr) {
        guard let index = stack.popLast() else { return }
        let record = records[Int(index)]
        records[Int(index)].end = Int32(text.count)
        records[Int(index)].lastDescendant = Int32(records.count - 1)
        if record.isBlock { text.breakParagraph() }
        switch record.kind {
        case .anchor: anchorDepth -= 1
        case .article, .main: articleDepth -= 1
        default: break
        }
    }

    /// The tag name and the first class token, hashed: list items share it. Zero for an
    /// element without a class, unless it is a list item, a table row or an `<article>`, which
    /// are items by their tag alone.
    static func signature(name: UnsafePointer<UInt8>, classSignature: UInt32) -> UInt32 {
        var hash: UInt32 = 2_166_136_261
        var index = 0
        while name[index] != 0, index < 16 {
            hash = (hash ^ UInt32(ClassHints.lower(name[index]))) &* 16_777_619
            index += 1
        }
        if classSignature == 0 {
            let isItemTag = (index == 2 && (equalsLowercase(name, "li") || equalsLowercase(name, "tr")))
                || (index == 7 && equalsLowercase(name, "article"))
            return isItemTag ? hash | 1 : 0
        }
        let combined = (classSignature ^ hash) &* 16_777_619
        return combined == 0 ? 1 : combined
    }

    private mutating func readMeta(_ node: xmlNodePtr) {
        let key = attributeValue(node, "property") ?? attributeValue(node, "name") ?? attributeValue(node, "itemprop")
            ?? attributeValue(node, "http-equiv")
        guard let key, let content = attributeValue(node, "content") else { return }
        guard let value = nonEmpty(collapseWhitespace(String(cString: content))) else { return }
        // `property="dc:creator twitter:site_name"` names the value twice.
        for name in String(cString: key).lowercased().split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\n" }).prefix(4)
            where metas[String(name)] == nil {
            metas[String(name)] = value
        }
    }

    private mutating func readLink(_ node: xmlNodePtr) {
        guard canonicalHref == nil, let rel = attributeValue(node, "rel"), let href = attributeValue(node, "href") else { return }
        if String(cString: rel).lowercased().split(whereSeparator: { $0 == " " || $0 == "\t" }).contains("canonical") {
            canonicalHref = String(cString: href)
        }
    }

    /// JSON-LD scripts are kept for `JSONLD`; every other script is ignored.
    private mutating func readScript(_ node: xmlNodePtr) {
        guard let type = attributeValue(node, "type") else { return }
        let value = String(cString: type).lowercased()
        guard value.contains("ld+json") else { return }
        var content = ""
        var child = node.pointee.children
        while let current = child {
            if let text = current.pointee.content { content += String(cString: text) }
            child = current.pointee.next
        }
        if !content.isEmpty, jsonLD.count < 32 { jsonLD.append(content) }
    }

    /// All visible text below an element of this page, whitespace collapsed to single spaces.
    private func collapsedText(of node: xmlNodePtr) -> String {
        var buffer = TextBuffer()
        SubtreeText.append(TreeWalker(document: document, node: node), to: &buffer)
        return buffer.string(from: 0, to: buffer.count, singleLine: true)
    }
}
