public import Foundation
public import NetralModel

/// Every link of an HTML page (`<a href>` anywhere, menus included, which is what a crawl
/// follows; `Item.links` keeps only the main text's), for link following within a site.
public enum PageLinks {
    /// More links than this on one page are ignored: a page is not a link farm to walk.
    public static let maxLinks = 5000

    /// Absolute http(s) URLs without fragments, in document order, without repeats, resolved
    /// against `<base href>` when the page has one, else the capture's final URL.
    public static func urls(in capture: Capture) throws -> [String] {
        let document = try HTMLDocument(bytes: capture.body, url: capture.finalURL, encoding: capture.declaredCharset)
        guard let root = document.root else { return [] }
        let context = try XPathContext(document: document)
        func values(_ expression: String) throws -> [String] {
            guard case let .nodes(nodes) = try context.evaluate(try XPathExpression(expression), at: root) else { return [] }
            return nodes.compactMap { node in
                if case let .attribute(_, value) = node { return value }
                return nil
            }
        }
        var base = URL(string: capture.finalURL)
        if let declared = try values("//base[@href][1]/@href").first, let url = URL(string: declared, relativeTo: base)?.absoluteURL {
            base = url
        }
        var seen = Set<String>()
        var urls: [String] = []
        for href in try values("//a/@href") {
            guard urls.count < maxLinks else { break }
            let trimmed = href.trimmingCharacters(in: .whitespacesAndNewlines)
            guard !trimmed.isEmpty, !trimmed.hasPrefix("#"),
                  var components = URL(string: trimmed, relativeTo: base).flatMap({ URLComponents(url: $0.absoluteURL, resolvingAgainstBaseURL: false) }),
                  let scheme = components.scheme?.lowercased(), scheme == "http" || scheme == "https", components.host != nil
            else { continue }
            components.fragment = nil
            guard let url = components.string, seen.insert(url).inserted else { continue }
            urls.append(url)
        }
        return urls
    }
}
