internal import CLibXML2
import Foundation
public import NetralModel

/// Turns an HTML capture into items: one `Item` for the page, or, with a `SiteProfile`, one
/// item per post the profile's XPath selects.
///
/// ## Main text versus boilerplate
///
/// The page is read in one iterative pass over libxml2's tree (`PageWalk`, a visitor of the
/// one `TreeWalker`), then the main content is chosen by content scoring in the spirit of
/// Mozilla's Readability, with the boilerplate signals trafilatura and jusText use:
///
/// 1. **Never text**: `script`, `style`, `noscript` (but see 6), `template`, `svg`, `iframe`,
///    form controls, `<title>`, and elements that are `hidden` or `display:none` inline are not
///    read at all.
/// 2. **Boilerplate regions** are marked, not deleted, after the walk (`MainContent.classify`):
///    - by structure, whatever the text: `nav`, `menu` and `button`; `header`, `footer` and
///      `aside` outside any `article`/`main`; ARIA chrome roles (navigation, banner, contentinfo,
///      complementary, search, dialog);
///    - by class and id words, matched as whole words of a token (`-`, `_` and spaces separate
///      words; never a substring, so `commentary` is not `comment`), in three strengths
///      (`ClassHints`): decisive words (comment, related, cookie, advert, breadcrumb, tag,
///      baca-juga, terkait, iklan, ...) always; soft words (share, social, bagikan) unless a
///      strong positive (article, content, entry, main, isi, konten, ...) is also there, so
///      `entry-content no-share` is content; weak words (sidebar, footer, menu, header, banner,
///      widget, ...) unless any positive (also post, text, blog, berita) is there.
///    `<body>`, `<html>`, `<article>` and `<main>` never start a region on a class word, nor
///    does an element around the page's main landmark (the `<article>` or `<main>` with the
///    most text: `<div id="ad-portal">` wrapping the whole page), and
///    author hints (author, byline, penulis) protect an element whatever else it says, so an
///    `author-bio` inside the article stays in the body: ASN identity such as "Camat Sungai
///    Jernih" often lives there.
/// 3. **Scoring**: every block with 25 or more characters of its own text outside boilerplate
///    scores 1 + its commas + one point per 100 characters (at most 3). The score goes in full to
///    its parent, half to its grandparent, and score / (3 × level) to three more ancestors. A
///    `div` whose own text sits beside child blocks (lines split by `<br>` next to a `<p>`) holds
///    paragraphs of its own, as Readability wraps them, and takes the full score itself.
///    Each container starts from a tag bonus (div +5; pre, td, blockquote +3; lists and forms -3;
///    headings -5) plus its class weight (+25 positive, -25 negative), and its total is scaled by
///    1 − link density (text inside links / all text), so link lists and menus sink.
/// 4. **The text overrules soft and weak class words**: the page is scored a second time with
///    only structure and decisive words marking boilerplate. When the best block found so is
///    inside a soft- or weak-word region and scores more than twice the best block of the first
///    scoring, the regions around it are wrappers (`with-sidebar-right karma-below-banner`
///    around the whole page), not boilerplate, and the page is scored again without them.
///    Decisive words are never overruled: a long comment thread must not become the article.
/// 5. **Choice**: the best container, raised through parents of which it is the only child (an
///    article split into wrapped sections), promoted to its nearest `<article>` ancestor so the
///    heading and the author box stay with the text, plus siblings that score at least a fifth of
///    it (and 10) or are paragraphs of more than 80 characters with link density under 0.25.
///    Inside a promoted `<article>`, kicker labels before the best block ("VIVALIFE", a block of
///    at most 30 characters) are cut; the lead photo and its caption stay (a caption names who is
///    in the photo). Inside the choice, link-heavy containers (`cutLinkBlocks`) and runs of three
///    or more lines that are each one link of three or more words (a "Jangan Lewatkan" list
///    written with `<br>`s) are cut, and so is the first heading that repeats the title (the
///    headline is `Item.title`, Readability's `_headerDuplicatesTitle`).
/// 6. **Fallbacks**, recall before precision (a missed campaign sentence costs more than some
///    extra text): no scored block, or a choice under a quarter of the page's non-boilerplate,
///    non-link text and under 1,000 characters (a timeline of short posts), reads the whole
///    `<body>` without its boilerplate; a body left empty by that reads the whole `<body>` with it.
///    A main text under 500 bytes on a page with `<noscript>` is read again with `<noscript>`
///    visible (an article a script renders for browsers), and that reading wins when it gives
///    more than twice the text.
/// 7. **Widget lines**: short lines that say what widgets say (view counters "telah dilihat N
///    kali", "Tweets by @…", closed-comment notices, e-mail sign-up prompts, related-list labels
///    "Baca juga:", "Jangan Lewatkan", "Berita Terkait", copyright lines) are dropped from the
///    body whatever their markup (`BoilerplateLines`), and so are credit lines ("Pewarta: …", or
///    "Penulis" and ": name" on two lines) and datelines ("Kamis, 5 November 2015 14:56 WIB |
///    1.229 Views"), which `author` and `publishedAt` read.
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

    /// Parses the page exactly as `extract(_:)` does (encoding decision, conversion to UTF-8,
    /// libxml2's parse) and frees the tree without reading it: the in-process floor that
    /// `netral-bench` measures extraction against.
    public func parseOnly(_ capture: Capture) throws {
        _ = try HTMLDocument(bytes: capture.body, url: capture.finalURL, encoding: capture.declaredCharset)
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
    /// `scheme://host[:port]` of an http(s) base without user info, for root-relative links.
    let origin: String?

    init(pageURL: String, baseHref: String?) {
        let page = URL(string: pageURL)
        if let baseHref = baseHref.flatMap(nonEmpty), let base = URL(string: baseHref, relativeTo: page) {
            self.base = base.absoluteURL
        } else {
            self.base = page
        }
        origin = URLResolver.origin(of: base)
    }

    /// An absolute URL, or nil for fragments, `javascript:` and `data:` links and unparseable ones.
    ///
    /// Two common forms skip Foundation's URL parser, which costs more than parsing the page's
    /// HTML for a link-heavy page: absolute http(s) URLs and root-relative paths (`/a/b?c`), both
    /// of plain printable ASCII without dot segments, which `URL` would return unchanged.
    func resolve(_ href: String) -> String? {
        guard let trimmed = nonEmpty(href), !trimmed.hasPrefix("#") else { return nil }
        let plain = trimmed.utf8.allSatisfy { $0 > 0x20 && $0 < 0x7F && $0 != UInt8(ascii: "\\") }
        if plain {
            if trimmed.hasPrefix("https://") || trimmed.hasPrefix("http://") { return trimmed }
            if let origin, trimmed.hasPrefix("/"), !trimmed.hasPrefix("//"), !URLResolver.hasDotSegment(trimmed) {
                return origin + trimmed
            }
        }
        let lower = trimmed.prefix(11).lowercased()
        if lower.hasPrefix("javascript:") || lower.hasPrefix("data:") { return nil }
        return URL(string: trimmed, relativeTo: base)?.absoluteString
    }

    private static func origin(of base: URL?) -> String? {
        guard let base, let scheme = base.scheme?.lowercased(), scheme == "http" || scheme == "https",
              let host = base.host, !host.isEmpty, base.user == nil,
              host.utf8.allSatisfy({ $0 > 0x20 && $0 < 0x7F && $0 != UInt8(ascii: "@") && $0 != UInt8(ascii: ":") })
        else { return nil }
        return "\(scheme)://\(host)" + (base.port.map { ":\($0)" } ?? "")
    }

    /// Whether the path part (before `?` or `#`) has a `.` or `..` segment.
    static func hasDotSegment(_ path: String) -> Bool {
        var segmentLength = 0
        var dots = 0
        for byte in path.utf8 {
            if byte == UInt8(ascii: "?") || byte == UInt8(ascii: "#") { break }
            if byte == UInt8(ascii: "/") {
                if segmentLength > 0, segmentLength == dots, dots <= 2 { return true }
                segmentLength = 0
                dots = 0
            } else {
                segmentLength += 1
                if byte == UInt8(ascii: ".") { dots += 1 }
            }
        }
        return segmentLength > 0 && segmentLength == dots && dots <= 2
    }
}

