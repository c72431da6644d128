internal import CLibXML2
import Foundation

/// Why an XPath expression could not be compiled or evaluated.
struct XPathError: Error, Equatable, CustomStringConvertible {
    var message: String
    /// Offset in Unicode scalars into the expression where libxml2 stopped, when it says.
    var offset: Int?

    var description: String { message }

    /// libxml2's own messages (`xmlXPathErrorMessages` in xpath.c, which is not exported), by
    /// `code - XML_XPATH_EXPRESSION_OK`.
    static let messages = [
        "ok", "number encoding", "unfinished literal", "start of literal", "expected $ for variable reference",
        "undefined variable", "invalid predicate", "invalid expression", "missing closing curly brace",
        "unregistered function", "invalid operand", "invalid type", "invalid number of arguments",
        "invalid context size", "invalid context position", "memory allocation error", "syntax error",
        "resource error", "sub resource error", "undefined namespace prefix", "encoding error",
        "character out of XML range", "invalid or incomplete context", "stack usage error", "forbidden variable",
        "operation limit exceeded", "recursion limit exceeded",
    ]

    /// Reads the error libxml2 left in `context.lastError` (never the process-global one).
    static func from(_ context: xmlXPathContextPtr, expression: String) -> XPathError {
        let error = context.pointee.lastError
        let index = Int(error.code) - Int(XML_XPATH_EXPRESSION_OK.rawValue)
        let message = messages.indices.contains(index) ? messages[index] : "invalid XPath expression"
        var offset: Int?
        if error.str1 != nil, error.int1 >= 0 {
            // int1 is a byte offset into the expression; diagnostics count Unicode scalars.
            let bytes = Array(expression.utf8.prefix(Int(error.int1)))
            offset = String(decoding: bytes, as: UTF8.self).unicodeScalars.count
        }
        return XPathError(message: message, offset: offset)
    }
}

/// The most operations the XPath evaluations on one page may take together: a profile with
/// `//*[count(//*)]` on a 20 MB page is quadratic and would otherwise hang a scan. libxml2 stops
/// with an error instead.
private let xpathOperationLimit: UInt = 50_000_000

/// Swallows XPath errors: they are read from `lastError` instead of being printed on stderr.
private let silentXPathErrors: xmlStructuredErrorFunc = { _, _ in }

/// A compiled XPath expression. Owns the `xmlXPathCompExprPtr` and frees it in `deinit`.
///
/// - SeeAlso: https://gnome.pages.gitlab.gnome.org/libxml2/devhelp/libxml2-xpath.html
final class XPathExpression {
    let raw: xmlXPathCompExprPtr
    let source: String

    /// Compiles with `xmlXPathCtxtCompile` on a private context so that a syntax error is
    /// reported here with its offset, not printed by libxml2.
    init(_ source: String) throws(XPathError) {
        _ = libxml2Initialized
        guard !source.utf8.contains(0) else { throw XPathError(message: "the expression contains a NUL character", offset: nil) }
        guard let context = xmlXPathNewContext(nil) else { throw XPathError(message: "cannot create an XPath context", offset: nil) }
        defer { xmlXPathFreeContext(context) }
        context.pointee.error = silentXPathErrors
        guard let compiled = xmlXPathCtxtCompile(context, source) else {
            throw XPathError.from(context, expression: source)
        }
        raw = compiled
        self.source = source
    }

    deinit {
        xmlXPathFreeCompExpr(raw)
    }
}

@available(*, unavailable)
extension XPathExpression: Sendable {}

/// What an XPath expression evaluated to.
enum XPathValue {
    case nodes([XPathNode])
    case string(String)
    case number(Double)
    case boolean(Bool)
}

/// A node an XPath expression selected: an element or text node of the document, or an
/// attribute, whose value is copied out because attribute nodes are not `HTMLNode`s.
enum XPathNode {
    case node(HTMLNode)
    case attribute(name: String, value: String)
}

