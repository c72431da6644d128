internal import CLibXML2
import Foundation

/// A parsed XML document (a feed). Owns the `xmlDocPtr` and frees it in `deinit`; nodes hold a
/// strong reference to the document, so they can never outlive it.
///
/// Named `XMLTreeDocument` so it never clashes with Foundation's `XMLDocument` on Apple platforms.
///
/// Safe against hostile feeds:
/// - no entity substitution (`XML_PARSE_NOENT` is not passed) and no DTD loading
///   (`XML_PARSE_DTDLOAD` is not passed), so external entities (XXE) are never fetched or read;
/// - entity declarations are not even recorded: this context's SAX `entityDecl` handler is removed,
///   so a reference to a declared entity stays an empty reference and a "billion laughs" document
///   cannot expand; text is read by `XMLTreeNode.text`, which never follows entity references;
/// - `XML_PARSE_NONET`, and libxml2's default depth limit (256) since `XML_PARSE_HUGE` is not
///   passed, so a 10,000-deep document stops with an error instead of exhausting the stack.
///
/// - SeeAlso: https://gnome.pages.gitlab.gnome.org/libxml2/devhelp/libxml2-parser.html
final class XMLTreeDocument {
    let raw: xmlDocPtr
    /// libxml2's first error, when the document was not well formed and was read in recovery mode.
    let recoveredError: String?

    private static let parseOptions = Int32(
        XML_PARSE_RECOVER.rawValue | XML_PARSE_NONET.rawValue | XML_PARSE_NOERROR.rawValue
            | XML_PARSE_NOWARNING.rawValue | XML_PARSE_NOBLANKS.rawValue | XML_PARSE_COMPACT.rawValue
    )

    /// Parses `bytes`. `encoding` overrides the document's own declaration when given.
    ///
    /// - Throws: `SourceError.emptySource` or `SourceError.invalidXML` when no tree can be built.
    init(bytes: Data, url: String, encoding: String? = nil) throws {
        _ = libxml2Initialized
        guard !bytes.isEmpty else { throw SourceError.emptySource(source: url) }
        guard bytes.count < Int(Int32.max) else {
            throw SourceError.invalidXML(source: url, reason: "document larger than 2 GiB")
        }
        guard let context = xmlNewParserCtxt() else {
            throw SourceError.invalidXML(source: url, reason: "cannot create a parser context")
        }
        defer { xmlFreeParserCtxt(context) }
        // This context's own SAX handler (xmlNewParserCtxt allocates one per context): without an
        // entityDecl callback, entity declarations are parsed but never stored, so nothing can
        // expand. Without externalSubset, no external DTD is ever resolved.
        if let sax = context.pointee.sax {
            sax.pointee.entityDecl = nil
            sax.pointee.externalSubset = nil
        }
        let document = bytes.withUnsafeBytes { buffer in
            xmlCtxtReadMemory(
                context,
                buffer.baseAddress?.assumingMemoryBound(to: CChar.self),
                Int32(buffer.count),
                url,
                encoding,
                Self.parseOptions
            )
        }
        // Read errors from this parse's own context, never from libxml2's global state.
        var message: String?
        if let error = xmlCtxtGetLastError(context), let text = error.pointee.message {
            let trimmed = String(cString: text).trimmingCharacters(in: .whitespacesAndNewlines)
            message = error.pointee.line > 0 ? "line \(error.pointee.line): \(trimmed)" : trimmed
        }
        guard let document else {
            throw SourceError.invalidXML(source: url, reason: message ?? "libxml2 returned no document")
        }
        raw = document
        recoveredError = context.pointee.wellFormed == 0 ? (message ?? "the document is not well formed") : nil
    }

    deinit {
        xmlFreeDoc(raw)
    }

    var root: XMLTreeNode? {
        xmlDocGetRootElement(raw).map { XMLTreeNode(document: self, raw: $0) }
    }
}

