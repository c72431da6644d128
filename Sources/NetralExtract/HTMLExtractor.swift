internal import CLibXML2
import Foundation
public import NetralModel

/// Turns an HTML capture into items: one `Item` for the page, or, with a `SiteProfile`, one
/// item per post the profile's XPath selects.
///
/// ## Main text versus boilerplate
///
/// The page is read in one iterative pass over libxml2's tree (`PageWalk`), then the main
/// content is chosen by content scoring in the spirit of Mozilla's Readability, with the
/// boilerplate signals trafilatura and jusText use:
///
/// 1. **Never text**: `script`, `style`, `noscript`, `template`, `svg`, `iframe`, form controls,
///    `<title>`, and elements that are `hidden` or `display:none` inline are not read at all.
/// 2. **Boilerplate regions** are marked, not deleted: `nav`, `menu` and `button`; `header`,
///    `footer` and `aside` outside any `article`/`main`; ARIA chrome roles (navigation, banner,
///    contentinfo, complementary, search, dialog); and elements whose `class` or `id` holds a
///    strong negative hint (comment, share, social, related, cookie, consent, newsletter,
///    breadcrumb, pagination, advert, sponsor, popup, and the Indonesian komentar, bagikan,
///    terkait, baca-juga, iklan) or a weak one (sidebar, footer, menu, nav, header, banner, widget)
///    without a positive one (article, content, entry, post, story, text, body, blog, artikel,
///    konten, berita). Author hints (author, byline, penulis) protect an element whatever else it
///    says, so an `author-bio` or `author-box` inside the article stays in the body: ASN identity
///    such as "Camat Sungai Jernih" often lives there.
/// 3. **Scoring**: every block with 25 or more characters of its own text outside boilerplate
///    scores 1 + its commas + one point per 100 characters (at most 3). The score goes in full to
///    its parent, half to its grandparent, and score / (3 × level) to three more ancestors.
///    Each container starts from a tag bonus (div +5; pre, td, blockquote +3; lists and forms -3;
///    headings -5) plus its class weight (+25 positive, -25 negative), and its total is scaled by
///    1 − link density (text inside links / all text), so link lists and menus sink.
/// 4. **Choice**: the best container, promoted to its nearest `<article>` ancestor so the heading
///    and the author box stay with the text, plus siblings that score at least a fifth of it (and
///    10) or are paragraphs of more than 80 characters with link density under 0.25.
/// 5. **Fallbacks**, recall before precision (a missed campaign sentence costs more than some
///    extra text): no scored block, or a choice under a quarter of the page's non-boilerplate,
///    non-link text and under 1,000 characters (a timeline of short posts), reads the whole
///    `<body>` without its boilerplate; a body left empty by that reads the whole `<body>` with it.
///
/// `Item.body` is the chosen text with boilerplate regions cut out; links and image alt texts come
/// from the same region; title, description, author, dates, language and canonical URL come from
/// the head (`<title>`, metas, `og:*`, `twitter:*`, `article:*`) and JSON-LD.
public struct HTMLExtractor: Sendable {
    public init() {}

    /// One item for the whole page.
    public func extract(_ capture: Capture) throws -> Item {
        let document = try HTMLDocument(bytes: capture.body, url: capture.finalURL, encoding: capture.declaredCharset)
        return PageReader(document: document, capture: capture).item()
    }

    /// With a profile, one item per node the profile's `item` expression selects; without one,
    /// or when the profile selects nothing on this page (the site changed its layout), or when
    /// the selected items nest so deeply that reading each would be quadratic (a hostile page),
    /// the one page item, so no text is ever lost.
    ///
    /// - Throws: `ExtractError` when the page cannot be parsed or a selector fails to evaluate.
    public func extract(_ capture: Capture, profile: SiteProfile?) throws -> [Item] {
        let document = try HTMLDocument(bytes: capture.body, url: capture.finalURL, encoding: capture.declaredCharset)
        let reader = PageReader(document: document, capture: capture)
        let page = reader.item()
        guard let profile else { return [page] }
        let items = try ProfileReader(
            profile: profile, document: document, capture: capture, page: page, base: reader.resolver,
            elementCount: reader.page.records.count
        ).items()
        guard let items, !items.isEmpty else { return [page] }
        return items
    }
}

/// Resolves `href`s against the page's base URL (`<base href>` or the final URL).
struct URLResolver {
    let base: URL?

    init(pageURL: String, baseHref: String?) {
        let page = URL(string: pageURL)
        if let baseHref, let base = URL(string: baseHref.trimmingCharacters(in: .whitespacesAndNewlines), relativeTo: page) {
            self.base = base.absoluteURL
        } else {
            self.base = page
        }
    }

