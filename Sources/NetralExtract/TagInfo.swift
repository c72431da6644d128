/// What Netral needs to know about an element name.
struct TagInfo {
    enum Kind: UInt8 {
        case other, anchor, image, meta, link, base, title, script, time, html, head, body
        case article, main, header, footer, aside, nav, button, paragraph, figure, noscript, list, listItem, heading1
        /// `div`: scored as its own paragraphs when it mixes text with blocks (`MainContent.score`).
        case division
        /// `br`, `hr`: end a line, but are not blocks that hold text.
        case lineBreak
        /// `h2`–`h6`: subheadings, and the labels of related-link lists.
        case heading
        /// `figcaption`: the words under a picture.
        case caption
        /// `tr`, `tbody`, `thead`, `tfoot`: rows of a table, judged with their table.
        case tableRow
    }

    var kind: Kind
    /// Ends a paragraph: text on either side must not run together.
    var isBlock: Bool
    /// Never visible text: the subtree is not read at all.
    var isInvisible: Bool
    /// Readability's initial score for a candidate container of this kind.
    var baseScore: Int8

    static let inline = TagInfo(kind: .other, isBlock: false, isInvisible: false, baseScore: 0)

    static let table: [UInt64: TagInfo] = {
        var table: [UInt64: TagInfo] = [:]
        func add(_ names: [String], _ kind: Kind = .other, block: Bool = false, invisible: Bool = false, score: Int8 = 0) {
            for name in names {
                table[pack(Array(name.utf8))] = TagInfo(kind: kind, isBlock: block, isInvisible: invisible, baseScore: score)
            }
        }
        add(["noscript"], .noscript, block: true, invisible: true)
        add(["style", "template", "svg", "iframe", "object", "embed", "canvas", "select", "math",
             "textarea", "datalist", "audio", "video", "map", "frameset", "frame", "applet", "param", "source", "track"],
            invisible: true)
        add(["script"], .script, invisible: true)
        add(["title"], .title, invisible: true)
        add(["meta"], .meta)
        add(["link"], .link)
        add(["base"], .base)
        add(["html"], .html, block: true)
        add(["head"], .head, block: true)
        add(["body"], .body, block: true)
        add(["article"], .article, block: true)
        add(["main"], .main, block: true)
        add(["header"], .header, block: true)
        add(["footer"], .footer, block: true)
        add(["aside"], .aside, block: true)
        add(["nav", "menu"], .nav, block: true)
        add(["button"], .button)
        add(["a"], .anchor)
        add(["img"], .image)
        add(["time"], .time)
        add(["p"], .paragraph, block: true)
        add(["figure"], .figure, block: true)
        add(["div"], .division, block: true, score: 5)
        add(["pre", "td", "blockquote"], block: true, score: 3)
        add(["ol", "ul", "dl"], .list, block: true, score: -3)
        add(["dd", "dt", "li"], .listItem, block: true, score: -3)
        add(["address", "form"], block: true, score: -3)
        add(["h1"], .heading1, block: true, score: -5)
        add(["h2", "h3", "h4", "h5", "h6"], .heading, block: true, score: -5)
        add(["th"], block: true, score: -5)
        add(["br", "hr"], .lineBreak, block: true)
        add(["section", "fieldset", "table", "caption", "details", "summary", "dialog",
             "legend", "center", "hgroup", "option", "label"], block: true)
        add(["tr", "tbody", "thead", "tfoot"], .tableRow, block: true)
        return table
    }()

    /// Element names of up to eight bytes packed into an integer, so a lookup hashes one word.
    @inline(__always)
    static func pack(_ name: [UInt8]) -> UInt64 {
        var value: UInt64 = 0
        for byte in name.prefix(8) { value = value << 8 | UInt64(byte) }
        return value
    }

    static func lookup(_ name: UnsafePointer<UInt8>) -> TagInfo {
        var value: UInt64 = 0
        var length = 0
        while length < 9 {
            let byte = name[length]
            if byte == 0 { break }
            value = value << 8 | UInt64(byte >= 0x41 && byte <= 0x5A ? byte | 0x20 : byte)
            length += 1
        }
        if length > 8 {
            // The two long names that matter; everything else this long is inline.
            if strcmpLower(name, "blockquote") { return TagInfo(kind: .other, isBlock: true, isInvisible: false, baseScore: 3) }
            if strcmpLower(name, "figcaption") { return TagInfo(kind: .caption, isBlock: true, isInvisible: false, baseScore: 0) }
            return .inline
        }
        return table[value] ?? .inline
    }

    private static func strcmpLower(_ name: UnsafePointer<UInt8>, _ literal: StaticString) -> Bool {
        let pointer = literal.utf8Start
        for index in 0..<literal.utf8CodeUnitCount {
            let byte = name[index]
            if byte == 0 || (byte >= 0x41 && byte <= 0x5A ? byte | 0x20 : byte) != pointer[index] { return false }
        }
        return name[literal.utf8CodeUnitCount] == 0
    }
}
