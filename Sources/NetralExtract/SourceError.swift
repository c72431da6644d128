/// Why a feed, an API answer, a sitemap or a local file gave no items, or fewer than it holds.
/// (A WARC file's own damage is a `WARCReadError` of NetralWARC.)
///
/// Every case names the source (a URL or a path) and says where in it the problem is: a JSON
/// coding path (`$[3].account.acct`), an XML line, or a byte offset.
public enum SourceError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The source has no bytes at all.
    case emptySource(source: String)
    /// The bytes are not JSON at all.
    case invalidJSON(source: String, reason: String)
    /// The JSON is well formed but not of the shape the API documents.
    case unexpectedJSON(source: String, path: String, reason: String)
    /// The server answered with an API error object (`{"error": ...}`).
    case apiError(source: String, message: String)
    /// The XML cannot be parsed into any tree.
    case invalidXML(source: String, reason: String)
    /// The XML parsed, but its root element is not `rss`, `rdf:RDF` or `feed`.
    case notAFeed(source: String, rootElement: String)
    /// The XML parsed, but its root element is not a sitemap's `urlset` or `sitemapindex`.
    case notASitemap(source: String, rootElement: String)
    /// An API base URL or instance name that is not an http(s) URL with a host.
    case invalidBaseURL(String)
    /// A local file that cannot be opened or read.
    case unreadableFile(path: String, reason: String)
    /// A local file larger than the caller's limit.
    case fileTooLarge(path: String, size: Int64, limit: Int64)
    /// A gzip member that zlib cannot inflate.
    case corruptGzip(source: String, offset: Int64, reason: String)

    public var description: String {
        switch self {
        case let .emptySource(source):
            "\(source): the source is empty"
        case let .invalidJSON(source, reason):
            "\(source): not valid JSON: \(reason)"
        case let .unexpectedJSON(source, path, reason):
            "\(source): unexpected JSON at \(path): \(reason)"
        case let .apiError(source, message):
            "\(source): the API answered with an error: \(message)"
        case let .invalidXML(source, reason):
            "\(source): cannot parse XML: \(reason)"
        case let .notAFeed(source, rootElement):
            "\(source): not an RSS, RDF or Atom feed (root element is '\(rootElement)')"
        case let .notASitemap(source, rootElement):
            "\(source): not a sitemap (root element is '\(rootElement)', expected 'urlset' or 'sitemapindex')"
        case let .invalidBaseURL(value):
            "'\(value)' is not an http or https URL with a host"
        case let .unreadableFile(path, reason):
            "\(path): cannot read the file: \(reason)"
        case let .fileTooLarge(path, size, limit):
            "\(path): file of \(size) bytes is larger than the limit of \(limit) bytes"
        case let .corruptGzip(source, offset, reason):
            "\(source): corrupt gzip member at byte offset \(offset): \(reason)"
        }
    }
}
