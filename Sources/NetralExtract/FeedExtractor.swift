import Foundation
public import NetralModel

/// Which family of feed a document is.
public enum FeedFormat: String, Sendable, Codable {
    /// RSS 0.91, 0.92, 2.0: `<rss><channel><item>`.
    case rss
    /// RSS 0.90 and 1.0: `<rdf:RDF>` with `<item>` beside `<channel>`.
    case rdf
    /// Atom 1.0: `<feed><entry>`.
    case atom
}

/// What a feed held: its entries as items, and what could not be read.
public struct FeedResult: Sendable, Equatable {
    public var format: FeedFormat
    /// The feed's own title (`channel/title`, `feed/title`).
    public var title: String?
    public var items: [Item]
    /// Problems that cost some content: the document was not well formed and was read in
    /// recovery mode, an entry had nothing to read, a date could not be understood.
    public var warnings: [String]

    public init(format: FeedFormat, title: String? = nil, items: [Item] = [], warnings: [String] = []) {
        self.format = format
        self.title = title
        self.items = items
        self.warnings = warnings
    }
}

/// Reads RSS 0.9x/2.0, RSS 1.0 (RDF) and Atom feeds into one `Item` per entry (platform `feed`).
///
/// Each item's `sourceURL` and `canonicalURL` are the entry's own link (resolved against
/// `xml:base` and the feed URL); an entry without a link gets the feed URL with a fragment made
/// from its guid or position, so entries stay distinct. `metadata["feed_url"]` is the URL the
/// feed was read from. HTML in descriptions and content becomes text; categories that are single
/// words become hashtags; image descriptions from Media RSS and `<img alt>` become image alts.
///
/// A broken feed gives what libxml2 can recover, with a warning; a document that is not a feed
/// at all throws `SourceError.notAFeed`.
public struct FeedExtractor: Sendable {
    /// A feed with more entries than this is cut, with a warning.
    public static let maxEntries = 10_000

    public init() {}

    public func extract(_ capture: Capture) throws -> FeedResult {
        let url = capture.finalURL
        var warnings: [String] = []
        var bytes = capture.body
        let declared = Self.declaredEncoding(bytes)
        if declared == nil || declared == "utf-8" || declared == "utf8" {
            if !Self.startsWithUTF16BOM(bytes), String(data: bytes, encoding: .utf8) == nil {
                bytes = Data(String(decoding: bytes, as: UTF8.self).utf8)
                warnings.append("\(url): the feed is not valid UTF-8; invalid bytes were replaced")
            }
        }
        let encoding = declared == nil && !Self.startsWithUTF16BOM(bytes) ? capture.declaredCharset : nil
        let document = try XMLTreeDocument(bytes: bytes, url: url, encoding: encoding)
        if let error = document.recoveredError {
            warnings.append("\(url): the feed is not well-formed XML (\(error)); read what could be recovered")
        }
        guard let root = document.root else {
            throw SourceError.invalidXML(source: url, reason: document.recoveredError ?? "the document has no root element")
        }
        var reader = FeedReader(feedURL: url, fetchedAt: capture.fetchedAt)
        let result: FeedResult
        switch (root.localName, FeedName.alias(root)) {
        case ("rss", _):
            result = reader.readRSS(root, format: .rss)
        case ("RDF", "rdf"), ("rdf:RDF", _):
            result = reader.readRSS(root, format: .rdf)
        case ("feed", "atom"), ("feed", ""):
            result = reader.readAtom(root)
        default:
            let name = root.prefix.map { "\($0):\(root.localName)" } ?? root.localName
            throw SourceError.notAFeed(source: url, rootElement: name)
        }
        return FeedResult(format: result.format, title: result.title, items: result.items, warnings: warnings + result.warnings)
    }

