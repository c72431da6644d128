import Foundation
import NetralModel

/// The page's headline.
extension PageReader {
    /// Meta names that carry the headline, in Readability's order of trust.
    static let titleMetas = [
        "dc:title", "dc.title", "dcterms.title", "dcterm:title", "og:title", "weibo:article:title", "weibo:webpage:title",
        "title", "twitter:title", "parsely-title",
    ]

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
}
