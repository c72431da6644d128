import Foundation

/// What is cut inside the chosen main content: kicker labels, the repeated headline, link
/// blocks and runs of link lines.
extension MainContent {
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
    static func cutLinkBlocks(_ records: inout [ElementRecord], inside roots: [Int32], keepingHeadlines: Bool = false) {
        visitOutsideBoilerplate(&records, inside: roots) { records, index in
            let record = records[index]
            // A listing's rows are links to what they list: with `keepingHeadlines`, a block whose
            // links are mostly headlines stays (its menus of short links do not).
            if keepingHeadlines, record.titleLinkCharacters * 2 >= record.linkCharacters { return true }
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
}
