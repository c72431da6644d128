internal import CLibXML2
import Foundation
import NetralModel

/// Applies a `SiteProfile` to one parsed page: one item per node `item` selects.
struct ProfileReader {
    /// A page that claims more posts than this is hostile or misread; the rest is ignored.
    static let maximumItems = 5_000

    let profile: SiteProfile
    let document: HTMLDocument
    let capture: Capture
    /// The page item, for the language and as the fallback.
    let page: Item
    let base: URLResolver

    func items() throws -> [Item] {
        guard let root = document.root else { return [] }
        let context: XPathContext
        do {
            context = try XPathContext(document: document)
        } catch {
            throw failure("item", error)
        }
        let itemExpression = try compile("item", profile.item)
        var fields: [(key: String, expression: XPathExpression)] = []
        for (key, source) in profile.fields.all {
            fields.append((key, try compile(key, source)))
        }

        let selected: XPathValue
        do {
            selected = try context.evaluate(itemExpression, at: root)
        } catch {
            throw failure("item", error)
        }
        guard case .nodes(let nodes) = selected else { return [] }
        let latest = capture.fetchedAt.addingTimeInterval(86_400)

        var items: [Item] = []
        for case .node(let node) in nodes.prefix(Self.maximumItems) where node.isElement {
            var values: [String: [XPathNode]] = [:]
            var strings: [String: String] = [:]
            for (key, expression) in fields {
                let value: XPathValue
                do {
                    value = try context.evaluate(expression, at: node)
                } catch {
                    throw failure(key, error)
                }
                switch value {
                case .nodes(let selectedNodes): values[key] = selectedNodes
                case .string(let text): strings[key] = text
                case .number(let number): strings[key] = number.isNaN ? nil : (number == number.rounded() ? String(Int(number)) : String(number))
                case .boolean(let flag): strings[key] = flag ? "true" : "false"
                }
            }
            func text(_ key: String, singleLine: Bool) -> String? {
                if let string = strings[key] { return nonEmpty(collapseWhitespace(string)) }
                guard let selectedNodes = values[key] else { return nil }
                return nonEmpty(ProfileReader.text(of: selectedNodes, singleLine: singleLine))
            }

            let body = text("text", singleLine: false) ?? ""
            let alts = ProfileReader.imageAlts(in: node)
            guard !body.isEmpty || !alts.isEmpty else { continue }

            var author = Author()
            author.name = text("author", singleLine: true)
            if let url = text("author_url", singleLine: true) ?? values["author"].flatMap(ProfileReader.href) {
                author.profileURL = base.resolve(url)
            }
            let permalink = (strings["permalink"] ?? values["permalink"].flatMap { ProfileReader.href($0) ?? nonEmpty(ProfileReader.text(of: $0, singleLine: true)) })
                .flatMap(base.resolve)
            let timeText = strings["time"] ?? values["time"].flatMap { ProfileReader.datetime($0) ?? nonEmpty(ProfileReader.text(of: $0, singleLine: true)) }
            let published = timeText.flatMap(parseHumanTimestamp).flatMap { $0 <= latest ? $0 : nil }
            let title = text("title", singleLine: true)
            let links = values["text"].map { ProfileReader.links(in: $0, resolver: base) } ?? []

            items.append(Item(
                sourceURL: capture.finalURL,
                canonicalURL: permalink,
                platform: "web",
                author: author.isEmpty ? nil : author,
                publishedAt: published,
                language: page.language,
                title: title,
                body: body,
                imageAlts: alts,
                links: links,
                hashtags: Hashtags.find(in: [body] + [title].compactMap { $0 } + alts),
                metadata: ["profile": profile.name]
            ))
        }
        return items
    }

    private func compile(_ key: String, _ source: String) throws -> XPathExpression {
        do {
            return try XPathExpression(source)
        } catch {
            throw failure(key, error)
        }
    }

    private func failure(_ key: String, _ error: XPathError) -> ExtractError {
        ExtractError.selectorFailed(url: capture.finalURL, profile: profile.name, field: key, message: error.message)
    }

    /// Visible text of the selected nodes, each on its own line.
    static func text(of nodes: [XPathNode], singleLine: Bool) -> String {
        var buffer = TextBuffer()
        for selected in nodes {
            buffer.breakParagraph()
            switch selected {
            case .node(let node):
                SubtreeText.append(node.raw, to: &buffer)
            case .attribute(_, let value):
                buffer.append(value)
            }
        }
        return buffer.string(from: 0, to: buffer.count, singleLine: singleLine)
    }

    /// An `href` among the selected nodes: an `href` attribute itself, or the `href` of the
    /// first selected element that has one (an `<a>` selected as the author or permalink).
    static func href(_ nodes: [XPathNode]) -> String? {
        for selected in nodes {
            switch selected {
            case .attribute(let name, let value) where name.lowercased() == "href":
                return nonEmpty(value)
            case .node(let node) where node.isElement:
                if let href = attributeValue(node.raw, "href") { return nonEmpty(String(cString: href)) }
            default:
                continue
            }
        }
        return nil
    }

    /// The `datetime` (or `title`, where sites put the full date) of a selected element, or a
    /// selected attribute's value.
    static func datetime(_ nodes: [XPathNode]) -> String? {
        for selected in nodes {
            switch selected {
            case .attribute(_, let value):
                return nonEmpty(value)
            case .node(let node) where node.isElement:
                if let value = attributeValue(node.raw, "datetime") ?? attributeValue(node.raw, "data-time") {
                    return nonEmpty(String(cString: value))
                }
            default:
                continue
            }
        }
        return nil
    }

    /// Alt texts of visible images below `node`.
    static func imageAlts(in node: HTMLNode) -> [String] {
        var alts: [String] = []
        forEachVisibleElement(below: node.raw) { element, info in
            if info.kind == .image, let alt = attributeValue(element, "alt"), let text = nonEmpty(collapseWhitespace(String(cString: alt))) {
                alts.append(text)
            }
        }
        return alts
    }

    /// Links below the selected text nodes, with their visible text.
    static func links(in nodes: [XPathNode], resolver: URLResolver) -> [Link] {
        var links: [Link] = []
        for case .node(let node) in nodes where node.isElement {
            forEachVisibleElement(below: node.raw) { element, info in
                guard info.kind == .anchor, let href = attributeValue(element, "href"), let url = resolver.resolve(String(cString: href)) else { return }
                var buffer = TextBuffer()
                SubtreeText.append(element, to: &buffer)
                links.append(Link(url: url, text: buffer.string(from: 0, to: buffer.count, singleLine: true)))
            }
        }
        return links
    }

    /// Calls `body` for every element below `root` (root included) that is not inside an
    /// invisible or hidden element; iterative, like every walk here.
    static func forEachVisibleElement(below root: xmlNodePtr, _ body: (xmlNodePtr, TagInfo) -> Void) {
        var node = root
        walking: while true {
            var descend = false
            if node.pointee.type == XML_ELEMENT_NODE, let name = node.pointee.name {
                let info = TagInfo.lookup(name)
                if !info.isInvisible && !ElementAttributes(node).isHidden {
                    body(node, info)
                    descend = true
                }
            }
            if descend, let child = node.pointee.children {
                node = child
                continue
            }
            var current = node
            while true {
                if current == root { break walking }
                if let next = current.pointee.next {
                    node = next
                    continue walking
                }
                guard let parent = current.pointee.parent else { break walking }
                current = parent
            }
        }
    }
}