    /// An absolute URL, or nil for fragments, `javascript:` and `data:` links and unparseable ones.
    func resolve(_ href: String) -> String? {
        let trimmed = href.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !trimmed.isEmpty, !trimmed.hasPrefix("#") else { return nil }
        let lower = trimmed.prefix(11).lowercased()
        if lower.hasPrefix("javascript:") || lower.hasPrefix("data:") { return nil }
        // Absolute http(s) URLs of plain printable ASCII are already what URL would return.
        if lower.hasPrefix("https://") || lower.hasPrefix("http://"),
           trimmed.utf8.allSatisfy({ $0 > 0x20 && $0 < 0x7F && $0 != UInt8(ascii: "\\") }) {
            return trimmed
        }
        return URL(string: trimmed, relativeTo: base)?.absoluteString
    }
}

/// Builds the page item from one `PageWalk` and its `MainContent`.
struct PageReader {
    let capture: Capture
    let page: PageWalk
    let main: MainContent
    let resolver: URLResolver
    let jsonLD: JSONLDArticle?

    init(document: HTMLDocument, capture: Capture) {
        self.capture = capture
        if let root = xmlDocGetRootElement(document.raw) {
            page = PageWalk(root: root, expectedTextSize: capture.body.count / 3)
        } else {
            page = PageWalk.empty
        }
        main = MainContent(page)
        resolver = URLResolver(pageURL: capture.finalURL, baseHref: page.baseHref)
        jsonLD = JSONLD.article(in: page.jsonLD)
    }

    /// Meta names that carry a publication date, in the order they are trusted.
    static let dateMetas = [
        "article:published_time", "og:published_time", "datepublished", "date", "dc.date", "dc.date.issued",
        "dcterms.created", "pubdate", "publishdate", "publish-date", "publish_date", "sailthru.date", "parsely-pub-date",
    ]

    func item() -> Item {
        let metas = page.metas
        let title = page.title ?? metas["og:title"] ?? jsonLD?.headline ?? metas["twitter:title"]
        let description = metas["description"] ?? metas["og:description"] ?? jsonLD?.description ?? metas["twitter:description"]

        var body = main.text
        if let articleBody = jsonLD?.articleBody, body.count * 2 < articleBody.count {
            // The publisher's own statement of the main text beats a page that renders it with
            // scripts (or hides it from our scoring).
            body = articleBody
        }

        var imageAlts: [String] = []
        for (record, node) in page.images where main.kept[Int(record)] {
            if let alt = attributeValue(node, "alt"), let text = nonEmpty(collapseWhitespace(String(cString: alt))) {
                imageAlts.append(text)
            }
        }
        var links: [Link] = []
        for (record, node) in page.anchors where main.kept[Int(record)] {
            guard let href = attributeValue(node, "href"), let url = resolver.resolve(String(cString: href)) else { continue }
            let element = page.records[Int(record)]
            links.append(Link(url: url, text: page.text.string(from: Int(element.start), to: Int(element.end), singleLine: true)))
        }

        var hashtagSources = [body]
        hashtagSources.append(contentsOf: [title, description].compactMap { $0 })
        hashtagSources.append(contentsOf: imageAlts)

        var metadata: [String: String] = [:]
        for (key, value) in metas where key.hasPrefix("og:") || key.hasPrefix("twitter:") || key.hasPrefix("article:") {
            metadata[key] = value
        }
        if let jsonLD {
            metadata["jsonld:type"] = jsonLD.type
            metadata["jsonld:headline"] = jsonLD.headline
            metadata["jsonld:datePublished"] = jsonLD.datePublished
            if !jsonLD.authorNames.isEmpty { metadata["jsonld:author"] = jsonLD.authorNames.joined(separator: ", ") }
        }

        return Item(
            sourceURL: capture.finalURL,
            canonicalURL: page.canonicalHref.flatMap(resolver.resolve) ?? metas["og:url"],
            platform: "web",
            author: author(),
            publishedAt: publishedAt(),
            language: language(),
            title: title,
            description: description,
            body: body,
            imageAlts: imageAlts,
            links: links,
            hashtags: Hashtags.find(in: hashtagSources),
            metadata: metadata
        )
    }

