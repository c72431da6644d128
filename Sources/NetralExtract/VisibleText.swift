internal import CLibXML2

/// Visible text, built as UTF-8 bytes straight from libxml2's node content (no Swift `String` per
/// text node): whitespace runs collapse to one space, block boundaries become one newline, and
/// nothing is emitted before the first or after the last visible character.
struct TextBuffer {
    private(set) var bytes: [UInt8] = []
    private var pendingSpace = false
    private var pendingBreak = false

    init(capacity: Int = 0) {
        bytes.reserveCapacity(capacity)
    }

    var count: Int { bytes.count }

    /// Ends the current paragraph: the next text starts on a new line.
    mutating func breakParagraph() {
        pendingBreak = true
    }

    /// Appends NUL-terminated UTF-8 text. Returns how many Unicode scalars were added (spaces
    /// between words excluded) and how many commas, the two numbers content scoring needs.
    @discardableResult
    mutating func append(_ text: UnsafePointer<UInt8>) -> (characters: Int, commas: Int) {
        var characters = 0
        var commas = 0
        var index = 0
        while true {
            let byte = text[index]
            if byte == 0 { break }
            let space = TextBuffer.whitespaceLength(text, at: index, byte: byte)
            if space > 0 {
                pendingSpace = true
                index += space
                continue
            }
            if byte == 0x7F {
                index += 1
                continue
            }
            flushSeparator()
            // Find the end of the run of non-space bytes, counting commas and UTF-8 continuation
            // bytes on the way; most bytes are letters and take the first test only.
            let start = index
            var continuation = 0
            while true {
                let current = text[index]
                if current > 0x2C && current < 0x7F {
                    index &+= 1
                    continue
                }
                if current <= 0x20 || current == 0x7F { break }
                if current == 0x2C {
                    commas &+= 1
                } else if current >= 0x80 {
                    if current < 0xC0 {
                        continuation &+= 1
                    } else if current <= 0xE3, TextBuffer.whitespaceLength(text, at: index, byte: current) > 0 {
                        break
                    }
                }
                index &+= 1
            }
            let run = UnsafeBufferPointer(start: text + start, count: index &- start)
            characters &+= run.count &- continuation
            bytes.append(contentsOf: run)
        }
        return (characters, commas)
    }

    /// Appends a Swift string (attribute values, JSON-LD text) the same way.
    mutating func append(_ text: String) {
        var copy = text
        copy.withUTF8 { buffer in
            var terminated = [UInt8](buffer)
            terminated.append(0)
            terminated.withUnsafeBufferPointer { _ = append($0.baseAddress!) }
        }
    }

    @inline(__always)
    private mutating func flushSeparator() {
        if let last = bytes.last {
            if pendingBreak {
                if last != 0x0A { bytes.append(0x0A) }
            } else if pendingSpace, last != 0x20, last != 0x0A {
                bytes.append(0x20)
            }
        }
        pendingBreak = false
        pendingSpace = false
    }

    /// Bytes of whitespace at `index`: ASCII whitespace and C0 controls, NO-BREAK SPACE, NEL,
    /// OGHAM SPACE MARK, U+2000–U+200A, LINE/PARAGRAPH SEPARATOR, NARROW NBSP, MEDIUM
    /// MATHEMATICAL SPACE and IDEOGRAPHIC SPACE, as `Character.isWhitespace` would say. Reads
    /// past `index` only while the bytes so far match, so the NUL terminator is never passed.
    @inline(__always)
    static func whitespaceLength(_ text: UnsafePointer<UInt8>, at index: Int, byte: UInt8) -> Int {
        if byte <= 0x20 { return 1 }
        if byte < 0xC2 || byte > 0xE3 { return 0 }
        switch byte {
        case 0xC2:
            let next = text[index + 1]
            return next == 0xA0 || next == 0x85 ? 2 : 0
        case 0xE1:
            return text[index + 1] == 0x9A && text[index + 2] == 0x80 ? 3 : 0
        case 0xE2:
            let second = text[index + 1]
            if second == 0x80 {
                let third = text[index + 2]
                return (third >= 0x80 && third <= 0x8A) || third == 0xA8 || third == 0xA9 || third == 0xAF ? 3 : 0
            }
            return second == 0x81 && text[index + 2] == 0x9F ? 3 : 0
        case 0xE3:
            return text[index + 1] == 0x80 && text[index + 2] == 0x80 ? 3 : 0
        default:
            return 0
        }
    }