// Explicit non-conformance: libxml2 documents are not thread-safe; parse and read in one task.
@available(*, unavailable)
extension XMLTreeDocument: Sendable {}

/// An element or text node inside an `XMLTreeDocument`; the strong reference keeps the document
/// (and so the node's memory) alive while the node is used.
struct XMLTreeNode {
    let document: XMLTreeDocument
    let raw: xmlNodePtr

    var isElement: Bool { raw.pointee.type == XML_ELEMENT_NODE }

    /// The local name, without prefix (`encoded` for `content:encoded`).
    var localName: String {
        guard let name = raw.pointee.name else { return "" }
        return String(cString: name)
    }

    /// The namespace URI, or nil for an element in no namespace.
    var namespaceURI: String? {
        guard let namespace = raw.pointee.ns, let href = namespace.pointee.href else { return nil }
        return String(cString: href)
    }

    /// The prefix as written (`dc` in `dc:creator`), used only for unbound prefixes in broken feeds.
    var prefix: String? {
        guard let namespace = raw.pointee.ns, let prefix = namespace.pointee.prefix else { return nil }
        return String(cString: prefix)
    }

    /// Child elements, in document order.
    var children: [XMLTreeNode] {
        var result: [XMLTreeNode] = []
        var child = raw.pointee.children
        while let current = child {
            if current.pointee.type == XML_ELEMENT_NODE { result.append(XMLTreeNode(document: document, raw: current)) }
            child = current.pointee.next
        }
        return result
    }

    /// An attribute in no namespace. `xmlGetNoNsProp` allocates the string; it is freed here.
    ///
    /// - SeeAlso: https://gnome.pages.gitlab.gnome.org/libxml2/devhelp/libxml2-tree.html#xmlGetNoNsProp
    func attribute(_ name: String) -> String? {
        guard let value = xmlGetNoNsProp(raw, name) else { return nil }
        defer { clibxml2_free(value) }
        return String(cString: value)
    }

    /// An attribute in a namespace (`xml:base`, `rdf:about`); freed here.
    func attribute(_ name: String, namespace: String) -> String? {
        guard let value = xmlGetNsProp(raw, name, namespace) else { return nil }
        defer { clibxml2_free(value) }
        return String(cString: value)
    }

    /// The text and CDATA below this node, in order. Unlike `xmlNodeGetContent`, it never
    /// follows an entity reference, so entity content (external or exponential) is never read;
    /// and it walks iteratively (`TreeWalker`), so depth cannot exhaust the stack.
    var text: String {
        var reader = XMLText()
        TreeWalker(self).walk(&reader)
        return reader.result
    }

    /// The children serialised back to markup, for Atom `type="xhtml"` content.
    /// `xmlBufferCreate` and `xmlNodeDump` allocate; the buffer is freed here.
    ///
    /// - SeeAlso: https://gnome.pages.gitlab.gnome.org/libxml2/devhelp/libxml2-tree.html#xmlNodeDump
    var innerMarkup: String {
        guard let buffer = xmlBufferCreate() else { return "" }
        defer { xmlBufferFree(buffer) }
        var child = raw.pointee.children
        while let current = child {
            xmlNodeDump(buffer, document.raw, current, 0, 0)
            child = current.pointee.next
        }
        guard let content = xmlBufferContent(buffer) else { return "" }
        return String(cString: content)
    }

    /// The base URI in force at this node (`xml:base` resolved up the tree, else the document
    /// URL). `xmlNodeGetBase` allocates; freed here.
    var baseURI: String? {
        guard let value = xmlNodeGetBase(document.raw, raw) else { return nil }
        defer { clibxml2_free(value) }
        return String(cString: value)
    }
}

/// Collects the text and CDATA of every element below a node, whatever the element.
private struct XMLText: TreeVisitor {
    var result = ""

    func enter(_ element: xmlNodePtr) -> Bool { true }

    mutating func text(_ content: UnsafePointer<UInt8>) {
        result += String(cString: content)
    }
}
