internal import CLibXML2
import Foundation

/// One element seen by the page walk, in document (pre-)order, so a parent always comes before
/// its children and an element's text is the contiguous slice `start..<end` of the text buffer.
struct ElementRecord {
    var parent: Int32
    var kind: TagInfo.Kind
    var isBlock: Bool
    var baseScore: Int8
    /// The class and id hints (`ClassHints`); weighed in `MainContent.classify`.
    var hints: ClassHints
    /// Boilerplate by structure, whatever the text: `nav`, `menu`, `button`, a chrome ARIA
    /// role, `header`/`footer`/`aside` outside any `article` or `main`.
    var isStructuralBoilerplate: Bool
    /// A boilerplate region starts here (set by `MainContent.classify`).
    var startsBoilerplate = false
    var isAuthorBox: Bool
    var start: Int32
    var end: Int32
    /// Index of the last record inside this element: its subtree is `index...lastDescendant`.
    var lastDescendant: Int32 = 0
    /// Nearest block element at or above this one (-1: none): where its own text counts.
    var block: Int32
    /// Visible characters, link characters and commas of text nodes directly inside.
    var directCharacters: Int32 = 0
    var directLinkCharacters: Int32 = 0
    var directCommas: Int32 = 0
    /// Visible characters below, outside boilerplate (set by `MainContent.count`).
    var characters: Int32 = 0
    /// The part of `characters` inside links.
    var linkCharacters: Int32 = 0
    /// Commas below, outside boilerplate.
    var commas: Int32 = 0
    /// Characters whose nearest block ancestor is this element (paragraph-level text).
    var ownCharacters: Int32 = 0
    var ownCommas: Int32 = 0
    var score: Float = 0
    var isCandidate = false
    /// Has a child block that holds content (not `br`/`hr`) or an image: a `div` with its own
    /// text beside such children holds its own paragraphs (`MainContent.score`).
    var holdsBlocks = false
    /// Element children (visible ones: scripts and hidden elements are not recorded).
    var childCount: Int32 = 0

    /// +25 for a positive class/id hint, -25 for a negative one (readability's class weight).
    var classWeight: Float {
        var weight: Float = 0
        if hints.contains(.positive) || hints.contains(.author) { weight += 25 }
        if hints.isNegative { weight -= 25 }
        return weight
    }
}

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

/// Chooses the main content of a walked page. See `HTMLExtractor` for the method.
struct MainContent {
    /// Records whose text is the body, in document order.
    var roots: [Int32]
    /// Whether boilerplate regions inside `roots` are cut out (false only in the last fallback).
    var cutsBoilerplate: Bool
    /// Per record: is it part of the main content?
    var kept: [Bool]
    /// The main text.
    var text: String = ""