    func author() -> Author? {
        let metas = page.metas
        var author = Author()
        let articleAuthor = metas["article:author"]
        let articleAuthorIsURL = articleAuthor.map { $0.hasPrefix("http://") || $0.hasPrefix("https://") } ?? false
        author.name = metas["author"]
            ?? (jsonLD?.authorNames.isEmpty == false ? jsonLD?.authorNames.joined(separator: ", ") : nil)
            ?? (articleAuthorIsURL ? nil : articleAuthor)
            ?? metas["twitter:creator"]
        if let creator = metas["twitter:creator"], creator.hasPrefix("@") { author.handle = creator }
        author.profileURL = (articleAuthorIsURL ? articleAuthor : nil) ?? jsonLD?.authorURL.flatMap(resolver.resolve)
        if let box = page.records.indices.first(where: { page.records[$0].isAuthorBox && main.kept[$0] }) {
            let record = page.records[box]
            author.bio = nonEmpty(page.text.string(from: Int(record.start), to: Int(record.end), singleLine: true))
        }
        return author.isEmpty ? nil : author
    }

    /// The first publication date that is not after the fetch (plus a day of clock skew): a
    /// date in the future is a template default or a lie, never evidence.
    func publishedAt() -> Date? {
        let latest = capture.fetchedAt.addingTimeInterval(86_400)
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
        return candidates.lazy.compactMap(parseTimestamp).first { $0 <= latest }
    }

    func language() -> String? {
        if let language = page.language { return language }
        if let language = page.metas["content-language"] ?? jsonLD?.inLanguage { return language }
        return page.metas["og:locale"].map { $0.replacingOccurrences(of: "_", with: "-") }
    }
}

/// Builds visible text: whitespace runs collapse to one space, block boundaries become newlines.
struct TextAccumulator {
    private var paragraphs: [String] = []
    private var current = ""

    mutating func append(_ raw: String) {
        let collapsed = collapseWhitespace(raw, keepEdges: true)
        if collapsed.isEmpty { return }
        if current.hasSuffix(" ") && collapsed.hasPrefix(" ") {
            current += collapsed.dropFirst()
        } else {
            current += collapsed
        }
    }

    mutating func breakParagraph() {
        let trimmed = current.trimmingCharacters(in: .whitespaces)
        if !trimmed.isEmpty { paragraphs.append(trimmed) }
        current = ""
    }

    var result: String {
        var all = paragraphs
        let trimmed = current.trimmingCharacters(in: .whitespaces)
        if !trimmed.isEmpty { all.append(trimmed) }
        return all.joined(separator: "\n")
    }
}

/// Collapses every run of whitespace (including non-breaking spaces) to one space.
func collapseWhitespace(_ text: String, keepEdges: Bool = false) -> String {
    var result = ""
    result.reserveCapacity(text.utf8.count)
    var pendingSpace = false
    for scalar in text.unicodeScalars {
        if scalar.properties.isWhitespace || scalar == "\u{00A0}" {
            pendingSpace = true
        } else {
            if pendingSpace && (keepEdges || !result.isEmpty) { result.unicodeScalars.append(" ") }
            pendingSpace = false
            result.unicodeScalars.append(scalar)
        }
    }
    if pendingSpace && keepEdges { result.unicodeScalars.append(" ") }
    return result
}

func nonEmpty(_ text: String) -> String? {
    let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
    return trimmed.isEmpty ? nil : trimmed
}

/// Finds `#hashtags`: a `#` at a word start followed by letters, digits or underscores.
public enum Hashtags {
    public static func find(in texts: [String]) -> [String] {
        var seen = Set<String>()
        var result: [String] = []
        for text in texts where text.utf8.contains(UInt8(ascii: "#")) {
            let scalars = text.unicodeScalars
            var index = scalars.startIndex
            var previous: Unicode.Scalar?
            while index < scalars.endIndex {
                let scalar = scalars[index]
                if scalar == "#", previous.map({ !isWordScalar($0) }) ?? true {
                    var end = scalars.index(after: index)
                    while end < scalars.endIndex, isWordScalar(scalars[end]) { end = scalars.index(after: end) }
                    if end > scalars.index(after: index) {
                        let value = String(scalars[index..<end])
                        if seen.insert(value.lowercased()).inserted { result.append(value) }
                        previous = scalars[scalars.index(before: end)]
                    } else {
                        previous = scalar
                    }
                    index = end
                } else {
                    previous = scalar
                    index = scalars.index(after: index)
                }
            }
        }
        return result
    }

    static func isWordScalar(_ scalar: Unicode.Scalar) -> Bool {
        if scalar.value < 0x80 {
            let value = scalar.value
            return (value >= 0x30 && value <= 0x39) || (value >= 0x41 && value <= 0x5A) || (value >= 0x61 && value <= 0x7A) || value == 0x5F
        }
        return scalar.properties.isAlphabetic || scalar.properties.numericType != nil || scalar == "_"
    }
}

private extension Array {
    func appending(contentsOf other: [Element]) -> [Element] { self + other }
}
