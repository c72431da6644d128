import Foundation

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
    /// Per record: is it in a region the classification called boilerplate (or a caption)?
    /// What is cut later inside the main text (link blocks, kickers, the headline) is not:
    /// bylines and the headline are looked for outside these regions only.
    var classifiedBoilerplate: [Bool] = []

    /// Classifies and scores the page's records in place, then chooses. The records are copied
    /// only for the hint-free scoring, when it can change the choice.
    init(_ page: inout PageWalk) {
        let shape = MainContent.pageShape(page.records)
        var inBoilerplate = MainContent.classify(&page.records, rescued: [], shape: shape)
        MainContent.count(&page.records, inBoilerplate: inBoilerplate)
        MainContent.score(&page.records, inBoilerplate: inBoilerplate)
        // The text overrules a soft or weak class word: score the page again as if those words
        // were not there. When that finds a block much stronger than the best one outside them
        // (an article inside `with-sidebar-right`), the hinted wrappers around that block are
        // wrappers, not boilerplate.
        let hintFree = MainContent.hintFreeFlags(page.records, shape: shape)
        // Only text that soft or weak words alone hid can overrule them: when there is less of
        // it than the best block already holds, it cannot score twice as much; skip the work.
        var hiddenByWords: Int32 = 0
        for index in page.records.indices where inBoilerplate[index] && !hintFree[index] {
            hiddenByWords += page.records[index].directCharacters
        }
        let currentBest = MainContent.topCandidate(page.records)
        let best = currentBest.map { page.records[Int($0)].characters } ?? 0
        if hiddenByWords > best / 2, hintFree != inBoilerplate {
            var free = page.records
            _ = MainContent.classify(&free, rescued: nil, shape: shape)
            MainContent.count(&free, inBoilerplate: hintFree)
            MainContent.score(&free, inBoilerplate: hintFree)
            if let freeTop = MainContent.topCandidate(free), inBoilerplate[Int(freeTop)] {
                let current = currentBest.map { free[Int($0)].score } ?? 0
                if free[Int(freeTop)].score > 2 * current {
                    var rescued = [Bool](repeating: false, count: page.records.count)
                    var ancestor = freeTop
                    while ancestor >= 0 {
                        rescued[Int(ancestor)] = true
                        ancestor = page.records[Int(ancestor)].parent
                    }
                    inBoilerplate = MainContent.classify(&page.records, rescued: rescued, shape: shape)
                    MainContent.count(&page.records, inBoilerplate: inBoilerplate)
                    MainContent.score(&page.records, inBoilerplate: inBoilerplate)
                }
            }
        }
        classifiedBoilerplate = MainContent.classifiedFlags(page.records)

        let fallbackRoot = page.bodyRecord ?? (page.records.isEmpty ? -1 : 0)
        // A page that says it is an article (`og:type`) has one long text, however much else it holds.
        let declaresArticle = page.metas["og:type"].map { $0.lowercased().contains("article") } ?? false
        var roots: [Int32] = []
        if let best = MainContent.topCandidate(page.records) {
            let top = MainContent.climb(from: best, in: page.records)
            var chosen = top
            // Semantic promotion: keep the whole <article> around the best block, so its
            // heading and its author box stay with the text.
            var ancestor = page.records[Int(top)].parent
            while ancestor >= 0 {
                if page.records[Int(ancestor)].kind == .article {
                    chosen = ancestor
                    break
                }
                ancestor = page.records[Int(ancestor)].parent
            }
            roots = MainContent.withSiblings(chosen, in: page.records)
            if chosen != best {
                MainContent.cutKickers(&page.records, article: chosen, core: MainContent.withSiblings(best, in: page.records))
            }
            // A forum thread's posts, a listing's cards: the chosen block is one of a list,
            // and the list is the main text.
            if let items = MainContent.listItems(around: chosen, in: page.records) { roots = items }
            // Recall over precision: when the chosen text is a small part of the page's
            // non-boilerplate text (a timeline of short posts), read the part of the page that
            // holds most of it instead.
            let chosenCharacters = roots.reduce(0) { $0 + Int(page.records[Int($1)].characters) }
            var fellBack = false
            if fallbackRoot >= 0 {
                // Link text does not count (a page of link lists with one real paragraph is not a
                // timeline), unless the chosen text is a line or two and no prose (fewer than
                // three commas): then headline links are what the page says (a forum's list of
                // threads, an events listing).
                let bodyRecord = page.records[Int(fallbackRoot)]
                let pageCharacters = Int(bodyRecord.characters - bodyRecord.linkCharacters)
                let chosenContent = roots.reduce(0) { $0 + Int(page.records[Int($1)].contentCharacters) }
                let chosenCommas = roots.reduce(0) { $0 + Int(page.records[Int($1)].commas) }
                let container = MainContent.contentContainer(from: fallbackRoot, in: page.records, countingHeadlineLinks: false)
                let last = page.records[Int(container)].lastDescendant
                let holdsChosen = roots.allSatisfy { $0 >= container && $0 <= last }
                if (chosenCharacters * 4 < pageCharacters && chosenCharacters < 1000)
                    || (chosenCharacters * 2 < pageCharacters && !declaresArticle && holdsChosen) {
                    // A timeline of short posts, or one text in many blocks (a landing page's
                    // sections): the element holding most of the text. When most of the text is
                    // elsewhere, a chosen text of some length is an article beside a stream of
                    // teasers.
                    roots = [container]
                    fellBack = true
                } else if chosenCharacters < 300 && chosenCommas < 3 && chosenContent * 4 < Int(bodyRecord.contentCharacters) {
                    roots = [MainContent.contentContainer(from: fallbackRoot, in: page.records, countingHeadlineLinks: true)]
                    fellBack = true
                }
            }
            if !fellBack {
                // Headline links are a listing's text (a forum's threads, a category page): where
                // the chosen text holds more of them than text outside links, they stay.
                let prose = roots.reduce(0) { $0 + Int(page.records[Int($1)].characters - page.records[Int($1)].linkCharacters) }
                let headlines = roots.reduce(0) { $0 + Int(page.records[Int($1)].titleLinkCharacters) }
                let isListing = headlines > prose
                MainContent.cutLinkBlocks(&page.records, inside: roots, keepingHeadlines: isListing)
                if !isListing { MainContent.cutLinkLines(&page.records, inside: roots, text: page.text.bytes) }
            }
        } else if fallbackRoot >= 0 {
            roots = [fallbackRoot]
        }
        self.roots = roots
        self.cutsBoilerplate = true
        self.kept = MainContent.keptFlags(page.records, roots: roots, cutsBoilerplate: true)
        self.text = body(of: page)
        if text.utf8.count < MainContent.shortBody, MainContent.restoreSetAside(&page.records, inside: roots) {
            // A photo page whose text is its caption: the caption is the body.
            self.kept = MainContent.keptFlags(page.records, roots: roots, cutsBoilerplate: true)
            self.text = body(of: page)
        }
        if fallbackRoot >= 0, text.utf8.count < MainContent.nearlyEmpty {
            // Soft and weak class words hid nearly all the text (a home page built of widgets):
            // read the body with only structure and decisive words marking boilerplate, if that
            // reads a good part of the page (else the whole page is read, below).
            var free = page.records
            _ = MainContent.classify(&free, rescued: nil, shape: shape)
            let before = text
            swap(&free, &page.records)
            self.roots = [fallbackRoot]
            self.kept = MainContent.keptFlags(page.records, roots: self.roots, cutsBoilerplate: true)
            self.text = body(of: page)
            let whole = Int(shape.subtreeCharacters[Int(fallbackRoot)])
            if text.utf8.count <= 2 * before.utf8.count || text.utf8.count * 4 < whole {
                swap(&free, &page.records)
                self.roots = roots
                self.kept = MainContent.keptFlags(page.records, roots: roots, cutsBoilerplate: true)
                self.text = before
            }
        }
        let proseHidden = text.utf8.count < MainContent.nearlyEmpty && Int(shape.pageText) >= 10 * text.utf8.count + 500
        if fallbackRoot >= 0, text.isEmpty || proseHidden {
            // Everything visible was boilerplate (a bare comment thread, a menu-only page), or
            // nearly all of the page's prose was (a forum whose posts are called comments): keep
            // it all.
            self.roots = [fallbackRoot]
            self.cutsBoilerplate = false
            self.kept = MainContent.keptFlags(page.records, roots: self.roots, cutsBoilerplate: false)
            self.text = body(of: page)
        }
    }

    static func classifiedFlags(_ records: [ElementRecord]) -> [Bool] {
        var flags = [Bool](repeating: false, count: records.count)
        for index in records.indices {
            let record = records[index]
            let parent = Int(record.parent)
            flags[index] = (record.startsBoilerplate && record.setAside != .authorBox) || (parent >= 0 && flags[parent])
        }
        return flags
    }

    /// The deepest element that holds three fifths or more of the text `root` holds outside
    /// links (and in headline links, `ElementRecord.contentCharacters`, when
    /// `countingHeadlineLinks`): a timeline or a listing without the page's other unmarked
    /// blocks. From `root` down, each step to the child holding the most.
    static func contentContainer(from root: Int32, in records: [ElementRecord], countingHeadlineLinks: Bool) -> Int32 {
        func amount(_ index: Int) -> Int {
            let record = records[index]
            return Int(countingHeadlineLinks ? record.contentCharacters : record.characters - record.linkCharacters)
        }
        let total = amount(Int(root))
        guard total > 0 else { return root }
        var node = Int(root)
        while true {
            var best = -1
            var bestAmount = 0
            var child = node + 1
            let last = Int(records[node].lastDescendant)
            while child <= last {
                let childAmount = amount(child)
                if best < 0 || childAmount > bestAmount {
                    best = child
                    bestAmount = childAmount
                }
                child = Int(records[child].lastDescendant) + 1
            }
            guard best >= 0, bestAmount * 5 >= total * 3 else { return Int32(node) }
            node = best
        }
    }

    /// A main text shorter than this (in bytes) is read again without soft and weak class words.
    static let nearlyEmpty = 100

    /// A body shorter than this (in bytes) keeps its captions and author boxes.
    static let shortBody = 200

    /// Puts the set-aside regions inside `roots` back into the body; whether there were any.
    static func restoreSetAside(_ records: inout [ElementRecord], inside roots: [Int32]) -> Bool {
        var restored = false
        for root in roots {
            for index in Int(root)...Int(records[Int(root)].lastDescendant) where records[index].setAside != .none {
                records[index].setAside = .none
                records[index].startsBoilerplate = false
                restored = true
            }
        }
        return restored
    }

    /// Per record, whether it is inside a set-aside region (a caption, an author box) whose
    /// parent is part of the main content: text other fields read from the main content.
    static func keptAsideFlags(_ records: [ElementRecord], kept: [Bool]) -> [Bool] {
        var aside = [Bool](repeating: false, count: records.count)
        for index in records.indices {
            let parent = Int(records[index].parent)
            guard parent >= 0 else { continue }
            aside[index] = aside[parent] || (records[index].setAside != .none && kept[parent])
        }
        return aside
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
    func body(of page: PageWalk) -> String {
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