    /// Classifies and scores the page's records in place, then chooses.
    init(_ page: inout PageWalk) {
        var rescued = [Bool](repeating: false, count: page.records.count)
        let wrappers = MainContent.landmarkWrappers(page.records)
        var inBoilerplate = MainContent.classify(&page.records, rescued: rescued, wrappers: wrappers)
        MainContent.count(&page.records, inBoilerplate: inBoilerplate)
        var scored = MainContent.score(page.records, inBoilerplate: inBoilerplate)
        // The text overrules a soft or weak class word: score the page again as if those words
        // were not there. When that finds a block much stronger than the best one outside them
        // (an article inside `with-sidebar-right`), the hinted wrappers around that block are
        // wrappers, not boilerplate.
        var free = page.records
        let hintFree = MainContent.classify(&free, rescued: nil, wrappers: wrappers)
        // Only text that soft or weak words alone hid can overrule them: when there is less of
        // it than the best block already holds, it cannot score twice as much; skip the work.
        var hiddenByWords: Int32 = 0
        for index in free.indices where inBoilerplate[index] && !hintFree[index] {
            hiddenByWords += free[index].directCharacters
        }
        let best = MainContent.topCandidate(scored).map { scored[Int($0)].characters } ?? 0
        if hiddenByWords > best / 2, hintFree != inBoilerplate {
            MainContent.count(&free, inBoilerplate: hintFree)
            free = MainContent.score(free, inBoilerplate: hintFree)
            if let freeTop = MainContent.topCandidate(free), inBoilerplate[Int(freeTop)] {
                let current = MainContent.topCandidate(scored).map { free[Int($0)].score } ?? 0
                if free[Int(freeTop)].score > 2 * current {
                    var ancestor = freeTop
                    while ancestor >= 0 {
                        rescued[Int(ancestor)] = true
                        ancestor = page.records[Int(ancestor)].parent
                    }
                    inBoilerplate = MainContent.classify(&page.records, rescued: rescued, wrappers: wrappers)
                    MainContent.count(&page.records, inBoilerplate: inBoilerplate)
                    scored = MainContent.score(page.records, inBoilerplate: inBoilerplate)
                }
            }
        }
        page.records = scored
        var records = scored

        let fallbackRoot = page.bodyRecord ?? (records.isEmpty ? -1 : 0)
        var roots: [Int32] = []
        if let best = MainContent.topCandidate(scored) {
            let top = MainContent.climb(from: best, in: scored)
            var chosen = top
            // Semantic promotion: keep the whole <article> around the best block, so its
            // heading and its author box stay with the text.
            var ancestor = scored[Int(top)].parent
            while ancestor >= 0 {
                if scored[Int(ancestor)].kind == .article {
                    chosen = ancestor
                    break
                }
                ancestor = scored[Int(ancestor)].parent
            }
            roots = MainContent.withSiblings(chosen, in: scored)
            if chosen != best {
                MainContent.cutKickers(&page.records, article: chosen, core: MainContent.withSiblings(best, in: scored))
                records = page.records
            }
            // Recall over precision: when the chosen text is a small part of the page's
            // non-boilerplate text (a timeline of short posts), read the whole page instead.
            let chosenCharacters = roots.reduce(0) { $0 + Int(scored[Int($1)].characters) }
            if fallbackRoot >= 0 {
                // Link text does not count: a page of link lists with one real paragraph is not
                // a timeline.
                let page = scored[Int(fallbackRoot)]
                let pageCharacters = Int(page.characters - page.linkCharacters)
                if chosenCharacters * 4 < pageCharacters && chosenCharacters < 1000 { roots = [fallbackRoot] }
            }
            if roots != [fallbackRoot] {
                MainContent.cutLinkBlocks(&page.records, inside: roots)
                MainContent.cutLinkLines(&page.records, inside: roots, text: page.text.bytes)
                records = page.records
            }
        } else if fallbackRoot >= 0 {
            roots = [fallbackRoot]
        }
        self.roots = roots
        self.cutsBoilerplate = true
        self.kept = MainContent.keptFlags(records, roots: roots, cutsBoilerplate: true)
        self.text = body(of: page)
        if fallbackRoot >= 0, text.isEmpty {
            // Everything visible was boilerplate (a bare comment thread, a menu-only page): keep it all.
            self.roots = [fallbackRoot]
            self.cutsBoilerplate = false
            self.kept = MainContent.keptFlags(records, roots: self.roots, cutsBoilerplate: false)
            self.text = body(of: page)
        }
    }

    /// In an `<article>` chosen around the best block (`core`: that block and its siblings, what
    /// Readability would keep), the kicker labels before the core: a section name such as
    /// "VIVALIFE" printed above the headline, a block of at most 30 characters that is not a
    /// heading, a paragraph nor a byline, nor holds one (`<div><a class="author">`). The lead photo and its caption stay: a caption often
    /// names who is in the photo ("Camat Sungai Jernih ikut memanen padi"), which is evidence.
    static func cutKickers(_ records: inout [ElementRecord], article: Int32, core: [Int32]) {
        guard let first = core.min() else { return }
        let coreStart = Int(first)
        var index = Int(article) + 1
        let last = Int(records[Int(article)].lastDescendant)
        while index <= last, index < coreStart {
            let record = records[index]
            if Int(record.lastDescendant) >= coreStart {
                // An ancestor of the core: look inside.
                index += 1
                continue
            }
            if !record.startsBoilerplate, record.isBlock, !record.hints.contains(.author), record.kind != .heading1,
               record.kind != .heading, record.kind != .paragraph,
               record.kind != .figure, record.characters > 0, record.characters <= 30,
               !records[index...Int(record.lastDescendant)].contains(where: { $0.hints.contains(.author) }) {
                records[index].startsBoilerplate = true
                index = Int(record.lastDescendant) + 1
            } else if record.isBlock, !record.startsBoilerplate, !record.hints.contains(.author), record.kind != .paragraph,
                      record.kind != .figure {
                // A wrapper of the headline area: look inside.
                index += 1
            } else {
                index = Int(record.lastDescendant) + 1
            }
        }
    }

