import Foundation
import NetralModel

/// Who wrote the page.
extension PageReader {
    /// Meta names that carry the author, in the order they are trusted.
    static let authorMetas = ["dc:creator", "dc.creator", "dcterms.creator", "author", "parsely-author", "sailthru.author"]

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
        // In order, the first usable one; written out rather than as a list of closures, each
        // of which would copy this reader.
        func firstName() -> String? {
            for record in page.authorMarks { if let name = usable(text(of: record)) { return name } }
            for key in PageReader.authorMetas { if let name = usable(metas[key]) { return name } }
            if let json = jsonLD, let name = usable(json.authorNames.joined(separator: ", ")) { return name }
            if !articleAuthorIsURL, let name = usable(articleAuthor) { return name }
            for line in creditLines() { if let name = usable(line) { return name } }
            for record in page.bylineClasses where !isInBoilerplate(record) {
                if let name = usable(text(of: record)) { return name }
            }
            return nil
        }
        author.name = firstName()
        if author.name == nil, let declared = [metas["dc:creator"], metas["author"], jsonLD?.authorNames.first].compactMap({ $0 }).first,
           let name = BylineText.clean(declared), siteNames.contains(where: { PageTitle.normalize($0) == PageTitle.normalize(name) }),
           !PageTitle.namesSite(name, siteNames: [], host: host) {
            // A personal blog is named after its author: a declared author that is exactly the
            // site's name (and not the host's or a domain) is the author after all.
            author.name = name
        }
        if let creator = metas["twitter:creator"], creator.hasPrefix("@") { author.handle = creator }
        author.profileURL = (articleAuthorIsURL ? articleAuthor : nil) ?? jsonLD?.authorURL.flatMap(resolver.resolve)
        // The author box of the main content (set aside from the body, or kept in it when it
        // was too long to set aside), else the first one outside boilerplate that says
        // something (80 characters or more: beside the article's text, under the post; a
        // shorter one is a byline box with a date).
        let box = page.records.indices.first { index in
            let record = page.records[index]
            return record.isAuthorBox && (main.kept[index] || (record.setAside == .authorBox && keptAside[index]))
        } ?? page.records.indices.first { index in
            let record = page.records[index]
            return record.setAside == .authorBox && record.end - record.start >= 80 && !isInBoilerplate(Int32(index))
        }
        if let box {
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
}