    /// The `encoding` of the XML declaration, lowercased, if the document has one.
    static func declaredEncoding(_ bytes: Data) -> String? {
        let head = String(decoding: bytes.prefix(256), as: UTF8.self)
        guard head.hasPrefix("<?xml") || head.hasPrefix("\u{FEFF}<?xml"),
              let end = head.range(of: "?>"),
              let range = head.range(of: "encoding", range: head.startIndex..<end.lowerBound)
        else { return nil }
        let rest = head[range.upperBound..<end.lowerBound].drop { $0 == " " || $0 == "=" }
        guard let quote = rest.first, quote == "\"" || quote == "'" else { return nil }
        let value = rest.dropFirst().prefix { $0 != quote }
        return value.isEmpty ? nil : value.lowercased()
    }

    static func startsWithUTF16BOM(_ bytes: Data) -> Bool {
        guard bytes.count >= 2 else { return false }
        let first = bytes[bytes.startIndex], second = bytes[bytes.startIndex + 1]
        return (first == 0xFE && second == 0xFF) || (first == 0xFF && second == 0xFE)
    }
}

/// Element names in the namespaces feeds use, written `alias:local` (`dc:creator`).
enum FeedName {
    static let namespaces: [String: String] = [
        "http://www.w3.org/2005/Atom": "atom",
        "http://purl.org/atom/ns#": "atom",
        "http://purl.org/rss/1.0/": "",
        "http://my.netscape.com/rdf/simple/0.9/": "",
        "http://backend.userland.com/rss2": "",
        "http://www.w3.org/1999/02/22-rdf-syntax-ns#": "rdf",
        "http://purl.org/dc/elements/1.1/": "dc",
        "http://purl.org/dc/terms/": "dc",
        "http://purl.org/rss/1.0/modules/content/": "content",
        "http://search.yahoo.com/mrss/": "media",
        "http://search.yahoo.com/mrss": "media",
        "http://www.itunes.com/dtds/podcast-1.0.dtd": "itunes",
        "http://www.w3.org/1999/xhtml": "xhtml",
    ]

    /// The alias of the node's namespace: "" for none or the RSS namespaces, nil for others.
    static func alias(_ node: XMLTreeNode) -> String? {
        guard let namespace = node.namespaceURI else { return "" }
        return namespaces[namespace]
    }

    /// `local`, or `alias:local`. An element whose prefix was never declared (a common error)
    /// keeps `prefix:local` as its name, which reads the same.
    static func key(_ node: XMLTreeNode) -> String {
        let local = node.localName
        guard let alias = alias(node) else { return "?:" + local }
        return alias.isEmpty ? local : alias + ":" + local
    }
}

/// The readable parts of one entry, gathered before they become an `Item`.
private struct EntryParts {
    var title: String?
    var link: String?
    var guid: String?
    var authorName: String?
    var authorURL: String?
    var dateText: String?
    var descriptionHTML: (markup: String, isHTML: Bool)?
    var contentHTML: (markup: String, isHTML: Bool)?
    var categories: [String] = []
    var mediaURLs: [String] = []
    var mediaTexts: [String] = []
    var mediaImageAlts: [String] = []
    var language: String?
}

private struct FeedReader {
    let feedURL: String
    let fetchedAt: Date
    var warnings: [String] = []

    init(feedURL: String, fetchedAt: Date) {
        self.feedURL = feedURL
        self.fetchedAt = fetchedAt
    }

    // MARK: RSS 0.9x, 2.0 and 1.0