    /// The text between two offsets as a clean string: lines trimmed, empty lines dropped, runs of
    /// spaces collapsed; with `singleLine`, newlines become spaces.
    func string(from start: Int, to end: Int, singleLine: Bool = false) -> String {
        TextBuffer.clean(bytes[start..<end], singleLine: singleLine)
    }

    static func clean(_ slice: some Collection<UInt8>, singleLine: Bool) -> String {
        var output: [UInt8] = []
        output.reserveCapacity(slice.count)
        var pendingSpace = false
        var pendingNewline = false
        for byte in slice {
            if byte == 0x0A {
                if singleLine { pendingSpace = true } else { pendingNewline = true }
            } else if byte == 0x20 {
                pendingSpace = true
            } else {
                if !output.isEmpty {
                    if pendingNewline {
                        output.append(0x0A)
                    } else if pendingSpace {
                        output.append(0x20)
                    }
                }
                pendingSpace = false
                pendingNewline = false
                output.append(byte)
            }
        }
        return String(decoding: output, as: UTF8.self)
    }
}

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
        add(["section", "figcaption", "fieldset", "table", "tr", "caption", "details", "summary", "dialog",
             "legend", "center", "hgroup", "option", "tbody", "thead", "tfoot", "label"], block: true)
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
            if strcmpLower(name, "figcaption") { return TagInfo(kind: .other, isBlock: true, isInvisible: false, baseScore: 0) }
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

/// Class and id hints, read in one pass over the attribute value.
///
/// A hint is a whole word of a `class` or `id` token (words are separated by spaces, `-` and
/// `_`; a plural `s` is allowed), never a substring: `commentary` is not `comment`,
/// `has-recommendations` is not `recommend`. How the hints weigh is decided after the walk, in
/// `MainContent.classify`:
/// - decisive negatives (comment, related, cookie, advert, breadcrumb, ...) always mark boilerplate;
/// - soft negatives (share, social) unless a strong positive (article, content, entry, main, ...)
///   says the element is the content itself (`entry-content no-share`);
/// - weak negatives (sidebar, footer, menu, header, banner, widget, ...) unless any positive
///   (also post, text, blog, berita, detail) is present;
/// - author hints (author, byline, penulis) protect an element whatever else it says, because
///   ASN identity ("Camat Sungai Jernih") often lives in an author box.
/// Soft and weak negatives can also be overruled by the text itself: see `MainContent`.
struct ClassHints: OptionSet {
    let rawValue: UInt8

    static let positive = ClassHints(rawValue: 1)
    static let weakNegative = ClassHints(rawValue: 2)
    /// share, social: boilerplate unless a strong positive is also present.
    static let softNegative = ClassHints(rawValue: 4)
    static let author = ClassHints(rawValue: 8)
    /// bio, box, info, about, profile, description: with `author`, an author box.
    static let authorBoxPart = ClassHints(rawValue: 16)
    /// comment, related, cookie, advert, ...: boilerplate whatever else the element says.
    static let decisiveNegative = ClassHints(rawValue: 32)
    /// article, content, entry, main, ...: the element says it is the content.
    static let strongPositive = ClassHints(rawValue: 64)

    var isAuthorBox: Bool { contains(.author) && contains(.authorBoxPart) }
    var isNegative: Bool { !isDisjoint(with: [.weakNegative, .softNegative, .decisiveNegative]) }

    /// Where a hint may start: at the start of a word (after space, `-` or `_`), or only at the
    /// start of a whole class token (after a space), for words such as `widget` that page
    /// builders also use inside content class names (`elementor-widget-text-editor`).
    enum Boundary { case word, classToken }

