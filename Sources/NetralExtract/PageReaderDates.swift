internal import CLibXML2
import Foundation
import NetralModel

/// When the page was published, and the lines printed near its headline.
extension PageReader {
    /// Meta names that carry a publication date, in the order they are trusted.
    static let dateMetas = [
        "article:published_time", "og:published_time", "datepublished", "date", "dc.date", "dc.date.issued",
        "dcterms.created", "pubdate", "publishdate", "publish-date", "publish_date", "sailthru.date", "parsely-pub-date",
    ]

    /// The publication date, never later than the fetch (a date in the future is a template
    /// default or a lie, never evidence).
    ///
    /// 1. Machine dates, in trust order: `article:published_time`, `og:published_time`, JSON-LD
    ///    `datePublished`, the other date metas, then `<time datetime>` inside and outside the
    ///    main text. One with an explicit offset is taken as written.
    /// 2. The date the page prints (`visibleDate()`): its zone (WIB, WITA, WIT, a numeric offset)
    ///    is the page's zone. A machine time without an offset is read in that zone, and so is
    ///    one marked `Z` whose wall-clock time is the printed one (a local time labelled UTC).
    /// 3. A printed date with a time beats a machine date without one; a printed date alone is
    ///    used when there is no machine date; "3 jam yang lalu" counts back from the fetch
    ///    when nothing else gives a date.
    func publishedAt() -> Date? {
        let latest = capture.fetchedAt
        var candidates: [String] = []
        candidates.append(contentsOf: PageReader.dateMetas.prefix(2).compactMap { page.metas[$0] })
        if let published = jsonLD?.datePublished { candidates.append(published) }
        candidates.append(contentsOf: PageReader.dateMetas.dropFirst(2).compactMap { page.metas[$0] })
        let times = page.times.compactMap { time -> (Bool, String)? in
            guard let value = attributeValue(time.node, "datetime") else { return nil }
            return (main.kept[Int(time.record)], String(cString: value))
        }
        candidates.append(contentsOf: times.filter(\.0).map(\.1))
        candidates.append(contentsOf: times.filter { !$0.0 }.map(\.1))

        let (visible, relative) = visibleDate()
        let pageZone = visible?.zone
        var machine: (date: Date, hasTime: Bool)?
        for parts in candidates.lazy.compactMap(parseTimestampParts) {
            var date = parts.instant(zone: pageZone)
            if parts.zone == .zulu, let visible, let pageZone, visible.hasTime {
                // Many sites write local time with a `Z`: when the time read as local is closer
                // to the printed one than the time read as UTC, it was local.
                let local = Date(timeIntervalSince1970: parts.wallClock - Double(pageZone))
                if abs(local.timeIntervalSince(visible.instant)) < abs(date.timeIntervalSince(visible.instant)) { date = local }
            }
            if date <= latest {
                machine = (date, parts.hasTime)
                break
            }
        }
        let printed = visible.map(\.instant).flatMap { $0 <= latest ? $0 : nil }
        if let machine, machine.hasTime || printed == nil || visible?.hasTime == false { return machine.date }
        return printed ?? relative.flatMap { $0 <= latest ? $0 : nil }
    }

    /// The date printed near the headline: the first short line holding a date with a time,
    /// else the first holding a date (`forEachLineNearHeadline`). Also the first relative date
    /// ("2 jam yang lalu") in the same places.
    func visibleDate() -> (VisibleDate?, Date?) {
        var relative: Date?
        var dateOnly: VisibleDate?
        var found: VisibleDate?
        forEachLineNearHeadline { line, nextLine in
            // Every date has a four-digit year, every relative date a word ending "lalu" or
            // "ago"; most lines have neither.
            let hasYear = PageReader.hasFourDigits(line)
            guard hasYear || (relative == nil && PageReader.mayBeRelative(line)) else { return false }
            let text = String(decoding: line, as: UTF8.self)
            if hasYear, var date = VisibleDate.parse(text) {
                if !date.hasTime, let nextLine, let joined = VisibleDate.parse(text + " " + String(decoding: nextLine, as: UTF8.self)),
                   joined.hasTime {
                    // "Rabu, 4 November 2015" and "21:04 WIB" in two elements.
                    date = joined
                }
                if date.hasTime {
                    found = date
                    return true
                }
                if dateOnly == nil { dateOnly = date }
            }
            if relative == nil { relative = VisibleDate.relative(text, fetchedAt: capture.fetchedAt) }
            return false
        }
        return (found ?? dateOnly, relative)
    }

