import Foundation

/// The headline of a page without the site's name around it: `Samsul Arif Tak Beban Lawan
/// Arema - Kompas.com` becomes `Samsul Arif Tak Beban Lawan Arema`, and the site name is kept
/// apart (`Item.metadata["site_name"]`).
///
/// A title is split at the separators sites put between headline, section and site (` | `,
/// ` - `, ` – `, ` — `, ` :: `, ` » `, ` · `, ` / `). Then:
/// 1. a heading of the page (`<h1>`) that is the whole title or a run of whole segments of it
///    is the headline (`Tag | Headline - Site` gives `Headline`);
/// 2. otherwise the title ends before the first segment after the first that names the site:
///    the site name the page declares (`og:site_name`, `application-name`, JSON-LD publisher,
///    `twitter:site`), the host's name, or a domain (`Tempo.Co`, `Tekno Liputan6.com`); short
///    section names just before it go with it (`Headline | National | Tempo.Co`);
/// 3. a leading segment that names the site goes too (`Kompas.com - Headline`,
///    `KapanLagi.com: Headline`).
/// A title left with fewer than two words is kept whole: it was the headline.
enum PageTitle {
    static let separators = [" | ", " - ", " – ", " — ", " :: ", " » ", " · ", " / ", " ~ "]

    /// The segments of a title with where each starts and ends in it.
    static func segments(_ title: String) -> [Range<String.Index>] {
        var ranges: [Range<String.Index>] = []
        var start = title.startIndex
        var index = title.startIndex
        while index < title.endIndex {
            // Every separator starts with a space.
            if title[index] == " ", let separator = separators.first(where: { title[index...].hasPrefix($0) }) {
                ranges.append(start..<index)
                index = title.index(index, offsetBy: separator.count)
                start = index
            } else {
                index = title.index(after: index)
            }
        }
        ranges.append(start..<title.endIndex)
        return ranges
    }

    static func clean(_ raw: String, siteNames: [String], host: String?, headings: [String]) -> String {
        let title = collapseWhitespace(raw)
        let ranges = segments(title)
        let normalizedHeadings = headings.map { collapseWhitespace($0) }.filter { wordCount($0) >= 2 }
        if normalizedHeadings.contains(title) { return title }
        guard ranges.count > 1 || title.contains(": ") else { return title }
        // A run of whole segments that is a heading of the page.
        for first in ranges.indices {
            for last in ranges.indices where last >= first {
                let candidate = String(title[ranges[first].lowerBound..<ranges[last].upperBound])
                if normalizedHeadings.contains(candidate) { return candidate }
            }
        }
        func namesSite(_ range: Range<String.Index>) -> Bool {
            PageTitle.namesSite(String(title[range]), siteNames: siteNames, host: host)
        }
        var kept = Array(ranges.indices)
        if let colon = title.range(of: ": "), colon.lowerBound > title.startIndex,
           title[title.index(before: colon.lowerBound)] != ":", title[title.index(before: colon.lowerBound)] != " ",
           segments(String(title[..<colon.lowerBound])).count == 1, namesSite(title.startIndex..<colon.lowerBound) {
            // "KapanLagi.com: Headline"
            return clean(String(title[colon.upperBound...]), siteNames: siteNames, host: host, headings: headings)
        }
        if let site = ranges.indices.dropFirst().first(where: { namesSite(ranges[$0]) }) {
            kept = Array(ranges.indices.prefix(site))
            while kept.count > 1, let last = kept.last, wordCount(String(title[ranges[last]])) <= 2,
                  wordCount(String(title[ranges[kept[0]]])) >= 3 {
                kept.removeLast()
            }
        }
        if kept.count > 1, namesSite(ranges[kept[0]]) { kept.removeFirst() }
        guard let first = kept.first, let last = kept.last else { return title }
        let cleaned = String(title[ranges[first].lowerBound..<ranges[last].upperBound])
        return wordCount(cleaned) >= 2 ? cleaned : title
    }

