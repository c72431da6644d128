public import NetralModel

/// The items of one source and what could not be read on the way.
public struct SourceExtraction: Sendable, Equatable {
    public var items: [Item]
    /// Entries, records or bytes skipped, each with where and why.
    public var warnings: [String]
    /// A feed's own title, kept even when the feed has no entries (each entry also carries it
    /// as `metadata["feed_title"]`).
    public var feedTitle: String?

    public init(items: [Item] = [], warnings: [String] = [], feedTitle: String? = nil) {
        self.items = items
        self.warnings = warnings
        self.feedTitle = feedTitle
    }
}