    /// Calls `body` with each short line (at most 160 bytes: longer lines are prose, whose
    /// dates and names are about something else) and the line after it, looking below the
    /// headline (where the page's title is printed), below the first `<h1>` outside
    /// boilerplate, at the start of the main text, then just before it; 3,000 bytes each.
    /// Stops when `body` returns true.
    func forEachLineNearHeadline(_ body: (ArraySlice<UInt8>, ArraySlice<UInt8>?) -> Bool) {
        let records = page.records
        var windows: [(Int, Int)] = []
        if let headline = title.map({ Array($0.utf8.prefix(60)) }), headline.count >= 8,
           let start = PageReader.firstOffset(of: headline, in: page.text.bytes) {
            windows.append((start, start + 3000))
        }
        if let heading = page.headings.first(where: { !isInBoilerplate($0) }) {
            let start = Int(records[Int(heading)].start)
            windows.append((start, start + 3000))
        }
        if let root = main.roots.first, root >= 0 {
            let start = Int(records[Int(root)].start)
            windows.append((start, start + 3000))
            windows.append((start - 1500, start))
        }
        // The headline and the first <h1> are usually the same place: read it once.
        var seen: [(Int, Int)] = []
        windows = windows.filter { window in
            if seen.contains(where: { $0.0 <= window.0 && window.0 < $0.1 && window.1 <= $0.1 }) { return false }
            seen.append(window)
            return true
        }
        let bytes = page.text.bytes
        func line(from start: Int) -> (text: ArraySlice<UInt8>?, end: Int) {
            var end = start
            while end < bytes.count, bytes[end] != 0x0A { end += 1 }
            return (end - start <= 160 ? bytes[start..<end] : nil, end)
        }
        for (from, to) in windows {
            var lineStart = max(0, min(from, bytes.count))
            let end = max(0, min(to, bytes.count))
            while lineStart < end {
                let (text, lineEnd) = line(from: lineStart)
                if let text {
                    let next = lineEnd + 1 < bytes.count ? line(from: lineEnd + 1).text : nil
                    if body(text, next) { return }
                }
                lineStart = lineEnd + 1
            }
        }
    }

    static func hasFourDigits(_ line: some Collection<UInt8>) -> Bool {
        var run = 0
        for byte in line {
            if byte >= 0x30 && byte <= 0x39 {
                run += 1
                if run == 4 { return true }
            } else {
                run = 0
            }
        }
        return false
    }

    /// A digit and "lalu" or "ago" somewhere in the line.
    static func mayBeRelative(_ line: ArraySlice<UInt8>) -> Bool {
        guard line.contains(where: { $0 >= 0x30 && $0 <= 0x39 }) else { return false }
        var window: UInt32 = 0
        for byte in line {
            window = window << 8 | UInt32(byte >= 0x41 && byte <= 0x5A ? byte | 0x20 : byte)
            if window == 0x6C61_6C75 || window & 0xFF_FFFF == 0x61_676F { return true } // "lalu", "ago"
        }
        return false
    }

    /// Where `needle` first occurs in `haystack` (a plain scan: the needle is a short prefix of
    /// the headline, and most positions fail on the first byte).
    static func firstOffset(of needle: [UInt8], in haystack: [UInt8]) -> Int? {
        guard let first = needle.first, needle.count <= haystack.count else { return nil }
        var index = 0
        let last = haystack.count - needle.count
        while index <= last {
            if haystack[index] == first, haystack[index..<(index + needle.count)].elementsEqual(needle) { return index }
            index += 1
        }
        return nil
    }
}