    mutating func readRSS(_ root: XMLTreeNode, format: FeedFormat) -> FeedResult {
        let rootChildren = root.children
        let channel = rootChildren.first { FeedName.key($0) == "channel" }
        let channelChildren = channel?.children ?? []
        // Items live in the channel (RSS 2.0) or beside it (RSS 1.0, and some broken 0.9x feeds).
        let entries = (channelChildren + rootChildren).filter { FeedName.key($0) == "item" }
        var feedTitle: String?
        var feedLanguage: String?
        var feedAuthor: String?
        var feedLink: String?
        for child in channelChildren {
            switch FeedName.key(child) {
            case "title": feedTitle = nonEmpty(collapseWhitespace(child.text)) ?? feedTitle
            case "dc:title": if feedTitle == nil { feedTitle = nonEmpty(collapseWhitespace(child.text)) }
            case "language", "dc:language": feedLanguage = nonEmpty(child.text)
            case "dc:creator", "managingEditor", "itunes:author":
                if feedAuthor == nil { feedAuthor = Self.personName(child.text) }
            case "link": feedLink = nonEmpty(child.text)
            default: break
            }
        }
        var items: [Item] = []
        for (index, entry) in Self.capped(entries, feedURL: feedURL, warnings: &warnings).enumerated() {
            var parts = EntryParts()
            parts.language = feedLanguage
            if format == .rdf, let about = entry.attribute("about", namespace: "http://www.w3.org/1999/02/22-rdf-syntax-ns#") {
                parts.link = nonEmpty(about)
            }
            for child in entry.children {
                switch FeedName.key(child) {
                case "title":
                    parts.title = nonEmpty(collapseWhitespace(child.text)) ?? parts.title
                case "dc:title":
                    if parts.title == nil { parts.title = nonEmpty(collapseWhitespace(child.text)) }
                case "link":
                    if let link = nonEmpty(child.text) { parts.link = link }
                case "atom:link":
                    if parts.link == nil, (child.attribute("rel") ?? "alternate") == "alternate" {
                        parts.link = child.attribute("href").flatMap(nonEmpty)
                    }
                case "guid":
                    parts.guid = nonEmpty(child.text)
                    if let guid = parts.guid, child.attribute("isPermaLink")?.lowercased() != "false",
                       guid.lowercased().hasPrefix("http"), parts.link == nil {
                        parts.link = guid
                    }
                case "description":
                    parts.descriptionHTML = (child.text, true)
                case "dc:description", "itunes:summary":
                    // Fallbacks: RSS 1.0 and podcast feeds often describe items only so.
                    if parts.descriptionHTML == nil || nonEmpty(parts.descriptionHTML?.markup ?? "") == nil {
                        parts.descriptionHTML = (child.text, true)
                    }
                case "content:encoded":
                    parts.contentHTML = (child.text, true)
                case "xhtml:body", "xhtml:div":
                    // RSS with inline XHTML content (`<body xmlns="http://www.w3.org/1999/xhtml">`).
                    if parts.contentHTML == nil { parts.contentHTML = (child.innerMarkup, true) }
                case "dc:creator", "author", "itunes:author":
                    if parts.authorName == nil { parts.authorName = Self.personName(child.text) }
                case "pubDate", "dc:date", "atom:published", "atom:updated", "dc:created", "dc:issued":
                    if parts.dateText == nil { parts.dateText = nonEmpty(child.text) }
                case "category", "dc:subject":
                    if let category = nonEmpty(collapseWhitespace(child.text)) { parts.categories.append(category) }
                case "dc:language":
                    parts.language = nonEmpty(child.text)
                case "enclosure":
                    if let url = child.attribute("url").flatMap(nonEmpty) { parts.mediaURLs.append(url) }
                case "media:content", "media:thumbnail", "media:group":
                    readMedia(child, into: &parts)
                case "media:description", "media:title":
                    if let text = nonEmpty(collapseWhitespace(child.text)) { parts.mediaTexts.append(text) }
                default:
                    break
                }
            }
            if parts.authorName == nil { parts.authorName = feedAuthor }
            if let item = makeItem(parts, index: index, feedTitle: feedTitle, base: channel?.baseURI ?? feedLink) {
                items.append(item)
            }
        }
        return FeedResult(format: format, title: feedTitle, items: items, warnings: warnings)
    }