/// Builds the page item from one `PageWalk` and its `MainContent`.
struct PageReader {
    /// The parsed page (a site profile reads it again). `page` holds it too: its raw node
    /// pointers (`anchors`, `images`, `times`), read by `item()` after the walk, stay valid for
    /// as long as the walk exists.
    let document: HTMLDocument
    let capture: Capture
    private(set) var page: PageWalk
    private(set) var main: MainContent
    let resolver: URLResolver
    let jsonLD: JSONLDArticle?
    /// The headline (`computeTitle`), computed once: dates and bylines are looked for below it.
    private(set) var title: String?

    init(document: HTMLDocument, capture: Capture) {
        self.document = document
        self.capture = capture
        var walk = PageWalk(document: document, documentSize: capture.body.count)
        var content = MainContent(&walk)
        if walk.noscriptCount > 0, content.text.utf8.count < PageReader.shortText {
            // A page whose article sits in <noscript> (a script renders it for browsers): read
            // the page again with <noscript> visible and keep that when it gives much more.
            var again = PageWalk(document: document, documentSize: capture.body.count, readsNoscript: true)
            let retry = MainContent(&again)
            if retry.text.utf8.count > 2 * content.text.utf8.count + 100 {
                walk = again
                content = retry
            }
        }
        main = content
        page = walk
        resolver = URLResolver(pageURL: capture.finalURL, baseHref: page.baseHref)
        jsonLD = JSONLD.article(in: page.jsonLD)
        title = computeTitle()
        if let title { main.cutHeadline(like: title, in: &page) }
    }

