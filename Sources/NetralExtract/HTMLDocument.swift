internal import CLibXML2
import Foundation

/// libxml2's process-wide initialisation, run once before the first parse.
private let libxml2Initialized: Void = xmlInitParser()

/// A parsed HTML document. Owns the `htmlDocPtr` and frees it in `deinit`; nodes handed out
/// hold a strong reference to the document, so they can never outlive it.
///
/// - SeeAlso: https://gnome.pages.gitlab.gnome.org/libxml2/devhelp/libxml2-HTMLparser.html
final class HTMLDocument {
    let raw: htmlDocPtr

    /// Recover from broken markup, never touch the network, keep libxml2 quiet on stderr
    /// (errors are read from the parser context instead), and share the dictionary for speed.
    private static let parseOptions = Int32(
        HTML_PARSE_RECOVER.rawValue | HTML_PARSE_NONET.rawValue | HTML_PARSE_NOERROR.rawValue
            | HTML_PARSE_NOWARNING.rawValue | HTML_PARSE_COMPACT.rawValue
    )

    /// Parses `bytes` as HTML. `encoding` is the charset the HTTP header declared, if any;
    /// otherwise libxml2 looks for a BOM and `<meta charset>`.
    init(bytes: Data, url: String, encoding: String?) throws {
        _ = libxml2Initialized
        guard !bytes.isEmpty else { throw ExtractError.emptyDocument(url: url) }
        guard bytes.count < Int(Int32.max) else {
            throw ExtractError.parseFailed(url: url, message: "document larger than 2 GiB")
        }
        guard let context = htmlNewParserCtxt() else {
            throw ExtractError.parseFailed(url: url, message: "cannot create a parser context")
        }
        defer { htmlFreeParserCtxt(context) }
        let document = bytes.withUnsafeBytes { buffer in
            htmlCtxtReadMemory(
                context,
                buffer.baseAddress?.assumingMemoryBound(to: CChar.self),
                Int32(buffer.count),
                url,
                encoding,
                Self.parseOptions
            )
        }
        guard let document else {
            // Read the error from this parse's own context, never from libxml2's global state.
            var message = "libxml2 returned no document"
            if let error = xmlCtxtGetLastError(context), let text = error.pointee.message {
                message = String(cString: text).trimmingCharacters(in: .whitespacesAndNewlines)
            }
            throw ExtractError.parseFailed(url: url, message: message)
        }
        raw = document
    }

    deinit {
        xmlFreeDoc(raw)
    }

    /// The root element (`<html>`), if the document has one.
    var root: HTMLNode? {
        xmlDocGetRootElement(raw).map { HTMLNode(document: self, raw: $0) }
    }
}

// Explicit non-conformance: libxml2 documents are not thread-safe; parse and extract in one task.
@available(*, unavailable)
extension HTMLDocument: Sendable {}

/// A node inside an `HTMLDocument`. The strong reference keeps the document (and so the node's
/// memory) alive for as long as the node is used.
struct HTMLNode {
    let document: HTMLDocument
    let raw: xmlNodePtr

    var isElement: Bool { raw.pointee.type == XML_ELEMENT_NODE }
    var isText: Bool { raw.pointee.type == XML_TEXT_NODE || raw.pointee.type == XML_CDATA_SECTION_NODE }

    /// Lowercased element name (the HTML parser lowercases tags already).
    var name: String {
        guard let name = raw.pointee.name else { return "" }
        return String(cString: name)
    }

    /// The text of a text node, without allocation on libxml2's side.
    var textContent: String {
        guard let content = raw.pointee.content else { return "" }
        return String(cString: content)
    }

    var firstChild: HTMLNode? { raw.pointee.children.map { HTMLNode(document: document, raw: $0) } }
    var nextSibling: HTMLNode? { raw.pointee.next.map { HTMLNode(document: document, raw: $0) } }
    var parent: HTMLNode? {
        guard let parent = raw.pointee.parent, parent.pointee.type == XML_ELEMENT_NODE else { return nil }
        return HTMLNode(document: document, raw: parent)
    }

    /// An attribute's value. `xmlGetProp` allocates the string; it is freed here.
    func attribute(_ name: String) -> String? {
        guard let value = xmlGetProp(raw, name) else { return nil }
        defer { clibxml2_free(value) }
        return String(cString: value)
    }

    /// All text below this node, concatenated. `xmlNodeGetContent` allocates; freed here.
    var allText: String {
        guard let value = xmlNodeGetContent(raw) else { return "" }
        defer { clibxml2_free(value) }
        return String(cString: value)
    }
}
