/// Classification and Readability's scoring of the walked records (`MainContent` chooses
/// from what these compute).
extension MainContent {
    /// What the classification needs to know of the page before any region is marked.
    struct PageShape {
        /// Per record, whether it is a wrapper that no class word makes boilerplate: an element
        /// around the page's main landmark (the `<main>` or `<article>` with the most text that
        /// no class word calls boilerplate: `<div id="ad-portal">` around the whole page is not
        /// an advert; teaser lists made of small `<article>`s protect nothing), or one holding
        /// more than six sevenths of the page's text outside links (trafilatura's guard:
        /// `<div class="category main top-pagination-hidden">` around a product list).
        var isWrapper: [Bool]
        /// Per record, the characters of all text below it, whatever its class.
        var subtreeCharacters: [Int32]
        /// The characters of the page's text outside links, whatever its class.
        var pageText: Int32
    }

    static func pageShape(_ records: [ElementRecord]) -> PageShape {
        var subtreeCharacters = [Int32](repeating: 0, count: records.count)
        var subtreeText = [Int32](repeating: 0, count: records.count)
        var landmark = -1
        for index in records.indices.reversed() {
            let record = records[index]
            subtreeCharacters[index] += record.directCharacters
            subtreeText[index] += record.directCharacters - record.directLinkCharacters
            if record.parent >= 0 {
                subtreeCharacters[Int(record.parent)] += subtreeCharacters[index]
                subtreeText[Int(record.parent)] += subtreeText[index]
            }
            if (record.kind == .main || record.kind == .article), !record.hints.isNegative,
               landmark < 0 || subtreeCharacters[index] > subtreeCharacters[landmark] {
                landmark = index
            }
        }
        var isWrapper = [Bool](repeating: false, count: records.count)
        if landmark >= 0 {
            var ancestor = records[landmark].parent
            while ancestor >= 0 {
                isWrapper[Int(ancestor)] = true
                ancestor = records[Int(ancestor)].parent
            }
        }
        let pageText = subtreeText.first ?? 0
        if pageText > 0 {
            for index in records.indices where subtreeText[index] * 7 > pageText * 6 { isWrapper[index] = true }
        }
        return PageShape(isWrapper: isWrapper, subtreeCharacters: subtreeCharacters, pageText: pageText)
    }

    /// Captions and author boxes longer than this are not set aside (a figure of that much text
    /// holds more than a picture's caption; such an "author box" is a profile page's content).
    static let setAsideLimit: Int32 = 600

    /// Marks where boilerplate regions start and returns, per record, whether it is inside one.
    /// Structure decides first (see `ElementRecord.isStructuralBoilerplate`); then class words as
    /// `ClassHints` describes; `<body>`, `<html>`, `<article>`, `<main>` and links never start
    /// one on a class word (a link's class is styling inside a sentence), and neither does an
    /// author box or a wrapper (`PageShape.isWrapper`); a wrapper is not boilerplate by
    /// structure either, unless comment words mark it. With `rescued` nil, only structure and
    /// decisive words count (the hint-free scoring); a rescued record (a wrapper of the
    /// strongest text) is never boilerplate by soft or weak words. Captions (`figcaption`, a
    /// short `figure`, a caption or credit class) and author boxes are set aside: regions cut
    /// from the body whose text other fields read.
    static func classify(_ records: inout [ElementRecord], rescued: [Bool]?, shape: PageShape) -> [Bool] {
        var inBoilerplate = [Bool](repeating: false, count: records.count)
        for index in records.indices {
            let (starts, setAside) = regionStart(records[index], at: index, rescued: rescued, shape: shape)
            records[index].startsBoilerplate = starts
            records[index].setAside = setAside
            let parent = Int(records[index].parent)
            inBoilerplate[index] = starts || (parent >= 0 && inBoilerplate[parent])
        }
        return inBoilerplate
    }

    /// `classify`'s answer with only structure and decisive words counting, without writing it
    /// into the records.
    static func hintFreeFlags(_ records: [ElementRecord], shape: PageShape) -> [Bool] {
        var inBoilerplate = [Bool](repeating: false, count: records.count)
        for index in records.indices {
            let starts = regionStart(records[index], at: index, rescued: nil, shape: shape).starts
            let parent = Int(records[index].parent)
            inBoilerplate[index] = starts || (parent >= 0 && inBoilerplate[parent])
        }
        return inBoilerplate
    }

