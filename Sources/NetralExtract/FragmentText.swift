internal import CLibXML2
import Foundation
import NetralModel

/// The readable parts of a piece of HTML that is not a whole page: a Mastodon status `content`,
/// an account `note`, a feed item's `description` or `content:encoded`.
struct FragmentText: Equatable {
    /// Visible text; paragraphs and line breaks become newlines, other whitespace one space.
    var text: String = ""
    var links: [Link] = []
    var imageAlts: [String] = []
    /// The `class` attribute of each link, by index into `links` (Mastodon marks mentions and
    /// hashtags with classes).
    var linkClasses: [String] = []

    /// Elements whose content a reader never sees.
    static let skipped: Set<String> = [
        "script", "style", "noscript", "template", "svg", "iframe", "object", "title", "select", "math", "head",
    ]

    /// Elements that end a line: text on either side must not run together.
    static let blocks: Set<String> = [
        "address", "article", "aside", "blockquote", "br", "dd", "div", "dl", "dt", "fieldset", "figcaption",
        "figure", "footer", "form", "h1", "h2", "h3", "h4", "h5", "h6", "header", "hr", "li", "main", "ol",
        "p", "pre", "section", "table", "td", "th", "tr", "ul", "caption",
    ]

    /// Nothing read yet.
    init() {}

    /// Reads `html` with libxml2's HTML parser. Text without any markup is only tidied, so plain
    /// text descriptions keep their line breaks. `baseURL` resolves relative links.
    init(html: String, baseURL: String?) {
        guard html.contains("<") || html.contains("&") else {
            text = html.split(whereSeparator: \.isNewline)
                .compactMap { nonEmpty(collapseWhitespace(String($0))) }
                .joined(separator: "\n")
            return
        }
        // Always UTF-8: the fragment is already a Swift string, whatever its document's charset.
        guard let document = try? HTMLDocument(bytes: Data(html.utf8), url: baseURL ?? "about:blank", encoding: "UTF-8"),
              let root = document.root
        else { return }
        var reader = FragmentReader(document: document, base: baseURL.flatMap { URL(string: $0) })
        TreeWalker(root).walk(&reader)
        self = reader.fragment
        text = reader.accumulator.result
    }
}

/// Reads a fragment's tree into a `FragmentText`.
private struct FragmentReader: TreeVisitor {
    let document: HTMLDocument
    let base: URL?
    var fragment = FragmentText()
    var accumulator = TextAccumulator()

    mutating func enter(_ element: xmlNodePtr) -> Bool {
        let name = element.pointee.name.map { String(cString: $0) } ?? ""
        visit(HTMLNode(document: document, raw: element), name: name)
        if FragmentText.blocks.contains(name) { accumulator.breakParagraph() }
        return !FragmentText.skipped.contains(name)
    }

    mutating func leave(_ element: xmlNodePtr) {
        if let name = element.pointee.name, FragmentText.blocks.contains(String(cString: name)) { accumulator.breakParagraph() }
    }

    mutating func text(_ content: UnsafePointer<UInt8>) {
        accumulator.append(String(cString: content))
    }

    private mutating func visit(_ element: HTMLNode, name: String) {
        switch name {
        case "img":
            if let alt = element.attribute("alt").flatMap({ nonEmpty(collapseWhitespace($0)) }) { fragment.imageAlts.append(alt) }
        case "a":
            let href = element.attribute("href")?.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
            guard !href.isEmpty, !href.lowercased().hasPrefix("javascript:"), !href.hasPrefix("#"),
                  let url = URL(string: href, relativeTo: base)?.absoluteString
            else { return }
            fragment.links.append(Link(url: url, text: collapseWhitespace(element.allText)))
            fragment.linkClasses.append(element.attribute("class") ?? "")
        default:
            break
        }
    }
}

/// Merges hashtag lists, keeping the first spelling of each tag (compared case-insensitively).
func mergeHashtags(_ lists: [String]...) -> [String] {
    var seen = Set<String>()
    var result: [String] = []
    for list in lists {
        for tag in list {
            let trimmed = tag.trimmingCharacters(in: .whitespaces)
            guard trimmed.count > 1 || (!trimmed.isEmpty && trimmed != "#") else { continue }
            let withHash = trimmed.hasPrefix("#") ? trimmed : "#" + trimmed
            guard withHash.count > 1 else { continue }
            if seen.insert(withHash.lowercased()).inserted { result.append(withHash) }
        }
    }
    return result
}