    /// Main text shorter than this (in bytes) sends the reader to the `<noscript>` fallback.
    static let shortText = 500

    /// Meta names that carry the headline, in Readability's order of trust.
    static let titleMetas = [
        "dc:title", "dc.title", "dcterms.title", "dcterm:title", "og:title", "weibo:article:title", "weibo:webpage:title",
        "title", "twitter:title", "parsely-title",
    ]

    /// Meta names that carry a publication date, in the order they are trusted.
    static let dateMetas = [
        "article:published_time", "og:published_time", "datepublished", "date", "dc.date", "dc.date.issued",
        "dcterms.created", "pubdate", "publishdate", "publish-date", "publish_date", "sailthru.date", "parsely-pub-date",
    ]

    func item() -> Item {
        let metas = page.metas
        let title = self.title
        let description = metas["description"] ?? metas["og:description"] ?? jsonLD?.description ?? metas["twitter:description"]

        // Widget lines, credit lines ("Pewarta: …", "Editor: …") and datelines are not the
        // article's text; the author's name and the date are read into `author` and
        // `publishedAt` from the page.
        var body = BoilerplateLines.removing(from: main.text, also: { line, next in
            let credit = BylineText.creditLineCount(line, next: next)
            return credit > 0 ? credit : (VisibleDate.isDateLine(line) ? 1 : 0)
        }, screen: { line in
            BylineText.mayBeCreditLine(line)
                || (line.count <= 320 && VisibleDate.mayStartDateLine(line) && PageReader.hasFourDigits(line))
        })
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
        if let siteName { metadata["site_name"] = siteName }
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

    /// The site's own name, as the page declares it: never an author, never part of the title.
    var siteName: String? {
        page.metas["og:site_name"] ?? page.metas["application-name"] ?? jsonLD?.publisherName
    }

    /// The texts of the page's `<h1>` elements outside boilerplate.
    var headingTexts: [String] {
        page.headings.filter { !isInBoilerplate($0) }.map { record in
            let element = page.records[Int(record)]
            return page.text.string(from: Int(element.start), to: Int(element.end), singleLine: true)
        }
    }

    func isInBoilerplate(_ record: Int32) -> Bool {
        var index = record
        while index >= 0 {
            if page.records[Int(index)].startsBoilerplate { return true }
            index = page.records[Int(index)].parent
        }
        return false
    }

    /// The headline: the first declared title in readability's order of trust (JSON-LD
    /// `headline`, Dublin Core, `og:title`, `twitter:title`, then `<title>`), without the site's
    /// name around it (`PageTitle`).
    func computeTitle() -> String? {
        let metas = page.metas
        // A JSON-LD headline that shares no word with the page's other titles is a tagline
        // (Wikipedia's "constitutional monarchy in Oceania"), not the headline.
        let other = [metas["og:title"], page.title].compactMap { $0 }.joined(separator: " ").lowercased()
        // With both a `headline` and a different `name`, the one the page's titles repeat is
        // the headline (Readability's rule): Wikipedia's `name` is the article's title and its
        // `headline` a description sharing a word with it; a news site's `name` is often its
        // own, which its titles repeat too, so `name` wins only when `headline` is not repeated.
        var jsonTitle = jsonLD?.headline
        if let name = jsonLD?.otherName, let headline = jsonTitle, !other.isEmpty,
           PageTitle.wordShare(of: name, in: other) >= 0.75, PageTitle.wordShare(of: headline, in: other) < 0.75 {
            jsonTitle = name
        }
        let headline = jsonTitle.flatMap { headline in
            other.isEmpty || headline.lowercased().split(separator: " ").contains { $0.count > 3 && other.contains($0) } ? headline : nil
        }
        let declaredInMetas = headline ?? PageReader.titleMetas.lazy.compactMap { metas[$0] }.first
        let headings = headingTexts
        // A `<title>` element is read as Readability reads it (its last part is usually the
        // site or a section); the site's name is then taken off either kind of title.
        let declared = declaredInMetas ?? page.title.map { title in
            let printed = (page.headings + page.secondHeadings).map { record in
                let element = page.records[Int(record)]
                return page.text.string(from: Int(element.start), to: Int(element.end), singleLine: true)
            }
            return PageTitle.fromDocumentTitle(title, headings: printed, onlyHeading: page.headings.count == 1 ? printed.first : nil)
        }
        guard let declared else { return nil }
        let names = [metas["og:site_name"], metas["application-name"], jsonLD?.publisherName, metas["twitter:site"]].compactMap { $0 }
        return PageTitle.clean(declared, siteNames: names, host: URL(string: capture.finalURL)?.host, headings: headings)
    }

    /// Who wrote the page: the journalist, never the publisher.
    ///
    /// Candidates, first usable one wins: elements marked `itemprop="author"` or
    /// `rel="author"`; the author metas (`dc:creator`, `author`, `parsely-author`,
    /// `sailthru.author`); JSON-LD authors; a non-URL `article:author`; printed credit lines
    /// near the headline ("Oleh : Maya Sofia", "Pewarta: Nur Imansyah", "Penulis : Kontributor
    /// Lhokseumawe, Masriadi", "By Dan Goodin"); then elements with a byline class (last: on
    /// many sites that class also marks photo credits). A candidate
    /// is cleaned (`BylineText`) and refused when it names the site (the site name, the host's
    /// name, a domain: "Kompas Cyber Media" on kompas.com) or is a handle; `twitter:creator`
    /// only ever gives the handle.
    func author() -> Author? {
        let metas = page.metas
        var author = Author()
        let articleAuthor = metas["article:author"]
        let articleAuthorIsURL = articleAuthor.map { $0.hasPrefix("http://") || $0.hasPrefix("https://") } ?? false
        let siteNames = [metas["og:site_name"], metas["application-name"], jsonLD?.publisherName, metas["twitter:site"]].compactMap { $0 }
        let host = URL(string: capture.finalURL)?.host
        func usable(_ raw: String?) -> String? {
            guard let raw, let name = BylineText.clean(raw), !PageTitle.namesSite(name, siteNames: siteNames, host: host) else { return nil }
            return name
        }
        func text(of record: Int32) -> String {
            let element = page.records[Int(record)]
            if element.kind == .meta || element.kind == .link {
                return ""
            }
            return page.text.string(from: Int(element.start), to: Int(element.end), singleLine: true)
        }
        var candidates: [() -> String?] = []
        candidates.append { page.authorMarks.lazy.compactMap { usable(text(of: $0)) }.first }
        for key in ["dc:creator", "dc.creator", "dcterms.creator", "author", "parsely-author", "sailthru.author"] {
            candidates.append { usable(metas[key]) }
        }
        candidates.append { jsonLD.flatMap { json in usable(json.authorNames.joined(separator: ", ")) } }
        candidates.append { articleAuthorIsURL ? nil : usable(articleAuthor) }
        candidates.append { creditLines().lazy.compactMap(usable).first }
        candidates.append { page.bylineClasses.lazy.filter { !isInBoilerplate($0) }.compactMap { usable(text(of: $0)) }.first }
        author.name = candidates.lazy.compactMap { $0() }.first
        if author.name == nil, let declared = [metas["dc:creator"], metas["author"], jsonLD?.authorNames.first].compactMap({ $0 }).first,
           let name = BylineText.clean(declared), siteNames.contains(where: { PageTitle.normalize($0) == PageTitle.normalize(name) }),
           !PageTitle.namesSite(name, siteNames: [], host: host) {
            // A personal blog is named after its author: a declared author that is exactly the
            // site's name (and not the host's or a domain) is the author after all.
            author.name = name
        }
        if let creator = metas["twitter:creator"], creator.hasPrefix("@") { author.handle = creator }
        author.profileURL = (articleAuthorIsURL ? articleAuthor : nil) ?? jsonLD?.authorURL.flatMap(resolver.resolve)
        if let box = page.records.indices.first(where: { page.records[$0].isAuthorBox && main.kept[$0] }) {
            let record = page.records[box]
            author.bio = nonEmpty(page.text.string(from: Int(record.start), to: Int(record.end), singleLine: true))
        }
        return author.isEmpty ? nil : author
    }

    /// Printed credit lines near the headline and the main text: the name after "Oleh",
    /// "Penulis", "Pewarta", "Reporter", "Fotografer", "Kontributor", "By", "Written by"
    /// (a label alone on its line takes the next line).
    func creditLines() -> [String] {
        var names: [String] = []
        forEachLineNearHeadline { line, next in
            guard let first = line.first, BylineText.labelInitials.contains(first | 0x20) else { return false }
            let text = String(decoding: line, as: UTF8.self)
            if let name = BylineText.credit(in: text, next: next.map { String(decoding: $0, as: UTF8.self) }) { names.append(name) }
            return names.count >= 4
        }
        return names
    }

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

/// Collapses every run of whitespace (including non-breaking spaces) to one space. Works on
/// UTF-8 bytes: Foundation's and `Unicode.Scalar.Properties`' whitespace tests were a tenth of
/// the extraction time.
func collapseWhitespace(_ text: String, keepEdges: Bool = false) -> String {
    var copy = text
    return copy.withUTF8 { bytes -> String in
        var output: [UInt8] = []
        output.reserveCapacity(bytes.count)
        var pendingSpace = false
        var index = 0
        while index < bytes.count {
            let space = whitespaceLength(bytes, at: index)
            if space > 0 {
                pendingSpace = true
                index += space
                continue
            }
            if pendingSpace && (keepEdges || !output.isEmpty) { output.append(0x20) }
            pendingSpace = false
            output.append(bytes[index])
            index += 1
        }
        if pendingSpace && keepEdges { output.append(0x20) }
        if output.count == bytes.count && output.elementsEqual(bytes) { return text }
        return String(decoding: output, as: UTF8.self)
    }
}

/// `TextBuffer.whitespaceLength` for a bounded buffer (no NUL terminator to stop on).
@inline(__always)
func whitespaceLength(_ bytes: UnsafeBufferPointer<UInt8>, at index: Int) -> Int {
    let byte = bytes[index]
    if byte <= 0x20 { return 1 }
    if byte < 0xC2 || byte > 0xE3 { return 0 }
    let count = bytes.count
    let second = index + 1 < count ? bytes[index + 1] : 0
    let third = index + 2 < count ? bytes[index + 2] : 0
    switch byte {
    case 0xC2: return second == 0xA0 || second == 0x85 ? 2 : 0
    case 0xE1: return second == 0x9A && third == 0x80 ? 3 : 0
    case 0xE2:
        if second == 0x80 { return (third >= 0x80 && third <= 0x8A) || third == 0xA8 || third == 0xA9 || third == 0xAF ? 3 : 0 }
        return second == 0x81 && third == 0x9F ? 3 : 0
    case 0xE3: return second == 0x80 && third == 0x80 ? 3 : 0
    default: return 0
    }
}

/// The text without leading and trailing whitespace (as `collapseWhitespace` defines it), or nil
/// when nothing is left.
func nonEmpty(_ text: String) -> String? {
    var copy = text
    return copy.withUTF8 { bytes -> String? in
        var start = 0
        while start < bytes.count {
            let space = whitespaceLength(bytes, at: start)
            if space == 0 { break }
            start += space
        }
        guard start < bytes.count else { return nil }
        // Scan forward for the end of the last non-space run; multi-byte spaces cannot be
        // recognised backwards without decoding.
        var end = start
        var index = start
        while index < bytes.count {
            let space = whitespaceLength(bytes, at: index)
            if space > 0 {
                index += space
            } else {
                index += 1
                end = index
            }
        }
        if start == 0 && end == bytes.count { return text }
        return String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<end]), as: UTF8.self)
    }
}