    struct Hint {
        let word: [UInt8]
        let hint: ClassHints
        let boundary: Boundary
    }

    static let hints: [Hint] = {
        var all: [Hint] = []
        func add(_ words: [String], _ hint: ClassHints, _ boundary: Boundary = .word) {
            all += words.map { Hint(word: Array($0.utf8), hint: hint, boundary: boundary) }
        }
        add(["article", "content", "entry", "main", "isi", "konten", "artikel", "story", "body"], [.positive, .strongPositive])
        add(["post", "text", "blog", "berita", "detail"], .positive)
        // "share" only as a whole word: a share bar ("share-buttons") is chrome, a shared post
        // ("shared-post", the campaign content an ASN reposted) is the evidence.
        add(["share", "sharing", "bagikan", "social", "sosmed", "socmed"], .softNegative)
        add(["comment", "commentlist", "komentar", "disqus", "related", "terkait", "baca-juga", "bacajuga", "cookie",
             "consent", "gdpr", "newsletter", "subscribe", "langganan", "breadcrumb", "pagination", "advert",
             "advertisement", "iklan", "sponsor", "sponsored", "popup", "trending", "populer", "popular", "recommend",
             "recommended", "rekomendasi", "sr-only", "screen-reader", "skip-link", "ad", "adsense",
             "tag", "tagcloud", "outbrain", "taboola"],
            .decisiveNegative)
        add(["sidebar", "navbar", "masthead", "footer", "toolbar", "menu", "nav", "navigation", "header", "banner",
             "promo", "modal", "pager", "aside"], .weakNegative)
        add(["widget"], .weakNegative, .classToken)
        add(["author", "byline", "penulis"], .author)
        add(["bio", "box", "info", "about", "profil", "profile", "desc", "description"], .authorBoxPart)
        return all
    }()

    /// Hints indexed by their first (lowercase ASCII) letter.
    static let byFirstLetter: [[Hint]] = {
        var table = Array(repeating: [Hint](), count: 26)
        for hint in hints { table[Int(hint.word[0] - 0x61)].append(hint) }
        return table
    }()

    @inline(__always)
    static func lower(_ byte: UInt8) -> UInt8 { byte >= 0x41 && byte <= 0x5A ? byte | 0x20 : byte }

    @inline(__always)
    static func isWordSeparator(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == UInt8(ascii: "-") || byte == UInt8(ascii: "_") || byte == 0x09 || byte == 0x0A || byte == 0x0D
    }

    /// Whether a word ends at `index`: a separator or the end, after an optional plural `s`.
    @inline(__always)
    static func wordEnds(_ value: UnsafePointer<UInt8>, at index: Int) -> Bool {
        let after = value[index]
        if after == 0 || isWordSeparator(after) { return true }
        guard lower(after) == UInt8(ascii: "s") else { return false }
        let next = value[index + 1]
        return next == 0 || isWordSeparator(next)
    }

    /// Adds the hints found in one attribute value (NUL-terminated).
    static func scan(_ value: UnsafePointer<UInt8>) -> ClassHints {
        var found: ClassHints = []
        var index = 0
        var previous: UInt8 = 0x20
        while true {
            let byte = lower(value[index])
            if byte == 0 { break }
            if byte >= 0x61, byte <= 0x7A, isWordSeparator(previous) {
                for hint in byFirstLetter[Int(byte - 0x61)] where !found.contains(hint.hint) {
                    if hint.boundary == .classToken, previous != 0x20, previous != 0x09, previous != 0x0A, previous != 0x0D { continue }
                    var offset = 1
                    while offset < hint.word.count, lower(value[index + offset]) == hint.word[offset] { offset += 1 }
                    guard offset == hint.word.count, wordEnds(value, at: index + offset) else { continue }
                    found.formUnion(hint.hint)
                }
            }
            previous = byte
            index += 1
        }
        return found
    }
}

/// The attributes of one element that extraction looks at, read in one pass over libxml2's
/// attribute list without allocating (values point into the document).
struct ElementAttributes {
    var hints: ClassHints = []
    var hasClassOrID = false
    var role: UnsafePointer<UInt8>?
    var isHidden = false
    /// `itemprop="author"` or `rel="author"`: the element names the author.
    var marksAuthor = false

