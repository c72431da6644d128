internal import CLibXML2
import Foundation

/// An HTML page or an XML document (an Atom feed, a timedtext track) read by libxml2 and copied
/// into Swift values: element names, attributes, text, children. libxml2's tree is freed before
/// the initializer returns, so no C pointer leaves this file.
///
/// NetralExtract's `HTMLDocument` is internal to it; this is the small part the platform
/// parsers need (select by class or name, read text and attributes), built the same safe way:
/// recover mode, no network, no entity expansion, an iterative walk (no depth limit on the
/// stack), and the bytes turned into valid UTF-8 first.
struct MarkupTree {
    struct Node {
        /// Lowercased local name for an element (`div`, `entry`, `videoid`); empty for text.
        var name: String
        /// The namespace URI of an XML element, when it has one.
        var namespace: String?
        var attributes: [String: String]
        /// A text node's content.
        var text: String?
        var parent: Int
        var children: [Int]
    }

    private(set) var nodes: [Node] = []
    /// Set when invalid UTF-8 was replaced before parsing.
    let repairedUTF8: Bool

    enum Mode {
        case html
        case xml
    }

    /// Parses `data`. Throws only when libxml2 gives no tree at all.
    init(data: Data, mode: Mode, url: String) throws(MarkupError) {
        _ = markupInitialized
        guard !data.isEmpty else { throw MarkupError(reason: "the document is empty") }
        guard data.count < Int(Int32.max) else { throw MarkupError(reason: "the document is larger than 2 GiB") }
        var bytes = data
        var bomLength = 0
        if data.starts(with: [0xEF, 0xBB, 0xBF]) { bomLength = 3 }
        if String(validating: data, as: UTF8.self) == nil {
            bytes = Data(String(decoding: data, as: UTF8.self).utf8)
            repairedUTF8 = true
        } else {
            repairedUTF8 = false
        }
        let document: xmlDocPtr? = bytes.withUnsafeBytes { buffer in
            let start = buffer.baseAddress.map { $0 + bomLength }?.assumingMemoryBound(to: CChar.self)
            let count = Int32(buffer.count - bomLength)
            switch mode {
            case .html:
                guard let context = htmlNewParserCtxt() else { return nil }
                defer { htmlFreeParserCtxt(context) }
                return htmlCtxtReadMemory(context, start, count, url, "UTF-8", Self.htmlOptions)
            case .xml:
                guard let context = xmlNewParserCtxt() else { return nil }
                defer { xmlFreeParserCtxt(context) }
                // Entity declarations are never stored and no external subset is read, so
                // nothing can expand (see NetralExtract's XMLTreeDocument).
                if let sax = context.pointee.sax {
                    sax.pointee.entityDecl = nil
                    sax.pointee.externalSubset = nil
                }
                return xmlCtxtReadMemory(context, start, count, url, "UTF-8", Self.xmlOptions)
            }
        }
        guard let document else { throw MarkupError(reason: "libxml2 could not build a tree") }
        defer { xmlFreeDoc(document) }
        guard let root = xmlDocGetRootElement(document) else { throw MarkupError(reason: "the document has no root element") }
        copy(root)
    }

    private static let htmlOptions = Int32(
        HTML_PARSE_RECOVER.rawValue | HTML_PARSE_NONET.rawValue | HTML_PARSE_NOERROR.rawValue
            | HTML_PARSE_NOWARNING.rawValue | HTML_PARSE_COMPACT.rawValue | HTML_PARSE_IGNORE_ENC.rawValue
            | XML_PARSE_HUGE.rawValue
    )

    private static let xmlOptions = Int32(
        XML_PARSE_RECOVER.rawValue | XML_PARSE_NONET.rawValue | XML_PARSE_NOERROR.rawValue
            | XML_PARSE_NOWARNING.rawValue | XML_PARSE_COMPACT.rawValue
    )

    /// Copies the tree below `root` depth first without recursion.
    private mutating func copy(_ root: xmlNodePtr) {
        var stack: [(node: xmlNodePtr, parent: Int)] = [(root, -1)]
        // Children are pushed in reverse so they are copied (and numbered) in document order.
        while let (node, parent) = stack.popLast() {
            let index = nodes.count
            switch node.pointee.type {
            case XML_ELEMENT_NODE:
                let name = node.pointee.name.map { String(cString: $0).lowercased() } ?? ""
                let namespace = node.pointee.ns.flatMap { $0.pointee.href.map { String(cString: $0) } }
                var attributes: [String: String] = [:]
                var attribute = node.pointee.properties
                while let current = attribute {
                    if let rawName = current.pointee.name {
                        let value: String
                        if let child = current.pointee.children, child.pointee.next == nil, child.pointee.type == XML_TEXT_NODE,
                            let content = child.pointee.content
                        {
                            value = String(cString: content)
                        } else if let content = xmlNodeGetContent(UnsafeMutableRawPointer(current).assumingMemoryBound(to: xmlNode.self)) {
                            value = String(cString: content)
                            clibxml2_free(content)
                        } else {
                            value = ""
                        }
                        attributes[String(cString: rawName).lowercased()] = value
                    }
                    attribute = current.pointee.next
                }
                nodes.append(Node(name: name, namespace: namespace, attributes: attributes, text: nil, parent: parent, children: []))
                if parent >= 0 { nodes[parent].children.append(index) }
                var children: [xmlNodePtr] = []
                var child = node.pointee.children
                while let current = child {
                    children.append(current)
                    child = current.pointee.next
                }
                for child in children.reversed() { stack.append((child, index)) }
            case XML_TEXT_NODE, XML_CDATA_SECTION_NODE:
                guard parent >= 0, let content = node.pointee.content else { continue }
                nodes.append(Node(name: "", namespace: nil, attributes: [:], text: String(cString: content), parent: parent, children: []))
                nodes[parent].children.append(index)
            default:
                continue
            }
        }
    }