    /// Whether a text names the site rather than a headline or a person: it holds a site name
    /// the page declares, a word starting with the host's name, or a domain (`VIVA.co.id`).
    static func namesSite(_ text: String, siteNames: [String], host: String?) -> Bool {
        let segment = normalize(text)
        if segment.isEmpty { return false }
        if siteNames.map(normalize).contains(where: { $0.count >= 3 && segment.contains($0) }) { return true }
        if let hostName = host.flatMap(mainLabel),
           segment.split(whereSeparator: { !$0.isLetter && !$0.isNumber }).contains(where: { $0.hasPrefix(hostName) }) {
            return true
        }
        guard segment.contains(".") else { return false }
        return domain.firstMatch(in: segment, range: NSRange(segment.startIndex..., in: segment)) != nil
    }

    /// A domain name: `kompas.com`, `viva.co.id`.
    private static let domain = try! NSRegularExpression(pattern: #"[a-z0-9-]+\.(com|co\.id|co|id|net|org|news|tv|info|biz|co\.uk|de|fr|it|es|jp|cz|ru)\b"#)

    /// Lowercase, without `www.` and without spaces around.
    static func normalize(_ text: String) -> String {
        var value = collapseWhitespace(text).lowercased()
        if value.hasPrefix("www.") { value.removeFirst(4) }
        if value.hasPrefix("@") { value.removeFirst() }
        return value
    }

    /// `kompas` for `regional.kompas.com`, `antaranews` for `www.antaranews.com`.
    static func mainLabel(_ host: String) -> String? {
        let labels = host.lowercased().split(separator: ".")
        guard labels.count >= 2 else { return nil }
        let secondLevel: Set<Substring> = ["co", "or", "go", "ac", "com", "net", "org", "web", "sch", "my", "biz"]
        var index = labels.count - 2
        if secondLevel.contains(labels[index]), index > 0 { index -= 1 }
        let label = String(labels[index])
        return label.count >= 4 ? label : nil
    }

    /// The share of a text's words (lowercase runs of letters and digits) that `other` holds
    /// as words: 1 when every word of the text is in it, 0 for a text without words.
    static func wordShare(of text: String, in other: String) -> Double {
        func words(_ value: String) -> [Substring] {
            value.lowercased().split(whereSeparator: { !$0.isLetter && !$0.isNumber })
        }
        let own = words(text)
        guard !own.isEmpty else { return 0 }
        let known = Set(words(other))
        return Double(own.filter { known.contains($0) }.count) / Double(own.count)
    }

    /// Readability's reading of a `<title>` element (`_getArticleTitle`), for pages that
    /// declare no title in their metas: the part before the last ` | `, ` - `, ` – `, ` — `,
    /// ` / `, ` > `, ` » ` or a backslash (the part after the first when that leaves under three
    /// words); with only `: `, the part after the last colon unless a heading prints the whole
    /// title (the first colon when that leaves under three words, the whole title when more
    /// than five words come before it); a title under 15 or over 150 characters is replaced by
    /// the page's only `<h1>`. A result of four words or fewer is the whole title again, unless
    /// the title had hierarchical separators (`/`, `>`, `»`, a backslash) and only its last part went.
    static func fromDocumentTitle(_ raw: String, headings: [String], onlyHeading: String?) -> String {
        let original = collapseWhitespace(raw)
        let separatorCharacters: Set<Character> = ["|", "-", "–", "—", "\\", "/", ">", "»"]
        let hierarchical: Set<Character> = ["\\", "/", ">", "»"]
        func words(_ text: String) -> Int { text.split(whereSeparator: \.isWhitespace).count }
        // Positions of " X " with X a separator character.
        let characters = Array(original)
        var separators: [(index: Int, character: Character)] = []
        if characters.count >= 3 {
            for index in 1..<(characters.count - 1)
            where characters[index - 1] == " " && characters[index + 1] == " " && separatorCharacters.contains(characters[index]) {
                separators.append((index, characters[index]))
            }
        }
        var current = original
        var hadHierarchical = false
        if let last = separators.last, let first = separators.first {
            hadHierarchical = separators.contains { hierarchical.contains($0.character) }
            current = String(characters[..<(last.index - 1)])
            if words(current) < 3 { current = String(characters[(first.index + 1)...]) }
        } else if original.contains(": ") {
            if !headings.contains(original) {
                let afterLast = original.lastIndex(of: ":").map { String(original[original.index(after: $0)...]) } ?? original
                let beforeFirst = original.firstIndex(of: ":").map { String(original[..<$0]) } ?? ""
                if words(afterLast) < 3 {
                    current = original.firstIndex(of: ":").map { String(original[original.index(after: $0)...]) } ?? original
                } else if words(beforeFirst) > 5 {
                    current = original
                } else {
                    current = afterLast
                }
            }
        } else if original.count > 150 || original.count < 15, let onlyHeading {
            current = onlyHeading
        }
        current = collapseWhitespace(current).trimmingCharacters(in: .whitespaces)
        let count = words(current)
        let withoutSeparators = original.filter { !separatorCharacters.contains($0) }
        if count <= 4, !hadHierarchical || count != words(withoutSeparators) - 1 { return original }
        return current
    }

    /// Whether a heading repeats the title (Readability's text similarity above 0.75): the
    /// heading's words that the title lacks make up at most a quarter of the heading's length,
    /// and the heading is at least half as long as the title.
    static func duplicates(_ title: String, heading: String) -> Bool {
        func words(_ value: String) -> [Substring] {
            value.lowercased().split(whereSeparator: { !$0.isLetter && !$0.isNumber })
        }
        // A heading much shorter than the title (a subheading sharing its words) or much longer
        // is not the headline.
        guard heading.utf8.count * 2 >= title.utf8.count, heading.utf8.count <= title.utf8.count * 2 + 16 else { return false }
        if let ascii = duplicatesASCII(title, heading: heading) { return ascii }
        let headingWords = words(heading)
        let titleWords = Set(words(title))
        guard !headingWords.isEmpty, !titleWords.isEmpty else { return false }
        let length = headingWords.reduce(-1) { $0 + $1.count + 1 }
        let unknown = headingWords.filter { !titleWords.contains($0) }
        let unknownLength = unknown.isEmpty ? 0 : unknown.reduce(-1) { $0 + $1.count + 1 }
        return 1 - Double(unknownLength) / Double(length) > 0.75
    }

    /// `duplicates` for two ASCII texts, on bytes (nil when either is not ASCII): the
    /// Unicode-aware word split costs more than the rest of the check.
    private static func duplicatesASCII(_ title: String, heading: String) -> Bool? {
        func words(_ text: String) -> [ArraySlice<UInt8>]? {
            var bytes = Array(text.utf8)
            for index in bytes.indices {
                let byte = bytes[index]
                if byte >= 0x80 { return nil }
                if byte >= 0x41 && byte <= 0x5A { bytes[index] = byte | 0x20 }
            }
            let isWordByte: (UInt8) -> Bool = { ($0 >= 0x61 && $0 <= 0x7A) || ($0 >= 0x30 && $0 <= 0x39) }
            return bytes.split(whereSeparator: { !isWordByte($0) })
        }
        guard let headingWords = words(heading), let titleWordList = words(title) else { return nil }
        let titleWords = Set(titleWordList)
        guard !headingWords.isEmpty, !titleWords.isEmpty else { return false }
        let length = headingWords.reduce(-1) { $0 + $1.count + 1 }
        let unknown = headingWords.filter { !titleWords.contains($0) }
        let unknownLength = unknown.isEmpty ? 0 : unknown.reduce(-1) { $0 + $1.count + 1 }
        return 1 - Double(unknownLength) / Double(length) > 0.75
    }

    static func wordCount(_ text: String) -> Int {
        text.split(whereSeparator: { $0 == " " }).count
    }
}