    /// Media RSS: URLs of the media, and descriptions of images as alt texts.
    private func readMedia(_ node: XMLTreeNode, into parts: inout EntryParts) {
        var stack = [node]
        var visited = 0
        while let current = stack.popLast(), visited < 200 {
            visited += 1
            let key = FeedName.key(current)
            switch key {
            case "media:content", "media:thumbnail":
                if let url = current.attribute("url").flatMap(nonEmpty) { parts.mediaURLs.append(url) }
                let isImage = current.attribute("medium") == "image" || current.attribute("type")?.hasPrefix("image/") == true
                    || key == "media:thumbnail"
                for child in current.children {
                    let childKey = FeedName.key(child)
                    guard childKey == "media:description" || childKey == "media:title",
                          let text = nonEmpty(collapseWhitespace(child.text)) else { continue }
                    if isImage { parts.mediaImageAlts.append(text) } else { parts.mediaTexts.append(text) }
                }
            case "media:group":
                stack.append(contentsOf: current.children.reversed())
            case "media:description", "media:title":
                if let text = nonEmpty(collapseWhitespace(current.text)) { parts.mediaTexts.append(text) }
            default:
                break
            }
        }
    }

    // MARK: Atom

    mutating func readAtom(_ root: XMLTreeNode) -> FeedResult {
        func key(_ node: XMLTreeNode) -> String {
            let full = FeedName.key(node)
            return full.hasPrefix("atom:") ? String(full.dropFirst(5)) : full
        }
        var feedTitle: String?
        var feedAuthor: (name: String?, url: String?)?
        let feedLanguage = root.attribute("lang", namespace: "http://www.w3.org/XML/1998/namespace")
        var entries: [XMLTreeNode] = []
        for child in root.children {
            switch key(child) {
            case "title": feedTitle = Self.atomText(child).text.flatMap(nonEmpty)
            case "author": feedAuthor = Self.atomPerson(child, key: key)
            case "entry": entries.append(child)
            default: break
            }
        }
        var items: [Item] = []
        for (index, entry) in Self.capped(entries, feedURL: feedURL, warnings: &warnings).enumerated() {
            var parts = EntryParts()
            parts.language = entry.attribute("lang", namespace: "http://www.w3.org/XML/1998/namespace") ?? feedLanguage
            var published: String?
            var updated: String?
            var base = entry.baseURI
            for child in entry.children {
                switch key(child) {
                case "title":
                    parts.title = Self.atomText(child).text.flatMap { nonEmpty(collapseWhitespace($0)) }
                case "link":
                    let rel = child.attribute("rel") ?? "alternate"
                    guard let href = child.attribute("href").flatMap(nonEmpty) else { continue }
                    let resolved = URL(string: href, relativeTo: child.baseURI.flatMap { URL(string: $0) })?.absoluteString ?? href
                    if rel == "alternate" {
                        if parts.link == nil { parts.link = resolved }
                        base = resolved
                    } else if rel == "enclosure" {
                        parts.mediaURLs.append(resolved)
                    }
                case "id":
                    parts.guid = nonEmpty(child.text)
                case "author":
                    if parts.authorName == nil {
                        let person = Self.atomPerson(child, key: key)
                        parts.authorName = person.name
                        parts.authorURL = person.url
                    }
                case "dc:creator":
                    if parts.authorName == nil { parts.authorName = Self.personName(child.text) }
                case "published", "issued":
                    published = nonEmpty(child.text)
                case "updated", "modified":
                    updated = nonEmpty(child.text)
                case "summary":
                    let text = Self.atomText(child)
                    parts.descriptionHTML = text.markup.map { ($0, text.isHTML) }
                case "content":
                    let text = Self.atomText(child)
                    parts.contentHTML = text.markup.map { ($0, text.isHTML) }
                    if let source = child.attribute("src").flatMap(nonEmpty) { parts.mediaURLs.append(source) }
                case "category":
                    if let term = (child.attribute("label") ?? child.attribute("term")).flatMap({ nonEmpty(collapseWhitespace($0)) }) {
                        parts.categories.append(term)
                    }
                case "media:group", "media:content", "media:thumbnail":
                    readMedia(child, into: &parts)
                case "media:description", "media:title":
                    if let text = nonEmpty(collapseWhitespace(child.text)) { parts.mediaTexts.append(text) }
                default:
                    break
                }
            }
            parts.dateText = published ?? updated
            if parts.link == nil, let guid = parts.guid, guid.lowercased().hasPrefix("http") { parts.link = guid }
            if parts.authorName == nil {
                parts.authorName = feedAuthor?.name
                parts.authorURL = parts.authorURL ?? feedAuthor?.url
            }
            if let item = makeItem(parts, index: index, feedTitle: feedTitle, base: base) {
                items.append(item)
            }
        }
        return FeedResult(format: .atom, title: feedTitle, items: items, warnings: warnings)
    }

