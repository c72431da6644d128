internal import CLibXML2
import Foundation
import NetralModel

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
    /// Per record, whether it is in a caption or author box of the main content
    /// (`MainContent.keptAsideFlags`).
    private(set) var keptAside: [Bool] = []

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
        keptAside = MainContent.keptAsideFlags(page.records, kept: main.kept)
    }

    /// Main text shorter than this (in bytes) sends the reader to the `<noscript>` fallback.
    static let shortText = 500

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
                || (line.count <= 320 && VisibleDate.mayStartDateLine(line)
                    && (PageReader.hasFourDigits(line) || VisibleDate.startsWithPublishingWord(line)))
        })
        let author = author()
        if let name = author?.name { body = BylineText.removingNameLines(from: body, name: name) }
        if let articleBody = jsonLD?.articleBody, body.count * 2 < articleBody.count {
            // The publisher's own statement of the main text beats a page that renders it with
            // scripts (or hides it from our scoring).
            body = articleBody
        }

        // Alt texts and captions of the main content's pictures, in page order.
        var imageAlts: [String] = []
        var captions = page.records.indices.lazy.filter { index in
            let record = page.records[index]
            return record.setAside == .caption && record.parent >= 0 && main.kept[Int(record.parent)]
        }.makeIterator()
        var nextCaption = captions.next()
        func addAlt(_ text: String) {
            if imageAlts.last != text { imageAlts.append(text) }
        }
        func addCaptions(before limit: Int) {
            // A caption comes after the pictures inside it (a `<figure>` set aside whole).
            while let caption = nextCaption, Int(page.records[caption].lastDescendant) < limit {
                let record = page.records[caption]
                if let text = nonEmpty(page.text.string(from: Int(record.start), to: Int(record.end), singleLine: true)) { addAlt(text) }
                nextCaption = captions.next()
            }
        }
        for (record, node) in page.images where main.kept[Int(record)] || keptAside[Int(record)] {
            addCaptions(before: Int(record))
            if let alt = attributeValue(node, "alt"), let text = nonEmpty(collapseWhitespace(String(cString: alt))) { addAlt(text) }
        }
        addCaptions(before: page.records.count)
        var links: [Link] = []
        for (record, node) in page.anchors where main.kept[Int(record)] || keptAside[Int(record)] {
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
            author: author,
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
        main.classifiedBoilerplate[Int(record)]
    }

    func language() -> String? {
        if let language = page.language { return language }
        if let language = page.metas["content-language"] ?? jsonLD?.inLanguage { return language }
        return page.metas["og:locale"].map { $0.replacingOccurrences(of: "_", with: "-") }
    }
}
