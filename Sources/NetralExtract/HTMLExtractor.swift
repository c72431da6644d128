import Foundation
public import NetralModel

/// Turns an HTML capture into one `Item`: title, visible text, metas, image alt texts, links.
///
/// Text inside `script`, `style`, `noscript`, `template`, `svg`, `iframe` and `nav` is never
/// read: it is not what a visitor sees, and scripts often carry words that would mislead rules.
/// The `<title>` is read as the title, not as body text.
public struct HTMLExtractor: Sendable {
    public init() {}

    /// Elements whose content is not visible text.
    static let skippedElements: Set<String> = [
        "script", "style", "noscript", "template", "svg", "iframe", "object", "nav", "title", "select", "math",
    ]

    /// Elements that end a paragraph: text on either side must not run together.
    static let blockElements: Set<String> = [
        "address", "article", "aside", "blockquote", "br", "dd", "div", "dl", "dt", "fieldset", "figcaption",
        "figure", "footer", "form", "h1", "h2", "h3", "h4", "h5", "h6", "header", "hr", "li", "main", "ol",
        "p", "pre", "section", "table", "td", "th", "tr", "ul", "body", "html", "caption",
    ]

    public func extract(_ capture: Capture) throws -> Item {
        let document = try HTMLDocument(bytes: capture.body, url: capture.finalURL, encoding: capture.declaredCharset)
        var collector = Collector(baseURL: URL(string: capture.finalURL))
        if let root = document.root {
            collector.walk(root)
        }
        return collector.makeItem(sourceURL: capture.finalURL, fetchedAt: capture.fetchedAt)
    }
}

/// Gathers everything an item needs in one pass over the tree.
private struct Collector {
    let baseURL: URL?
    var title: String?
    var language: String?
    var canonical: String?
    var metas: [String: String] = [:]
    var imageAlts: [String] = []
    var links: [Link] = []
    var timeElements: [String] = []
    var text = TextAccumulator()

    init(baseURL: URL?) {
        self.baseURL = baseURL
    }

    /// Depth-first, iterative walk: deep nesting in hostile pages cannot exhaust the stack.
    mutating func walk(_ root: HTMLNode) {
        var node: HTMLNode? = root
        while let current = node {
            var descend = false
            if current.isElement {
                let name = current.name
                visitElement(current, name: name)
                descend = !HTMLExtractor.skippedElements.contains(name)
                if HTMLExtractor.blockElements.contains(name) { text.breakParagraph() }
            } else if current.isText {
                text.append(current.textContent)
            }
            if descend, let child = current.firstChild {
                node = child
                continue
            }
            // Climb until a node with a next sibling, closing block elements on the way.
            var cursor: HTMLNode? = current
            node = nil
            while let climbing = cursor {
                if climbing.raw == root.raw { break }
                if let next = climbing.nextSibling {
                    node = next
                    break
                }
                cursor = climbing.parent
                if let parent = cursor, HTMLExtractor.blockElements.contains(parent.name) { text.breakParagraph() }
            }
        }
    }

    mutating func visitElement(_ element: HTMLNode, name: String) {
        switch name {
        case "html":
            language = element.attribute("lang").flatMap(nonEmpty)
        case "title":
            if title == nil { title = nonEmpty(collapseWhitespace(element.allText)) }
        case "meta":
            let key = (element.attribute("property") ?? element.attribute("name") ?? element.attribute("itemprop"))?.lowercased()
            if let key, let content = element.attribute("content").flatMap({ nonEmpty(collapseWhitespace($0)) }), metas[key] == nil {
                metas[key] = content
            }
        case "link":
            if element.attribute("rel")?.lowercased().split(separator: " ").contains("canonical") == true,
               let href = element.attribute("href") {
                canonical = resolve(href)
            }
        case "img":
            if let alt = element.attribute("alt").flatMap({ nonEmpty(collapseWhitespace($0)) }) { imageAlts.append(alt) }
        case "a":
            if let href = element.attribute("href"), let url = resolve(href) {
                links.append(Link(url: url, text: collapseWhitespace(element.allText)))
            }
        case "time":
            if let value = element.attribute("datetime") { timeElements.append(value) }
        default:
            break
        }
    }

    func resolve(_ href: String) -> String? {
        let trimmed = href.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !trimmed.isEmpty, !trimmed.hasPrefix("javascript:"), !trimmed.hasPrefix("#") else { return nil }
        return URL(string: trimmed, relativeTo: baseURL)?.absoluteString
    }

    func makeItem(sourceURL: String, fetchedAt: Date) -> Item {
        let body = text.result
        let title = title ?? metas["og:title"]
        let description = metas["description"] ?? metas["og:description"]
        let authorName = metas["author"] ?? metas["article:author"] ?? metas["twitter:creator"]
        let published = [metas["article:published_time"], metas["og:published_time"], metas["datepublished"], metas["date"]]
            .compactMap { $0 }
            .appending(contentsOf: timeElements)
            .lazy
            .compactMap(parseTimestamp)
            .first { $0 <= fetchedAt.addingTimeInterval(86_400) }
        var kept: [String: String] = [:]
        for (key, value) in metas where key.hasPrefix("og:") || key.hasPrefix("twitter:") || key.hasPrefix("article:") {
            kept[key] = value
        }
        var hashtagSources = [body]
        hashtagSources.append(contentsOf: [title, description].compactMap { $0 })
        hashtagSources.append(contentsOf: imageAlts)
        return Item(
            sourceURL: sourceURL,
            canonicalURL: canonical ?? metas["og:url"],
            platform: "web",
            author: authorName.map { Author(name: $0) },
            publishedAt: published,
            language: language,
            title: title,
            description: description,
            body: body,
            imageAlts: imageAlts,
            links: links,
            hashtags: Hashtags.find(in: hashtagSources),
            metadata: kept
        )
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

/// Parses the timestamp forms pages use: full ISO 8601 with or without fractional seconds,
/// and plain dates.
func parseTimestamp(_ text: String) -> Date? {
    let trimmed = text.trimmingCharacters(in: .whitespaces)
    let full = ISO8601DateFormatter()
    if let date = full.date(from: trimmed) { return date }
    full.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
    if let date = full.date(from: trimmed) { return date }
    let dateOnly = ISO8601DateFormatter()
    dateOnly.formatOptions = [.withFullDate]
    return dateOnly.date(from: trimmed)
}

/// Finds `#hashtags`: a `#` at a word start followed by letters, digits or underscores.
public enum Hashtags {
    public static func find(in texts: [String]) -> [String] {
        var seen = Set<String>()
        var result: [String] = []
        for text in texts {
            let scalars = Array(text.unicodeScalars)
            var index = 0
            while index < scalars.count {
                if scalars[index] == "#", index == 0 || !isWordScalar(scalars[index - 1]) {
                    var end = index + 1
                    while end < scalars.count, isWordScalar(scalars[end]) { end += 1 }
                    if end > index + 1 {
                        var tag = String.UnicodeScalarView()
                        tag.append(contentsOf: scalars[index..<end])
                        let value = String(tag)
                        if seen.insert(value.lowercased()).inserted { result.append(value) }
                    }
                    index = end
                } else {
                    index += 1
                }
            }
        }
        return result
    }

    static func isWordScalar(_ scalar: Unicode.Scalar) -> Bool {
        scalar.properties.isAlphabetic || scalar.properties.numericType != nil || scalar == "_"
    }
}

private extension Array {
    func appending(contentsOf other: [Element]) -> [Element] { self + other }
}