    var root: Int? { nodes.isEmpty ? nil : 0 }

    func name(_ index: Int) -> String { nodes[index].name }

    func attribute(_ name: String, of index: Int) -> String? { nodes[index].attributes[name] }

    func hasClass(_ name: String, _ index: Int) -> Bool {
        guard let classes = nodes[index].attributes["class"] else { return false }
        return classes.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\n" }).contains { $0 == name }
    }

    /// The elements below `index` (not itself) in document order; `descend` decides whether
    /// the children of an element that matched are searched too.
    func descendants(of index: Int, descendIntoMatches: Bool = true, where match: (Int) -> Bool) -> [Int] {
        var result: [Int] = []
        var stack = nodes[index].children.reversed().map { $0 }
        while let current = stack.popLast() {
            guard !nodes[current].name.isEmpty else { continue }
            let matched = match(current)
            if matched { result.append(current) }
            if !matched || descendIntoMatches { stack.append(contentsOf: nodes[current].children.reversed()) }
        }
        return result
    }

    func first(in index: Int, where match: (Int) -> Bool) -> Int? {
        var stack = nodes[index].children.reversed().map { $0 }
        while let current = stack.popLast() {
            guard !nodes[current].name.isEmpty else { continue }
            if match(current) { return current }
            stack.append(contentsOf: nodes[current].children.reversed())
        }
        return nil
    }

    func firstWithClass(_ name: String, in index: Int) -> Int? { first(in: index) { hasClass(name, $0) } }

    func children(of index: Int, named name: String) -> [Int] {
        nodes[index].children.filter { nodes[$0].name == name }
    }

    func child(of index: Int, named name: String, namespace: String? = nil) -> Int? {
        nodes[index].children.first { nodes[$0].name == name && (namespace == nil || nodes[$0].namespace == namespace) }
    }

    /// Whether `ancestor` is `index` or one of its ancestors.
    func isInside(_ index: Int, _ ancestor: Int) -> Bool {
        var current = index
        while current >= 0 {
            if current == ancestor { return true }
            current = nodes[current].parent
        }
        return false
    }

    static let blockElements: Set<String> = [
        "address", "article", "aside", "blockquote", "br", "dd", "div", "dl", "dt", "figcaption", "figure", "footer",
        "h1", "h2", "h3", "h4", "h5", "h6", "header", "hr", "li", "ol", "p", "pre", "section", "table", "td", "th", "tr", "ul",
    ]

    static let hiddenElements: Set<String> = ["script", "style", "noscript", "template", "svg", "head", "title"]

    /// The visible text below `index`: block elements and `<br>` end lines, other whitespace
    /// runs become one space; `skip` leaves out subtrees (a quoted post, a "see more" link).
    func text(of index: Int, skip: (Int) -> Bool = { _ in false }) -> String {
        var output = ""
        var stack: [(node: Int, closing: Bool)] = [(index, false)]
        while let (current, closing) = stack.popLast() {
            let node = nodes[current]
            if closing {
                if Self.blockElements.contains(node.name) { output.append("\n") }
                continue
            }
            if let text = node.text {
                output.append(text)
                continue
            }
            if current != index, Self.hiddenElements.contains(node.name) || skip(current) { continue }
            if node.name == "br" {
                output.append("\n")
                continue
            }
            if Self.blockElements.contains(node.name) { output.append("\n") }
            stack.append((current, true))
            for child in node.children.reversed() { stack.append((child, false)) }
        }
        return tidy(output.replacingOccurrences(of: "\u{00A0}", with: " "))
    }

    /// The raw text content below `index` (XML), no layout.
    func rawText(of index: Int) -> String {
        var output = ""
        var stack = [index]
        while let current = stack.popLast() {
            if let text = nodes[current].text { output.append(text) }
            stack.append(contentsOf: nodes[current].children.reversed())
        }
        return output
    }
}

struct MarkupError: Error, Equatable {
    var reason: String
}

private let markupInitialized: Void = xmlInitParser()
