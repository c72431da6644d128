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
        walk(root, base: baseURL.flatMap { URL(string: $0) })
    }

    /// Depth-first and iterative, so a fragment nested thousands deep cannot exhaust the stack.
    private mutating func walk(_ root: HTMLNode, base: URL?) {
        var accumulator = TextAccumulator()
        var node: HTMLNode? = root
        while let current = node {
            var descend = false
            if current.isElement {
                let name = current.name
                visit(current, name: name, base: base)
                descend = !Self.skipped.contains(name)
                if Self.blocks.contains(name) { accumulator.breakParagraph() }
            } else if current.isText {
                accumulator.append(current.textContent)
            }
            if descend, let child = current.firstChild {
                node = child
                continue
            }
            var cursor: HTMLNode? = current
            node = nil
            while let climbing = cursor {
                if climbing.raw == root.raw { break }
                if let next = climbing.nextSibling {
                    node = next
                    break
                }
                cursor = climbing.parent
                if let parent = cursor, Self.blocks.contains(parent.name) { accumulator.breakParagraph() }
            }
        }
        text = accumulator.result
    }

    private mutating func visit(_ element: HTMLNode, name: String, base: URL?) {
        switch name {
        case "img":
            if let alt = element.attribute("alt").flatMap({ nonEmpty(collapseWhitespace($0)) }) { imageAlts.append(alt) }
        case "a":
            let href = element.attribute("href")?.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
            guard !href.isEmpty, !href.lowercased().hasPrefix("javascript:"), !href.hasPrefix("#"),
                  let url = URL(string: href, relativeTo: base)?.absoluteString
            else { return }
            links.append(Link(url: url, text: collapseWhitespace(element.allText)))
            linkClasses.append(element.attribute("class") ?? "")
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