/// Evaluates compiled expressions against one document. Owns the `xmlXPathContextPtr`.
final class XPathContext {
    let raw: xmlXPathContextPtr
    let document: HTMLDocument

    init(document: HTMLDocument) throws(XPathError) {
        guard let context = xmlXPathNewContext(document.raw) else {
            throw XPathError(message: "cannot create an XPath context", offset: nil)
        }
        context.pointee.error = silentXPathErrors
        context.pointee.opLimit = xpathOperationLimit
        raw = context
        self.document = document
    }

    deinit {
        xmlXPathFreeContext(raw)
    }

    /// Evaluates `expression` with `node` as the context node (`xmlXPathCompiledEval`); the
    /// result object is copied into Swift values and freed with `xmlXPathFreeObject`. The
    /// operation count is not reset between calls: the limit bounds all evaluations on one
    /// context, so a profile cannot multiply it by the number of items on a page.
    func evaluate(_ expression: XPathExpression, at node: HTMLNode) throws(XPathError) -> XPathValue {
        raw.pointee.node = node.raw
        guard let object = xmlXPathCompiledEval(expression.raw, raw) else {
            throw XPathError.from(raw, expression: expression.source)
        }
        defer { xmlXPathFreeObject(object) }
        switch object.pointee.type {
        case XPATH_NODESET:
            guard let set = object.pointee.nodesetval, set.pointee.nodeNr > 0, let table = set.pointee.nodeTab else {
                return .nodes([])
            }
            var nodes: [XPathNode] = []
            nodes.reserveCapacity(Int(set.pointee.nodeNr))
            for index in 0..<Int(set.pointee.nodeNr) {
                guard let selected = table[index] else { continue }
                switch selected.pointee.type {
                case XML_ELEMENT_NODE, XML_TEXT_NODE, XML_CDATA_SECTION_NODE:
                    nodes.append(.node(HTMLNode(document: document, raw: selected)))
                case XML_ATTRIBUTE_NODE:
                    let name = selected.pointee.name.map { String(cString: $0) } ?? ""
                    nodes.append(.attribute(name: name, value: HTMLNode.stringValue(of: selected)))
                default:
                    continue
                }
            }
            return .nodes(nodes)
        case XPATH_STRING:
            return .string(object.pointee.stringval.map { String(cString: $0) } ?? "")
        case XPATH_NUMBER:
            return .number(object.pointee.floatval)
        case XPATH_BOOLEAN:
            return .boolean(object.pointee.boolval != 0)
        default:
            return .nodes([])
        }
    }
}

@available(*, unavailable)
extension XPathContext: Sendable {}

extension HTMLNode {
    /// The string value of any node (`xmlNodeGetContent`, freed here).
    static func stringValue(of node: xmlNodePtr) -> String {
        guard let value = xmlNodeGetContent(node) else { return "" }
        defer { clibxml2_free(value) }
        return String(cString: value)
    }
}

/// A tiny document to evaluate freshly compiled expressions against once, so that mistakes
/// only evaluation finds (an unknown function, an undefined namespace prefix or variable) are
/// reported when a profile is loaded rather than on the first page.
enum XPathProbe {
    /// The result on `<html><body><p>x</p></body></html>`, or nil if that page cannot be built.
    /// libxml2 prints "function ... not found" through the thread's generic error handler before
    /// raising the error this reports, so that handler is silenced for the evaluation.
    static func evaluate(_ expression: XPathExpression) throws(XPathError) -> XPathValue? {
        clibxml2_silence_generic_errors(1)
        defer { clibxml2_silence_generic_errors(0) }
        let document: HTMLDocument
        do {
            document = try HTMLDocument(bytes: Data("<html><body><p>x</p></body></html>".utf8), url: "about:blank", encoding: "utf-8")
        } catch {
            return nil
        }
        guard let root = document.root else { return nil }
        let context = try XPathContext(document: document)
        return try context.evaluate(expression, at: root)
    }
}