    /// An Atom text construct: its markup (HTML for `html` and `xhtml`, else plain text).
    /// Atom 0.3's `mode="base64"` is decoded first (its titles came out raw before), and its
    /// `mode="escaped"` is HTML.
    private static func atomText(_ node: XMLTreeNode) -> (markup: String?, isHTML: Bool, text: String?) {
        let type = node.attribute("type")?.lowercased()
        switch node.attribute("mode")?.lowercased() {
        case "base64":
            guard let data = Data(base64Encoded: node.text, options: .ignoreUnknownCharacters) else { return (nil, false, nil) }
            let decoded = String(decoding: data, as: UTF8.self)
            if let type, type.contains("html") {
                return (decoded, true, FragmentText(html: decoded, baseURL: nil).text)
            }
            return (decoded, false, decoded)
        case "escaped" where type == nil || type?.contains("html") == true:
            let markup = node.text
            return (markup, true, FragmentText(html: markup, baseURL: nil).text)
        default:
            break
        }
        switch type {
        case "html", "text/html":
            let markup = node.text
            return (markup, true, FragmentText(html: markup, baseURL: nil).text)
        case "xhtml", "application/xhtml+xml":
            // The content is one xhtml:div whose children are the text.
            let container = node.children.first { $0.localName == "div" } ?? node
            let markup = container.innerMarkup
            return (markup, true, FragmentText(html: markup, baseURL: nil).text)
        default:
            let text = node.text
            return (text, false, text)
        }
    }

    private static func atomPerson(_ node: XMLTreeNode, key: (XMLTreeNode) -> String) -> (name: String?, url: String?) {
        var name: String?
        var url: String?
        for child in node.children {
            switch key(child) {
            case "name": name = nonEmpty(collapseWhitespace(child.text))
            case "uri": url = nonEmpty(child.text)
            default: break
            }
        }
        return (name, url)
    }

    /// RSS `author` is "email (Name)" or "Name <email>" or just a name.
    /// The first `maxEntries` entries; a feed with more gets a warning saying so.
    static func capped<Entry>(_ entries: [Entry], feedURL: String, warnings: inout [String]) -> ArraySlice<Entry> {
        if entries.count > FeedExtractor.maxEntries {
            warnings.append("\(feedURL): the feed has \(entries.count) entries; only the first \(FeedExtractor.maxEntries) were read")
        }
        return entries.prefix(FeedExtractor.maxEntries)
    }

    static func personName(_ raw: String) -> String? {
        let text = collapseWhitespace(raw)
        if let open = text.firstIndex(of: "("), let close = text.lastIndex(of: ")"), open < close {
            let inside = text[text.index(after: open)..<close]
            if let name = nonEmpty(String(inside)) { return name }
        }
        if let open = text.firstIndex(of: "<"), text.hasSuffix(">") {
            if let name = nonEmpty(String(text[..<open])) { return name }
        }
        return nonEmpty(text)
    }

    // MARK: Items

