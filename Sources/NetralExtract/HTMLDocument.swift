internal import CLibXML2
import Foundation

/// libxml2's process-wide initialisation, run once before the first parse of any kind: every
/// parser (`HTMLDocument`, `XMLTreeDocument`) and XPath evaluation touches this first.
let libxml2Initialized: Void = xmlInitParser()

/// A parsed HTML document. Owns the `htmlDocPtr` and frees it in `deinit`; nodes handed out
/// hold a strong reference to the document, so they can never outlive it.
///
/// The encoding is decided in Swift (`CharsetSniffer`) and the bytes are turned into valid UTF-8
/// (`Transcoder`) before libxml2 sees them, so libxml2 always parses UTF-8 and never has to
/// switch encodings half-way through a page.
///
/// - SeeAlso: https://gnome.pages.gitlab.gnome.org/libxml2/devhelp/libxml2-HTMLparser.html
final class HTMLDocument {
    let raw: htmlDocPtr
    /// The encoding the page was decoded from, and why.
    let charset: CharsetSniffer.Decision
    /// The last error libxml2 recovered from while parsing, read from this parse's own context;
    /// nil for a clean parse. Useful to explain odd text; never a reason to drop the page.
    let lastRecoveredError: String?

    /// Recover from broken markup, never touch the network, keep libxml2 quiet on stderr
    /// (errors are read from the parser context instead), share the dictionary for speed, and
    /// ignore `<meta charset>` inside libxml2, because the bytes handed over are UTF-8 already.
    /// `XML_PARSE_HUGE` lifts the 256-level depth limit: without it libxml2 halts the whole parse
    /// at the 257th nested element and returns an empty tree, so a page could hide its text
    /// behind 300 `<div>`s. The HTML parser builds the tree without recursion (checked to a
    /// million levels) and has no entity expansion to bound, so the flag costs no safety here.
    private static let parseOptions = Int32(
        HTML_PARSE_RECOVER.rawValue | HTML_PARSE_NONET.rawValue | HTML_PARSE_NOERROR.rawValue
            | HTML_PARSE_NOWARNING.rawValue | HTML_PARSE_COMPACT.rawValue | HTML_PARSE_IGNORE_ENC.rawValue
            | XML_PARSE_HUGE.rawValue
    )

    /// Parses `bytes` as HTML. `encoding` is the charset the HTTP header declared, if any; the
    /// byte order mark, `<meta charset>` and the bytes themselves are consulted as
    /// `CharsetSniffer` describes.
    init(bytes: Data, url: String, encoding: String?) throws {
        _ = libxml2Initialized
        guard !bytes.isEmpty else { throw ExtractError.emptyDocument(url: url) }
        let (document, decision, errors) = try bytes.withUnsafeBytes { buffer in
            let decision = CharsetSniffer.decide(headerCharset: encoding, bytes: buffer)
            if let converted = Transcoder.utf8(buffer, decision: decision) {
                let (document, errors) = try converted.withUnsafeBytes { try Self.parse($0, url: url) }
                return (document, decision, errors)
            }
            let (document, errors) = try Self.parse(UnsafeRawBufferPointer(rebasing: buffer[decision.bomLength...]), url: url)
            return (document, decision, errors)
        }
        raw = document
        charset = decision
        lastRecoveredError = errors
    }

    /// One parse with its own context: `htmlNewParserCtxt` + `htmlCtxtReadMemory`, errors read
    /// from that context (never from libxml2's global state), context freed on every path.
    private static func parse(_ utf8: UnsafeRawBufferPointer, url: String) throws -> (htmlDocPtr, String?) {
        guard !utf8.isEmpty else { throw ExtractError.emptyDocument(url: url) }
        guard utf8.count < Int(Int32.max) else {
            throw ExtractError.parseFailed(url: url, message: "document larger than 2 GiB")
        }
        guard let context = htmlNewParserCtxt() else {
            throw ExtractError.parseFailed(url: url, message: "cannot create a parser context")
        }
        defer { htmlFreeParserCtxt(context) }
        let document = htmlCtxtReadMemory(
            context,
            utf8.baseAddress?.assumingMemoryBound(to: CChar.self),
            Int32(utf8.count),
            url,
            "UTF-8",
            parseOptions
        )
        var lastError: String?
        if let error = xmlCtxtGetLastError(context), let text = error.pointee.message {
            lastError = String(cString: text).trimmingCharacters(in: .whitespacesAndNewlines)
        }
        guard let document else {
            throw ExtractError.parseFailed(url: url, message: lastError ?? "libxml2 returned no document")
        }
        return (document, lastError)
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
/// memory) alive for as long as the node is used. Subtrees are read with `TreeWalker`.
struct HTMLNode {
    let document: HTMLDocument
    let raw: xmlNodePtr

    var isElement: Bool { raw.pointee.type == XML_ELEMENT_NODE }

    /// An attribute's value. The common case (one text child, as the HTML parser builds it) is
    /// read in place; otherwise `xmlGetProp` allocates the string, freed here.
    func attribute(_ name: String) -> String? {
        if let value = attributeValue(raw, name.lowercased()) { return String(cString: value) }
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
