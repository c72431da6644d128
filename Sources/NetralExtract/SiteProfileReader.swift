internal import CLibXML2
import Foundation
import NetralModel

/// Applies a `SiteProfile` to one parsed page: one item per node `item` selects.
struct ProfileReader {
    /// A page that claims more posts than this is hostile or misread; the rest is ignored.
    static let maximumItems = 5_000

    /// Nodes the Swift side may visit per element of the page (see `WorkBudget`): generous for
    /// comment threads nested a few dozen levels deep, far below the quadratic worst case.
    static let visitsPerElement = 64

    let profile: SiteProfile
    let document: HTMLDocument
    let capture: Capture
    /// The page item, for the language and as the fallback.
    let page: Item
    let base: URLResolver
    /// Elements in the document, for the work budget.
    let elementCount: Int

    /// The items, or nil when the selected items nest so deeply that reading them would take
    /// quadratic time: the caller then keeps the page item, which holds all of the text once.
    ///
    /// - Throws: `ExtractError.selectorFailed` when an expression fails, including libxml2's
    ///   operation limit for a runaway expression (the profile must be fixed, not the page).
    func items() throws -> [Item]? {
        guard let root = document.root else { return [] }
        var budget = WorkBudget(limit: max(100_000, elementCount * Self.visitsPerElement))
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
            func text(_ key: String, singleLine: Bool) throws(WorkBudget.Exhausted) -> String? {
                if let string = strings[key] { return nonEmpty(collapseWhitespace(string)) }
                guard let selectedNodes = values[key] else { return nil }
                return nonEmpty(try ProfileReader.text(of: selectedNodes, singleLine: singleLine, budget: &budget))
            }

            let body: String, alts: [String], authorName: String?, title: String?, links: [Link], permalinkText: String?, timeText: String?
            do {
                body = try text("text", singleLine: false) ?? ""
                alts = try ProfileReader.imageAlts(in: node, budget: &budget)
                authorName = try text("author", singleLine: true)
                title = try text("title", singleLine: true)
                links = try values["text"].map { nodes throws(WorkBudget.Exhausted) in try ProfileReader.links(in: nodes, resolver: base, budget: &budget) } ?? []
                permalinkText = try values["permalink"].map { nodes throws(WorkBudget.Exhausted) in try ProfileReader.text(of: nodes, singleLine: true, budget: &budget) }
                timeText = try values["time"].map { nodes throws(WorkBudget.Exhausted) in try ProfileReader.text(of: nodes, singleLine: true, budget: &budget) }
            } catch {
                return nil
            }
            guard !body.isEmpty || !alts.isEmpty else { continue }

            var author = Author()
            author.name = authorName
            let authorURL = strings["author_url"].flatMap(nonEmpty) ?? values["author_url"].flatMap(ProfileReader.href)
                ?? values["author_url"].flatMap { nonEmpty(ProfileReader.attributeValues($0)) } ?? values["author"].flatMap(ProfileReader.href)
            author.profileURL = authorURL.flatMap(base.resolve)
            let permalink = (strings["permalink"].flatMap(nonEmpty) ?? values["permalink"].flatMap(ProfileReader.href) ?? permalinkText.flatMap(nonEmpty))
                .flatMap(base.resolve)
            let time = strings["time"].flatMap(nonEmpty) ?? values["time"].flatMap(ProfileReader.datetime) ?? timeText.flatMap(nonEmpty)
            let published = time.flatMap(parseHumanTimestamp).flatMap { $0 <= latest ? $0 : nil }

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
    static func text(of nodes: [XPathNode], singleLine: Bool, budget: inout WorkBudget) throws(WorkBudget.Exhausted) -> String {
        var buffer = TextBuffer()
        for selected in nodes {
            buffer.breakParagraph()
            switch selected {
            case .node(let node):
                try SubtreeText.append(TreeWalker(node), to: &buffer, budget: &budget)
            case .attribute(_, let value):
                try budget.charge()
                buffer.append(value)
            }
        }
        return buffer.string(from: 0, to: buffer.count, singleLine: singleLine)
    }

    /// The first selected attribute's value.
    static func attributeValues(_ nodes: [XPathNode]) -> String {
        for case .attribute(_, let value) in nodes { return value }
        return ""
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
    static func imageAlts(in node: HTMLNode, budget: inout WorkBudget) throws(WorkBudget.Exhausted) -> [String] {
        var alts: [String] = []
        for image in try VisibleElements.find(.image, below: node, budget: &budget) {
            if let alt = attributeValue(image.raw, "alt"), let text = nonEmpty(collapseWhitespace(String(cString: alt))) {
                alts.append(text)
            }
        }
        return alts
    }

    /// Links below the selected text nodes, with their visible text.
    static func links(in nodes: [XPathNode], resolver: URLResolver, budget: inout WorkBudget) throws(WorkBudget.Exhausted) -> [Link] {
        var links: [Link] = []
        for case .node(let node) in nodes where node.isElement {
            for anchor in try VisibleElements.find(.anchor, below: node, budget: &budget) {
                guard let href = attributeValue(anchor.raw, "href"), let url = resolver.resolve(String(cString: href)) else { continue }
                var buffer = TextBuffer()
                SubtreeText.append(TreeWalker(anchor), to: &buffer)
                links.append(Link(url: url, text: buffer.string(from: 0, to: buffer.count, singleLine: true)))
            }
        }
        return links
    }
}

/// The elements of one kind below a node (the node included) that are not inside an invisible
/// or hidden element, in document order; one unit of the budget per node visited.
private struct VisibleElements: TreeVisitor {
    typealias Failure = WorkBudget.Exhausted

    let kind: TagInfo.Kind
    let document: HTMLDocument
    var budget: WorkBudget
    var found: [HTMLNode] = []

    static func find(_ kind: TagInfo.Kind, below node: HTMLNode, budget: inout WorkBudget) throws(WorkBudget.Exhausted) -> [HTMLNode] {
        var visitor = VisibleElements(kind: kind, document: node.document, budget: budget)
        defer { budget = visitor.budget }
        try TreeWalker(node).walk(&visitor)
        return visitor.found
    }

    mutating func reach() throws(WorkBudget.Exhausted) {
        try budget.charge()
    }

    mutating func enter(_ element: xmlNodePtr) -> Bool {
        guard let name = element.pointee.name else { return false }
        let info = TagInfo.lookup(name)
        guard !info.isInvisible && !ElementAttributes(element).isHidden else { return false }
        if info.kind == kind { found.append(HTMLNode(document: document, raw: element)) }
        return true
    }
}