    private mutating func makeItem(_ parts: EntryParts, index: Int, feedTitle: String?, base: String?) -> Item? {
        let baseURL = URL(string: base ?? feedURL, relativeTo: URL(string: feedURL)) ?? URL(string: feedURL)
        let link = parts.link.flatMap { URL(string: $0, relativeTo: baseURL)?.absoluteString }
        let label = parts.title.map { "'\($0.prefix(60))'" } ?? "\(index + 1)"

        let content = parts.contentHTML.map { Self.fragment($0, base: link ?? base) }
        let summary = parts.descriptionHTML.map { Self.fragment($0, base: link ?? base) }
        var body = content?.text ?? summary?.text ?? ""
        var description = content != nil ? summary.flatMap { nonEmpty($0.text) } : nil
        if description == body { description = nil }
        for text in parts.mediaTexts where !body.contains(text) {
            if body.isEmpty { body = text } else if description == nil { description = text } else { body += "\n" + text }
        }
        var imageAlts = parts.mediaImageAlts
        for alt in (content?.imageAlts ?? []) + (summary?.imageAlts ?? []) where !imageAlts.contains(alt) {
            imageAlts.append(alt)
        }
        var links: [Link] = []
        for found in (content?.links ?? []) + (summary?.links ?? []) where !links.contains(found) {
            links.append(found)
        }

        guard parts.title != nil || !body.isEmpty || link != nil else {
            warnings.append("\(feedURL): entry \(index + 1) has no title, link or text; skipped")
            return nil
        }

        var published: Date?
        if let dateText = parts.dateText {
            published = parseFeedDate(dateText)
            if published == nil {
                warnings.append("\(feedURL): entry \(label): cannot read the date '\(dateText.prefix(60))'")
            }
        }

        var metadata: [String: String] = ["feed_url": feedURL]
        if let feedTitle { metadata["feed_title"] = feedTitle }
        if let guid = parts.guid { metadata["guid"] = guid }
        if !parts.categories.isEmpty { metadata["categories"] = parts.categories.joined(separator: "; ") }
        if !parts.mediaURLs.isEmpty { metadata["media_urls"] = parts.mediaURLs.joined(separator: " ") }

        let tagLike = parts.categories.filter(Self.looksLikeTag)
        var hashtagSources = [body]
        hashtagSources.append(contentsOf: [parts.title, description].compactMap { $0 })
        hashtagSources.append(contentsOf: imageAlts)
        let hashtags = mergeHashtags(tagLike, Hashtags.find(in: hashtagSources))

        let sourceURL = link ?? "\(feedURL)#\(Self.fragmentIdentifier(parts.guid) ?? "item-\(index + 1)")"
        let author = Author(name: parts.authorName, profileURL: parts.authorURL)
        return Item(
            sourceURL: sourceURL,
            canonicalURL: link,
            platform: "feed",
            author: author.isEmpty ? nil : author,
            publishedAt: published,
            language: parts.language,
            title: parts.title,
            description: description,
            body: body,
            imageAlts: imageAlts,
            links: links,
            hashtags: hashtags,
            metadata: metadata
        )
    }

    private static func fragment(_ html: (markup: String, isHTML: Bool), base: String?) -> FragmentText {
        if html.isHTML { return FragmentText(html: html.markup, baseURL: base) }
        var plain = FragmentText(html: "", baseURL: nil)
        plain.text = html.markup.split(whereSeparator: \.isNewline)
            .compactMap { nonEmpty(collapseWhitespace(String($0))) }
            .joined(separator: "\n")
        return plain
    }

    /// A category that reads as a tag: one word of letters, digits or underscores (an optional
    /// leading `#`), such as `Pilkada2024`; "Berita Daerah" is a category, not a tag.
    static func looksLikeTag(_ category: String) -> Bool {
        let word = category.hasPrefix("#") ? String(category.dropFirst()) : category
        guard !word.isEmpty, word.count <= 64 else { return false }
        return word.unicodeScalars.allSatisfy(Hashtags.isWordScalar)
    }

    static func fragmentIdentifier(_ guid: String?) -> String? {
        guard let guid, !guid.isEmpty else { return nil }
        return guid.addingPercentEncoding(withAllowedCharacters: .urlFragmentAllowed)
    }
}