    /// Reads `class`, `id`, `role`, `hidden`, `style`, `itemprop` and `rel` of `node`.
    init(_ node: xmlNodePtr) {
        var attribute = node.pointee.properties
        while let current = attribute {
            attribute = current.pointee.next
            guard let name = current.pointee.name else { continue }
            let value = current.pointee.children?.pointee.content
            switch (name[0], name[1]) {
            case (UInt8(ascii: "c"), UInt8(ascii: "l")) where equalsLowercase(name, "class"):
                if let value { hints.formUnion(ClassHints.scan(value)); hasClassOrID = true }
            case (UInt8(ascii: "i"), UInt8(ascii: "d")) where name[2] == 0:
                if let value { hints.formUnion(ClassHints.scan(value)); hasClassOrID = true }
            case (UInt8(ascii: "r"), UInt8(ascii: "o")) where equalsLowercase(name, "role"):
                role = value.map { UnsafePointer($0) }
            case (UInt8(ascii: "h"), UInt8(ascii: "i")) where equalsLowercase(name, "hidden"):
                isHidden = true
            case (UInt8(ascii: "s"), UInt8(ascii: "t")) where equalsLowercase(name, "style"):
                if let value, ElementAttributes.hidesElement(value) { isHidden = true }
            case (UInt8(ascii: "i"), UInt8(ascii: "t")) where equalsLowercase(name, "itemprop"),
                 (UInt8(ascii: "r"), UInt8(ascii: "e")) where equalsLowercase(name, "rel"):
                if let value, ClassHints.scan(value).contains(.author) { marksAuthor = true }
            default:
                break
            }
        }
    }

    /// `display:none` or `visibility:hidden` in an inline style (spaces and case ignored).
    static func hidesElement(_ style: UnsafePointer<UInt8>) -> Bool {
        var compact: [UInt8] = []
        var index = 0
        while style[index] != 0, compact.count < 512 {
            let byte = ClassHints.lower(style[index])
            if byte != 0x20, byte != 0x09, byte != 0x0A, byte != 0x0D { compact.append(byte) }
            index += 1
        }
        return compact.contains(subsequence: Array("display:none".utf8)) || compact.contains(subsequence: Array("visibility:hidden".utf8))
    }

    /// ARIA landmark roles that are page chrome rather than content.
    var isChromeRole: Bool {
        guard let role else { return false }
        for chrome in ["navigation", "banner", "contentinfo", "complementary", "search", "menu", "menubar", "dialog", "alertdialog"]
            where equalsLowercase(role, chrome) {
            return true
        }
        return false
    }
}

/// Case-insensitive equality of a NUL-terminated libxml2 string with an ASCII literal.
@inline(__always)
func equalsLowercase(_ value: UnsafePointer<UInt8>, _ literal: String) -> Bool {
    var index = 0
    for byte in literal.utf8 {
        if ClassHints.lower(value[index]) != byte { return false }
        index += 1
    }
    return value[index] == 0
}

/// The value of the attribute `name` (lowercase ASCII) of an element, pointing into the
/// document: no allocation, valid as long as the document is.
@inline(__always)
func attributeValue(_ node: xmlNodePtr, _ name: String) -> UnsafePointer<UInt8>? {
    var attribute = node.pointee.properties
    while let current = attribute {
        if let attributeName = current.pointee.name, equalsLowercase(attributeName, name) {
            guard let child = current.pointee.children else { return nil }
            if child.pointee.next == nil, child.pointee.type == XML_TEXT_NODE { return child.pointee.content.map { UnsafePointer($0) } }
            return nil
        }
        attribute = current.pointee.next
    }
    return nil
}

private extension Array where Element == UInt8 {
    func contains(subsequence: [UInt8]) -> Bool {
        guard subsequence.count <= count else { return false }
        for start in 0...(count - subsequence.count) where self[start..<(start + subsequence.count)].elementsEqual(subsequence) {
            return true
        }
        return false
    }
}