    /// Cuts the page's headline out of the main text: the first heading inside it (among the
    /// first eight) whose words are nearly all the title's (`PageTitle.duplicates`, Readability's
    /// `_headerDuplicatesTitle`). The headline is the item's `title`; printed again in the body it
    /// is not article text.
    mutating func cutHeadline(like title: String, in page: inout PageWalk) {
        guard cutsBoilerplate else { return }
        let titleLength = title.utf8.count
        var seen = 0
        for root in roots {
            var index = Int(root)
            let last = Int(page.records[Int(root)].lastDescendant)
            while index <= last, seen < 8 {
                let record = page.records[index]
                if index != Int(root), record.startsBoilerplate {
                    index = Int(record.lastDescendant) + 1
                    continue
                }
                if record.kind == .heading1 || record.kind == .heading {
                    seen += 1
                    // `PageTitle.duplicates` refuses a heading under half or over twice the
                    // title's length: most headings are refused on their byte length alone.
                    let length = Int(record.end - record.start)
                    let plausible = length * 2 + 2 >= titleLength && length <= titleLength * 2 + 18
                    if index != Int(root), plausible,
                       PageTitle.duplicates(title, heading: page.text.string(from: Int(record.start), to: Int(record.end), singleLine: true)) {
                        page.records[index].startsBoilerplate = true
                        for inner in index...Int(record.lastDescendant) { kept[inner] = false }
                        // The heading is a block: its lines are whole lines of the body. Take
                        // them out rather than building the body again.
                        let lines = page.text.string(from: Int(record.start), to: Int(record.end))
                        if let cut = MainContent.removingFirstLines(lines, from: text) {
                            text = cut
                        } else {
                            text = body(of: page)
                        }
                        return
                    }
                    index = Int(record.lastDescendant) + 1
                    continue
                }
                index += 1
            }
        }
    }