    /// Whether a region starts at this record, and whether it is set aside. `rescued` nil:
    /// only structure and decisive words count; empty: none is rescued.
    @inline(__always)
    static func regionStart(_ record: ElementRecord, at index: Int, rescued: [Bool]?,
                            shape: PageShape) -> (starts: Bool, setAside: ElementRecord.SetAside) {
        let hints = record.hints
        let isWrapper = shape.isWrapper[index] && !hints.contains(.comment)
        var starts = record.isStructuralBoilerplate && !isWrapper
        var setAside = ElementRecord.SetAside.none
        let mayStart = record.kind != .body && record.kind != .html && record.kind != .article && record.kind != .main
        if !starts, !hints.contains(.author), mayStart, record.kind != .anchor, !isWrapper {
            if hints.contains(.decisiveNegative) && !(hints.contains(.strongPositive) && hints.contains(.softNegative)) {
                starts = true
            } else if let rescued, rescued.isEmpty || !rescued[index] {
                starts = (hints.contains(.softNegative) && !hints.contains(.strongPositive))
                    || (hints.contains(.weakNegative) && !hints.contains(.positive))
            }
        }
        if !starts, mayStart, !isWrapper, shape.subtreeCharacters[index] <= setAsideLimit {
            if record.kind == .caption || record.kind == .figure || (hints.contains(.caption) && !hints.contains(.author)) {
                setAside = .caption
            } else if record.isAuthorBox {
                setAside = .authorBox
            }
            starts = setAside != .none
        }
        return (starts, setAside)
    }

    /// Sums the walk's direct text counts into `characters`, `linkCharacters`,
    /// `titleLinkCharacters`, `ownCharacters` and `ownCommas`, leaving out text inside
    /// boilerplate. Children come after their parent, so one backward pass adds every subtree up.
    static func count(_ records: inout [ElementRecord], inBoilerplate: [Bool]) {
        for index in records.indices {
            records[index].characters = 0
            records[index].linkCharacters = 0
            records[index].ownCharacters = 0
            records[index].ownCommas = 0
            records[index].commas = 0
            records[index].titleLinkCharacters = 0
        }
        for index in records.indices.reversed() where !inBoilerplate[index] {
            let record = records[index]
            let characters = record.characters + record.directCharacters
            let links = record.linkCharacters + record.directLinkCharacters
            let commas = record.commas + record.directCommas
            // A link of 20 characters or more is a headline, not a menu entry.
            let titleLinks = record.kind == .anchor && characters >= 20 ? characters : record.titleLinkCharacters
            records[index].characters = characters
            records[index].linkCharacters = links
            records[index].commas = commas
            records[index].titleLinkCharacters = titleLinks
            if record.block >= 0 {
                records[Int(record.block)].ownCharacters += record.directCharacters
                records[Int(record.block)].ownCommas += record.directCommas
            }
            if record.parent >= 0 {
                records[Int(record.parent)].characters += characters
                records[Int(record.parent)].linkCharacters += links
                records[Int(record.parent)].commas += commas
                records[Int(record.parent)].titleLinkCharacters += titleLinks
            }
        }
    }

    /// Readability's scoring: every paragraph-level block with at least 25 characters of its own
    /// scores 1 + its commas + one per 100 characters (at most 3), added in full to its parent,
    /// half to its grandparent and a third divided by the level to the three ancestors above.
    /// A container starts from its tag's base score plus its class weight.
    static func score(_ records: inout [ElementRecord], inBoilerplate: [Bool]) {
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
}

extension MainContent {
    /// The items of the list the chosen block is one of: a forum thread's posts, a listing's
    /// cards, a blog page's posts. From the chosen block up (at most eight levels, never past
    /// `<body>`), the first element whose siblings share its tag and first class token
    /// (`ElementRecord.signature`), when at least two of them hold 20 or more characters of text
    /// outside links, mostly not links, and together hold half as much again as the element
    /// itself. Nil when the chosen block is not in such a list (an article).
    static func listItems(around chosen: Int32, in records: [ElementRecord]) -> [Int32]? {
        var node = Int(chosen)
        for _ in 0..<8 {
            let parent = Int(records[node].parent)
            guard parent >= 0, records[parent].kind != .html else { return nil }
            let signature = records[node].signature
            if signature != 0 {
                var items: [Int32] = []
                var text = 0
                var child = parent + 1
                let last = Int(records[parent].lastDescendant)
                while child <= last {
                    let record = records[child]
                    let ownText = Int(record.characters - record.linkCharacters)
                    if record.signature == signature, !record.startsBoilerplate, ownText >= 20, linkDensity(record) < 0.5 {
                        items.append(Int32(child))
                        text += ownText
                    }
                    child = Int(record.lastDescendant) + 1
                }
                let chosenText = Int(records[node].characters - records[node].linkCharacters)
                if items.count >= 2, text * 2 >= chosenText * 3 { return items }
            }
            if records[parent].kind == .body { return nil }
            node = parent
        }
        return nil
    }
}