/// Finds `#hashtags`: a `#` at a word start followed by letters, digits or underscores.
public enum Hashtags {
    public static func find(in texts: [String]) -> [String] {
        var seen = Set<String>()
        var result: [String] = []
        for text in texts {
            var copy = text
            copy.withUTF8 { bytes in
                var index = 0
                while index < bytes.count {
                    guard bytes[index] == UInt8(ascii: "#") else {
                        index += 1
                        continue
                    }
                    if index > 0, isWordScalar(scalar(endingBefore: index, in: bytes)) {
                        index += 1
                        continue
                    }
                    var end = index + 1
                    while end < bytes.count {
                        let (value, length) = scalar(at: end, in: bytes)
                        guard isWordScalar(value) else { break }
                        end += length
                    }
                    if end > index + 1 {
                        let tag = String(decoding: UnsafeBufferPointer(rebasing: bytes[index..<end]), as: UTF8.self)
                        if seen.insert(tag.lowercased()).inserted { result.append(tag) }
                    }
                    index = max(end, index + 1)
                }
            }
        }
        return result
    }

    /// The scalar starting at `index` of valid UTF-8, and its length in bytes.
    @inline(__always)
    static func scalar(at index: Int, in bytes: UnsafeBufferPointer<UInt8>) -> (Unicode.Scalar, Int) {
        let lead = bytes[index]
        if lead < 0x80 { return (Unicode.Scalar(lead), 1) }
        let length = lead >= 0xF0 ? 4 : (lead >= 0xE0 ? 3 : 2)
        guard index + length <= bytes.count else { return (Unicode.Scalar(0xFFFD)!, 1) }
        var value = UInt32(lead) & (length == 2 ? 0x1F : (length == 3 ? 0x0F : 0x07))
        for offset in 1..<length { value = value << 6 | (UInt32(bytes[index + offset]) & 0x3F) }
        return (Unicode.Scalar(value) ?? Unicode.Scalar(0xFFFD)!, length)
    }

    /// The scalar that ends just before `index`.
    @inline(__always)
    static func scalar(endingBefore index: Int, in bytes: UnsafeBufferPointer<UInt8>) -> Unicode.Scalar {
        var start = index - 1
        while start > 0, index - start < 4, bytes[start] & 0xC0 == 0x80 { start -= 1 }
        return scalar(at: start, in: bytes).0
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