    /// `text` without the first occurrence of `lines` as whole lines, or nil when they are not there.
    static func removingFirstLines(_ lines: String, from text: String) -> String? {
        var copy = text
        return copy.withUTF8 { bytes -> String? in
            var needleCopy = lines
            return needleCopy.withUTF8 { needle -> String? in
                guard let first = needle.first, needle.count <= bytes.count else { return nil }
                var start = 0
                while start <= bytes.count - needle.count {
                    if bytes[start] == first, start == 0 || bytes[start - 1] == 0x0A,
                       start + needle.count == bytes.count || bytes[start + needle.count] == 0x0A,
                       memcmp(bytes.baseAddress! + start, needle.baseAddress!, needle.count) == 0 {
                        // Take one newline with the lines: the one after them, or before them at the end.
                        var lower = start
                        var upper = start + needle.count
                        if upper < bytes.count { upper += 1 } else if lower > 0 { lower -= 1 }
                        var output: [UInt8] = []
                        output.reserveCapacity(bytes.count - (upper - lower))
                        output.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[..<lower]))
                        output.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[upper...]))
                        return String(decoding: output, as: UTF8.self)
                    }
                    start += 1
                }
                return nil
            }
        }
    }

    /// Readability's conditional cleaning, reduced to what the walk measured: inside the chosen
    /// text, a container (not a paragraph, heading, quote, list item or table cell) whose text
    /// is mostly links and has few commas is a link list (related articles, tag lists, "more
    /// photos", a most-read box) that the class words did not name, and is cut. Mostly means
    /// more than a third, more than half when the container's class says it is content, and
    /// more than four fifths for a `ul`/`ol`/`dl`.
    static func cutLinkBlocks(_ records: inout [ElementRecord], inside roots: [Int32]) {
        visitOutsideBoilerplate(&records, inside: roots) { records, index in
            let record = records[index]
            // Lists are judged whole (an item is never cut alone) and only when nearly all
            // links: a list of facts with a link in each is article text.
            let threshold: Float
            switch record.kind {
            case .other, .division, .figure, .aside, .header, .footer, .nav:
                threshold = record.isBlock && record.baseScore != 3 && record.baseScore != -5
                    ? (record.hints.contains(.positive) ? 0.5 : 0.33) : 2
            case .list: threshold = 0.8
            default: threshold = 2
            }
            if threshold <= 1, !record.hints.contains(.author), record.characters > 0, record.commas < 10,
               linkDensity(record) > threshold {
                records[index].startsBoilerplate = true
                return false
            }
            return true
        }
    }

    /// Visits the records below `roots` in document order, skipping boilerplate regions;
    /// `visit` returns whether to look inside the record it was given.
    static func visitOutsideBoilerplate(_ records: inout [ElementRecord], inside roots: [Int32],
                                        _ visit: (inout [ElementRecord], Int) -> Bool) {
        for root in roots {
            var index = Int(root) + 1
            let last = Int(records[Int(root)].lastDescendant)
            while index <= last {
                if records[index].startsBoilerplate || !visit(&records, index) {
                    index = Int(records[index].lastDescendant) + 1
                } else {
                    index += 1
                }
            }
        }
    }

    /// Cuts runs of three or more lines that are each one whole link of three or more words,
    /// outside lists (lists are `cutLinkBlocks`' work): the headlines of a "Jangan Lewatkan" or
    /// "Baca juga" block written as links separated by `<br>` or one link a paragraph, which no
    /// container holds apart from the article's own text. A link inside a sentence, a line with
    /// text beside its link, or a one- or two-word link (a URL, "Next", a list of names) breaks a
    /// run.
    static func cutLinkLines(_ records: inout [ElementRecord], inside roots: [Int32], text: [UInt8]) {
        func isSeparator(_ byte: UInt8) -> Bool { byte == 0x0A || byte == 0x20 }
        /// A whole line: a newline (or the start) before its text, a newline (or the end) after.
        func isWholeLine(_ record: ElementRecord) -> Bool {
            let start = Int(record.start)
            let end = Int(record.end)
            guard end > start else { return false }
            let opens = start == 0 || text[start] == 0x0A || text[start - 1] == 0x0A
            return opens && (end == text.count || text[end] == 0x0A)
        }
        /// A headline, not a URL or a name: three words or more.
        func isHeadline(_ record: ElementRecord) -> Bool {
            var words = 0
            var inWord = false
            for byte in text[Int(record.start)..<Int(record.end)] {
                if isSeparator(byte) {
                    inWord = false
                } else if !inWord {
                    inWord = true
                    words += 1
                    if words == 3 { return true }
                }
            }
            return false
        }
        var run: [Int] = []
        func close(_ records: inout [ElementRecord]) {
            if run.count >= 3 { for index in run { records[index].startsBoilerplate = true } }
            run.removeAll(keepingCapacity: true)
        }
        for root in roots {
            visitOutsideBoilerplate(&records, inside: [root]) { records, index in
                let record = records[index]
                if record.kind == .anchor {
                    let parent = Int(record.parent)
                    if parent >= 0, records[parent].kind != .listItem, record.characters > 0,
                       record.linkCharacters == record.characters, isWholeLine(record), isHeadline(record) {
                        // Only separators may lie between this link and the run's last one.
                        if let previous = run.last, Int(records[previous].end) > Int(record.start)
                            || !text[Int(records[previous].end)..<Int(record.start)].allSatisfy(isSeparator) {
                            close(&records)
                        }
                        run.append(index)
                    } else {
                        close(&records)
                    }
                    return false
                }
                if record.directCharacters > 0, let previous = run.last, Int(record.start) >= Int(records[previous].end) {
                    close(&records)
                }
                return true
            }
            close(&records)
        }
    }

    /// Per record, whether it is around the page's main landmark: the `<main>` or `<article>`
    /// with the most text that no class word calls boilerplate. Such an element is a wrapper,
    /// whatever its own class says: `<div id="ad-portal">` around the whole page is not an
    /// advert. Teaser lists made of small `<article>`s protect nothing.
    static func landmarkWrappers(_ records: [ElementRecord]) -> [Bool] {
        var subtreeCharacters = [Int32](repeating: 0, count: records.count)
        var landmark = -1
        for index in records.indices.reversed() {
            let record = records[index]
            subtreeCharacters[index] += record.directCharacters
            if record.parent >= 0 { subtreeCharacters[Int(record.parent)] += subtreeCharacters[index] }
            if (record.kind == .main || record.kind == .article), !record.hints.isNegative,
               landmark < 0 || subtreeCharacters[index] > subtreeCharacters[landmark] {
                landmark = index
            }
        }
        var holdsLandmark = [Bool](repeating: false, count: records.count)
        if landmark >= 0 {
            var ancestor = records[landmark].parent
            while ancestor >= 0 {
                holdsLandmark[Int(ancestor)] = true
                ancestor = records[Int(ancestor)].parent
            }
        }
        return holdsLandmark
    }

    /// Marks where boilerplate regions start and returns, per record, whether it is inside one.
    /// Structure decides first (see `ElementRecord.isStructuralBoilerplate`); then class words as
    /// `ClassHints` describes; `<body>`, `<html>`, `<article>` and `<main>` never start one on a
    /// class word, and neither does an author box or an element around the page's main
    /// landmark (the `<article>` or `<main>` with the most text). With `rescued` nil, only structure and
    /// decisive words count (the hint-free scoring); a rescued record (a wrapper of the
    /// strongest text) is never boilerplate by soft or weak words.
    static func classify(_ records: inout [ElementRecord], rescued: [Bool]?, wrappers holdsLandmark: [Bool]) -> [Bool] {
        var inBoilerplate = [Bool](repeating: false, count: records.count)
        for index in records.indices {
            let record = records[index]
            var starts = record.isStructuralBoilerplate
            let hints = record.hints
            if !starts, !hints.contains(.author), record.kind != .body, record.kind != .html,
               record.kind != .article, record.kind != .main, !holdsLandmark[index] {
                if hints.contains(.decisiveNegative) && !(hints.contains(.strongPositive) && hints.contains(.softNegative)) {
                    starts = true
                } else if let rescued, !rescued[index] {
                    starts = (hints.contains(.softNegative) && !hints.contains(.strongPositive))
                        || (hints.contains(.weakNegative) && !hints.contains(.positive))
                }
            }
            records[index].startsBoilerplate = starts
            let parent = Int(record.parent)
            inBoilerplate[index] = starts || (parent >= 0 && inBoilerplate[parent])
        }
        return inBoilerplate
    }

    /// Sums the walk's direct text counts into `characters`, `linkCharacters`, `ownCharacters`
    /// and `ownCommas`, leaving out text inside boilerplate. Children come after their parent,
    /// so one backward pass adds every subtree up.
    static func count(_ records: inout [ElementRecord], inBoilerplate: [Bool]) {
        for index in records.indices {
            records[index].characters = 0
            records[index].linkCharacters = 0
            records[index].ownCharacters = 0
            records[index].ownCommas = 0
            records[index].commas = 0
        }
        for index in records.indices.reversed() where !inBoilerplate[index] {
            let record = records[index]
            let characters = record.characters + record.directCharacters
            let links = record.linkCharacters + record.directLinkCharacters
            let commas = record.commas + record.directCommas
            records[index].characters = characters
            records[index].linkCharacters = links
            records[index].commas = commas
            if record.block >= 0 {
                records[Int(record.block)].ownCharacters += record.directCharacters
                records[Int(record.block)].ownCommas += record.directCommas
            }
            if record.parent >= 0 {
                records[Int(record.parent)].characters += characters
                records[Int(record.parent)].linkCharacters += links
                records[Int(record.parent)].commas += commas
            }
        }
    }

    /// Readability's scoring: every paragraph-level block with at least 25 characters of its own
    /// scores 1 + its commas + one per 100 characters (at most 3), added in full to its parent,
    /// half to its grandparent and a third divided by the level to the three ancestors above.
    /// A container starts from its tag's base score plus its class weight.
    static func score(_ input: [ElementRecord], inBoilerplate: [Bool]) -> [ElementRecord] {
        var records = input
        for index in records.indices {
            records[index].isCandidate = false
            records[index].score = 0
        }
        for index in records.indices where records[index].ownCharacters >= 25 && !inBoilerplate[index] {
            let own = records[index]
            let contentScore = 1 + Float(own.ownCommas) + Float(min(Int(own.ownCharacters) / 100, 3))
            // Readability wraps the loose text of a `div` that also holds blocks in paragraphs of
            // its own, so such a `div` is the paragraphs' parent and scores in full; a `div` of
            // text only is a paragraph itself, and its parent scores.
            var ancestor = own.kind == .division && own.holdsBlocks ? Int32(index) : own.parent
            var level = 0
            while ancestor >= 0, level < 5 {
                let candidate = Int(ancestor)
                if records[candidate].kind == .html || records[candidate].kind == .head { break }
                if !records[candidate].isCandidate {
                    records[candidate].isCandidate = true
                    records[candidate].score = Float(records[candidate].baseScore) + records[candidate].classWeight
                }
                let divider: Float = level == 0 ? 1 : (level == 1 ? 2 : Float(level * 3))
                records[candidate].score += contentScore / divider
                ancestor = records[candidate].parent
                level += 1
            }
        }
        for index in records.indices where records[index].isCandidate {
            records[index].score *= 1 - linkDensity(records[index])
            if inBoilerplate[index] { records[index].isCandidate = false }
        }
        return records
    }

    static func linkDensity(_ record: ElementRecord) -> Float {
        guard record.characters > 0 else { return 0 }
        return min(1, Float(record.linkCharacters) / Float(record.characters))
    }

    static func topCandidate(_ records: [ElementRecord]) -> Int32? {
        var best: Int32?
        var bestScore: Float = 0
        for index in records.indices where records[index].isCandidate && records[index].score > bestScore {
            best = Int32(index)
            bestScore = records[index].score
        }
        return best
    }

    /// Readability's climb from the best block through parents of which it is the only child,
    /// so that the sibling step sees an article split into sections whose wrappers have one
    /// child each (`section > div > div.content` three times over). Readability's other climb,
    /// to a parent scoring more than the block, is left out: on news pages it takes the lead
    /// photo, the dateline box and teaser lists along.
    static func climb(from best: Int32, in records: [ElementRecord]) -> Int32 {
        var top = best
        var parent = records[Int(top)].parent
        while parent >= 0, records[Int(parent)].kind != .body, records[Int(parent)].kind != .html,
              records[Int(parent)].childCount == 1, !records[Int(parent)].startsBoilerplate {
            top = parent
            parent = records[Int(top)].parent
        }
        return top
    }

    /// Readability's sibling step: siblings scoring at least a fifth of the top (and 10), and
    /// long or sentence-like paragraphs with few links, join the top candidate.
    static func withSiblings(_ top: Int32, in records: [ElementRecord]) -> [Int32] {
        let parent = records[Int(top)].parent
        guard parent >= 0 else { return [top] }
        let threshold = max(10, records[Int(top)].score * 0.2)
        var roots: [Int32] = []
        var index = Int(parent) + 1
        let last = Int(records[Int(parent)].lastDescendant)
        while index <= last {
            let record = records[index]
            if Int32(index) == top {
                roots.append(top)
            } else if record.isCandidate && record.score >= threshold {
                roots.append(Int32(index))
            } else if record.kind == .paragraph && !record.startsBoilerplate && record.characters > 80 && linkDensity(record) < 0.25 {
                roots.append(Int32(index))
            }
            // Children only: jump over this child's subtree.
            index = Int(record.lastDescendant) + 1
        }
        return roots.isEmpty ? [top] : roots
    }

    static func keptFlags(_ records: [ElementRecord], roots: [Int32], cutsBoilerplate: Bool) -> [Bool] {
        var isRoot = [Bool](repeating: false, count: records.count)
        for root in roots { isRoot[Int(root)] = true }
        var kept = [Bool](repeating: false, count: records.count)
        for index in records.indices {
            let parent = Int(records[index].parent)
            if isRoot[index] {
                kept[index] = true
            } else if parent >= 0, kept[parent] {
                kept[index] = !(cutsBoilerplate && records[index].startsBoilerplate)
            }
        }
        return kept
    }

    /// The main text: each root's slice of the buffer, with boilerplate regions cut out.
    ///
    /// The buffer is canonical already (one separator between words or lines, none at the ends),
    /// and a slice can only begin with a separator, so pieces are joined with `Joiner` rather than
    /// cleaned byte by byte.
    private func body(of page: PageWalk) -> String {
        let records = page.records
        var joiner = Joiner(capacity: roots.reduce(0) { $0 + Int(records[Int($1)].end - records[Int($1)].start) })
        page.text.bytes.withUnsafeBufferPointer { text in
            for root in roots {
                let record = records[Int(root)]
                var position = Int(record.start)
                let end = Int(record.end)
                if cutsBoilerplate {
                    var index = Int(root) + 1
                    let last = Int(record.lastDescendant)
                    while index <= last {
                        let inner = records[index]
                        if inner.startsBoilerplate {
                            // Cut the outermost region and skip everything inside it. The cut
                            // leaves a space: a block cut has its own line break in the text after
                            // it, and an inline cut (a share link in a sentence) must not split
                            // the paragraph.
                            let cutStart = Int(inner.start)
                            if cutStart > position { joiner.append(UnsafeBufferPointer(rebasing: text[position..<cutStart])) }
                            joiner.separate(0x20)
                            position = max(position, Int(inner.end))
                            index = Int(inner.lastDescendant) + 1
                        } else {
                            index += 1
                        }
                    }
                }
                if end > position { joiner.append(UnsafeBufferPointer(rebasing: text[position..<end])) }
                joiner.separate(0x0A)
            }
        }
        return String(decoding: joiner.bytes, as: UTF8.self)
    }
}

