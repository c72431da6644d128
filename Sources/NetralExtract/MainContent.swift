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