/// Joins canonical slices of a `TextBuffer`: separators at either end of a slice are dropped,
/// and between two slices the strongest separator asked for or dropped (newline over space) is
/// written once.
struct Joiner {
    private(set) var bytes: [UInt8] = []
    /// 0 (none), 0x20 (space) or 0x0A (newline); a newline outranks a space.
    private var pending: UInt8 = 0

    init(capacity: Int) {
        bytes.reserveCapacity(capacity)
    }

    @inline(__always)
    private static func stronger(_ a: UInt8, _ b: UInt8) -> UInt8 {
        a == 0x0A || b == 0x0A ? 0x0A : max(a, b)
    }

    mutating func separate(_ separator: UInt8) {
        pending = Joiner.stronger(pending, separator)
    }

    mutating func append(_ slice: UnsafeBufferPointer<UInt8>) {
        var start = 0
        var end = slice.count
        while start < end, slice[start] == 0x20 || slice[start] == 0x0A {
            pending = Joiner.stronger(pending, slice[start])
            start += 1
        }
        var trailing: UInt8 = 0
        while end > start, slice[end - 1] == 0x20 || slice[end - 1] == 0x0A {
            trailing = Joiner.stronger(trailing, slice[end - 1])
            end -= 1
        }
        guard start < end else {
            pending = Joiner.stronger(pending, trailing)
            return
        }
        if !bytes.isEmpty, pending != 0 { bytes.append(pending) }
        bytes.append(contentsOf: UnsafeBufferPointer(rebasing: slice[start..<end]))
        pending = trailing
    }
}
